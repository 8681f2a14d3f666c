#include "app/pipeline/pipeline.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/clock.hpp"

namespace polybot::app {
namespace {

PipelineConfig config_or_die(std::string text) {
  auto cfg = parse_pipeline_config(text, "test.toml", POLYBOT_SOURCE_DIR);
  EXPECT_TRUE(cfg) << (cfg ? "" : cfg.error());
  return cfg ? std::move(*cfg) : PipelineConfig{};
}

std::string base_config(const std::string& threads, std::size_t capacity = 65536) {
  return "[pipeline]\nchannel_capacity = " + std::to_string(capacity) + "\n" + threads +
         "[source]\nklines = [\"sim/data/klines/BTCUSDT_1m_2020-12-01_binance12.csv\"]\n"
         "[strategy]\nname = \"ema_cross\"\n[risk]\ncapital = \"1000000\"\n";
}

const std::string kTwoThreads =
    "[threads.io]\nagents = [\"feed\", \"signal\"]\nwait = \"block\"\n"
    "[threads.core]\nagents = [\"risk\", \"oms\"]\nwait = \"block\"\n";

PipelineReport run(const PipelineConfig& cfg) {
  auto rows = load_klines(cfg);
  EXPECT_TRUE(rows);
  LiveClock clock;
  Pipeline p(cfg, std::move(*rows), clock, nullptr);
  return p.run();
}

TEST(Pipeline, EveryKlineReachesSignalAndEveryIntentIsDecided) {
  const auto cfg = config_or_die(base_config(kTwoThreads));
  const auto r = run(cfg);
  EXPECT_EQ(r.klines, 1441u);
  EXPECT_EQ(r.signal.consumed, 1441u);
  EXPECT_GT(r.intents, 10u);
  EXPECT_EQ(r.risk.consumed, r.intents);
  EXPECT_EQ(r.approved + r.denied, r.intents);
  EXPECT_EQ(r.oms.consumed, r.approved);
  EXPECT_EQ(r.dropped, 0u);
  EXPECT_EQ(r.end_to_end.count(), r.approved);
}

TEST(Pipeline, ATinyChannelBackPressuresWithoutLosingOrChangingAnything) {
  const auto big = run(config_or_die(base_config(kTwoThreads)));
  const auto small = run(config_or_die(base_config(
      "[threads.a]\nagents = [\"feed\"]\nwait = \"yield\"\n[threads.b]\nagents = [\"signal\"]\nwait = \"yield\"\n"
      "[threads.c]\nagents = [\"risk\", \"oms\"]\nwait = \"spin\"\n",
      16)));
  EXPECT_EQ(small.klines, big.klines);
  EXPECT_EQ(small.intents, big.intents);
  EXPECT_EQ(small.approved, big.approved);
  EXPECT_EQ(small.oms.consumed, big.oms.consumed);
  EXPECT_EQ(small.dropped, 0u);
}

TEST(Pipeline, AllFourStagesCanShareOneThread) {
  const auto r = run(config_or_die(base_config("[threads.all]\nagents = [\"feed\", \"signal\", \"risk\", \"oms\"]\n")));
  EXPECT_EQ(r.signal.consumed, 1441u);
  EXPECT_EQ(r.oms.consumed, r.approved);
}

TEST(PipelineConfig, EmbeddedDefaultParsesAndPlacesEveryAgent) {
  auto cfg = default_pipeline_config();
  ASSERT_TRUE(cfg) << cfg.error();
  std::size_t agents = 0;
  for (const auto& t : cfg->threads) agents += t.agents.size();
  EXPECT_EQ(agents, 4u);
  EXPECT_EQ(cfg->kline_files.size(), 3u);
}

TEST(PipelineConfig, ShippedBareMetalConfigPinsOneStagePerCoreWithSpin) {
  auto cfg = load_pipeline_config(std::string(POLYBOT_SOURCE_DIR) + "/config/bare-metal.toml");
  if (!cfg && cfg.error().find("out of range") != std::string::npos) {
    GTEST_SKIP() << "this machine has fewer CPUs than bare-metal.toml pins: " << cfg.error();
  }
  ASSERT_TRUE(cfg) << cfg.error();
  ASSERT_EQ(cfg->threads.size(), 4u);
  for (const auto& t : cfg->threads) {
    EXPECT_EQ(t.agents.size(), 1u);
    EXPECT_GE(t.spec.cpu, 0);
    EXPECT_EQ(t.spec.wait.kind, WaitKind::kSpin);
  }
}

void expect_error(const std::string& text, const std::string& needle) {
  auto cfg = parse_pipeline_config(text, "test.toml", POLYBOT_SOURCE_DIR);
  ASSERT_FALSE(cfg) << "accepted: " << text;
  EXPECT_NE(cfg.error().find(needle), std::string::npos) << cfg.error();
}

TEST(PipelineConfig, RefusesBadValuesNamingTheKeyAndValue) {
  expect_error(base_config("[threads.io]\nagents = [\"feed\", \"signal\", \"risk\", \"oms\"]\nwait = \"fast\"\n"),
               "threads.io.wait = \"fast\"");
  expect_error(base_config("[threads.io]\nagents = [\"feed\", \"signal\", \"risk\"]\n"), "\"oms\" is not placed");
  expect_error(base_config("[threads.io]\nagents = [\"feed\", \"signal\", \"risk\", \"oms\", \"feed\"]\n"),
               "placed on two threads");
  expect_error(base_config("[threads.io]\nagents = [\"feed\", \"signal\", \"risk\", \"oms\", \"x\"]\n"),
               "threads.io.agents = \"x\"");
  expect_error(base_config("[threads.io]\nagents = [\"feed\", \"signal\", \"risk\", \"oms\"]\ncpu = 4096\n"),
               "threads.io.cpu = 4096");
  expect_error(base_config(kTwoThreads, 2), "pipeline.channel_capacity = 2");
  expect_error(base_config(kTwoThreads) + "[bogus]\n", "bogus");
  expect_error("[threads.io]\nagents = [\"feed\", \"signal\", \"risk\", \"oms\"]\n[source]\nklines = [\"nope.csv\"]\n",
               "source.klines = \"nope.csv\"");
  std::string bad_notional = base_config(kTwoThreads);
  bad_notional.replace(bad_notional.find("capital = \"1000000\""), 19, "capital = \"1,000\"");
  expect_error(bad_notional, "risk.capital = \"1,000\"");
  std::string bad_orders = base_config(kTwoThreads);
  bad_orders.replace(bad_orders.find("capital = \"1000000\""), 19, "capital = \"100\"\nmax_open_orders = 0");
  expect_error(bad_orders, "risk.max_open_orders = 0");
  expect_error("[threads\n", "test.toml:1");
}

}  // namespace
}  // namespace polybot::app
