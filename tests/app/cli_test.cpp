// Runs the real `polybot` binary: the subcommand table, --help everywhere, the demo end to end, exit codes.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace {

struct RunResult {
  int code;
  std::string out;
};

RunResult polybot(const std::string& args) {
  const std::string cmd = std::string(POLYBOT_BINARY_DIR) + "/app/polybot " + args + " 2>&1";
  RunResult r{-1, {}};
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

const char* kSubcommands[] = {"demo", "run", "sim", "replay", "journal", "record", "backtest",
                              "indicators", "book", "order", "auth", "montecarlo"};

TEST(Cli, HelpListsEverySubcommand) {
  const RunResult r = polybot("--help");
  EXPECT_EQ(r.code, 0);
  for (const char* s : kSubcommands) EXPECT_NE(r.out.find(std::string("  ") + s), std::string::npos) << s;
}

TEST(Cli, EverySubcommandHasHelp) {
  for (const char* s : kSubcommands) {
    const RunResult r = polybot(std::string(s) + " --help");
    EXPECT_EQ(r.code, 0) << s << ": " << r.out;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << s;
  }
}

TEST(Cli, NoSubcommandIsBadUsage) { EXPECT_EQ(polybot("").code, 2); }

TEST(Cli, DemoRunsThePipelineOnRealKlines) {
  const RunResult r = polybot("demo --intervals 200");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("feed    klines read            -> 1000 Kline"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("end to end"), std::string::npos);
  EXPECT_NE(r.out.find("p99.9="), std::string::npos);
}

TEST(Cli, DemoRefusesABadConfigNamingTheKey) {
  const std::string path = std::string(POLYBOT_BINARY_DIR) + "/bad_demo.toml";
  FILE* f = std::fopen(path.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fputs("[threads.io]\nagents = [\"feed\", \"signal\", \"risk\", \"oms\"]\nwait = \"sometimes\"\n", f);
  std::fclose(f);
  const RunResult r = polybot("demo --config " + path);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("threads.io.wait = \"sometimes\""), std::string::npos) << r.out;
}

}  // namespace
