// Building strategies from configuration: one params loader per strategy (validation errors name the key and the
// value) and make_strategy(name, table). Names: directional, fair_value, pair_cost, complete_set,
// market_making. Start-up only (allocates); any thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <toml++/toml.h>

#include "core/result.hpp"
#include "signal/param_reader.hpp"
#include "signal/strategies/complete_set.hpp"
#include "signal/strategies/directional.hpp"
#include "signal/strategies/fair_value.hpp"
#include "signal/strategies/market_making.hpp"
#include "signal/strategies/pair_cost.hpp"
#include "signal/strategy.hpp"

namespace polybot::signal {

// `prefix` is prepended to key names in errors (e.g. "strategy.directional.").
Result<DirectionalParams, StrategyConfigError> load_directional_params(const toml::table& t,
                                                                       const std::string& prefix = "");
Result<FairValueParams, StrategyConfigError> load_fair_value_params(const toml::table& t,
                                                                    const std::string& prefix = "");
Result<PairCostParams, StrategyConfigError> load_pair_cost_params(const toml::table& t,
                                                                  const std::string& prefix = "");
Result<CompleteSetParams, StrategyConfigError> load_complete_set_params(const toml::table& t,
                                                                        const std::string& prefix = "");
Result<MarketMakingParams, StrategyConfigError> load_market_making_params(const toml::table& t,
                                                                          const std::string& prefix = "");

// The strategy `name` with its params from `t` (every key optional; unknown keys and a key named "name" that
// differs from `name` are errors). An unknown name is an error on key "name".
Result<std::unique_ptr<Strategy>, StrategyConfigError> make_strategy(std::string_view name, const toml::table& t,
                                                                     const std::string& prefix = "");

// The names make_strategy accepts, comma-separated (for help texts).
const char* strategy_names() noexcept;

}  // namespace polybot::signal
