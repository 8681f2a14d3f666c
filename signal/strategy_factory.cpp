#include "signal/strategy_factory.hpp"

namespace polybot::signal {

namespace {

constexpr Price kP0 = Price::from_raw(0);
constexpr Price kP1 = Price::from_raw(Price::kScale);
constexpr Qty kQ0 = Qty::from_raw(0);
constexpr Qty kQMax = Qty::from_units(1'000'000);

void common(ParamReader& r, StrategyId& id, std::uint32_t& interval_s) {
  r.known("name");
  long long v = id.value;
  r.integer("id", 1, 65535, v);
  id.value = static_cast<std::uint16_t>(v);
  r.integer("interval_s", 0, 86'400, interval_s);
}

void order_type(ParamReader& r, const char* key, OrderType& out, bool allow_resting) {
  int k = out == OrderType::kFok ? 0 : out == OrderType::kFak ? 1 : out == OrderType::kGtc ? 2 : 3;
  if (allow_resting) r.choice(key, {"fok", "fak", "gtc"}, k);
  else r.choice(key, {"fok", "fak"}, k);
  out = k == 0 ? OrderType::kFok : k == 1 ? OrderType::kFak : OrderType::kGtc;
}

void model(ParamReader& r, FairValueModelParams& m) {
  r.integer("vol_samples", 2, RealizedVolatility::kMaxSamples, m.vol_samples);
  r.integer("vol_interval_ms", 10, 600'000, m.vol_interval_ms);
  r.integer("min_vol_samples", 1, RealizedVolatility::kMaxSamples, m.min_vol_samples);
  r.real("min_sigma", 0.0, 1.0, m.min_sigma);
  r.real("settlement_twap_s", 0.0, 900.0, m.settlement_twap_s);
  int rule = static_cast<int>(m.strike_rule);
  r.choice("strike_rule", {"last_at_or_before", "first_at_or_after", "twap"}, rule);
  m.strike_rule = static_cast<StrikeRule>(rule);
  r.real("basis_halflife_s", 0.0, 86'400.0, m.basis_halflife_s);
  if (m.min_vol_samples > m.vol_samples)
    r.fail(r.full("min_vol_samples"), "= " + std::to_string(m.min_vol_samples) + ": must not exceed vol_samples (" +
                                  std::to_string(m.vol_samples) + ")");
}

template <class P>
Result<P, StrategyConfigError> done(ParamReader& r, const P& p) {
  if (auto e = r.finish()) return Err{*e};
  return p;
}

}  // namespace

Result<DirectionalParams, StrategyConfigError> load_directional_params(const toml::table& t,
                                                                       const std::string& prefix) {
  DirectionalParams p;
  ParamReader r(t, prefix);
  common(r, p.id, p.interval_s);
  r.integer("entry_from_s", 1, 86'400, p.entry_from_s);
  r.integer("entry_to_s", 0, 86'400, p.entry_to_s);
  r.integer("rsi_period", 2, 1000, p.rsi_period);
  r.integer("macd_fast", 1, 1000, p.macd_fast);
  r.integer("macd_slow", 2, 1000, p.macd_slow);
  r.integer("macd_signal", 1, 1000, p.macd_signal);
  r.real("rsi_low", 0.0, 100.0, p.rsi_low);
  r.real("rsi_high", 0.0, 100.0, p.rsi_high);
  r.real("imbalance_up", 0.0, 1e6, p.imbalance_up);
  r.real("imbalance_down", 0.0, 1e6, p.imbalance_down);
  int src = static_cast<int>(p.imbalance_source);
  r.choice("imbalance_source", {"polymarket", "binance", "none"}, src);
  p.imbalance_source = static_cast<ImbalanceSource>(src);
  int mi = static_cast<int>(p.missing_imbalance);
  r.choice("missing_imbalance", {"skip", "ignore"}, mi);
  p.missing_imbalance = static_cast<MissingPolicy>(mi);
  r.integer("max_imbalance_age_ms", 0, 3'600'000, p.max_imbalance_age_ms);
  r.integer("range_bars", 1, RangeVolatility::kMaxWindow, p.range_bars);
  r.real("max_range", 0.0, 10.0, p.max_range);
  int mb = static_cast<int>(p.missing_book);
  r.choice("missing_book", {"skip", "assume_price"}, mb);
  p.missing_book = static_cast<MissingBookPolicy>(mb);
  int nw = static_cast<int>(p.not_warm);
  r.choice("not_warm", {"skip", "wait"}, nw);
  p.not_warm = static_cast<MissingPolicy>(nw);
  r.price("assumed_price", kMinTick, kP1 - kMinTick, p.assumed_price);
  r.price("max_price", kMinTick, kP1 - kMinTick, p.max_price);
  r.integer("slippage_ticks", 0, 100, p.slippage_ticks);
  r.usdc("stake", Usdc::from_raw(1), Usdc::from_units(1'000'000), p.stake);
  order_type(r, "order_type", p.order_type, true);
  if (p.entry_to_s >= p.entry_from_s)
    r.fail(r.full("entry_to_s"), "= " + std::to_string(p.entry_to_s) + ": must be below entry_from_s (" +
                                      std::to_string(p.entry_from_s) + ")");
  if (p.rsi_low > p.rsi_high)
    r.fail(r.full("rsi_low"), "= " + std::to_string(p.rsi_low) + ": must not exceed rsi_high");
  if (p.macd_fast >= p.macd_slow)
    r.fail(r.full("macd_fast"), "= " + std::to_string(p.macd_fast) + ": must be below macd_slow");
  return done(r, p);
}

Result<FairValueParams, StrategyConfigError> load_fair_value_params(const toml::table& t, const std::string& prefix) {
  FairValueParams p;
  ParamReader r(t, prefix);
  common(r, p.id, p.interval_s);
  model(r, p.model);
  r.real("edge", 0.0, 1.0, p.edge);
  r.real("fee_exponent", 0.0, 10.0, p.fee_exponent);
  r.integer("taker_delay_ms", 0, 60'000, p.taker_delay_ms);
  r.real("delay_sigmas", 0.0, 100.0, p.delay_sigmas);
  r.qty("order_size", Qty::from_raw(1), kQMax, p.order_size);
  r.qty("min_size", kQ0, kQMax, p.min_size);
  r.qty("max_position", kQ0, kQMax, p.max_position);
  r.price("min_price", kP0, kP1, p.min_price);
  r.price("max_price", kP0, kP1, p.max_price);
  r.integer("stop_before_end_s", 0, 86'400, p.stop_before_end_s);
  r.integer("cooldown_ms", 0, 3'600'000, p.cooldown_ms);
  r.integer("order_timeout_ms", 1, 3'600'000, p.order_timeout_ms);
  order_type(r, "order_type", p.order_type, false);
  r.boolean("allow_sell", p.allow_sell);
  return done(r, p);
}

Result<PairCostParams, StrategyConfigError> load_pair_cost_params(const toml::table& t, const std::string& prefix) {
  PairCostParams p;
  ParamReader r(t, prefix);
  common(r, p.id, p.interval_s);
  r.real("target", 0.0, 2.0, p.target);
  r.real("equalizer_max_pair_cost", 0.0, 2.0, p.equalizer_max_pair_cost);
  r.qty("max_delta", kQ0, kQMax, p.max_delta);
  r.qty("order_size", Qty::from_raw(1), kQMax, p.order_size);
  r.qty("min_size", kQ0, kQMax, p.min_size);
  r.qty("max_shares", kQ0, kQMax, p.max_shares);
  r.real("liquidity_multiple", 0.0, 1000.0, p.liquidity_multiple);
  r.real("fee_exponent", 0.0, 10.0, p.fee_exponent);
  int mode = static_cast<int>(p.mode);
  r.choice("mode", {"taker", "maker"}, mode);
  p.mode = static_cast<OrderMode>(mode);
  r.integer("no_new_risk_s", 0, 86'400, p.no_new_risk_s);
  r.integer("stop_before_end_s", 0, 86'400, p.stop_before_end_s);
  r.integer("cooldown_ms", 0, 3'600'000, p.cooldown_ms);
  r.integer("order_timeout_ms", 1, 3'600'000, p.order_timeout_ms);
  return done(r, p);
}

Result<CompleteSetParams, StrategyConfigError> load_complete_set_params(const toml::table& t,
                                                                        const std::string& prefix) {
  CompleteSetParams p;
  ParamReader r(t, prefix);
  common(r, p.id, p.interval_s);
  r.real("margin", -1.0, 1.0, p.margin);
  r.real("fee_exponent", 0.0, 10.0, p.fee_exponent);
  r.qty("max_size", Qty::from_raw(1), kQMax, p.max_size);
  r.qty("min_size", kQ0, kQMax, p.min_size);
  r.boolean("allow_sell", p.allow_sell);
  order_type(r, "order_type", p.order_type, false);
  r.integer("stop_before_end_s", 0, 86'400, p.stop_before_end_s);
  r.integer("cooldown_ms", 0, 3'600'000, p.cooldown_ms);
  r.integer("order_timeout_ms", 1, 3'600'000, p.order_timeout_ms);
  return done(r, p);
}

Result<MarketMakingParams, StrategyConfigError> load_market_making_params(const toml::table& t,
                                                                          const std::string& prefix) {
  MarketMakingParams p;
  ParamReader r(t, prefix);
  common(r, p.id, p.interval_s);
  model(r, p.model);
  int fs = static_cast<int>(p.fair_source);
  r.choice("fair_source", {"model", "mid_fallback", "mid"}, fs);
  p.fair_source = static_cast<FairSource>(fs);
  r.real("half_spread", 0.0, 0.5, p.half_spread);
  r.real("skew_per_share", 0.0, 1.0, p.skew_per_share);
  r.real("requote_threshold", 0.0, 1.0, p.requote_threshold);
  r.real("max_sigma", 0.0, 1.0, p.max_sigma);
  r.qty("quote_size", Qty::from_raw(1), kQMax, p.quote_size);
  r.qty("max_inventory", kQ0, kQMax, p.max_inventory);
  r.price("min_price", kP0, kP1, p.min_price);
  r.price("max_price", kP0, kP1, p.max_price);
  r.integer("pull_before_end_s", 0, 86'400, p.pull_before_end_s);
  return done(r, p);
}

const char* strategy_names() noexcept { return "directional, fair_value, pair_cost, complete_set, market_making"; }

Result<std::unique_ptr<Strategy>, StrategyConfigError> make_strategy(std::string_view name, const toml::table& t,
                                                                     const std::string& prefix) {
  if (const auto n = t.get("name")) {
    const auto s = n->value_exact<std::string>();
    if (!s || *s != name)
      return Err{StrategyConfigError{prefix + "name", "= \"" + (s ? *s : std::string("?")) +
                                                          "\": does not match the strategy being built (\"" +
                                                          std::string(name) + "\")"}};
  }
  auto wrap = [](auto r, auto make) -> Result<std::unique_ptr<Strategy>, StrategyConfigError> {
    if (!r) return Err{r.error()};
    return std::unique_ptr<Strategy>(make(*r));
  };
  if (name == "directional")
    return wrap(load_directional_params(t, prefix), [](const auto& p) { return new Directional(p); });
  if (name == "fair_value")
    return wrap(load_fair_value_params(t, prefix), [](const auto& p) { return new FairValueStrategy(p); });
  if (name == "pair_cost")
    return wrap(load_pair_cost_params(t, prefix), [](const auto& p) { return new PairCost(p); });
  if (name == "complete_set")
    return wrap(load_complete_set_params(t, prefix), [](const auto& p) { return new CompleteSet(p); });
  if (name == "market_making")
    return wrap(load_market_making_params(t, prefix), [](const auto& p) { return new MarketMaking(p); });
  return Err{StrategyConfigError{prefix + "name", "= \"" + std::string(name) + "\": unknown strategy (expected one of " +
                                                      strategy_names() + ")"}};
}

}  // namespace polybot::signal
