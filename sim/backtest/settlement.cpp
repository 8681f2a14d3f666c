#include "sim/backtest/settlement.hpp"

#include <algorithm>

namespace polybot::sim::backtest {

void RefSeries::add(const std::vector<RefReport>& reports) {
  for (const auto& r : reports) {
    auto [it, inserted] = by_ts_.emplace(r.feed_ts_ms, r);
    if (!inserted) {
      if (it->second.value != r.value) conflicts_.insert(r.feed_ts_ms);
      // Same value seen twice: keep the earliest receive time (the first moment anyone knew it).
      it->second.recv_ms = std::min(it->second.recv_ms, r.recv_ms);
    }
  }
}

const RefReport* RefSeries::at(std::int64_t ts_ms) const noexcept {
  if (conflicts_.count(ts_ms) != 0) return nullptr;
  const auto it = by_ts_.find(ts_ms);
  return it == by_ts_.end() ? nullptr : &it->second;
}

const char* to_string(SettleStatus s) noexcept {
  switch (s) {
    case SettleStatus::kSettled: return "settled";
    case SettleStatus::kNoStrike: return "no_strike";
    case SettleStatus::kStrikeMismatch: return "strike_mismatch";
    case SettleStatus::kNoFinalReport: return "no_final_report";
  }
  return "?";
}

Settlement settle(const MarketWindow& window, const RefSeries& series) noexcept {
  Settlement s;
  const RefReport* start = series.at(window.start_s * 1000);
  const RefReport* end = series.at(window.end_s * 1000);
  if (window.strike) {
    s.has_strike = true;
    s.strike = *window.strike;
    s.strike_source = StrikeSource::kMarketList;
    if (start != nullptr && start->value != *window.strike) {
      s.status = SettleStatus::kStrikeMismatch;
      return s;
    }
  } else if (start != nullptr) {
    s.has_strike = true;
    s.strike = start->value;
    s.strike_source = StrikeSource::kChainlink;
  }
  if (end != nullptr) {
    s.has_final = true;
    s.final_value = end->value;
    s.known_at_ms = end->recv_ms;
  }
  if (!s.has_strike) {
    s.status = SettleStatus::kNoStrike;
    return s;
  }
  if (!s.has_final) {
    s.status = SettleStatus::kNoFinalReport;
    return s;
  }
  s.status = SettleStatus::kSettled;
  s.outcome = s.final_value >= s.strike ? Outcome::kUp : Outcome::kDown;  // ties resolve Up (§13.3)
  if (start != nullptr) s.known_at_ms = std::max(s.known_at_ms, start->recv_ms);
  return s;
}

}  // namespace polybot::sim::backtest
