// `polybot demo`: the main job on its embedded default. Until the venue simulator lands, it runs the foundation
// pipeline over real BTC klines and prints what went through each stage with latency percentiles.
#include <cstdio>
#include <memory>
#include <string>

#include "app/cli.hpp"
#include "app/pipeline/pipeline.hpp"
#include "app/pipeline/run_journal.hpp"
#include "core/clock.hpp"
#include "journal/journal_recorder.hpp"

namespace polybot::app {

namespace {

struct DemoOptions {
  std::string config;
  std::string out;
  int intervals = 0;
  double speed = 0.0;
};

int run_demo(const DemoOptions& o) {
  auto cfg = o.config.empty() ? default_pipeline_config() : load_pipeline_config(o.config);
  if (!cfg) {
    std::fprintf(stderr, "polybot demo: %s\n", cfg.error().c_str());
    return 2;
  }
  // One 5-minute interval is five 1-minute klines; speed is simulated seconds per real second.
  if (o.intervals > 0) cfg->limit = static_cast<std::size_t>(o.intervals) * 5;
  if (o.speed > 0.0) cfg->rate = o.speed / 60.0;
  auto rows = load_klines(*cfg);
  if (!rows) {
    std::fprintf(stderr, "polybot demo: %s\n", rows.error().c_str());
    return 2;
  }
  if (cfg->live) {
    std::fprintf(stderr, "polybot demo: the config has a [feed] table (live feeds): run it with `polybot run --config`\n");
    return 2;
  }
  // Journal every stage into DIR/journal/.
  std::unique_ptr<journal::JournalRecorder> recorder;
  if (!o.out.empty()) {
    auto rec = open_run_journal(o.out, cfg->text);
    if (!rec) {
      std::fprintf(stderr, "polybot demo: %s\n", rec.error().c_str());
      return 2;
    }
    recorder = std::move(*rec);
  }
  Runner::install_signal_handlers();
  LiveClock clock;
  std::fprintf(stdout, "clock: %s%s\n", clock.source() == LiveClock::Source::kTsc ? "TSC" : "clock_gettime",
               clock.source() == LiveClock::Source::kTsc
                   ? (" (" + std::to_string(clock.tsc_ghz()).substr(0, 5) + " GHz)").c_str()
                   : "");
  Pipeline pipeline(*cfg, std::move(*rows), clock, recorder.get());
  if (!pipeline.error().empty()) {  // the clob oms could not start (key, credentials, venue): names the field
    std::fprintf(stderr, "polybot demo: %s\n", pipeline.error().c_str());
    return 2;
  }
  const PipelineReport report = pipeline.run();
  return finish_run(o.out, *cfg, report, recorder.get());
}

}  // namespace

void add_demo_command(CLI::App& root, CliContext& ctx) {
  auto* cmd = root.add_subcommand("demo", "The main job on its embedded default: the pipeline over real BTC data");
  auto opts = std::make_shared<DemoOptions>();
  cmd->add_option("--intervals", opts->intervals, "Run only the first N five-minute intervals (N*5 klines)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--speed", opts->speed, "Replay speed: simulated seconds per real second (0 = as fast as possible)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--out", opts->out, "Directory for the run's report (and journal)");
  cmd->add_option("--config", opts->config, "Pipeline TOML (default: the embedded config/default.toml)");
  cmd->callback([&ctx, opts] { ctx.exit_code = run_demo(*opts); });
}

}  // namespace polybot::app
