// `polybot run --config FILE [--endpoints SIM/endpoints.toml] [--out DIR] [--duration S]`: live or paper trading. The config's [feed] table names
// the live feeds (Polymarket market channel with market roll-over, Binance, RTDS); the rest is the pipeline's
// ([threads.*], [strategies.*], [risk], [oms]). Pointed at `polybot sim` (its endpoints.toml) this is paper
// trading on loopback; pointed at the real endpoints with `[oms] mode = "clob"` it trades. Every stage is
// journaled into DIR/journal for `polybot replay --verify`. Runs until --duration elapses or SIGINT/SIGTERM.
#include <cstdio>
#include <map>
#include <memory>
#include <sstream>
#include <string>

#include <toml++/toml.h>

#include "app/cli.hpp"
#include "app/live/live_feed.hpp"
#include "app/pipeline/pipeline.hpp"
#include "app/pipeline/run_journal.hpp"
#include "core/clock.hpp"
#include "journal/journal_recorder.hpp"

namespace polybot::app {

namespace {

struct RunOptions {
  std::string config;
  std::string endpoints;
  std::string out;
  double duration_s = 0.0;
};

// The config with the simulator's endpoints (`polybot sim`'s endpoints.toml) written over the feed and oms URLs
// and trust, as TOML text: what runs is what the journal keeps.
Result<std::string, std::string> with_endpoints(const std::string& config_path, const std::string& endpoints_path) {
  toml::table cfg, ep;
  try {
    cfg = toml::parse_file(config_path);
  } catch (const toml::parse_error& e) {
    return Err{"--config \"" + config_path + "\": " + std::string(e.description())};
  }
  try {
    ep = toml::parse_file(endpoints_path);
  } catch (const toml::parse_error& e) {
    return Err{"--endpoints \"" + endpoints_path + "\": " + std::string(e.description())};
  }
  const auto need = [&](const char* key) -> Result<std::string, std::string> {
    const auto v = ep[key].value<std::string>();
    if (!v || v->empty()) return Err{"--endpoints \"" + endpoints_path + "\": " + key + " missing"};
    return *v;
  };
  const char* keys[] = {"ca_file", "market_ws_url", "gamma_url", "book_rest_url", "clob_rest_url", "user_ws_url",
                        "binance_ws_base", "binance_rest_base"};
  std::map<std::string, std::string> v;
  for (const char* k : keys) {
    auto x = need(k);
    if (!x) return Err{x.error()};
    v[k] = *x;
  }
  toml::table* feed = cfg["feed"].as_table();
  if (feed == nullptr) return Err{"--config \"" + config_path + "\": no [feed] table to point at the simulator"};
  feed->insert_or_assign("ca_file", v["ca_file"]);
  if (toml::table* pm = (*feed)["polymarket"].as_table()) {
    pm->insert_or_assign("url", v["market_ws_url"]);
    pm->insert_or_assign("gamma_url", v["gamma_url"]);
    pm->insert_or_assign("rest_url", v["book_rest_url"]);
  }
  if (toml::table* bn = (*feed)["binance"].as_table()) {
    bn->insert_or_assign("ws_base", v["binance_ws_base"]);
    bn->insert_or_assign("rest_base", v["binance_rest_base"]);
  }
  if (toml::table* cg = (*feed)["coingecko"].as_table()) {
    auto x = need("coingecko_base");
    if (!x) return Err{x.error()};
    cg->insert_or_assign("base_url", *x);
  }
  if (toml::table* oms = cfg["oms"].as_table()) {
    oms->insert_or_assign("rest_url", v["clob_rest_url"]);
    oms->insert_or_assign("ws_url", v["user_ws_url"]);
    oms->insert_or_assign("ca_file", v["ca_file"]);
  }
  std::ostringstream out;
  out << "# " << config_path << " with the endpoints of " << endpoints_path << "\n" << cfg << "\n";
  return out.str();
}

int run_live(const RunOptions& o) {
  Result<PipelineConfig, std::string> cfg = Err{std::string()};
  if (o.endpoints.empty()) {
    cfg = load_pipeline_config(o.config);
  } else {
    auto text = with_endpoints(o.config, o.endpoints);
    if (!text) {
      std::fprintf(stderr, "polybot run: %s\n", text.error().c_str());
      return 2;
    }
    cfg = parse_pipeline_config(*text, o.config, config_base_dir(o.config));
  }
  if (!cfg) {
    std::fprintf(stderr, "polybot run: %s\n", cfg.error().c_str());
    return 2;
  }
  if (!cfg->live) {
    std::fprintf(stderr, "polybot run: --config \"%s\": no [feed] table (the live feeds); recorded klines run with "
                         "`polybot demo --config`\n",
                 o.config.c_str());
    return 2;
  }
  cfg->feed.roll.log = [](std::string_view line) {
    std::fprintf(stderr, "polybot run: %.*s\n", static_cast<int>(line.size()), line.data());
  };
  std::unique_ptr<journal::JournalRecorder> recorder;
  std::unique_ptr<JournalRawSink> raw;
  if (!o.out.empty()) {
    auto rec = open_run_journal(o.out, cfg->text);
    if (!rec) {
      std::fprintf(stderr, "polybot run: %s\n", rec.error().c_str());
      return 2;
    }
    recorder = std::move(*rec);
    raw = std::make_unique<JournalRawSink>(*recorder);
  }
  Runner::install_signal_handlers();
  LiveClock clock;
  Pipeline pipeline(*cfg, {}, clock, recorder.get(), raw.get());
  if (!pipeline.error().empty()) {  // a feed endpoint or the clob oms could not be set up: names the field
    std::fprintf(stderr, "polybot run: %s\n", pipeline.error().c_str());
    return 2;
  }
  std::fprintf(stderr, "polybot run: running%s (Ctrl-C stops)\n",
               o.duration_s > 0 ? (" for " + std::to_string(o.duration_s) + " s").c_str() : "");
  const PipelineReport report = pipeline.run(o.duration_s);
  return finish_run(o.out, *cfg, report, recorder.get());
}

}  // namespace

void add_run_command(CLI::App& root, CliContext& ctx) {
  auto* cmd = root.add_subcommand("run", "Live or paper trading: the live feeds through the pipeline (--config FILE)");
  auto opts = std::make_shared<RunOptions>();
  cmd->add_option("--config", opts->config, "Pipeline TOML with a [feed] table (docs/RUN.md)")->required();
  cmd->add_option("--endpoints", opts->endpoints,
                  "`polybot sim`'s endpoints.toml: point the feeds and the oms at the simulator (paper trading)");
  cmd->add_option("--out", opts->out, "Directory for the journal and report");
  cmd->add_option("--duration", opts->duration_s, "Seconds to run (0 = until SIGINT/SIGTERM)")
      ->check(CLI::NonNegativeNumber);
  cmd->callback([&ctx, opts] { ctx.exit_code = run_live(*opts); });
}

}  // namespace polybot::app
