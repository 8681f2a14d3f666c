#include "sim/backtest/backtest_config.hpp"
#include "signal/param_reader.hpp"

#include <toml++/toml.h>

#include <set>
#include <sstream>

namespace polybot::sim::backtest {

namespace {

struct Reader {
  const toml::table& t;
  std::string prefix;
  std::string error;

  bool fail(const std::string& key, const std::string& what) {
    if (error.empty()) error = prefix + key + ": " + what;
    return false;
  }
  template <class F>
  bool fixed(const std::string& key, F& out, bool allow_zero = true) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return true;
    std::string text;
    if (auto s = n->value<std::string>()) {
      text = *s;
    } else if (n->is_integer()) {
      text = std::to_string(*n->value<std::int64_t>());
    } else if (n->is_floating_point()) {
      return fail(key, "write decimals as strings (e.g. \"0.01\") so they parse exactly; got " + signal::show_toml_value(*n));
    } else {
      return fail(key, "expected a decimal string, got " + signal::show_toml_value(*n));
    }
    auto r = F::parse(text);
    if (!r || r->raw < 0 || (!allow_zero && r->raw == 0)) return fail(key, "invalid value \"" + text + "\"");
    out = *r;
    return true;
  }
  bool integer(const std::string& key, std::int64_t& out, std::int64_t lo, std::int64_t hi) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return true;
    auto v = n->value<std::int64_t>();
    if (!v || !n->is_integer() || *v < lo || *v > hi) {
      return fail(key, "expected an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " + signal::show_toml_value(*n));
    }
    out = *v;
    return true;
  }
  bool real(const std::string& key, double& out, double lo, double hi) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return true;
    auto v = n->value<double>();
    if (!v || *v < lo || *v > hi) return fail(key, "expected a number in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " + signal::show_toml_value(*n));
    out = *v;
    return true;
  }
  bool boolean(const std::string& key, bool& out) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return true;
    auto v = n->value<bool>();
    if (!v) return fail(key, "expected true or false, got " + signal::show_toml_value(*n));
    out = *v;
    return true;
  }
  bool text(const std::string& key, std::string& out) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return true;
    auto v = n->value<std::string>();
    if (!v) return fail(key, "expected a string, got " + signal::show_toml_value(*n));
    out = *v;
    return true;
  }
  bool only(const std::set<std::string>& keys) {
    for (const auto& [k, v] : t) {
      if (keys.count(std::string(k.str())) == 0) return fail(std::string(k.str()), "unknown key");
    }
    return true;
  }
};

}  // namespace

const char* to_string(SizingMode m) noexcept {
  switch (m) {
    case SizingMode::kFixedStake: return "fixed_stake";
    case SizingMode::kIntent: return "intent";
    case SizingMode::kWinStreak: return "win_streak";
  }
  return "?";
}

