// `polybot demo --out DIR` killed with SIGKILL at seeded random moments: the journal it leaves must verify
// without faults and replay with zero divergence (outputs of the last input may be missing; nothing else).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "app/pipeline/pipeline.hpp"
#include "journal/audit.hpp"
#include "journal/replay.hpp"
#include "tests/journal/temp_dir.hpp"

namespace polybot::journal {
namespace {

TEST(DemoJournal, SurvivesSigkillAtAnyMomentAndStillReplays) {
  const std::string polybot = std::string(POLYBOT_BINARY_DIR) + "/app/polybot";
  std::mt19937_64 rng(20261122);
  int killed_running = 0;
  for (int run = 0; run < 4; ++run) {
    testing::TempDir dir;
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      std::freopen("/dev/null", "w", stdout);
      // 3,000,000 simulated seconds per second = 50,000 klines/s: the run journals for about a second.
      ::execl(polybot.c_str(), "polybot", "demo", "--speed", "3000000", "--out", dir.path().c_str(),
              static_cast<char*>(nullptr));
      _exit(127);
    }
    // Kill at a random moment once the journal is being written (loading the klines comes first).
    const std::string first_segment = dir.path() + "/journal/oms.000000.seg";
    for (int i = 0; i < 5000 && !std::filesystem::exists(first_segment); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 900));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_FALSE(WIFEXITED(status) && WEXITSTATUS(status) == 127) << "could not run " << polybot;
    if (!WIFSIGNALED(status)) continue;  // finished before the kill: nothing to prove this round
    const std::string jdir = dir.path() + "/journal";
    if (list_streams(jdir).empty()) continue;  // killed before the journal was opened
    ++killed_running;
    const VerifyReport v = verify_journal(jdir);
    for (const auto& s : v.streams) {
      EXPECT_TRUE(s.faults.empty()) << "run " << run << " " << s.stream << ": " << s.faults.front();
    }
    std::ifstream in(jdir + "/pipeline.toml");
    ASSERT_TRUE(in) << "the config must be written before the run starts";
    std::stringstream ss;
    ss << in.rdbuf();
    auto cfg = app::parse_pipeline_config(ss.str(), "pipeline.toml", POLYBOT_SOURCE_DIR);
    ASSERT_TRUE(cfg) << cfg.error();
    for (Stage stage : {Stage::kSignal, Stage::kRisk, Stage::kOms}) {
      auto logic = app::make_stage_logic(stage, *cfg);
      const ReplayReport r = replay_verify(jdir, stage, *logic);
      EXPECT_TRUE(r.ok()) << "run " << run << ": " << (r.divergence ? r.divergence->describe() : r.error);
    }
  }
  std::printf("demo kill test: %d of 4 runs killed while journaling\n", killed_running);
  EXPECT_GT(killed_running, 0) << "no run was killed while journaling";
}

}  // namespace
}  // namespace polybot::journal
