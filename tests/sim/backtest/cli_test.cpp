// The real `polybot backtest` and `polybot montecarlo` binaries: README command over the repository's copy of
// the real day, byte-identical reruns, exit code 2 with the offending field named on bad input.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;
const std::string kPolybot = std::string(POLYBOT_BINARY_DIR) + "/app/polybot";
const std::string kData = std::string(POLYBOT_SOURCE_DIR) + "/tests/data/backtest";

struct Outcome {
  int code = -1;
  std::string out;
};

Outcome run(const std::string& args) {
  const std::string cmd = kPolybot + " " + args + " 2>&1";
  Outcome r;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  std::size_t n = 0;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int st = pclose(p);
  r.code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

fs::path out_dir(const char* name) {
  const fs::path p = fs::path(POLYBOT_BINARY_DIR) / "test-out" / "backtest-cli" / name;
  fs::remove_all(p);
  return p;
}

TEST(BacktestCli, DefaultProfileOnTheRealDayWritesEveryOutputTwiceIdentically) {
  const fs::path a = out_dir("a"), b = out_dir("b");
  const Outcome ra = run("backtest --data " + kData + " --out " + a.string());
  ASSERT_EQ(ra.code, 0) << ra.out;
  EXPECT_NE(ra.out.find("settled from Chainlink reports: 280, agreeing with Polymarket: 280, contradicting: 0"),
            std::string::npos)
      << ra.out;
  EXPECT_NE(ra.out.find("order book: MODELLED, not recorded"), std::string::npos);
  EXPECT_NE(ra.out.find("directional:"), std::string::npos);
  const Outcome rb = run("backtest --quiet --data " + kData + " --out " + b.string());
  ASSERT_EQ(rb.code, 0) << rb.out;
  EXPECT_TRUE(rb.out.empty());
  for (const char* f : {"windows.csv", "trades.csv", "decisions.csv", "equity.csv", "strategies.csv", "summary.txt",
                        "equity.svg"}) {
    const std::string x = slurp(a / f);
    ASSERT_FALSE(x.empty()) << f;
    EXPECT_EQ(x, slurp(b / f)) << f;
  }
  EXPECT_EQ(slurp(a / "windows.csv").substr(0, 47), "slug,start,end,strike,final,outcome,traded,pnl\n");
}

TEST(BacktestCli, SeveralStrategiesGetABreakdownEach) {
  const fs::path o = out_dir("multi");
  const Outcome r = run("backtest --quiet --strategy directional --strategy fair_value --data " + kData + " --out " + o.string());
  ASSERT_EQ(r.code, 0) << r.out;
  const std::string s = slurp(o / "strategies.csv");
  EXPECT_NE(s.find("\ndirectional,"), std::string::npos) << s;
  EXPECT_NE(s.find("\nfair_value,"), std::string::npos) << s;
}

TEST(BacktestCli, DemoJournalBacktestsByteIdenticallyToTheKlineFilesItReplayed) {
  // The README's journal example: the demo replays the real kline files and journals its feed; backtesting that
  // journal must give exactly what backtesting the files gives.
  const fs::path run_dir = out_dir("demo-run"), a = out_dir("from-journal"), b = out_dir("from-klines");
  const Outcome demo = run("demo --out " + run_dir.string());
  ASSERT_EQ(demo.code, 0) << demo.out;
  const Outcome ra = run("backtest --quiet --synthetic-windows --data " + (run_dir / "journal").string() + " --out " + a.string());
  ASSERT_EQ(ra.code, 0) << ra.out;
  const Outcome rb = run("backtest --quiet --synthetic-windows --data " + std::string(POLYBOT_SOURCE_DIR) +
                         "/sim/data/klines --out " + b.string());
  ASSERT_EQ(rb.code, 0) << rb.out;
  for (const char* f : {"windows.csv", "trades.csv", "decisions.csv", "equity.csv", "strategies.csv"}) {
    const std::string x = slurp(a / f);
    ASSERT_FALSE(x.empty()) << f;
    EXPECT_EQ(x, slurp(b / f)) << f;
  }
  EXPECT_NE(slurp(a / "summary.txt").find("journal: feed.000000.seg (52441 records"), std::string::npos);
}

TEST(BacktestCli, BadInputExitsTwoNamingTheField) {
  const fs::path o = out_dir("bad");
  Outcome r = run("backtest --data " + kData + "/nope --out " + o.string());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("nope"), std::string::npos) << r.out;
  r = run("backtest --strategy nosuch --data " + kData + " --out " + o.string());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("nosuch"), std::string::npos) << r.out;
  const fs::path cfg = o.parent_path() / "bad.toml";
  fs::create_directories(o.parent_path());
  std::ofstream(cfg) << "[backtest]\ntaker_delay_ms = -5\n";
  r = run("backtest --config " + cfg.string() + " --data " + kData + " --out " + o.string());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("backtest.taker_delay_ms"), std::string::npos) << r.out;
  r = run("backtest --out " + o.string());
  EXPECT_EQ(r.code, 2) << "--data is required";
  EXPECT_EQ(run("backtest --help").code, 0);
}

TEST(MonteCarloCli, SeededRunsAreIdenticalAndCoverFortyToSixtyPercent) {
  const fs::path a = out_dir("mc-a"), b = out_dir("mc-b");
  const Outcome ra = run("montecarlo --runs 500 --out " + a.string());
  ASSERT_EQ(ra.code, 0) << ra.out;
  ASSERT_EQ(run("montecarlo --runs 500 --out " + b.string()).code, 0);
  const std::string csv = slurp(a / "montecarlo.csv");
  EXPECT_EQ(csv, slurp(b / "montecarlo.csv"));
  for (const char* wr : {"\n0.4000,", "\n0.4500,", "\n0.5000,", "\n0.5500,", "\n0.6000,"}) {
    EXPECT_NE(csv.find(wr), std::string::npos) << wr;
  }
  EXPECT_EQ(run("montecarlo --runs 0").code, 2);
  EXPECT_EQ(run("montecarlo --help").code, 0);
}

}  // namespace
