// MarketMaking: two-sided post-only quotes around fair value with inventory skew, on one Up/Down window.
// Quoting both sides of a binary market = bidding for Up at fv - half_spread - skew and bidding for Down at
// (1 - fv) - half_spread + skew (a Down bid at 1 - x is an Up offer at x), with skew = skew_per_share x
// (Up shares - Down shares), so inventory leans the quotes toward flattening. Prices are floored to the tick
// (buys) and kept below the best ask so post-only never crosses. Re-quoted (cancel-all, then both bids) when
// fair value moves more than requote_threshold from the quoted one or inventory changes; pulled (cancel-all) at
// T - pull_before_end_s, on any invalid book and when realised vol exceeds max_sigma (the low-volatility filter).
// Fair value: the FairValueModel when it is ready, else (fair_source = "mid_fallback") the Up book's mid.
// Signal thread only; on_message never allocates, blocks or throws.
#pragma once

#include "signal/fair_value_model.hpp"
#include "signal/market_state.hpp"
#include "signal/position_book.hpp"
#include "signal/strategy.hpp"

namespace polybot::signal {

enum class FairSource : std::uint8_t { kModel = 0, kMidFallback = 1, kMid = 2 };

struct MarketMakingParams {
  StrategyId id{5};
  std::uint32_t interval_s = 300;
  FairValueModelParams model{};
  FairSource fair_source = FairSource::kMidFallback;
  double half_spread = 0.02;
  double skew_per_share = 0.0005;     // price units per share of net Up inventory
  double requote_threshold = 0.01;
  double max_sigma = 0.0;             // pull when per-sqrt-second vol is above (0: off)
  Qty quote_size = Qty::from_units(10);
  Qty max_inventory = Qty::from_units(100);  // |Up - Down|: stop bidding the side that would grow it
  Price min_price = Price::from_raw(20'000);
  Price max_price = Price::from_raw(980'000);
  std::int32_t pull_before_end_s = 30;
};

class MarketMaking final : public Strategy {
 public:
  static constexpr ReasonCode kQuoteUp = 500;
  static constexpr ReasonCode kQuoteDown = 501;
  static constexpr ReasonCode kRequote = 502;          // cancel-all before new quotes
  static constexpr ReasonCode kPullTMinus = 503;
  static constexpr ReasonCode kPullInvalidBook = 504;
  static constexpr ReasonCode kPullVolatility = 505;
  static constexpr ReasonCode kPullNoFairValue = 506;
  enum Input { kFairUp = 0, kQuoteUpPrice = 1, kQuoteDownPrice = 2, kSkew = 3, kInventory = 4, kSigma = 5,
               kSecondsLeft = 6, kMid = 7 };

  explicit MarketMaking(const MarketMakingParams& p) noexcept;
  [[nodiscard]] const char* name() const noexcept override { return "market_making"; }
  [[nodiscard]] StrategyId id() const noexcept override { return p_.id; }
  void on_message(const Envelope& msg, const Clock& clock, IntentSink& sink) noexcept override;
  [[nodiscard]] bool quoting() const noexcept { return quoted_; }

 private:
  void pull(ReasonCode r, double left_s, IntentSink& sink) noexcept;

  MarketMakingParams p_;
  MarketState market_;
  FairValueModel model_;
  PositionBook pos_;
  bool quoted_ = false;
  MarketId quoted_market_{};
  double quoted_fair_ = 0.0;
  std::int64_t quoted_delta_ = 0;
};

}  // namespace polybot::signal
