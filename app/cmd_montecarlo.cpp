// `polybot montecarlo [--config FILE] [--runs N] [--windows N] [--seed S] [--out DIR]`: risk of ruin and the
// drawdown distribution of the win-streak sizing policy at win rates 40–60 % (sim/backtest/monte_carlo.hpp,
// docs/BACKTEST.md §Monte Carlo). Seeded and deterministic.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <toml++/toml.h>

#include "app/cli.hpp"
#include "sim/backtest/monte_carlo.hpp"

namespace polybot::app {

namespace {

struct Options {
  std::string config;
  long long runs = -1;
  int windows = -1;
  long long seed = -1;
  std::string out;
};

template <class F>
bool read_fixed(const toml::table& t, const char* key, F& out, std::string& err) {
  const toml::node* n = t.get(key);
  if (n == nullptr) return true;
  std::string text;
  if (auto s = n->value_exact<std::string>()) text = *s;
  else if (auto i = n->value_exact<std::int64_t>()) text = std::to_string(*i);
  else {
    err = std::string("montecarlo.") + key + ": expected a decimal string (e.g. \"0.5\")";
    return false;
  }
  auto r = F::parse(text);
  if (!r || r->raw <= 0) {
    err = std::string("montecarlo.") + key + ": invalid value \"" + text + "\"";
    return false;
  }
  out = *r;
  return true;
}

bool read_real(const toml::table& t, const char* key, double& out, double lo, double hi, std::string& err) {
  const toml::node* n = t.get(key);
  if (n == nullptr) return true;
  auto v = n->value<double>();
  if (!v || *v < lo || *v > hi) {
    err = std::string("montecarlo.") + key + ": expected a number in [" + std::to_string(lo) + ", " +
          std::to_string(hi) + "]";
    return false;
  }
  out = *v;
  return true;
}

std::string parse_config(const toml::table& root, sim::backtest::MonteCarloParams& p) {
  const toml::table* t = root["montecarlo"].as_table();
  if (t == nullptr) return {};
  static const char* kKeys[] = {"win_rates", "runs", "windows", "seed", "capital", "halt_drawdown", "min_order",
                                "entry_price", "fee_rate", "fee_exponent", "base", "growth", "cap",
                                "capital_fraction"};
  for (const auto& [k, v] : *t) {
    bool known = false;
    for (const char* key : kKeys) known = known || k.str() == key;
    if (!known) return "montecarlo." + std::string(k.str()) + ": unknown key";
  }
  std::string err;
  if (const toml::array* a = t->get_as<toml::array>("win_rates")) {
    p.win_rates.clear();
    for (const auto& el : *a) {
      auto v = el.value<double>();
      if (!v || *v < 0.0 || *v > 1.0) return "montecarlo.win_rates: every entry must be a number in [0, 1]";
      p.win_rates.push_back(*v);
    }
  }
  if (auto v = (*t)["runs"].value<std::int64_t>()) {
    if (*v < 1 || *v > 100'000'000) return "montecarlo.runs: expected an integer in [1, 100000000], got " + std::to_string(*v);
    p.runs = static_cast<std::uint64_t>(*v);
  }
  if (auto v = (*t)["windows"].value<std::int64_t>()) {
    if (*v < 1 || *v > 1'000'000) return "montecarlo.windows: expected an integer in [1, 1000000], got " + std::to_string(*v);
    p.windows = static_cast<std::int32_t>(*v);
  }
  if (auto v = (*t)["seed"].value<std::int64_t>()) p.seed = static_cast<std::uint64_t>(*v);
  if (!read_fixed(*t, "capital", p.capital, err) || !read_fixed(*t, "min_order", p.min_order, err) ||
      !read_fixed(*t, "entry_price", p.entry_price, err) || !read_fixed(*t, "base", p.sizing.base, err) ||
      !read_fixed(*t, "cap", p.sizing.cap, err) ||
      !read_real(*t, "halt_drawdown", p.halt_drawdown, 0.0, 1.0, err) ||
      !read_real(*t, "growth", p.sizing.growth, 1.0, 10.0, err) ||
      !read_real(*t, "capital_fraction", p.sizing.capital_fraction, 0.0, 1.0, err)) {
    return err;
  }
  Price rate = Price::from_raw(p.fee.rate_e6);
  if (!read_fixed(*t, "fee_rate", rate, err)) return err;
  p.fee.rate_e6 = rate.raw;
  if (auto v = (*t)["fee_exponent"].value<std::int64_t>()) {
    if (*v < 0 || *v > 4) return "montecarlo.fee_exponent: expected an integer in [0, 4]";
    p.fee.exponent = static_cast<int>(*v);
  }
  if (p.entry_price.raw >= Price::kScale) return "montecarlo.entry_price: must be below 1";
  return {};
}

int run(const Options& o) {
  sim::backtest::MonteCarloParams p;
  if (!o.config.empty()) {
    try {
      const toml::table root = toml::parse_file(o.config);
      const std::string err = parse_config(root, p);
      if (!err.empty()) {
        std::fprintf(stderr, "polybot montecarlo: --config %s: %s\n", o.config.c_str(), err.c_str());
        return 2;
      }
    } catch (const toml::parse_error& e) {
      std::fprintf(stderr, "polybot montecarlo: --config %s: %s\n", o.config.c_str(), std::string(e.description()).c_str());
      return 2;
    }
  }
  if (o.runs >= 0) {
    if (o.runs < 1 || o.runs > 100'000'000) {
      std::fprintf(stderr, "polybot montecarlo: --runs %lld: expected 1..100000000\n", o.runs);
      return 2;
    }
    p.runs = static_cast<std::uint64_t>(o.runs);
  }
  if (o.windows >= 0) {
    if (o.windows < 1) {
      std::fprintf(stderr, "polybot montecarlo: --windows %d: expected at least 1\n", o.windows);
      return 2;
    }
    p.windows = o.windows;
  }
  if (o.seed >= 0) p.seed = static_cast<std::uint64_t>(o.seed);
  const auto rows = sim::backtest::run_monte_carlo(p);
  const std::string csv = sim::backtest::monte_carlo_csv(p, rows);
  std::printf("polybot montecarlo: win-streak sizing (base %s x%.2f per win, cap %s and %.0f%% of capital), start %s, "
              "halt at %.0f%% drawdown, %d bets per session at price %s with the %s fee, %llu runs, seed %llu\n",
              p.sizing.base.to_string().c_str(), p.sizing.growth, p.sizing.cap.to_string().c_str(),
              p.sizing.capital_fraction * 100.0, p.capital.to_string().c_str(), p.halt_drawdown * 100.0, p.windows,
              p.entry_price.to_string().c_str(), p.fee.rate_e6 == 0 ? "no" : "taker",
              static_cast<unsigned long long>(p.runs), static_cast<unsigned long long>(p.seed));
  std::printf("%-8s %-10s %-10s %-8s %-8s %-8s %-8s %-10s %-10s\n", "win", "P(floor)", "P(halt)", "dd p50", "dd p95",
              "dd p99", "dd max", "final p50", "final mean");
  for (const auto& r : rows) {
    std::printf("%-8.2f %-10.4f %-10.4f %-8.3f %-8.3f %-8.3f %-8.3f %-10.2f %-10.2f\n", r.win_rate, r.ruin_probability,
                r.halt_probability, r.dd_p50, r.dd_p95, r.dd_p99, r.dd_max, r.final_p50, r.final_mean);
  }
  if (!o.out.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(o.out, ec);
    std::ofstream f(std::filesystem::path(o.out) / "montecarlo.csv", std::ios::binary | std::ios::trunc);
    f << csv;
    if (ec || !f) {
      std::fprintf(stderr, "polybot montecarlo: --out %s: cannot write montecarlo.csv\n", o.out.c_str());
      return 1;
    }
  }
  return 0;
}

}  // namespace

void add_montecarlo_command(CLI::App& root, CliContext& ctx) {
  auto* cmd = root.add_subcommand("montecarlo", "Risk of ruin / drawdown distribution of a sizing policy ([--config F] [--runs N])");
  auto opts = std::make_shared<Options>();
  cmd->add_option("--config", opts->config, "TOML file with a [montecarlo] table (win_rates, windows, entry_price, "
                                            "capital, halt_drawdown, base, growth, cap, capital_fraction, ...)");
  cmd->add_option("--runs", opts->runs, "sessions simulated per win rate (default 10000)");
  cmd->add_option("--windows", opts->windows, "bets per session (default 18: the product's 90-minute session)");
  cmd->add_option("--seed", opts->seed, "random seed (default 42)");
  cmd->add_option("--out", opts->out, "directory for montecarlo.csv");
  cmd->callback([&ctx, opts] { ctx.exit_code = run(*opts); });
}

}  // namespace polybot::app
