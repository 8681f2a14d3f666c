// Synthetic Up/Down windows from Binance 1-minute klines, for data sets without a Polymarket market list
// (`backtest.synthetic_windows`). Settlement is a PROXY: Up iff the close of the window's last bar >= the open
// of its first bar, on Binance prices — not the Chainlink rule the real markets use — and every output says so.
// Off the hot path; any thread.
#pragma once

#include <cstdint>
#include <vector>

#include "feed/kline_csv.hpp"
#include "sim/backtest/market_list.hpp"
#include "sim/backtest/settlement.hpp"

namespace polybot::sim::backtest {

// One window per aligned interval whose every minute has a bar (klines sorted by open time, unique).
std::vector<MarketWindow> windows_from_klines(const std::vector<feed::KlineRow>& klines, std::int64_t interval_s,
                                              const FeeSchedule& fee);

// The proxy settlement of a synthetic window; known when its last bar closes.
Settlement settle_from_klines(const MarketWindow& window, const std::vector<feed::KlineRow>& klines) noexcept;

// The bar opening at `open_time_ms`, or nullptr.
const feed::KlineRow* kline_at(const std::vector<feed::KlineRow>& klines, std::int64_t open_time_ms) noexcept;

}  // namespace polybot::sim::backtest
