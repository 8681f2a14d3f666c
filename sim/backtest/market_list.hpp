// Reader for recorded Polymarket Up/Down market lists (`BTC-5m-markets-<date>.jsonl[.gz]`): one market window
// per line with its strike (Chainlink ×1e18 integer string or null), the venue's resolution (`outcome_prices`)
// and the complete Gamma object in `raw` (fee schedule, tick size, minimum size). Off the hot path; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/fixed_point.hpp"
#include "core/msg/intent.hpp"
#include "core/result.hpp"
#include "sim/backtest/e18.hpp"

namespace polybot::sim::backtest {

// §13.5: fee = C × rate × (p(1−p))^exponent, takers only when taker_only. rate in 1e-6 units (0.07 → 70000).
struct FeeSchedule {
  bool known = false;         // false: the market carried no feeSchedule (the backtest applies its default)
  bool enabled = true;        // raw.feesEnabled
  std::int64_t rate_e6 = 0;
  int exponent = 1;
  bool taker_only = true;
};

struct MarketWindow {
  std::string slug;
  std::string condition_id;
  std::string up_token;
  std::string down_token;
  std::string question;
  std::int64_t start_s = 0;
  std::int64_t end_s = 0;
  std::int64_t interval_s = 0;
  bool resolved = false;
  Outcome venue_outcome = Outcome::kNone;  // from outcome_prices: what Polymarket decided (verification only)
  std::optional<E18> strike;               // strike_value; nullopt when the recording had none
  FeeSchedule fee;
  Price tick = Price::from_raw(10'000);    // raw.orderPriceMinTickSize
  Qty min_size = Qty::from_units(5);       // raw.orderMinSize (shares)
};

struct MarketListError {
  std::size_t line = 0;
  std::string message;  // names the field and the offending text
};

Result<std::vector<MarketWindow>, MarketListError> parse_market_list(std::string_view jsonl);
Result<std::vector<MarketWindow>, MarketListError> read_market_list(const std::string& path);

}  // namespace polybot::sim::backtest
