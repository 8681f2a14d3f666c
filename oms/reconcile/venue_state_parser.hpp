// Pure parsers of the REST answers reconciliation reads (protocol notes §6.2, §6.3, §6.5):
// GET /data/orders pages -> VenueOpenOrder, GET /data/trades pages -> UserTradeEvent (same shape as the user
// channel's trade event). GET /balance-allowance answers: BalanceParser. One simdjson parser for life; the oms thread.
// Allocates only when a body is larger than any seen before (padding copy).
#pragma once

#include <cstdint>
#include <string_view>

#include <simdjson.h>

#include "oms/user_channel/user_channel_parser.hpp"

namespace polybot::oms {

// A JSON number's text as written: its raw token without the separators and whitespace On-Demand leaves after it.
inline std::string_view number_text(simdjson::ondemand::value& v) noexcept {
  std::string_view t = v.raw_json_token();
  while (!t.empty() && (t.back() == ' ' || t.back() == ',' || t.back() == '}' || t.back() == ']' ||
                        t.back() == '\n' || t.back() == '\r' || t.back() == '\t'))
    t.remove_suffix(1);
  return t;
}

struct VenueOpenOrder {
  OrderDigest id{};
  std::string_view status;   // "LIVE", ...
  std::string_view asset_id;
  std::string_view market;
  ::polybot::Side side = ::polybot::Side::kBuy;
  Price price;
  Qty original_size;
  Qty size_matched;
};

class VenueOpenOrderSink {
 public:
  virtual ~VenueOpenOrderSink() = default;
  virtual void on_open_order(const VenueOpenOrder& o) noexcept = 0;
};

enum class RestParseStatus : std::uint8_t { kOk = 0, kMalformed = 1 };

class VenueStateParser {
 public:
  // {"data":[...],"next_cursor":"..."} (or a bare array). *next_cursor is a view into an internal copy.
  RestParseStatus parse_orders(std::string_view body, VenueOpenOrderSink& sink, std::string_view* next_cursor) noexcept;
  // Trades page: each element goes to sink.on_trade (the same decoder as the user channel).
  RestParseStatus parse_trades(std::string_view body, UserEventSink& sink, std::string_view* next_cursor) noexcept;

 private:
  bool load(std::string_view body) noexcept;
  simdjson::ondemand::parser parser_;
  simdjson::padded_string copy_;
  std::size_t len_ = 0;
  UserChannelParser trade_parser_;
  char cursor_[64]{};
  char wrap_[16384 + simdjson::SIMDJSON_PADDING]{};
};

}  // namespace polybot::oms
