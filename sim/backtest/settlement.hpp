// The Up/Down settlement rule as the recorded data supports it (docs/BACKTEST.md §Settlement): strike = the
// Chainlink report stamped exactly at the window's start second (the market list's strike_value is that report),
// final = the report stamped exactly at end_sec, Up iff final >= strike, compared as exact 1e18 integers.
// A window whose strike or final report is missing from the recording stays unsettled: never guessed.
// Off the hot path; any thread (RefSeries is immutable after construction).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <vector>

#include "core/msg/intent.hpp"
#include "sim/backtest/chainlink_csv.hpp"
#include "sim/backtest/market_list.hpp"

namespace polybot::sim::backtest {

// Chainlink reports keyed by report time; one per feed_ts_ms. Two different values for one time are a conflict:
// that time can decide nothing.
class RefSeries {
 public:
  RefSeries() = default;
  explicit RefSeries(const std::vector<RefReport>& reports) { add(reports); }
  // Duplicates with the same value (overlapping day files) collapse; differing values mark a conflict.
  void add(const std::vector<RefReport>& reports);

  // The report stamped exactly at `ts_ms`, or nullptr (none, or conflicting).
  [[nodiscard]] const RefReport* at(std::int64_t ts_ms) const noexcept;
  [[nodiscard]] const std::map<std::int64_t, RefReport>& reports() const noexcept { return by_ts_; }
  [[nodiscard]] std::size_t conflicts() const noexcept { return conflicts_.size(); }
  [[nodiscard]] bool empty() const noexcept { return by_ts_.empty(); }

 private:
  std::map<std::int64_t, RefReport> by_ts_;
  std::set<std::int64_t> conflicts_;
};

enum class SettleStatus : std::uint8_t {
  kSettled = 0,
  kNoStrike = 1,        // strike_value null and no report at the start second
  kStrikeMismatch = 2,  // strike_value disagrees with the recorded report at the start second
  kNoFinalReport = 3,   // the deciding report (exactly at end_sec) is not in the recording
};
const char* to_string(SettleStatus s) noexcept;

enum class StrikeSource : std::uint8_t { kNone = 0, kMarketList = 1, kChainlink = 2, kKlineProxy = 3 };

struct Settlement {
  SettleStatus status = SettleStatus::kNoFinalReport;
  Outcome outcome = Outcome::kNone;  // kNone unless kSettled
  bool has_strike = false;
  E18 strike;
  StrikeSource strike_source = StrikeSource::kNone;
  bool has_final = false;
  E18 final_value;
  std::int64_t known_at_ms = 0;      // recv_ms of the deciding report: when a bot could first know the outcome
};

Settlement settle(const MarketWindow& window, const RefSeries& series) noexcept;

}  // namespace polybot::sim::backtest