Result<BacktestConfig, std::string> parse_backtest_config(const toml::table& root) {
  BacktestConfig c;
  const toml::table* bt = root["backtest"].as_table();
  if (bt == nullptr) return c;
  Reader r{*bt, "backtest.", {}};
  r.only({"strategies", "capital", "sizing", "stake", "cutoff_s", "max_buys_per_window", "drawdown_floor",
          "submit_latency_ms", "taker_delay_ms", "cancel_latency_ms", "tminus_s", "warmup_s", "from", "to",
          "interval_s", "binance_symbol", "derive_klines", "derive_btc_ticks", "synthetic_windows", "book_model", "fees",
          "win_streak"});
  if (const toml::node* n = bt->get("strategies")) {
    const toml::array* a = n->as_array();
    if (a == nullptr || a->empty()) return Err{std::string("backtest.strategies: expected a non-empty array of names")};
    c.strategies.clear();
    for (const auto& el : *a) {
      auto s = el.value<std::string>();
      if (!s) return Err{std::string("backtest.strategies: every entry must be a string")};
      c.strategies.push_back(*s);
    }
  }
  r.fixed("capital", c.capital, false);
  r.fixed("stake", c.stake, false);
  r.fixed("drawdown_floor", c.gate.drawdown_floor);
  std::string sizing;
  r.text("sizing", sizing);
  if (!sizing.empty()) {
    if (sizing == "fixed_stake") c.sizing = SizingMode::kFixedStake;
    else if (sizing == "intent") c.sizing = SizingMode::kIntent;
    else if (sizing == "win_streak") c.sizing = SizingMode::kWinStreak;
    else r.fail("sizing", "expected fixed_stake, intent or win_streak, got \"" + sizing + "\"");
  }
  std::int64_t v = c.gate.cutoff_s;
  r.integer("cutoff_s", v, 0, 3600);
  c.gate.cutoff_s = static_cast<std::int32_t>(v);
  v = c.gate.max_buys_per_window;
  r.integer("max_buys_per_window", v, 0, 1'000'000);
  c.gate.max_buys_per_window = static_cast<std::int32_t>(v);
  r.integer("submit_latency_ms", c.submit_latency_ms, 0, 60'000);
  r.integer("taker_delay_ms", c.taker_delay_ms, 0, 60'000);
  r.integer("cancel_latency_ms", c.cancel_latency_ms, 0, 60'000);
  r.integer("warmup_s", c.warmup_s, 0, 30 * 86400);
  r.integer("from", c.from_s, 0, 1LL << 40);
  r.integer("to", c.to_s, 0, 1LL << 40);
  r.integer("interval_s", c.interval_s, 0, 86400);
  r.text("binance_symbol", c.binance_symbol);
  r.boolean("derive_klines", c.derive_klines);
  r.boolean("derive_btc_ticks", c.derive_btc_ticks);
  r.boolean("synthetic_windows", c.synthetic_windows);
  if (const toml::node* n = bt->get("tminus_s")) {
    const toml::array* a = n->as_array();
    if (a == nullptr) return Err{std::string("backtest.tminus_s: expected an array of seconds")};
    c.tminus_s.clear();
    for (const auto& el : *a) {
      auto s = el.value<std::int64_t>();
      if (!s || *s <= 0 || *s > 86400) return Err{std::string("backtest.tminus_s: every entry must be an integer in [1, 86400]")};
      c.tminus_s.push_back(static_cast<std::int32_t>(*s));
    }
  }
  if (const toml::table* b = bt->get_as<toml::table>("book_model")) {
    Reader br{*b, "backtest.book_model.", {}};
    br.only({"half_spread", "depth", "levels", "vol_halflife_s", "initial_vol_annual", "min_vol_annual", "max_vol_annual", "max_ref_age_s"});
    br.integer("max_ref_age_s", c.book.max_ref_age_s, 1, 86400);
    br.fixed("half_spread", c.book.half_spread);
    br.fixed("depth", c.book.depth, false);
    std::int64_t levels = c.book.levels;
    br.integer("levels", levels, 1, Ladder::kMaxLevels);
    c.book.levels = static_cast<int>(levels);
    br.real("vol_halflife_s", c.book.vol_halflife_s, 1.0, 86400.0 * 30);
    br.real("initial_vol_annual", c.book.initial_vol_annual, 0.001, 20.0);
    br.real("min_vol_annual", c.book.min_vol_annual, 0.0, 20.0);
    br.real("max_vol_annual", c.book.max_vol_annual, 0.001, 50.0);
    if (!br.error.empty()) return Err{br.error};
  }
  if (const toml::table* f = bt->get_as<toml::table>("fees")) {
    Reader fr{*f, "backtest.fees.", {}};
    fr.only({"default_rate", "default_exponent", "default_taker_only"});
    Price rate = Price::from_raw(c.default_fee.rate_e6);
    fr.fixed("default_rate", rate);
    c.default_fee.rate_e6 = rate.raw;
    std::int64_t ex = c.default_fee.exponent;
    fr.integer("default_exponent", ex, 0, 4);
    c.default_fee.exponent = static_cast<int>(ex);
    fr.boolean("default_taker_only", c.default_fee.taker_only);
    if (!fr.error.empty()) return Err{fr.error};
  }
  if (const toml::table* w = bt->get_as<toml::table>("win_streak")) {
    Reader wr{*w, "backtest.win_streak.", {}};
    wr.only({"base", "growth", "cap", "capital_fraction"});
    wr.fixed("base", c.win_streak.base, false);
    wr.real("growth", c.win_streak.growth, 1.0, 10.0);
    wr.fixed("cap", c.win_streak.cap, false);
    wr.real("capital_fraction", c.win_streak.capital_fraction, 0.0, 1.0);
    if (!wr.error.empty()) return Err{wr.error};
  }
  if (!r.error.empty()) return Err{r.error};
  return c;
}

}  // namespace polybot::sim::backtest
