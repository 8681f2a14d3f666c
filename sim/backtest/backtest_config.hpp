// BacktestConfig: every knob of a backtest run, with the product's directional 5-minute profile as the
// default. Parsed from the `[backtest]` table of a TOML file (docs/BACKTEST.md lists every key); unknown keys
// and bad values fail loudly naming the key and value. Start-up only; any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "core/fixed_point.hpp"
#include "core/result.hpp"
#include "sim/backtest/book_model.hpp"
#include "sim/backtest/market_list.hpp"
#include "sim/backtest/sizing.hpp"


namespace polybot::sim::backtest {

enum class SizingMode : std::uint8_t { kFixedStake = 0, kIntent = 1, kWinStreak = 2 };

struct BacktestConfig {
  std::vector<std::string> strategies{"directional"};
  Usdc capital = Usdc::from_units(100);
  SizingMode sizing = SizingMode::kFixedStake;
  Usdc stake = Usdc::from_units(5);
  WinStreakParams win_streak;
  BasicGateParams gate{5, 0, Usdc::from_units(70)};  // cutoff 5 s, orders per window unlimited, $70 floor
  std::int64_t submit_latency_ms = 0;
  std::int64_t taker_delay_ms = 250;
  std::int64_t cancel_latency_ms = 0;
  std::vector<std::int32_t> tminus_s{240, 120, 60, 30, 10};
  std::int64_t warmup_s = 7200;       // reference data this long before the first window is replayed too
  std::int64_t from_s = 0;            // 0: from the first window
  std::int64_t to_s = 0;              // 0: to the last window
  std::int64_t interval_s = 300;      // windows of this length only (0: all)
  std::string binance_symbol = "BTCUSDT";
  bool derive_klines = true;          // 1-minute bars from Chainlink reports when no Binance kline covers a minute
  bool derive_btc_ticks = true;       // BtcTick from Chainlink reports when the data has no Binance ticks
  bool synthetic_windows = false;     // windows from Binance klines with a settlement PROXY (kline_windows.hpp)
  BookModelParams book;
  FeeSchedule default_fee{true, true, 70'000, 1, true};  // for markets whose Gamma object has no feeSchedule
};

// Reads `[backtest]` (and `[backtest.book_model]`, `[backtest.fees]`, `[backtest.win_streak]`) over the
// defaults. A table without `[backtest]` yields the defaults.
Result<BacktestConfig, std::string> parse_backtest_config(const toml::table& root);

const char* to_string(SizingMode m) noexcept;

}  // namespace polybot::sim::backtest
