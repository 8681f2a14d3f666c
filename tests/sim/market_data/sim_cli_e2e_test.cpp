// `polybot sim` as a user runs it: the real binary serves market data, Gamma and the CLOB on loopback TLS and
// writes its CA and endpoints; `polybot record` pointed at those endpoints follows the simulator's BTC windows
// over verified TLS, and the recorded journal is backtest input. Bad options exit 2 naming the option.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "journal/audit.hpp"

#include "tests/support/polybot_cli.hpp"

namespace {

namespace fs = std::filesystem;
const std::string& kBin = test::kPolybot;
const std::string kAddress = "0x1111111111111111111111111111111111111111";

using test::run_polybot;

std::string value_of(const std::string& toml, const std::string& key) {
  std::istringstream in(toml);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key + " = \"", 0) == 0) {
      const auto a = line.find('"') + 1;
      return line.substr(a, line.rfind('"') - a);
    }
  }
  return {};
}

TEST(SimCli, RecordFollowsTheSimulatorsWindowsOverVerifiedTls) {
  const fs::path dir = fs::path(POLYBOT_BINARY_DIR) / "test-out" / "sim-cli";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const std::string out = (dir / "sim").string();
    execl(kBin.c_str(), kBin.c_str(), "sim", "--address", kAddress.c_str(), "--out", out.c_str(), "--duration", "60",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  const fs::path endpoints = dir / "sim" / "endpoints.toml";
  for (int i = 0; i < 300 && !fs::exists(endpoints); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the file is written in one go; let it close
  ASSERT_TRUE(fs::exists(endpoints));
  std::stringstream ss;
  ss << std::ifstream(endpoints).rdbuf();
  const std::string ep = ss.str();
  ASSERT_FALSE(value_of(ep, "market_ws_url").empty()) << ep;

  std::ofstream(dir / "record.toml") << "[record]\nduration_s = 2.0\nca_file = \"" << value_of(ep, "ca_file")
                                     << "\"\n[record.polymarket]\nurl = \"" << value_of(ep, "market_ws_url")
                                     << "\"\ngamma_url = \"" << value_of(ep, "gamma_url") << "\"\nrest_url = \""
                                     << value_of(ep, "book_rest_url") << "\"\nlookahead = 1\n";
  int code = 0;
  const std::string rec =
      run_polybot("record --config " + (dir / "record.toml").string() + " --out " + (dir / "rec").string(), code);
  EXPECT_EQ(code, 0) << rec;
  EXPECT_NE(rec.find("missed 0"), std::string::npos) << rec;
  std::uint64_t raw = 0;
  for (const auto& s : polybot::journal::journal_stats((dir / "rec" / "journal").string())) {
    if (s.stream == "feed") raw = s.raw_frames;
  }
  EXPECT_GE(raw, 4u) << rec;  // Gamma answers for the 5m and 15m windows and the books' initial dumps

  const std::string bt =
      run_polybot("backtest --quiet --data " + (dir / "rec" / "journal").string() + " --out " + (dir / "bt").string(), code);
  EXPECT_EQ(code, 0) << bt;
  std::stringstream w;
  w << std::ifstream(dir / "bt" / "windows.csv").rdbuf();
  EXPECT_NE(w.str().find("btc-updown-5m-"), std::string::npos) << w.str();

  kill(pid, SIGTERM);
  int st = 0;
  waitpid(pid, &st, 0);
  EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) << st;
}

TEST(SimCli, BadOptionsExitTwoNamingTheOption) {
  int code = 0;
  std::string out = run_polybot("sim --address 0x12 --out /tmp/polybot-sim-bad", code);
  EXPECT_EQ(code, 2);
  EXPECT_NE(out.find("--address"), std::string::npos) << out;
  out = run_polybot("sim --address " + kAddress + " --out /tmp/polybot-sim-bad --liquidity-price 1.5", code);
  EXPECT_EQ(code, 2);
  EXPECT_NE(out.find("--liquidity-price"), std::string::npos) << out;
  out = run_polybot("sim --address " + kAddress + " --out /tmp/polybot-sim-bad --data /nonexistent", code);
  EXPECT_EQ(code, 2);
  EXPECT_NE(out.find("--data"), std::string::npos) << out;
  EXPECT_EQ(run_polybot("sim --help", code).empty(), false);
  EXPECT_EQ(code, 0);
}

}  // namespace
