// `polybot backtest [--config FILE] [--strategy NAME]... --data DIR --out DIR`: the strategies' own code over
// recorded data with the backtest fill model (sim/backtest/, docs/BACKTEST.md). Without --config it runs the
// product's directional 5-minute profile.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "app/cli.hpp"
#include "signal/strategy_factory.hpp"
#include "sim/backtest/backtest.hpp"
#include "sim/backtest/report.hpp"

namespace polybot::app {

namespace {

// The product's directional 5-minute profile (PRODUCT.md §1): $100, $5 fixed stake until the risk stage's
// win-streak sizing lands, $70 drawdown floor (the strategy itself decides at most once per window). The
// Polymarket book of the recorded day is modelled with symmetric depth, so its imbalance carries no
// information: the imbalance rule is dropped.
constexpr const char* kDefaultProfile = R"(
[backtest]
strategies = ["directional"]
capital = "100"
stake = "5"
drawdown_floor = "70"

[strategies.directional]
imbalance_source = "none"
)";

struct Options {
  std::string config;
  std::vector<std::string> strategies;
  std::string data;
  std::string out;
  bool quiet = false;
  bool synthetic = false;
};

// A strategy's params: [strategies.<name>] (the pipeline's layout), [strategy.<name>], or a single [strategy]
// table whose `name` is this strategy (the demo layout).
const toml::table& strategy_table(const toml::table& root, const std::string& name) {
  static const toml::table kEmpty;
  if (const toml::table* t = root["strategies"][name].as_table()) return *t;
  const toml::table* s = root["strategy"].as_table();
  if (s == nullptr) return kEmpty;
  if (const toml::table* t = (*s)[name].as_table()) return *t;
  // A single [strategy] table naming this strategy (the run/demo config layout).
  if (auto n = (*s)["name"].value<std::string>(); n && *n == name) return *s;
  return kEmpty;
}

int run(const Options& o) {
  toml::table root;
  std::string config_name = "built-in directional 5-minute profile";
  try {
    root = o.config.empty() ? toml::parse(kDefaultProfile) : toml::parse_file(o.config);
  } catch (const toml::parse_error& e) {
    std::fprintf(stderr, "polybot backtest: --config %s: %s\n", o.config.c_str(), std::string(e.description()).c_str());
    return 2;
  }
  if (!o.config.empty()) config_name = o.config;
  auto cfg = sim::backtest::parse_backtest_config(root);
  if (!cfg) {
    std::fprintf(stderr, "polybot backtest: %s\n", cfg.error().c_str());
    return 2;
  }
  if (!o.strategies.empty()) cfg->strategies = o.strategies;
  if (o.synthetic) cfg->synthetic_windows = true;
  std::vector<std::unique_ptr<signal::Strategy>> strategies;
  for (const auto& name : cfg->strategies) {
    const toml::table& t = strategy_table(root, name);
    // "name" of a single [strategy] table selects the strategy; it is not a param.
    toml::table params = t;
    params.erase("name");
    auto s = signal::make_strategy(name, params, "strategies." + name + ".");
    if (!s) {
      std::fprintf(stderr, "polybot backtest: --strategy %s: %s (known: %s)\n", name.c_str(),
                   s.error().what().c_str(), signal::strategy_names());
      return 2;
    }
    strategies.push_back(std::move(*s));
  }
  auto data = sim::backtest::load_data(o.data);
  if (!data) {
    std::fprintf(stderr, "polybot backtest: --data %s: %s\n", o.data.c_str(), data.error().c_str());
    return 2;
  }
  sim::backtest::Backtest bt(*cfg, *data, std::move(strategies));
  auto res = bt.run();
  if (!res) {
    std::fprintf(stderr, "polybot backtest: --data %s: %s\n", o.data.c_str(), res.error().c_str());
    return 2;
  }
  sim::backtest::ReportInfo info{o.data, config_name, data->files, data->market_conflicts, data->kline_conflicts,
                                 data->chainlink.conflicts()};
  auto written = sim::backtest::write_report(*res, info, o.out);
  if (!written) {
    std::fprintf(stderr, "polybot backtest: %s\n", written.error().c_str());
    return 1;
  }
  if (!o.quiet) std::fputs(written->c_str(), stdout);
  return 0;
}

}  // namespace

void add_backtest_command(CLI::App& root, CliContext& ctx) {
  auto* cmd = root.add_subcommand(
      "backtest", "Strategies on recorded data with simulated fills ([--config F] [--strategy NAME] --data DIR --out DIR)");
  auto opts = std::make_shared<Options>();
  cmd->add_option("--config", opts->config, "TOML file with [backtest] and [strategies.<name>] tables (default: the "
                                            "product's directional 5-minute profile)");
  cmd->add_option("--strategy", opts->strategies,
                  std::string("strategy to run (repeatable; overrides backtest.strategies): ") + signal::strategy_names());
  cmd->add_option("--data", opts->data, "a data file or a directory searched recursively for market lists, Chainlink "
                                        "reports, Binance kline CSVs, hftbacktest captures and polybot journals "
                                        "(their feed stream: raw frames re-parsed, or the feed's messages)")
      ->required();
  cmd->add_option("--out", opts->out, "output directory (windows.csv, trades.csv, equity.csv, equity.svg, summary.txt, ...)")
      ->required();
  cmd->add_flag("--quiet", opts->quiet, "do not print the summary");
  cmd->add_flag("--synthetic-windows", opts->synthetic,
                "no market list: make 5-minute windows from Binance 1-minute klines, settled by a PROXY (last close >= "
                "first open on Binance), not Polymarket's Chainlink rule");
  cmd->callback([&ctx, opts] { ctx.exit_code = run(*opts); });
}

}  // namespace polybot::app
