// Reader for recorded Chainlink BTC/USD report series (`BTCUSD-prices-<date>.csv[.gz]`: feed_ts_ms, value,
// full_accuracy_value, server_ts_ms, recv_ms). The exact 1e18 value is kept; the float `value` column is ignored.
// Off the hot path (allocates); any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "sim/backtest/e18.hpp"

namespace polybot::sim::backtest {

struct RefReport {
  std::int64_t feed_ts_ms = 0;   // the report's own time (whole seconds in the recordings)
  E18 value;                     // exact price ×1e18
  std::int64_t server_ts_ms = 0; // relay send time
  std::int64_t recv_ms = 0;      // collector receive time: when a bot could first have known the value
};

struct ChainlinkCsvError {
  std::size_t line = 0;
  std::string message;  // names the column and the offending text
};

Result<std::vector<RefReport>, ChainlinkCsvError> parse_chainlink_csv(std::string_view text);
Result<std::vector<RefReport>, ChainlinkCsvError> read_chainlink_csv(const std::string& path);

}  // namespace polybot::sim::backtest
