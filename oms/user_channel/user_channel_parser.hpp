// UserChannelParser: pure decoder of user-channel frames (an object, an array of objects, or the text frames
// PONG / NO NEW ASSETS) into UserOrderEvent / UserTradeEvent, using one simdjson On-Demand parser for life.
// One thread (the user-channel session's); no allocation after the first frame of the largest size seen.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <simdjson.h>

#include "oms/user_channel/user_events.hpp"

namespace polybot::oms {

class UserEventSink {
 public:
  virtual ~UserEventSink() = default;
  virtual void on_order(const UserOrderEvent& ev) noexcept = 0;
  virtual void on_trade(const UserTradeEvent& ev) noexcept = 0;
};

enum class UserParseStatus : std::uint8_t {
  kOk = 0,
  kControl = 1,     // PONG, NO NEW ASSETS, empty: nothing to do
  kMalformed = 2,   // not JSON, or a known event with a field we cannot decode: count, journal, skip
  kIgnored = 3,     // valid JSON of an event type we do not use
};

class UserChannelParser {
 public:
  // `frame` must have simdjson::SIMDJSON_PADDING readable bytes after its end (the net receive buffers do).
  UserParseStatus parse(std::string_view frame, UserEventSink& sink) noexcept;
  // Copies into an internal padded buffer first (tests, REST bodies without padding). Allocates on growth.
  UserParseStatus parse_copy(std::string_view frame, UserEventSink& sink) noexcept;

  [[nodiscard]] std::uint64_t malformed() const noexcept { return malformed_; }

 private:
  UserParseStatus parse_object(simdjson::ondemand::object obj, UserEventSink& sink) noexcept;

  simdjson::ondemand::parser parser_;
  simdjson::padded_string copy_;
  UserOrderEvent order_{};
  UserTradeEvent trade_{};
  std::uint64_t malformed_ = 0;
};

// Decoding helpers shared with the REST response parsers (pure).
bool parse_digest_hex(std::string_view text, OrderDigest* out) noexcept;
TradeStatus parse_trade_status(std::string_view s) noexcept;

// Our fills in a trade event: as taker (trader_side TAKER: one fill per maker leg at the maker's price, or 1 - it
// for a complement-token leg), and as maker (each maker order whose owner is our API key or whose maker_address
// is our funder address, case-insensitive). Calls on_fill(const OurFill&) for each; returns how many.
template <class F>
std::uint32_t attribute_fills(const UserTradeEvent& t, std::string_view api_key, std::string_view funder, F&& on_fill);

bool iequals(std::string_view a, std::string_view b) noexcept;

template <class F>
std::uint32_t attribute_fills(const UserTradeEvent& t, std::string_view api_key, std::string_view funder,
                              F&& on_fill) {
  std::uint32_t n = 0;
  if (t.trader_side == TraderSide::kTaker && t.taker_order_id_valid) {
    if (t.maker_count == 0) {
      on_fill(OurFill{t.taker_order_id, t.size, t.price, false, 0});
      ++n;
    } else {
      for (std::uint32_t i = 0; i < t.maker_count; ++i) {
        const UserMakerOrder& m = t.makers[i];
        const bool same_token = m.asset_id.empty() || m.asset_id == t.asset_id;
        const Price px = same_token ? m.price : kPriceOne - m.price;
        on_fill(OurFill{t.taker_order_id, m.matched_amount, px, false, i});
        ++n;
      }
    }
  }
  for (std::uint32_t i = 0; i < t.maker_count; ++i) {
    const UserMakerOrder& m = t.makers[i];
    if (!m.order_id_valid) continue;
    const bool ours = (!api_key.empty() && m.owner == api_key) || (!funder.empty() && iequals(m.maker_address, funder));
    if (!ours) continue;
    on_fill(OurFill{m.order_id, m.matched_amount, m.price, true, 0});
    ++n;
  }
  return n;
}

}  // namespace polybot::oms
