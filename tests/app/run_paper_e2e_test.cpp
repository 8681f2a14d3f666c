// `polybot run` as a user runs paper trading: the real `polybot sim` binary serves the Polymarket market channel,
// Gamma, /book, Binance and the CLOB on loopback TLS; `polybot run --config config/paper.toml --endpoints ...`
// follows its BTC windows (MarketDefs for the 5m and 15m windows), warms its indicators from the REST kline
// back-fill and the kline stream, quotes through risk into the live oms, whose signed orders the simulator
// verifies and accepts; the journal then replays bit for bit through signal, risk and the live oms. Bad configs exit 2 naming
// the key.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>

#include "tests/support/polybot_cli.hpp"

namespace {

namespace fs = std::filesystem;
const std::string& kBin = test::kPolybot;
// The well-known Hardhat account #0 key: a test key that holds nothing anywhere.
const std::string kKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

using test::run_polybot;

using test::slurp;

// The first unsigned integer after `label` in `text` (-1 if absent).
long long number_after(const std::string& text, const std::string& label) {
  const auto at = text.find(label);
  if (at == std::string::npos) return -1;
  std::size_t i = at + label.size();
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  long long v = 0;
  bool any = false;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    v = v * 10 + (text[i] - '0');
    any = true;
  }
  return any ? v : -1;
}

// The count before `label` ("... 4 MarketDef").
long long number_before(const std::string& text, const std::string& label) {
  const std::regex re("([0-9]+) " + label);
  std::smatch m;
  return std::regex_search(text, m, re) ? std::stoll(m[1]) : -1;
}

class RunPaper : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(POLYBOT_BINARY_DIR) / "test-out" / "run-paper";
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::ofstream(dir_ / "paper.key") << kKey << "\n";
    ::chmod((dir_ / "paper.key").c_str(), 0600);
    int code = 0;
    address_ = run_polybot("auth address --key-file " + (dir_ / "paper.key").string(), code);
    while (!address_.empty() && (address_.back() == '\n' || address_.back() == '\r')) address_.pop_back();
    ASSERT_EQ(code, 0) << address_;
    ASSERT_EQ(address_, "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    // The shipped paper config with the key file written here.
    std::string cfg = slurp(fs::path(POLYBOT_SOURCE_DIR) / "config" / "paper.toml");
    const std::string from = "key_file = \"paper.key\"";
    const auto at = cfg.find(from);
    ASSERT_NE(at, std::string::npos);
    cfg.replace(at, from.size(), "key_file = \"" + (dir_ / "paper.key").string() + "\"");
    std::ofstream(dir_ / "paper.toml") << cfg;
  }
  void TearDown() override {
    if (sim_ > 0) {
      kill(sim_, SIGTERM);
      int st = 0;
      waitpid(sim_, &st, 0);
    }
  }
  void start_sim() {
    sim_ = fork();
    ASSERT_GE(sim_, 0);
    if (sim_ == 0) {
      const std::string out = (dir_ / "sim").string();
      execl(kBin.c_str(), kBin.c_str(), "sim", "--address", address_.c_str(), "--out", out.c_str(), "--duration",
            "120", static_cast<char*>(nullptr));
      _exit(127);
    }
    const fs::path endpoints = dir_ / "sim" / "endpoints.toml";
    for (int i = 0; i < 400 && !fs::exists(endpoints); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    ASSERT_TRUE(fs::exists(endpoints));
  }

  fs::path dir_;
  std::string address_;
  pid_t sim_ = 0;
};

