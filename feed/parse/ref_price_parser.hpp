// RefPriceParser: settlement-reference prices from Polymarket's legacy RTDS socket (topics crypto_prices,
// crypto_prices_chainlink, crypto_prices_twap_*) and its successor PolyBolt (channels price.crypto,
// price.crypto.twap) -> RefPrice messages, including subscribe back-fills. The exact value is kept as an
// 18-decimal integer, read from `full_accuracy_value` when present (a decimal string, or an integer already
// scaled by 1e18 in the legacy Chainlink form) and otherwise from the JSON number token of `value` as written,
// never through double. Non-JSON frames and op acks are ignored. One per thread, reused; never throws.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "core/int128.hpp"
#include "feed/instrument_table.hpp"
#include "feed/parse/json_support.hpp"
#include "feed/parse/market_sink.hpp"
#include "feed/parse/parse_status.hpp"
#include "feed/parse/structural_indexer.hpp"

namespace polybot::feed {

// Parses a non-negative decimal with up to 18 fractional digits into units of 1e-18. An integer string of 19 or
// more digits is taken as already scaled by 1e18 (the legacy Chainlink relay form). False if it does not fit.
bool parse_e18(std::string_view text, u128& out) noexcept;

class RefPriceParser {
 public:
  static constexpr std::size_t kMaxPoints = 4096;

  explicit RefPriceParser(InstrumentTable& symbols, std::size_t max_frame = 1u << 18,
                          json::Stage1 stage1 = json::Stage1::kPolybot);

  ParseStatus parse(std::string_view frame, std::int64_t recv_ns, MarketSink& sink) noexcept;
  // The same, without copying the frame when `readable_after` >= SIMDJSON_PADDING (64) readable bytes follow it
  // (net::WsFrame guarantees net::kFramePadding).
  ParseStatus parse_in_place(std::string_view frame, std::size_t readable_after, std::int64_t recv_ns,
                             MarketSink& sink) noexcept;
  [[nodiscard]] const ParseStats& stats() const noexcept { return stats_; }

 private:
  struct Point {
    std::int64_t ts_ms;
    u128 e18;
  };
  ParseStatus read_payload(detail::od::value& v, std::string_view& symbol, std::size_t& n, bool& twap,
                           std::string_view& source) noexcept;
  bool read_point(detail::od::object& obj, Point& p, bool& has_value) noexcept;

  InstrumentTable& symbols_;
  detail::PaddedBuffer input_;
  simdjson::ondemand::parser parser_;
  std::vector<Point> points_;
  ParseStats stats_;
};

}  // namespace polybot::feed
