// Writes a BacktestResult into an output directory: windows.csv, trades.csv, decisions.csv, equity.csv,
// strategies.csv, summary.txt and equity.svg (drawn by our own code). Byte-identical for identical results:
// fixed formats, no run-time stamps. Off the hot path; any thread.
#pragma once

#include <string>

#include "core/result.hpp"
#include "sim/backtest/backtest.hpp"

namespace polybot::sim::backtest {

struct ReportInfo {
  std::string data_dir;      // as given on the command line
  std::string config_name;   // "built-in directional 5-minute profile" or the config path
  std::vector<DataFile> files;
  std::size_t market_conflicts = 0, kline_conflicts = 0, chainlink_conflicts = 0;
};

Result<std::string, std::string> write_report(const BacktestResult& result, const ReportInfo& info,
                                              const std::string& out_dir);

// The summary text (also printed by `polybot backtest`).
std::string summary_text(const BacktestResult& result, const ReportInfo& info);

// "2026-06-08T00:05:01.156Z" (milliseconds shown only when non-zero).
std::string iso_time_ns(std::int64_t ns);

}  // namespace polybot::sim::backtest
