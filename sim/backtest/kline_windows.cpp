#include "sim/backtest/kline_windows.hpp"

#include <algorithm>

namespace polybot::sim::backtest {

namespace {
E18 to_e18(UsdPrice p) { return E18{static_cast<i128>(p.raw) * 10'000'000'000}; }
}  // namespace

const feed::KlineRow* kline_at(const std::vector<feed::KlineRow>& klines, std::int64_t open_time_ms) noexcept {
  const auto it = std::lower_bound(klines.begin(), klines.end(), open_time_ms,
                                   [](const feed::KlineRow& k, std::int64_t t) { return k.open_time_ms < t; });
  return it != klines.end() && it->open_time_ms == open_time_ms ? &*it : nullptr;
}

std::vector<MarketWindow> windows_from_klines(const std::vector<feed::KlineRow>& klines, std::int64_t interval_s,
                                              const FeeSchedule& fee) {
  std::vector<MarketWindow> out;
  if (klines.empty() || interval_s <= 0 || interval_s % 60 != 0) return out;
  const std::int64_t iv_ms = interval_s * 1000;
  std::int64_t start = (klines.front().open_time_ms + iv_ms - 1) / iv_ms * iv_ms;
  const std::int64_t last = klines.back().open_time_ms;
  for (; start + iv_ms - 60'000 <= last; start += iv_ms) {
    bool complete = true;
    for (std::int64_t t = start; t < start + iv_ms && complete; t += 60'000) complete = kline_at(klines, t) != nullptr;
    if (!complete) continue;
    MarketWindow w;
    w.start_s = start / 1000;
    w.end_s = w.start_s + interval_s;
    w.interval_s = interval_s;
    w.slug = "synthetic-btc-updown-" + std::to_string(interval_s / 60) + "m-" + std::to_string(w.start_s);
    w.up_token = "synthetic-up";
    w.down_token = "synthetic-down";
    w.fee = fee;
    w.fee.known = true;
    w.strike = to_e18(kline_at(klines, start)->open);
    out.push_back(std::move(w));
  }
  return out;
}

Settlement settle_from_klines(const MarketWindow& window, const std::vector<feed::KlineRow>& klines) noexcept {
  Settlement s;
  const feed::KlineRow* first = kline_at(klines, window.start_s * 1000);
  const feed::KlineRow* lastbar = kline_at(klines, window.end_s * 1000 - 60'000);
  if (first == nullptr) {
    s.status = SettleStatus::kNoStrike;
    return s;
  }
  s.has_strike = true;
  s.strike = to_e18(first->open);
  s.strike_source = StrikeSource::kKlineProxy;
  if (lastbar == nullptr) {
    s.status = SettleStatus::kNoFinalReport;
    return s;
  }
  s.has_final = true;
  s.final_value = to_e18(lastbar->close);
  s.known_at_ms = window.end_s * 1000;
  s.status = SettleStatus::kSettled;
  s.outcome = s.final_value >= s.strike ? Outcome::kUp : Outcome::kDown;
  return s;
}

}  // namespace polybot::sim::backtest
