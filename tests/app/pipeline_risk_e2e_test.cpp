// The ExecReport loop into risk, end to end: kline source -> signal -> risk -> the live CLOB oms -> the venue
// simulator on loopback TLS, with the oms's reports flowing back to risk. With 20 pUSD of capital and 5 pUSD FOK
// orders, and liquidity for about two of them, every FOK the venue kills gives its reservation back, so risk keeps
// approving far beyond capital / notional (4) — without the loop it stops at 4, shown by re-running the journaled
// intents alone. Risk passes the reports on to signal. The book balances, never goes below zero, and signal, risk
// and the live oms replay identically (in process and through `polybot demo` + `polybot replay --verify`).
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "app/pipeline/clob_oms_stage.hpp"
#include "app/pipeline/pipeline.hpp"
#include "journal/format.hpp"
#include "journal/journal_recorder.hpp"
#include "journal/replay.hpp"
#include "journal/stream_reader.hpp"
#include "tests/support/polybot_cli.hpp"

namespace polybot::app {
namespace {

namespace fs = std::filesystem;

fs::path temp_dir(const char* name) {
  const fs::path d = fs::temp_directory_path() / (std::string("polybot_") + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

void replace(std::string& text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
}

// config/sim-clob.toml with little capital, little liquidity and 2,000 klines (two seconds at the shipped pace).
std::string small_capital_config() {
  std::string text = test::slurp(fs::path(POLYBOT_SOURCE_DIR) / "config" / "sim-clob.toml");
  replace(text, "capital = \"100000\"", "capital = \"20\"");
  replace(text, "liquidity_size = \"1500\"", "liquidity_size = \"20\"");
  replace(text, "limit = 6000", "limit = 2000");
  replace(text, "\"sim/data/klines/", "\"" + std::string(POLYBOT_SOURCE_DIR) + "/sim/data/klines/");
  return text;
}

TEST(PipelineRisk, ReportsFromTheLiveOmsReleaseCapitalSoApprovalsContinueAndTheJournalReplays) {
  auto cfg = parse_pipeline_config(small_capital_config(), "small.toml", POLYBOT_SOURCE_DIR);
  ASSERT_TRUE(cfg.has_value()) << cfg.error();
  ASSERT_EQ(cfg->risk.capital, Usdc::from_units(20));
  ASSERT_EQ(cfg->ema.notional, Usdc::from_units(5));
  auto rows = load_klines(*cfg);
  ASSERT_TRUE(rows.has_value()) << rows.error();
  const fs::path dir = temp_dir("risk_loop");
  const std::string jdir = (dir / "journal").string();
  auto rec = journal::JournalRecorder::open(journal::RecorderOptions{jdir});
  ASSERT_TRUE(rec.has_value());
  LiveClock clock;
  PipelineReport r;
  {
    Pipeline p(*cfg, std::move(*rows), clock, rec->get());
    ASSERT_TRUE(p.error().empty()) << p.error();
    r = p.run();
  }
  (*rec)->close();
  ASSERT_EQ((*rec)->failed(), 0u);
  ASSERT_TRUE(r.clob);
  const RiskBook& b = r.book;
  const auto& k = b.counters;
  std::printf("approved %llu, denied %llu, reports %llu, fills %llu, closed %llu, released %s, available %s "
              "(lowest %s), in positions %s\n",
              static_cast<unsigned long long>(r.approved), static_cast<unsigned long long>(r.denied),
              static_cast<unsigned long long>(k.reports), static_cast<unsigned long long>(k.fills),
              static_cast<unsigned long long>(k.closed),
              Usdc::from_raw(static_cast<std::int64_t>(k.released_raw)).to_string().c_str(),
              b.available.to_string().c_str(), b.min_available.to_string().c_str(), b.position_cost.to_string().c_str());

  // Every report the oms emitted reached risk, and every one of risk's orders is accounted for.
  EXPECT_EQ(k.reports, r.oms.produced);
  EXPECT_EQ(r.risk.consumed, r.signal.produced + k.reports);
  EXPECT_EQ(b.reports_refused, 0u);
  EXPECT_EQ(k.lost_reports, 0u);
  EXPECT_EQ(k.unknown_reports, 0u);
  EXPECT_EQ(k.closed + b.open_orders, r.approved);
  EXPECT_GE(k.fills, 1u);                                   // the liquidity filled the first FOK(s)
  EXPECT_GE(r.clob_summary.oms.rejected, 5u);               // then the venue killed the rest
  EXPECT_GT(k.released_raw, 0u);
  // Approvals continue far beyond capital / notional = 4.
  EXPECT_GT(r.approved, 8u);
  EXPECT_EQ(r.dropped, 0u);
  // The book balances and never lends.
  EXPECT_GE(b.min_available.raw, 0);
  EXPECT_EQ((b.available + b.reserved + b.position_cost).raw, (cfg->risk.capital + b.realized_pnl).raw);
  EXPECT_GT(b.position_cost.raw, 0);
  // Risk passed the reports on to signal (a drop-when-full channel: nothing shed at this pace).
  EXPECT_EQ(r.risk.shed, 0u);
  EXPECT_GT(r.signal.consumed, r.klines);
  EXPECT_LE(r.signal.consumed, r.klines + k.reports);

  // Replay: signal and risk re-run from their journaled inputs (risk's include the ExecReports, in the order it
  // consumed them) and the live oms from its venue inputs, all identical.
  for (Stage s : {Stage::kSignal, Stage::kRisk}) {
    auto logic = make_stage_logic(s, *cfg);
    ASSERT_NE(logic, nullptr);
    const journal::ReplayReport rr = journal::replay_verify(jdir, s, *logic);
    EXPECT_TRUE(rr.ok()) << static_cast<int>(s) << ": " << (rr.divergence ? rr.divergence->describe() : rr.error);
    if (s == Stage::kRisk) {
      EXPECT_EQ(rr.consumed, r.risk.consumed);
    }
  }
  std::string fault;
  const oms::OmsReplayReport orr = replay_clob_oms(jdir, cfg->oms.clob, &fault);
  EXPECT_TRUE(orr.ok() && fault.empty()) << (orr.divergence ? orr.divergence->what : orr.error) << fault;

  // Without the loop (the same journaled intents, no reports) risk would have stopped at capital / notional.
  oms::risk::RiskLogic blind(cfg->risk);
  struct Sink final : Emitter {
    bool emit(Envelope&) noexcept override { return true; }
  } sink;
  ManualClock frozen;
  journal::StreamReader reader(jdir, "risk");
  journal::RecordView v;
  std::uint64_t intents = 0;
  while (reader.next(v) == journal::ReadStatus::kRecord) {
    if ((v.flags & journal::record_flag::kConsumed) == 0 || v.type != static_cast<std::uint16_t>(MsgType::kIntent)) {
      continue;
    }
    Envelope e;
    std::memcpy(static_cast<void*>(&e), v.payload, v.size);
    blind.on_input(e, frozen, sink);
    ++intents;
  }
  EXPECT_GT(intents, 8u);
  EXPECT_EQ(blind.approved(), 4u);

  // Signal's journal holds the reports it consumed, interleaved with the klines (what its replay re-ran above).
  journal::StreamReader sig(jdir, "signal");
  std::uint64_t signal_reports = 0;
  while (sig.next(v) == journal::ReadStatus::kRecord) {
    if ((v.flags & journal::record_flag::kConsumed) != 0 && v.type == static_cast<std::uint16_t>(MsgType::kExecReport)) {
      ++signal_reports;
    }
  }
  EXPECT_EQ(signal_reports, r.signal.consumed - r.klines);
  fs::remove_all(dir);
}

TEST(PipelineRisk, DemoWithTheLiveOmsPrintsTheBookAndReplayVerifiesEveryStage) {
  const fs::path dir = temp_dir("risk_demo");
  std::ofstream(dir / "small.toml") << small_capital_config();
  int code = 0;
  const std::string out =
      test::run_polybot("demo --config " + (dir / "small.toml").string() + " --out " + (dir / "run").string(), code);
  ASSERT_EQ(code, 0) << out;
  const std::string report = test::slurp(dir / "run" / "report.txt");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(report, m, std::regex("oms     [0-9]+ +OrderRequest -> ([0-9]+) ExecReport"))) << report;
  const std::string produced = m[1];
  ASSERT_TRUE(std::regex_search(report, m, std::regex("risk    book: ([0-9]+) ExecReport"))) << report;
  EXPECT_EQ(m[1], produced) << report;  // risk consumed every report the oms produced
  EXPECT_NE(report.find("reports lost 0, refused to risk 0"), std::string::npos) << report;
  EXPECT_NE(report.find("stray ids 0"), std::string::npos) << report;
  EXPECT_NE(report.find("(shed 0)"), std::string::npos) << report;
  ASSERT_TRUE(std::regex_search(report, m, std::regex("lowest ([-0-9.]+)\\)"))) << report;
  EXPECT_NE(m[1].str().front(), '-') << report;
  ASSERT_TRUE(std::regex_search(report, m, std::regex("-> ([0-9]+) OrderRequest"))) << report;
  EXPECT_GT(std::stoll(m[1]), 8) << report;

  const std::string rp = test::run_polybot("replay " + (dir / "run").string() + " --verify", code);
  EXPECT_EQ(code, 0) << rp;
  EXPECT_NE(rp.find("signal  consumed"), std::string::npos) << rp;
  EXPECT_TRUE(std::regex_search(rp, std::regex("risk    consumed [0-9]+, produced [0-9]+ compared: identical"))) << rp;
  EXPECT_NE(rp.find("live venue stage re-run"), std::string::npos) << rp;
  EXPECT_NE(rp.find("zero divergence"), std::string::npos) << rp;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace polybot::app
