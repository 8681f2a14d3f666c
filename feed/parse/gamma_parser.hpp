// Gamma market objects (GET /markets/slug/{slug}, /events/slug/{slug}, /events?...) -> GammaMarket, for market
// discovery and roll-over. `clobTokenIds` and `outcomes` arrive as JSON encoded inside strings and are decoded a
// second time. Off the hot path: allocates (strings, a private parser). Any single thread per parser object.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "core/fixed_point.hpp"
#include "core/result.hpp"

namespace polybot::feed {

struct FeeSchedule {
  bool present = false;
  std::int64_t rate_e6 = 0;       // 0.07 -> 70000
  std::int32_t exponent = 0;
  bool taker_only = false;
  std::int64_t rebate_rate_e6 = 0;
};

struct GammaMarket {
  std::string id;
  std::string slug;
  std::string question;
  std::string condition_id;
  std::array<std::string, 2> token_ids;  // index-aligned with outcomes: 0 = Up, 1 = Down for BTC Up/Down
  std::array<std::string, 2> outcomes;
  std::string series_slug;               // events[0].seriesSlug when present
  Price tick;                            // orderPriceMinTickSize
  Qty min_order_size;                    // orderMinSize (shares; docs/UNVERIFIED.md)
  bool neg_risk = false;
  bool active = false;
  bool closed = false;
  bool accepting_orders = false;
  bool enable_order_book = false;
  bool fees_enabled = false;
  FeeSchedule fees;
  std::int64_t start_s = 0;  // window open: eventStartTime, else events[0].startTime, else the slug's suffix
  std::int64_t end_s = 0;    // window close: endDate

  [[nodiscard]] bool tradable() const noexcept { return active && !closed && accepting_orders; }
};

struct GammaError {
  std::string field;    // the field that failed ("clobTokenIds", "endDate", ...) or "json"
  std::string message;  // names the value
};

class GammaParser {
 public:
  // One market object.
  Result<GammaMarket, GammaError> parse_market(std::string_view json);
  // A market object, an array of markets, an event object (its `markets`), or an array of events.
  Result<std::vector<GammaMarket>, GammaError> parse_any(std::string_view json);

 private:
  simdjson::dom::parser dom_;
  simdjson::dom::parser inner_;
};

// "2026-03-12T09:20:00Z" / "2026-03-12T09:20:00.123Z" / "2026-06-08 00:00:16+00" -> unix seconds; false if not.
bool parse_iso8601_utc(std::string_view text, std::int64_t& out_s) noexcept;

}  // namespace polybot::feed
