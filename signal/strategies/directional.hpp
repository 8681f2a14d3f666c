// Directional: the product's core 5-minute bot. Once per window, at the first message inside the entry window
// [T - entry_from_s, T - entry_to_s], it decides from 1-minute kline indicators and order-book imbalance:
//   UP   if RSI < rsi_low  and MACD line > signal and imbalance > imbalance_up
//   DOWN if RSI > rsi_high and MACD line < signal and imbalance < imbalance_down
//   else SKIP.
// Every decision, SKIP included, is one Intent with the reason code and its inputs; a window never gets a second
// intent, so at most one position per window. When the signal fires but the side's book is missing or invalid,
// the decision waits (inside the entry window) for a usable book; past T - entry_to_s it is recorded as
// kSkipInvalidBook. Kline-only runs (no order book) are explicit in the config:
// `imbalance_source = "none"` drops the imbalance condition, `missing_imbalance` says what a configured but
// absent imbalance means, and `missing_book = "assume_price"` trades at a configured price when there is no
// Polymarket book at all (backtests on klines alone).
// Signal thread only; on_message never allocates, blocks or throws.
#pragma once

#include <cstdint>

#include "signal/indicator/kline_indicators.hpp"
#include "signal/market_state.hpp"
#include "signal/strategy.hpp"

namespace polybot::signal {

enum class ImbalanceSource : std::uint8_t { kPolymarket = 0, kBinance = 1, kNone = 2 };
enum class MissingPolicy : std::uint8_t { kSkip = 0, kIgnore = 1 };
enum class MissingBookPolicy : std::uint8_t { kSkip = 0, kAssumePrice = 1 };

struct DirectionalParams {
  StrategyId id{1};
  std::uint32_t interval_s = 300;
  std::int32_t entry_from_s = 240;     // the entry window opens at T - entry_from_s
  std::int32_t entry_to_s = 60;        // and closes at T - entry_to_s
  int rsi_period = 14;
  int macd_fast = 12, macd_slow = 26, macd_signal = 9;
  double rsi_low = 30.0;               // UP needs RSI below
  double rsi_high = 70.0;              // DOWN needs RSI above
  double imbalance_up = 1.1;           // UP needs bid/ask depth above
  double imbalance_down = 0.9;         // DOWN needs bid/ask depth below
  ImbalanceSource imbalance_source = ImbalanceSource::kPolymarket;
  MissingPolicy missing_imbalance = MissingPolicy::kSkip;
  std::int64_t max_imbalance_age_ms = 5000;  // Binance top-of-book older than this is missing
  int range_bars = 5;
  double max_range = 0.0;              // skip when the N-bar range exceeds this (0: off; risk has its own)
  MissingBookPolicy missing_book = MissingBookPolicy::kSkip;
  // Indicators not warm yet: skip the window (recorded data, where warm-up is part of the run) or wait inside the
  // entry window for them (live start-up, while the REST kline back-fill is in flight).
  MissingPolicy not_warm = MissingPolicy::kSkip;
  Price assumed_price = Price::from_raw(500'000);  // missing_book = assume_price
  Price max_price = Price::from_raw(700'000);      // never pay more than this per share
  std::int32_t slippage_ticks = 0;     // limit = ask + n ticks
  Usdc stake = Usdc::from_units(5);    // notional per trade (risk applies the streak sizing and caps)
  OrderType order_type = OrderType::kFok;
};

class Directional final : public Strategy {
 public:
  // Reason codes (journaled; stable).
  static constexpr ReasonCode kUp = 100;
  static constexpr ReasonCode kDown = 101;
  static constexpr ReasonCode kSkipNeutral = 102;       // the rules did not line up
  static constexpr ReasonCode kSkipNotWarm = 103;       // RSI or MACD not valid yet
  static constexpr ReasonCode kSkipNoImbalance = 104;   // configured imbalance source has no data
  static constexpr ReasonCode kSkipInvalidBook = 105;   // the side to buy has no usable book
  static constexpr ReasonCode kSkipPriceTooHigh = 106;  // ask above max_price
  static constexpr ReasonCode kSkipRange = 107;         // N-bar range above max_range
  static constexpr ReasonCode kSkipMissedEntry = 108;   // first message of the window came after the entry window
  // Intent::inputs layout.
  enum Input { kRsi = 0, kMacd = 1, kMacdSignal = 2, kImbalance = 3, kRange = 4, kAsk = 5, kSecondsLeft = 6,
               kClose = 7 };

  explicit Directional(const DirectionalParams& p) noexcept;
  [[nodiscard]] const char* name() const noexcept override { return "directional"; }
  [[nodiscard]] StrategyId id() const noexcept override { return p_.id; }
  void on_message(const Envelope& msg, const Clock& clock, IntentSink& sink) noexcept override;

  [[nodiscard]] const DirectionalParams& params() const noexcept { return p_; }
  [[nodiscard]] const KlineIndicators& indicators() const noexcept { return ind_; }

 private:
  void decide(const MarketState::Window& w, std::int64_t now_ns, IntentSink& sink) noexcept;
  double imbalance(std::int64_t now_ns) const noexcept;
  bool defer_for_book(const MarketState::Window& w, std::int64_t left_ns) noexcept;

  DirectionalParams p_;
  MarketState market_;
  KlineIndicators ind_;
  double btc_imbalance_;
  std::int64_t btc_imbalance_ns_ = 0;
  std::int64_t decided_window_end_s_ = 0;
  std::int64_t waiting_for_book_window_end_s_ = 0;
};

}  // namespace polybot::signal
