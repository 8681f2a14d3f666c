// KlineIndicators: the TA-Lib set polybot computes on 1-minute BTC klines (RSI 14, MACD 12/26/9, EMA 12 and 26,
// ATR 14, Bollinger 20/2) updated together from one closed bar, plus the 5-bar range volatility. Values are NaN
// until valid, exactly at TA-Lib's first-valid index for each. O(1) per bar, no allocation. Single-threaded.
#pragma once

#include <limits>

#include "signal/indicator/atr.hpp"
#include "signal/indicator/bollinger.hpp"
#include "signal/indicator/ema.hpp"
#include "signal/indicator/macd.hpp"
#include "signal/indicator/range_volatility.hpp"
#include "signal/indicator/rsi.hpp"

namespace polybot::signal {

struct IndicatorPeriods {
  int rsi = 14;
  int macd_fast = 12, macd_slow = 26, macd_signal = 9;
  int ema_fast = 12, ema_slow = 26;
  int atr = 14;
  int bb = 20;
  double bb_dev = 2.0;
  int range_bars = 5;
};

struct IndicatorValues {
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  double close = kNaN;
  double rsi = kNaN;
  double macd = kNaN, macd_signal = kNaN, macd_hist = kNaN;
  double ema_fast = kNaN, ema_slow = kNaN;
  double atr = kNaN;
  double bb_upper = kNaN, bb_middle = kNaN, bb_lower = kNaN;
  double range = kNaN;  // (max high - min low) / min low over the last range_bars bars
};

class KlineIndicators {
 public:
  explicit KlineIndicators(const IndicatorPeriods& p = {}) noexcept
      : periods_(p), rsi_(p.rsi), macd_(p.macd_fast, p.macd_slow, p.macd_signal), ema_fast_(p.ema_fast),
        ema_slow_(p.ema_slow), atr_(p.atr), bb_(p.bb, p.bb_dev, p.bb_dev), range_(p.range_bars) {}

  // One closed bar. Returns the values after it.
  const IndicatorValues& update(double high, double low, double close) noexcept {
    constexpr double nan = IndicatorValues::kNaN;
    v_.close = close;
    v_.rsi = rsi_.update(close) ? rsi_.value() : nan;
    if (macd_.update(close)) {
      v_.macd = macd_.macd();
      v_.macd_signal = macd_.signal();
      v_.macd_hist = macd_.hist();
    }
    v_.ema_fast = ema_fast_.update(close) ? ema_fast_.value() : nan;
    v_.ema_slow = ema_slow_.update(close) ? ema_slow_.value() : nan;
    v_.atr = atr_.update(high, low, close) ? atr_.value() : nan;
    if (bb_.update(close)) {
      v_.bb_upper = bb_.upper();
      v_.bb_middle = bb_.middle();
      v_.bb_lower = bb_.lower();
    }
    v_.range = range_.update(high, low) ? range_.value() : nan;
    ++bars_;
    return v_;
  }
  [[nodiscard]] const IndicatorValues& values() const noexcept { return v_; }
  [[nodiscard]] long long bars() const noexcept { return bars_; }
  [[nodiscard]] const IndicatorPeriods& periods() const noexcept { return periods_; }
  void reset() noexcept { *this = KlineIndicators(periods_); }

 private:
  IndicatorPeriods periods_;
  Rsi rsi_;
  Macd macd_;
  Ema ema_fast_, ema_slow_;
  Atr atr_;
  Bollinger bb_;
  RangeVolatility range_;
  IndicatorValues v_{};
  long long bars_ = 0;
};

}  // namespace polybot::signal
