// The whole foundation pipeline with the live oms: kline source -> signal -> risk -> oms(clob) -> venue simulator
// on loopback TLS. Orders are signed by the engine and verified (EIP-712 signature, L2 HMAC) by the venue. Also the
// [oms] section's validation (errors name the key and the value) and the journaling of the oms's venue inputs.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>

#include "app/pipeline/clob_oms_stage.hpp"
#include "app/pipeline/pipeline.hpp"
#include "journal/format.hpp"
#include "journal/journal_recorder.hpp"
#include "journal/stream_reader.hpp"
#include "oms/oms_input_recorder.hpp"
#include "oms/oms_logic.hpp"
#include "oms/replay/oms_replay.hpp"
#include "tests/oms/loopback_venue.hpp"

namespace polybot::app {
namespace {

namespace fs = std::filesystem;

fs::path temp_dir(const char* name) {
  const fs::path d = fs::temp_directory_path() / (std::string("polybot_") + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

PipelineConfig sim_config(std::size_t limit) {
  auto cfg = load_pipeline_config(std::string(POLYBOT_SOURCE_DIR) + "/config/sim-clob.toml");
  EXPECT_TRUE(cfg.has_value()) << (cfg ? "" : cfg.error());
  cfg->limit = limit;
  // The shipped pace (1,000 klines/s, ~35 orders/s): the signing thread refills the pre-signed order between
  // decisions, as it would live; at full speed a loaded machine could send every order before the first refill.
  cfg->rate = 1000;
  return std::move(*cfg);
}

TEST(PipelineClob, KlinesThroughSignalAndRiskBecomeOrdersTheVenueVerifiesAndAccepts) {
  PipelineConfig cfg = sim_config(1'500);
  auto rows = load_klines(cfg);
  ASSERT_TRUE(rows.has_value()) << rows.error();
  LiveClock clock;
  Pipeline p(cfg, std::move(*rows), clock, nullptr);
  ASSERT_TRUE(p.error().empty()) << p.error();
  const PipelineReport r = p.run();
  ASSERT_TRUE(r.clob);
  ASSERT_TRUE(r.clob_summary.simulator);
  const auto& o = r.clob_summary.oms;
  const auto& v = r.clob_summary.venue;
  EXPECT_GT(r.approved, 10u);
  EXPECT_EQ(r.oms.consumed, r.approved);  // every approved order reached the live oms
  EXPECT_EQ(o.submitted, r.approved);
  EXPECT_EQ(v.orders_received, o.submitted);  // every one went out, signed
  EXPECT_EQ(v.bad_signatures, 0u);
  EXPECT_EQ(v.auth_failures, 0u);
  EXPECT_GT(v.orders_accepted, 0u);
  EXPECT_EQ(o.accepted, v.orders_accepted);
  EXPECT_EQ(o.rejected, v.orders_rejected);  // FOK not filled once the simulated liquidity is gone
  EXPECT_EQ(o.fills, v.trades);
  EXPECT_EQ(o.refused, 0u);
  EXPECT_GE(o.presign_hits, 1u);  // [[oms.presign]]: the $5 FOK at 0.55 was waiting, signed, HMACs included
  EXPECT_EQ(o.presign_hits + o.signed_async, o.submitted);
  EXPECT_GE(r.clob_summary.gateway.l2_precomputed, o.presign_hits);
  EXPECT_GE(o.reconciliations, 1u);
  EXPECT_GE(r.clob_summary.gateway.heartbeats_sent, 1u);
  EXPECT_EQ(r.dropped, 0u);
}

TEST(PipelineClob, AgainstAnExternalVenueWithKeyFileCaFileAndCredentialsFromTheEnvironment) {
  oms::test::LoopbackVenue venue;
  const fs::path dir = temp_dir("clob_ext");
  venue.write_ca(dir / "ca.pem");
  {
    std::ofstream(dir / "key.hex") << oms::test::kHardhatKey << "\n";
  }
  ::chmod((dir / "key.hex").c_str(), 0600);
  ::setenv("POLYBOT_API_KEY", oms::test::kLbApiKey, 1);
  ::setenv("POLYBOT_API_SECRET", oms::test::kLbSecret, 1);
  ::setenv("POLYBOT_API_PASSPHRASE", oms::test::kLbPassphrase, 1);
  std::string text = embedded_default_config();
  text += "\n[oms]\nmode = \"clob\"\nrest_url = \"" + venue.rest_url() + "\"\nws_url = \"" + venue.ws_url() +
          "\"\nca_file = \"" + (dir / "ca.pem").string() + "\"\nsystem_trust = false\nkey_file = \"" +
          (dir / "key.hex").string() +
          "\"\napi_credentials = \"env\"\nheartbeat_interval_ms = 100\nheartbeat_grace_ms = 2000\n"
          "drain_timeout_ms = 2000\n[[oms.markets]]\ninstrument = 1\ntoken_id = \"" +
          oms::test::kLbToken + "\"\ncondition_id = \"" + oms::test::kLbCondition + "\"\ntick = \"0.01\"\n";
  auto cfg = parse_pipeline_config(text, "test.toml", POLYBOT_SOURCE_DIR);
  ASSERT_TRUE(cfg.has_value()) << cfg.error();
  cfg->limit = 1'200;
  cfg->extra_strategies.clear();
  auto rows = load_klines(*cfg);
  ASSERT_TRUE(rows.has_value());
  LiveClock clock;
  {
    Pipeline p(*cfg, std::move(*rows), clock, nullptr);
    ASSERT_TRUE(p.error().empty()) << p.error();
    const PipelineReport r = p.run();
    ASSERT_TRUE(r.clob);
    EXPECT_FALSE(r.clob_summary.simulator);
    EXPECT_GT(r.clob_summary.oms.submitted, 0u);
    EXPECT_EQ(venue.venue().stats().orders_received, r.clob_summary.oms.submitted);
    EXPECT_EQ(venue.venue().stats().bad_signatures, 0u);
    EXPECT_EQ(venue.venue().stats().auth_failures, 0u);
  }
  ::unsetenv("POLYBOT_API_KEY");
  ::unsetenv("POLYBOT_API_SECRET");
  ::unsetenv("POLYBOT_API_PASSPHRASE");
  fs::remove_all(dir);
}

TEST(PipelineClob, TheOmsVenueInputsAreJournaledAsRawRecordsOfTheOmsStream) {
  PipelineConfig cfg = sim_config(800);
  auto rows = load_klines(cfg);
  ASSERT_TRUE(rows.has_value());
  const fs::path dir = temp_dir("clob_journal");
  auto rec = journal::JournalRecorder::open(journal::RecorderOptions{(dir / "journal").string()});
  ASSERT_TRUE(rec.has_value());
  LiveClock clock;
  std::uint64_t approved = 0;
  {
    Pipeline p(cfg, std::move(*rows), clock, rec->get());
    ASSERT_TRUE(p.error().empty()) << p.error();
    approved = p.run().approved;
  }
  (*rec)->close();
  ASSERT_GT(approved, 0u);
  EXPECT_EQ((*rec)->failed(), 0u);
  journal::StreamReader reader((dir / "journal").string(), "oms");
  journal::RecordView v;
  std::uint64_t consumed = 0, by_kind[16] = {};
  while (reader.next(v) == journal::ReadStatus::kRecord) {
    if (v.type == journal::kTypeRawFrame) {
      ASSERT_GE(v.size, 3u);
      const auto k = static_cast<unsigned>(static_cast<unsigned char>(v.payload[0]));
      if (k < 16) ++by_kind[k];
    } else if ((v.flags & journal::record_flag::kConsumed) != 0) {
      ++consumed;
    }
  }
  EXPECT_EQ(consumed, approved);
  EXPECT_GE(by_kind[static_cast<int>(oms::OmsInputKind::kSignDone)], 1u);  // signatures back (orders, pre-signs)
  EXPECT_EQ(by_kind[static_cast<int>(oms::OmsInputKind::kOrderAnswer)], approved);  // every POST /order answer
  EXPECT_GE(by_kind[static_cast<int>(oms::OmsInputKind::kHeartbeat)], 1u);
  EXPECT_GE(by_kind[static_cast<int>(oms::OmsInputKind::kQueryAnswer)], 2u);  // start-up reconciliation
  EXPECT_GE(by_kind[static_cast<int>(oms::OmsInputKind::kUserFrame)], 1u);
  fs::remove_all(dir);
}

TEST(PipelineClob, ReplayReRunsTheLiveOmsFromItsJournalIdenticallyAndNamesAFlippedVenueAnswer) {
  PipelineConfig cfg = sim_config(800);
  auto rows = load_klines(cfg);
  ASSERT_TRUE(rows.has_value());
  const fs::path dir = temp_dir("clob_replay");
  const std::string jdir = (dir / "journal").string();
  auto rec = journal::JournalRecorder::open(journal::RecorderOptions{jdir});
  ASSERT_TRUE(rec.has_value());
  LiveClock clock;
  PipelineReport run;
  {
    Pipeline p(cfg, std::move(*rows), clock, rec->get());
    ASSERT_TRUE(p.error().empty()) << p.error();
    run = p.run();
  }
  (*rec)->close();
  ASSERT_GT(run.approved, 0u);
  ASSERT_TRUE(run.clob);

  // The live oms re-run over its journal: every input, signature, venue call and ExecReport identical.
  std::string fault;
  std::vector<oms::OmsRecord> records = read_oms_journal(jdir, &fault);
  ASSERT_TRUE(fault.empty()) << fault;
  const oms::OmsReplayReport r = oms::replay_oms(cfg.oms.clob, records, compare_journaled);
  ASSERT_TRUE(r.ok()) << (r.divergence ? r.divergence->what : r.error);
  std::printf("replayed: consumed %llu, produced %llu, venue inputs %llu, calls %llu, signed bodies %llu\n",
              static_cast<unsigned long long>(r.consumed), static_cast<unsigned long long>(r.produced),
              static_cast<unsigned long long>(r.venue_inputs), static_cast<unsigned long long>(r.calls),
              static_cast<unsigned long long>(r.signed_bodies));
  EXPECT_EQ(r.consumed, run.approved);
  EXPECT_EQ(r.produced, run.oms.produced);
  EXPECT_EQ(r.calls, run.clob_summary.oms.submitted + run.clob_summary.oms.resends +
                         3 * run.clob_summary.oms.reconciliations);  // orders + (open orders, trades, pUSD) per pass
  EXPECT_GE(r.signed_bodies, run.clob_summary.oms.submitted);
  EXPECT_GT(r.venue_inputs, run.approved);

  // One journaled venue answer flipped (accepted -> rejected): the replay names that record.
  std::size_t flip = records.size();
  for (std::size_t i = 0; i < records.size(); ++i) {
    oms::OrderAnswerHead h{};
    if (records[i].kind != oms::OmsRecord::Kind::kInput || records[i].input != oms::OmsInputKind::kOrderAnswer) continue;
    std::memcpy(&h, records[i].head.data(), sizeof h);
    if (h.answer.disposition != oms::Disposition::kOk) continue;
    h.answer.disposition = oms::Disposition::kRejected;
    h.answer.error = oms::VenueError::kNotEnoughBalance;
    std::memcpy(records[i].head.data(), &h, sizeof h);
    flip = i;
    break;
  }
  ASSERT_LT(flip, records.size());
  const oms::OmsReplayReport bad = oms::replay_oms(cfg.oms.clob, records, compare_journaled);
  ASSERT_TRUE(bad.divergence.has_value());
  // The first output after the flipped answer differs: the ExecReport that answer caused (kind Accepted vs
  // Rejected), named by its journal record.
  EXPECT_GT(bad.divergence->record_seq, records[flip].seq);
  EXPECT_NE(bad.divergence->what.find("field kind"), std::string::npos) << bad.divergence->what;
  EXPECT_NE(bad.divergence->what.find("order answer at record seq " + std::to_string(records[flip].seq)),
            std::string::npos)
      << bad.divergence->what;
  std::printf("flipped answer at record seq %llu: %s\n", static_cast<unsigned long long>(records[flip].seq),
              bad.divergence->what.c_str());

  // A changed signed body (what the oms would send) is caught at the venue call.
  records = read_oms_journal(jdir, &fault);
  for (auto& x : records) {
    if (x.kind == oms::OmsRecord::Kind::kInput && x.input == oms::OmsInputKind::kSent && x.body.size() > 40) {
      x.body[x.body.size() / 2] ^= 1;
      const oms::OmsReplayReport sent = oms::replay_oms(cfg.oms.clob, records, compare_journaled);
      ASSERT_TRUE(sent.divergence.has_value());
      EXPECT_EQ(sent.divergence->record_seq, x.seq);
      EXPECT_NE(sent.divergence->what.find("POST /order"), std::string::npos) << sent.divergence->what;
      std::printf("changed body: %s\n", sent.divergence->what.c_str());
      break;
    }
  }
  fs::remove_all(dir);
}

std::string parse_error(const std::string& oms_section) {
  const std::string text = std::string(embedded_default_config()) + "\n" + oms_section;
  auto cfg = parse_pipeline_config(text, "t.toml", POLYBOT_SOURCE_DIR);
  return cfg ? std::string() : cfg.error();
}

constexpr const char* kMarket =
    "[[oms.markets]]\ninstrument = 1\ntoken_id = \"123\"\ncondition_id = "
    "\"0xdd22472e552920b8438158ea7238bfadfa4f736aa4cee91a6b86c39ead110917\"\n";

TEST(OmsConfig, DefaultsToTheCountingOmsSoTheDemoIsUnchanged) {
  auto cfg = default_pipeline_config();
  ASSERT_TRUE(cfg.has_value()) << cfg.error();
  EXPECT_EQ(cfg->oms.mode, OmsMode::kCounting);
  EXPECT_EQ(make_stage_logic(Stage::kOms, *cfg) != nullptr, true);
}

TEST(OmsConfig, ErrorsNameTheKeyAndTheValue) {
  EXPECT_NE(parse_error("[oms]\nmode = \"live\"\n").find("oms.mode = \"live\""), std::string::npos);
  EXPECT_NE(parse_error("[oms]\nmode = \"clob\"\n").find("oms.markets"), std::string::npos);
  EXPECT_NE(parse_error("[oms]\nmode = \"clob\"\nrest_url = \"http://x\"\n" + std::string(kMarket))
                .find("oms.rest_url = \"http://x\""),
            std::string::npos);
  EXPECT_NE(parse_error("[oms]\nmode = \"clob\"\nkey_source = \"ephemeral\"\n" + std::string(kMarket))
                .find("oms.key_source = \"ephemeral\""),
            std::string::npos);
  EXPECT_NE(parse_error("[oms]\nmode = \"clob\"\nsignature_type = 2\n" + std::string(kMarket)).find("oms.funder"),
            std::string::npos);
  EXPECT_NE(parse_error("[oms]\nmode = \"clob\"\nheartbeat_interval_ms = 5000\nheartbeat_grace_ms = 1000\n" +
                        std::string(kMarket))
                .find("oms.heartbeat_grace_ms = 1000"),
            std::string::npos);
  EXPECT_NE(parse_error("[oms]\nmode = \"clob\"\n" + std::string(kMarket) + "tick = \"0.03\"\n")
                .find("oms.markets[0].tick = \"0.03\""),
            std::string::npos);
  EXPECT_NE(parse_error("[oms]\nmode = \"clob\"\n" + std::string(kMarket) + "colour = \"red\"\n")
                .find("oms.markets[0].colour"),
            std::string::npos);
  EXPECT_NE(parse_error("[oms]\nprivate_key = \"0xabc\"\n").find("oms.private_key"), std::string::npos);
  EXPECT_NE(parse_error("[oms]\nmode = \"clob\"\n" + std::string(kMarket) +
                        "[[oms.presign]]\nprices = [\"0.55\"]\namount = \"5\"\n")
                .find("oms.presign[0].order_type = \"GTC\""),
            std::string::npos);
  EXPECT_NE(parse_error("[oms]\nmode = \"clob\"\n" + std::string(kMarket) +
                        "[[oms.presign]]\nprices = [\"1.5\"]\nsize = \"5\"\n")
                .find("oms.presign[0].prices = \"1.5\""),
            std::string::npos);
  EXPECT_EQ(parse_error("[oms]\nmode = \"clob\"\n" + std::string(kMarket)), "");
}

TEST(OmsConfig, PresignAutoIsOnByDefaultAndItsKeysAreValidatedByName) {
  const std::string base = "[oms]\nmode = \"clob\"\n" + std::string(kMarket);
  auto def = parse_pipeline_config(std::string(embedded_default_config()) + "\n" + base, "t.toml", POLYBOT_SOURCE_DIR);
  ASSERT_TRUE(def.has_value()) << def.error();
  EXPECT_TRUE(def->oms.clob.oms.presign_auto.enabled);  // the live clob oms learns its targets unless told not to
  EXPECT_EQ(def->oms.clob.oms.presign_auto.neighbour_ticks, 1u);
  auto cfg = parse_pipeline_config(std::string(embedded_default_config()) + "\n" + base +
                                       "[oms.presign_auto]\nenabled = false\nneighbour_ticks = 2\nmax_targets = 40\n"
                                       "idle_s = 5\n",
                                   "t.toml", POLYBOT_SOURCE_DIR);
  ASSERT_TRUE(cfg.has_value()) << cfg.error();
  EXPECT_FALSE(cfg->oms.clob.oms.presign_auto.enabled);
  EXPECT_EQ(cfg->oms.clob.oms.presign_auto.neighbour_ticks, 2u);
  EXPECT_EQ(cfg->oms.clob.oms.presign_auto.max_targets, 40u);
  EXPECT_EQ(cfg->oms.clob.oms.presign_auto.idle_ms, 5'000);
  EXPECT_NE(parse_error(base + "[oms.presign_auto]\nmax_targets = 65\n").find("oms.presign_auto.max_targets = 65"),
            std::string::npos);
  EXPECT_NE(parse_error(base + "[oms.presign_auto]\nmax_targets = 0\n").find("oms.presign_auto.max_targets = 0"),
            std::string::npos);
  EXPECT_NE(parse_error(base + "[oms.presign_auto]\nidle_s = 0\n").find("oms.presign_auto.idle_s = 0"),
            std::string::npos);
  EXPECT_NE(parse_error(base + "[oms.presign_auto]\nneighbour_ticks = 9\n").find("oms.presign_auto.neighbour_ticks = 9"),
            std::string::npos);
  EXPECT_NE(parse_error(base + "[oms.presign_auto]\nenabled = \"yes\"\n").find("oms.presign_auto.enabled"),
            std::string::npos);
  EXPECT_NE(parse_error(base + "[oms.presign_auto]\nticks = 1\n").find("oms.presign_auto.ticks"), std::string::npos);
  EXPECT_NE(parse_error("[oms]\nmode = \"clob\"\npresign_auto = 3\n" + std::string(kMarket)).find("oms.presign_auto = 3"),
            std::string::npos);
}

TEST(OmsConfig, ReconcileTableSetsTheBalanceCheckAndNamesBadKeysAndValues) {
  const std::string base = "[oms]\nmode = \"clob\"\n" + std::string(kMarket);
  auto def = parse_pipeline_config(std::string(embedded_default_config()) + "\n" + base, "t.toml", POLYBOT_SOURCE_DIR);
  ASSERT_TRUE(def.has_value()) << def.error();
  EXPECT_EQ(def->oms.clob.oms.reconcile.balance_check, oms::BalanceCheck::kCollateral);  // the default
  auto cfg = parse_pipeline_config(std::string(embedded_default_config()) + "\n" + base +
                                       "[oms.reconcile]\nbalance_check = \"collateral_and_conditional\"\n"
                                       "balance_tolerance = 5000\nfee_rate_bps = 0\nin_doubt_max_ms = 60000\n"
                                       "retry_ms = 250\ntrades_lookback_s = 600\nbalance_interval_ms = 30000\n",
                                   "t.toml", POLYBOT_SOURCE_DIR);
  ASSERT_TRUE(cfg.has_value()) << cfg.error();
  const oms::OmsConfig& o = cfg->oms.clob.oms;
  EXPECT_EQ(o.reconcile.balance_check, oms::BalanceCheck::kCollateralAndConditional);
  EXPECT_EQ(o.reconcile.balance_tolerance, 5'000);
  EXPECT_EQ(o.reconcile.fee_rate_bps, 0);
  EXPECT_EQ(o.reconcile.in_doubt_max_ms, 60'000);
  EXPECT_EQ(o.reconcile_retry_ms, 250);
  EXPECT_EQ(o.trades_lookback_s, 600);
  EXPECT_EQ(o.reconcile.balance_interval_ms, 30'000);
  EXPECT_NE(parse_error(base + "[oms.reconcile]\nbalance_check = \"shares\"\n")
                .find("oms.reconcile.balance_check = \"shares\""),
            std::string::npos);
  EXPECT_NE(parse_error(base + "[oms.reconcile]\nbalance_tolerance = -1\n").find("oms.reconcile.balance_tolerance = -1"),
            std::string::npos);
  EXPECT_NE(parse_error(base + "[oms.reconcile]\nfee_rate_bps = 20000\n").find("oms.reconcile.fee_rate_bps = 20000"),
            std::string::npos);
  EXPECT_NE(parse_error(base + "[oms.reconcile]\nretry_ms = \"soon\"\n").find("oms.reconcile.retry_ms = \"soon\""),
            std::string::npos);
  EXPECT_NE(parse_error(base + "[oms.reconcile]\ntolerance = 1\n").find("oms.reconcile.tolerance"), std::string::npos);
}

TEST(OmsConfig, AKeyFileReadableByOthersIsRefusedNamingThePathNotTheKey) {
  const fs::path dir = temp_dir("clob_keyperm");
  {
    std::ofstream(dir / "key.hex") << oms::test::kHardhatKey << "\n";
  }
  ::chmod((dir / "key.hex").c_str(), 0644);
  auto cfg = parse_pipeline_config(std::string(embedded_default_config()) + "\n[oms]\nmode = \"clob\"\nkey_file = \"" +
                                       (dir / "key.hex").string() + "\"\n" + kMarket,
                                   "t.toml", POLYBOT_SOURCE_DIR);
  ASSERT_TRUE(cfg.has_value()) << cfg.error();
  auto rows = load_klines(*cfg);
  ASSERT_TRUE(rows.has_value());
  LiveClock clock;
  Pipeline p(*cfg, std::move(*rows), clock, nullptr);
  EXPECT_NE(p.error().find("oms.key_file"), std::string::npos) << p.error();
  EXPECT_NE(p.error().find((dir / "key.hex").string()), std::string::npos);
  EXPECT_EQ(p.error().find("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace polybot::app
