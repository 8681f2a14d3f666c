// Backtest: runs strategies (the same signal::Strategy code as live) over a recorded DataSet in time order,
// with the FillEngine as the venue, a Sizer and RiskGate in the order path, and settlement by the real rule.
// Deterministic: the same inputs and config give the same BacktestResult, bit for bit (ordered containers
// only, a ManualClock driven by the data, no wall clock). Single-threaded; allocates freely (not the hot path).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "signal/strategy.hpp"
#include "sim/backtest/backtest_config.hpp"
#include "sim/backtest/data_set.hpp"
#include "sim/backtest/fee_model.hpp"
#include "sim/backtest/settlement.hpp"

namespace polybot::sim::backtest {

// Instrument ids of the reference feeds in a backtest; tokens are numbered from kFirstTokenId.
inline constexpr InstrumentId kChainlinkBtcUsd{1};
inline constexpr InstrumentId kBinanceBtc{2};
inline constexpr std::uint32_t kFirstTokenId = 1000;
// MarketId of window i (0-based, in DataSet order) is i + 1; its Up token kFirstTokenId + 2i, Down + 1.
InstrumentId token_id(std::size_t window_index, Outcome outcome) noexcept;

struct FillRecord {
  std::int64_t time_ns = 0;
  std::size_t strategy = 0;
  std::size_t window = 0;
  std::uint64_t client_id = 0;
  Side side = Side::kBuy;
  Outcome outcome = Outcome::kNone;
  Liquidity liquidity = Liquidity::kTaker;
  OrderType order_type = OrderType::kGtc;
  Price price;
  Qty shares;
  Usdc notional;
  Usdc fee;
  ReasonCode reason = 0;
};

struct DecisionRecord {
  std::int64_t time_ns = 0;
  std::size_t strategy = 0;
  std::int64_t window = -1;  // -1: not tied to a known window
  IntentAction action = IntentAction::kSkip;
  Outcome outcome = Outcome::kNone;
  Side side = Side::kBuy;
  ReasonCode reason = 0;
  Price limit;
  Qty shares;                // after sizing (0 for skips)
  DenyReason denied = DenyReason::kNone;
  double inputs[4]{};
};

struct PositionRecord {
  std::size_t fills = 0;
  Qty up_shares, down_shares;
  Usdc open_cost;            // cost basis still at risk
  Usdc fees;
  Usdc cash_flow;            // every USDC in (+) and out (−) of this window, payout included once settled
  bool settled = false;
};

struct WindowRecord {
  Settlement settlement;
  bool traded = false;       // any strategy had a fill in the window
  bool pnl_known = false;    // traded and settled (or not traded)
  Usdc pnl;                  // summed over strategies
};

struct EquityPoint {
  std::int64_t time_ns = 0;
  std::size_t strategy = 0;
  Usdc equity;
  Usdc cash;
};

struct StrategyStats {
  std::string name;
  std::size_t intents = 0, skips = 0, orders = 0, denied = 0, fills = 0, taker_fills = 0, maker_fills = 0;
  std::size_t windows_traded = 0, wins = 0, losses = 0, unsettled = 0;
  Usdc fees, net_pnl, unsettled_cost, final_equity, max_drawdown;
  double max_drawdown_pct = 0.0;
  double sharpe = 0.0;         // annualised from per-window returns over settled windows
  double exposure = 0.0;       // share of windows in range with a position
  double win_rate = 0.0;       // wins / (wins + losses)
  bool halted = false;
};

struct BacktestResult {
  std::vector<MarketWindow> windows;        // the windows in range
  std::vector<WindowRecord> window_rows;
  std::vector<std::vector<PositionRecord>> positions;  // [strategy][window]
  std::vector<FillRecord> fills;
  std::vector<DecisionRecord> decisions;
  std::vector<EquityPoint> equity;
  std::vector<StrategyStats> stats;
  std::vector<std::string> notes;           // honesty notes: what was modelled, what was derived
  std::size_t windows_settled = 0;
  std::size_t settled_matching_venue = 0;   // our outcome == outcome_prices
  std::size_t settled_contradicting_venue = 0;
  std::size_t events = 0;
  std::int64_t first_ns = 0, last_ns = 0;
  Usdc capital;
  std::int64_t interval_s = 300;
  bool synthetic = false;                   // windows and settlement are the Binance kline proxy
  std::size_t recorded_book_windows = 0;    // windows quoted from a recorded Polymarket book (the rest: modelled)
};

class Backtest {
 public:
  // `strategies` are run side by side, each with its own capital, fill engine and account.
  Backtest(BacktestConfig config, const DataSet& data, std::vector<std::unique_ptr<signal::Strategy>> strategies);
  ~Backtest();
  Backtest(const Backtest&) = delete;
  Backtest& operator=(const Backtest&) = delete;

  Result<BacktestResult, std::string> run();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace polybot::sim::backtest
