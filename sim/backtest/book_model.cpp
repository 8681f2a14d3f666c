#include "sim/backtest/book_model.hpp"

#include <algorithm>
#include <cmath>

namespace polybot::sim::backtest {

namespace {
constexpr double kSecondsPerYear = 365.0 * 24 * 3600;

double annual_to_per_s_var(double v) { return v * v / kSecondsPerYear; }
}  // namespace

VolEstimator::VolEstimator(const BookModelParams& p) noexcept
    : p_(p), var_per_s_(annual_to_per_s_var(p.initial_vol_annual)) {}

void VolEstimator::on_price(std::int64_t ts_ms, double price) noexcept {
  if (price <= 0.0) return;
  if (last_ts_ms_ != 0 && ts_ms > last_ts_ms_ && last_price_ > 0.0) {
    const double dt = static_cast<double>(ts_ms - last_ts_ms_) / 1000.0;
    const double r = std::log(price / last_price_);
    const double alpha = 1.0 - std::exp2(-dt / p_.vol_halflife_s);
    var_per_s_ += alpha * (r * r / dt - var_per_s_);
  }
  if (ts_ms >= last_ts_ms_) {
    last_ts_ms_ = ts_ms;
    last_price_ = price;
  }
}

double VolEstimator::sigma_per_sqrt_s() const noexcept {
  const double lo = annual_to_per_s_var(p_.min_vol_annual);
  const double hi = annual_to_per_s_var(p_.max_vol_annual);
  return std::sqrt(std::clamp(var_per_s_, lo, hi));
}

double fair_up_probability(double price, double strike, double seconds_left, double sigma_per_sqrt_s) noexcept {
  if (price <= 0.0 || strike <= 0.0) return 0.5;
  if (seconds_left <= 0.0 || sigma_per_sqrt_s <= 0.0) return price >= strike ? 1.0 : 0.0;
  const double z = std::log(price / strike) / (sigma_per_sqrt_s * std::sqrt(seconds_left));
  return 0.5 * std::erfc(-z / std::sqrt(2.0));
}

ModelQuote make_quote(double fair_up, const BookModelParams& p) noexcept {
  ModelQuote q;
  q.fair_up = std::clamp(fair_up, 0.0, 1.0);
  const std::int64_t tick = (q.fair_up > 0.96 || q.fair_up < 0.04) ? 1'000 : 10'000;
  q.tick = Price::from_raw(tick);
  const double scale = static_cast<double>(Price::kScale);
  const double hs = p.half_spread.to_double();
  // Outward rounding: the bid never above fair − half_spread, the ask never below fair + half_spread.
  std::int64_t bid = static_cast<std::int64_t>(std::floor((q.fair_up - hs) * scale / static_cast<double>(tick))) * tick;
  std::int64_t ask = static_cast<std::int64_t>(std::ceil((q.fair_up + hs) * scale / static_cast<double>(tick))) * tick;
  bid = std::clamp<std::int64_t>(bid, tick, Price::kScale - 2 * tick);
  ask = std::clamp<std::int64_t>(ask, 2 * tick, Price::kScale - tick);
  if (ask <= bid) ask = bid + tick;
  const int levels = std::clamp(p.levels, 1, Ladder::kMaxLevels);
  auto fill = [&](Ladder& l, std::int64_t best, std::int64_t step) {
    l.count = 0;
    for (int i = 0; i < levels; ++i) {
      const std::int64_t px = best + step * i;
      if (px < tick || px > Price::kScale - tick) break;
      l.price[l.count] = Price::from_raw(px);
      l.size[l.count] = p.depth;
      ++l.count;
    }
  };
  fill(q.up_bids, bid, -tick);
  fill(q.up_asks, ask, tick);
  // Down is the complement: buying Down at x is selling Up at 1 − x (mint/merge keeps them tied).
  fill(q.down_bids, Price::kScale - ask, -tick);
  fill(q.down_asks, Price::kScale - bid, tick);
  q.valid = true;
  return q;
}

}  // namespace polybot::sim::backtest
