// Crash safety of the journal: a forked writer is killed with SIGKILL at seeded random moments, over and over,
// and every record the child reported as committed (reported only AFTER append() returned, i.e. after the
// commit marker was stored) must read back intact; nothing torn may ever be accepted. Runs continue in the same
// directory, so every run also exercises recovery of the previous crash.
// Size: POLYBOT_CRASH_KILLS (default 200, CI), POLYBOT_CRASH_SEED (default 20261122). scripts/crash-test runs
// 1,000 kills.
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <random>
#include <thread>
#include <vector>

#include "journal/segment_file.hpp"
#include "journal/stream_reader.hpp"
#include "journal/stream_writer.hpp"
#include "tests/journal/journal_test_util.hpp"
#include "tests/journal/temp_dir.hpp"

namespace polybot::journal {
namespace {

struct Shared {
  std::atomic<std::uint64_t> committed;  // highest seq whose append() returned kOk
  std::atomic<std::uint32_t> writing;    // the child has opened the writer
};

std::uint64_t env_u64(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::strtoull(v, nullptr, 10) : fallback;
}

WriterOptions crash_opts(const std::string& dir) {
  WriterOptions o;
  o.dir = dir;
  o.stream = "crash";
  o.segment_size = 128 * 1024;  // small, so kills land around segment rolls too
  o.helper_poll_us = 50;
  return o;
}

[[noreturn]] void child_main(const std::string& dir, Shared* shm) {
  auto w = StreamWriter::open(crash_opts(dir));
  if (!w) _exit(3);
  std::uint64_t seq = (*w)->recovery().last_seq;
  shm->committed.store(seq, std::memory_order_release);
  shm->writing.store(1, std::memory_order_release);
  std::vector<unsigned char> buf;
  for (int i = 0; i < 2'000'000; ++i) {
    ++seq;
    testing::fill_payload(seq, buf);
    if ((*w)->append(static_cast<std::uint16_t>(seq % 40), record_flag::kProduced, static_cast<std::int64_t>(seq),
                     buf.data(), static_cast<std::uint32_t>(buf.size())) != AppendStatus::kOk) {
      _exit(4);
    }
    shm->committed.store(seq, std::memory_order_release);
  }
  _exit(0);
}

struct Readback {
  std::uint64_t records = 0;
  EndState end = EndState::kUnknown;
  bool intact = true;
  std::string problem;
};

Readback read_back(const std::string& dir) {
  Readback rb;
  if (list_segments(dir, "crash").empty()) return rb;  // killed before the first segment existed
  StreamReader r(dir, "crash");
  RecordView v;
  ReadStatus s;
  while ((s = r.next(v)) == ReadStatus::kRecord) {
    ++rb.records;
    if (v.seq != rb.records || !testing::payload_matches(v.seq, v.payload, v.size) ||
        v.ts_ns != static_cast<std::int64_t>(v.seq) || v.type != v.seq % 40) {
      rb.intact = false;
      rb.problem = "record " + std::to_string(v.seq) + " does not match what was written";
      return rb;
    }
  }
  if (s != ReadStatus::kEnd) {
    rb.intact = false;
    rb.problem = r.fault().describe();
  }
  rb.end = r.end();
  return rb;
}

TEST(JournalCrash, EveryCommittedRecordSurvivesSigkillAtRandomMoments) {
  const std::uint64_t kills = env_u64("POLYBOT_CRASH_KILLS", 200);
  const std::uint64_t seed = env_u64("POLYBOT_CRASH_SEED", 20261122);
  std::mt19937_64 rng(seed);
  auto* shm = static_cast<Shared*>(
      ::mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
  ASSERT_NE(shm, MAP_FAILED);
  std::unique_ptr<testing::TempDir> dir;
  std::uint64_t expected_min = 0;  // records the journal must hold (all committed so far)
  std::uint64_t killed_mid_write = 0, recovered_uncommitted = 0;
  for (std::uint64_t run = 0; run < kills; ++run) {
    if (run % 10 == 0) {  // a fresh journal now and then bounds the read-back cost
      dir = std::make_unique<testing::TempDir>();
      expected_min = 0;
    }
    shm->committed.store(0);
    shm->writing.store(0);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) child_main(dir->path(), shm);
    // Most kills land while records are being appended; some during open and recovery.
    const bool early = rng() % 8 == 0;
    if (!early) {
      while (shm->writing.load(std::memory_order_acquire) == 0) {
        int st = 0;
        if (::waitpid(pid, &st, WNOHANG) == pid) FAIL() << "child exited early, status " << st << " run " << run;
        std::this_thread::yield();
      }
    }
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % (early ? 3000 : 4000)));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "run " << run << " status " << status;
    const std::uint64_t committed = shm->committed.load(std::memory_order_acquire);
    if (committed > expected_min) expected_min = committed;
    if (shm->writing.load() != 0) ++killed_mid_write;