TEST_F(RunPaper, FollowsTheSimulatorsWindowsAndTradesThroughTheLiveOms) {
  start_sim();
  int code = 0;
  const std::string out = run_polybot("run --config " + (dir_ / "paper.toml").string() + " --endpoints " +
                                          (dir_ / "sim" / "endpoints.toml").string() + " --out " +
                                          (dir_ / "run").string() + " --duration 12",
                                      code);
  ASSERT_EQ(code, 0) << out;
  ASSERT_NE(out.find("stages (consumed"), std::string::npos) << out;
  const std::string report = out.substr(out.find("stages (consumed"));  // the log lines above name windows too
  // Roll-over: the current and next window of both series found through Gamma, the current ones subscribed. A
  // run that straddles a 5-minute (and 15-minute) boundary also finds the window after next: up to 6.
  const long long found = number_after(report, "windows found");
  EXPECT_GE(found, 4) << out;
  EXPECT_LE(found, 6) << out;
  EXPECT_EQ(number_after(report, "missed"), 0) << out;
  EXPECT_GE(number_after(report, "subscribed"), 2) << out;
  // Every window found is announced to the oms (one found in the run's last poll may not be out yet).
  EXPECT_GE(number_before(report, "MarketDef"), 4) << out;
  EXPECT_LE(number_before(report, "MarketDef"), found) << out;
  EXPECT_GE(number_before(report, "BookTop"), 2) << out;
  // Indicators: 100 back-filled klines plus the stream's updates; Binance tops of book; no malformed frame.
  EXPECT_GE(number_before(report, "Kline"), 100) << out;
  EXPECT_GE(number_before(report, "BtcTick"), 5) << out;
  EXPECT_EQ(number_after(report, "parse errors"), 0) << out;
  // The CoinGecko sanity check asked the simulator at start-up and found it agreeing with the Binance mid.
  EXPECT_NE(report.find("CoinGecko check agrees"), std::string::npos) << out;
  EXPECT_GE(number_after(report, "CoinGecko check agrees:"), 1) << out;
  EXPECT_GE(number_before(report, "compared"), 1) << out;
  EXPECT_EQ(number_before(report, "diverged"), 0) << out;
  // The market maker's post-only bids go out signed; the simulator verifies and rests them.
  EXPECT_GE(number_after(report, "market_making place    500:"), 1) << out;
  EXPECT_GE(number_after(report, "submitted"), 1) << out;
  EXPECT_GE(number_after(report, "accepted"), 1) << out;
  EXPECT_EQ(number_after(report, "refused by the oms"), 0) << out;  // every token was known from its MarketDef
  EXPECT_EQ(number_after(report, "unknown"), 0) << out;
  EXPECT_EQ(number_after(report, "dropped"), 0) << out;
  // The oms's ExecReports flow back to risk, the book of record: every one consumed, none lost, and the capital
  // reserved for the quotes never goes below zero.
  {
    std::smatch m;
    ASSERT_TRUE(std::regex_search(report, m, std::regex("oms     [0-9]+ +inputs +-> ([0-9]+) ExecReport"))) << out;
    const long long produced = std::stoll(m[1]);
    EXPECT_GE(produced, 2) << out;  // at least the submission and the venue's answer
    EXPECT_EQ(number_after(report, "risk    book:"), produced) << out;
    EXPECT_EQ(number_after(report, "reports lost"), 0) << out;
    EXPECT_EQ(number_after(report, "refused to risk"), 0) << out;
    EXPECT_EQ(number_after(report, "stray ids"), 0) << out;
    EXPECT_EQ(number_after(report, "passed to signal"), produced) << out;  // and on to the strategies
    EXPECT_EQ(number_after(report, "(shed"), 0) << out;
    ASSERT_TRUE(std::regex_search(report, m, std::regex("lowest ([-0-9.]+)\\)"))) << out;
    EXPECT_NE(m[1].str().front(), '-') << out;
  }
  // The secret never reaches the output.
  EXPECT_EQ(out.find(kKey.substr(2)), std::string::npos);

  // Replay: every stage re-run from its journaled inputs gives the same outputs bit for bit — signal, risk, and
  // the live oms (its directory rebuilt from the journaled MarketDefs, venue answers from the journal).
  const std::string rp = run_polybot("replay " + (dir_ / "run").string() + " --verify", code);
  EXPECT_EQ(code, 0) << rp;
  EXPECT_NE(rp.find("signal  consumed"), std::string::npos) << rp;
  EXPECT_NE(rp.find("live venue stage re-run"), std::string::npos) << rp;
  EXPECT_NE(rp.find("zero divergence"), std::string::npos) << rp;
  // The journal holds the MarketDefs with the venue's token ids as decimal text.
  const std::string dump = run_polybot("journal dump " + (dir_ / "run" / "journal").string() + " --stream oms", code);
  EXPECT_EQ(code, 0);
  EXPECT_NE(dump.find("\"type\":\"market_def\""), std::string::npos);
  EXPECT_EQ(dump.find(kKey.substr(2)), std::string::npos);
}

TEST_F(RunPaper, RefusesBadConfigsNamingTheKey) {
  int code = 0;
  std::ofstream(dir_ / "bad1.toml") << slurp(dir_ / "paper.toml") << "\n[source]\nklines = [\"x.csv\"]\n";
  std::string out = run_polybot("run --config " + (dir_ / "bad1.toml").string(), code);
  EXPECT_EQ(code, 2) << out;
  EXPECT_NE(out.find("[source]"), std::string::npos) << out;

  std::string cfg = slurp(dir_ / "paper.toml");
  cfg.replace(cfg.find("lookahead = 1"), 13, "lookahead = 99");
  std::ofstream(dir_ / "bad2.toml") << cfg;
  out = run_polybot("run --config " + (dir_ / "bad2.toml").string(), code);
  EXPECT_EQ(code, 2) << out;
  EXPECT_NE(out.find("feed.polymarket.lookahead = 99"), std::string::npos) << out;

  cfg = slurp(dir_ / "paper.toml");
  cfg.replace(cfg.find("\"kline_1m\"]"), 11, "\"kline_5s\"]");
  std::ofstream(dir_ / "bad3.toml") << cfg;
  out = run_polybot("run --config " + (dir_ / "bad3.toml").string(), code);
  EXPECT_EQ(code, 2) << out;
  EXPECT_NE(out.find("feed.binance.streams = \"kline_5s\""), std::string::npos) << out;

  cfg = slurp(dir_ / "paper.toml");
  cfg.replace(cfg.find("plan = \"none\""), 13, "plan = \"demo\"");
  std::ofstream(dir_ / "bad4.toml") << cfg;
  ::unsetenv("POLYBOT_COINGECKO_API_KEY");
  out = run_polybot("run --config " + (dir_ / "bad4.toml").string(), code);
  EXPECT_EQ(code, 2) << out;
  EXPECT_NE(out.find("feed.coingecko.plan = \"demo\""), std::string::npos) << out;
  EXPECT_NE(out.find("POLYBOT_COINGECKO_API_KEY"), std::string::npos) << out;

  out = run_polybot("run --config " + (fs::path(POLYBOT_SOURCE_DIR) / "config" / "default.toml").string(), code);
  EXPECT_EQ(code, 2) << out;
  EXPECT_NE(out.find("no [feed]"), std::string::npos) << out;

  out = run_polybot("run --config " + (dir_ / "paper.toml").string() + " --endpoints " + (dir_ / "nope.toml").string(),
                    code);
  EXPECT_EQ(code, 2) << out;
  EXPECT_NE(out.find("--endpoints"), std::string::npos) << out;
}

}  // namespace
