// `polybot replay DIR [--verify] [--stage S]`: re-runs each stage's StageLogic (built from the pipeline config
// saved with the run) over the inputs it journaled, with the replay clock, and compares every produced record
// with the journaled one. The live oms (mode = "clob") is re-run by oms::replay_oms over its journaled venue
// inputs, checking every venue call it would make against the journaled one. With --verify, the first divergence
// is printed and the exit code is 1.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <toml++/toml.h>

#include "app/cli.hpp"
#include "app/pipeline/clob_oms_stage.hpp"
#include "app/pipeline/pipeline.hpp"
#include "journal/audit.hpp"
#include "journal/format.hpp"
#include "journal/message_fields.hpp"
#include "journal/replay.hpp"
#include "journal/stream_reader.hpp"

namespace polybot::app {
namespace {

struct ReplayOptions {
  std::string dir;
  std::string stage;
  bool verify = false;
};

// The run's pipeline config. Replay needs the strategy and risk parameters, not the kline files, so when the
// recorded kline paths do not resolve here they are pointed at the config file itself.
Result<PipelineConfig, std::string> load_run_config(const std::string& journal_dir) {
  std::string path = journal_dir + "/pipeline.toml";
  if (!std::filesystem::exists(path)) path = std::filesystem::path(journal_dir).parent_path().string() + "/pipeline.toml";
  std::ifstream in(path);
  if (!in) return Err{std::string("no pipeline.toml in ") + journal_dir + " or its parent (the run's config)"};
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  std::string last_error;
  for (const char* base : {".", POLYBOT_SOURCE_DIR}) {
    auto cfg = parse_pipeline_config(text, path, base);
    if (cfg) return cfg;
    last_error = cfg.error();
    if (last_error.find("source.klines") == std::string::npos) return cfg;
  }
  try {
    toml::table t = toml::parse(text);
    if (auto* src = t["source"].as_table()) {
      toml::array files;
      files.push_back(std::filesystem::absolute(path).string());
      src->insert_or_assign("klines", std::move(files));
    }
    std::stringstream patched;
    patched << t;
    return parse_pipeline_config(patched.str(), path, ".");
  } catch (const toml::parse_error& e) {
    return Err{path + ": " + std::string(e.description())};
  }
}

// Whether the stage's stream holds a consumed message of type `t`.
bool consumed_any(const std::string& dir, Stage stage, MsgType t) {
  journal::StreamReader reader(dir, journal::stage_name(stage));
  journal::RecordView v;
  while (reader.next(v) == journal::ReadStatus::kRecord) {
    if ((v.flags & journal::record_flag::kConsumed) != 0 && v.type == static_cast<std::uint16_t>(t)) return true;
  }
  return false;
}

// The live oms stage: re-run by oms::replay_oms over its whole stream (app/pipeline/clob_oms_stage.hpp).
bool replay_live_oms(const std::string& dir, const PipelineConfig& cfg) {
  const char* name = journal::stage_name(Stage::kOms);
  std::string fault;
  const oms::OmsReplayReport r = replay_clob_oms(dir, cfg.oms.clob, &fault);
  std::fprintf(stdout,
               "%-7s live venue stage re-run: consumed %llu, produced %llu compared, venue inputs %llu, venue calls "
               "%llu checked, signed bodies %llu",
               name, static_cast<unsigned long long>(r.consumed), static_cast<unsigned long long>(r.produced),
               static_cast<unsigned long long>(r.venue_inputs), static_cast<unsigned long long>(r.calls),
               static_cast<unsigned long long>(r.signed_bodies));
  if (r.ok() && fault.empty()) {
    std::fprintf(stdout, ": identical\n");
    return true;
  }
  std::fprintf(stdout, ": DIVERGED\n");
  if (r.divergence) {
    std::fprintf(stdout, "  first divergence: stream %s, record seq %llu: %s\n", name,
                 static_cast<unsigned long long>(r.divergence->record_seq), r.divergence->what.c_str());
  }
  if (!r.error.empty()) std::fprintf(stdout, "  cannot replay: %s\n", r.error.c_str());
  if (!fault.empty()) std::fprintf(stdout, "  journal fault: %s\n", fault.c_str());
  return false;
}

int run_replay(const ReplayOptions& o) {
  const std::string dir = journal::resolve_journal_dir(o.dir);
  if (journal::list_streams(dir).empty()) {
    std::fprintf(stderr, "polybot replay: DIR \"%s\": no journal streams (*.seg) in it or in its journal/\n",
                 o.dir.c_str());
    return 2;
  }
  Stage only = Stage::kCount;
  if (!o.stage.empty() && !journal::parse_stage(o.stage, only)) {
    std::fprintf(stderr, "polybot replay: --stage \"%s\": want feed, signal, risk or oms\n", o.stage.c_str());
    return 2;
  }
  auto cfg = load_run_config(dir);
  if (!cfg) {
    std::fprintf(stderr, "polybot replay: %s\n", cfg.error().c_str());
    return 2;
  }
  bool all_ok = true;
  for (int i = 0; i < static_cast<int>(Stage::kCount); ++i) {
    const auto stage = static_cast<Stage>(i);
    if (only != Stage::kCount && stage != only) continue;
    const char* name = journal::stage_name(stage);
    if (stage == Stage::kOms && cfg->oms.mode == OmsMode::kClob) {
      all_ok = replay_live_oms(dir, *cfg) && all_ok;
      continue;
    }
    auto logic = make_stage_logic(stage, *cfg);
    if (!logic) {
      // A source stage consumes nothing; its stream is checked as a journal (and its outputs are the next
      // stage's journaled inputs, which that stage's replay consumes).
      const auto v = journal::verify_journal(dir);
      bool ok = true;
      for (const auto& s : v.streams) {
        if (s.stream == name) ok = s.faults.empty();
      }
      std::fprintf(stdout, "%-7s source stage: nothing to re-run; stream %s\n", name, ok ? "verified" : "HAS FAULTS");
      all_ok = all_ok && ok;
      continue;
    }
    const journal::ReplayReport r = journal::replay_verify(dir, stage, *logic);
    std::fprintf(stdout, "%-7s consumed %llu, produced %llu compared", name,
                 static_cast<unsigned long long>(r.consumed), static_cast<unsigned long long>(r.produced));
    if (r.unjournaled_tail > 0) {
      std::fprintf(stdout, " (+%llu outputs of the last input never journaled: run was killed)",
                   static_cast<unsigned long long>(r.unjournaled_tail));
    }
    if (r.ok()) {
      std::fprintf(stdout, ": identical\n");
      continue;
    }
    all_ok = false;
    std::fprintf(stdout, ": DIVERGED\n");
    if (r.divergence) std::fprintf(stdout, "  %s\n", r.divergence->describe().c_str());
    if (!r.error.empty()) std::fprintf(stdout, "  journal fault: %s\n", r.error.c_str());
    if (stage == Stage::kRisk && cfg->oms.mode == OmsMode::kClob && !consumed_any(dir, stage, MsgType::kExecReport)) {
      // Since 2026-11-22 risk consumes the live oms's ExecReports and passes cancel intents on (docs/RISK.md).
      std::fprintf(stdout,
                   "  note: this risk stream holds no ExecReport: it was written before risk consumed the oms's "
                   "reports and sent cancels, so today's risk cannot reproduce it (replay it with a polybot from "
                   "before that change)\n");
    }
  }
  std::fprintf(stdout, "%s\n", all_ok ? "replay: zero divergence" : "replay: DIVERGENCE");
  return (o.verify && !all_ok) ? 1 : 0;
}

}  // namespace

void add_replay_command(CLI::App& root, CliContext& ctx) {
  auto* cmd = root.add_subcommand("replay", "Deterministic replay and audit of a journal (JOURNAL_DIR [--verify] [--stage S])");
  auto o = std::make_shared<ReplayOptions>();
  cmd->add_option("DIR", o->dir, "Run directory (with journal/) or the journal directory")->required();
  cmd->add_flag("--verify", o->verify, "Exit 1 on the first difference between replayed and journaled outputs");
  cmd->add_option("--stage", o->stage, "Only this stage (feed, signal, risk, oms)");
  cmd->callback([&ctx, o] { ctx.exit_code = run_replay(*o); });
}

}  // namespace polybot::app