    const Readback rb = read_back(dir->path());
    ASSERT_TRUE(rb.intact) << "seed " << seed << " run " << run << ": " << rb.problem;
    ASSERT_GE(rb.records, expected_min) << "seed " << seed << " run " << run << ": a committed record was lost";
    // At most one record may be visible beyond the last report (killed between commit and report).
    ASSERT_LE(rb.records, std::max(committed, expected_min) + 1) << "run " << run;
    expected_min = rb.records;
    if (rb.end == EndState::kUncommitted) ++recovered_uncommitted;
  }
  ::munmap(shm, sizeof(Shared));
  std::printf("crash test: %llu kills (seed %llu), %llu mid-write, %llu left uncommitted bytes\n",
              static_cast<unsigned long long>(kills), static_cast<unsigned long long>(seed),
              static_cast<unsigned long long>(killed_mid_write),
              static_cast<unsigned long long>(recovered_uncommitted));
  EXPECT_GT(killed_mid_write, kills / 2);
}

// Every single bit flipped anywhere in a closed journal is found by a full read (what `journal verify` does).
TEST(JournalCrash, EveryInjectedBitFlipInAClosedSegmentIsDetected) {
  testing::TempDir dir;
  {
    WriterOptions o = crash_opts(dir.path());
    o.segment_size = 16 * 1024;
    auto w = StreamWriter::open(o);
    ASSERT_TRUE(w);
    std::vector<unsigned char> buf;
    for (std::uint64_t s = 1; s <= 150; ++s) {
      testing::fill_payload(s, buf);
      ASSERT_EQ((*w)->append(static_cast<std::uint16_t>(s % 40), record_flag::kProduced,
                             static_cast<std::int64_t>(s), buf.data(), static_cast<std::uint32_t>(buf.size())),
                AppendStatus::kOk);
    }
  }
  const auto segs = list_segments(dir.path(), "crash");
  ASSERT_GE(segs.size(), 3u);
  ASSERT_TRUE(read_back(dir.path()).intact);
  std::mt19937_64 rng(env_u64("POLYBOT_CRASH_SEED", 20261122));
  const int flips = static_cast<int>(env_u64("POLYBOT_BITFLIPS", 300));
  for (int i = 0; i < flips; ++i) {
    const auto& seg = segs[rng() % segs.size()];
    const auto pristine = testing::read_file(seg.path);
    auto bad = pristine;
    const std::size_t byte = rng() % bad.size();
    const int bit = static_cast<int>(rng() % 8);
    bad[byte] ^= static_cast<unsigned char>(1u << bit);
    testing::write_file(seg.path, bad);
    const Readback rb = read_back(dir.path());
    testing::write_file(seg.path, pristine);
    ASSERT_FALSE(rb.intact && rb.records == 150) << "flip of bit " << bit << " at byte " << byte << " of "
                                                   << seg.path << " went unnoticed";
    ASSERT_TRUE(!rb.intact) << "flip at byte " << byte << " of " << seg.path
                            << " silently shortened the stream to " << rb.records;
  }
}

}  // namespace
}  // namespace polybot::journal
