#include "journal/journal_recorder.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <new>
#include <vector>

#include "journal/stream_reader.hpp"
#include "tests/journal/journal_test_util.hpp"
#include "tests/journal/temp_dir.hpp"

// Counts allocations made by the calling thread only (the writer's helper thread allocates, by design, when it
// prepares segments).
namespace {
thread_local std::uint64_t t_allocations = 0;
}
void* operator new(std::size_t n) {
  ++t_allocations;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace polybot::journal {
namespace {

TEST(JournalRecorder, RecordsEveryStageWithoutAllocatingOnTheStageThread) {
  testing::TempDir dir;
  auto rec = JournalRecorder::open(RecorderOptions{dir.path(), 64 * 1024, {}, 100});
  ASSERT_TRUE(rec);
  Kline k;
  k.hdr.type = MsgType::kKline;
  Envelope e = Envelope::of(k);
  const std::uint64_t before = t_allocations;
  for (int i = 1; i <= 20000; ++i) {  // ~20 segment rolls per stream
    e.hdr.seq = static_cast<std::uint64_t>(i);
    (*rec)->on_produced(Stage::kFeed, e);
    (*rec)->on_consumed(Stage::kSignal, e);
  }
  EXPECT_EQ(t_allocations - before, 0u);
  (*rec)->close();
  EXPECT_EQ((*rec)->failed(), 0u);
  for (const char* stream : {"feed", "signal"}) {
    StreamReader r(dir.path(), stream);
    RecordView v;
    std::uint64_t n = 0;
    while (r.next(v) == ReadStatus::kRecord) {
      ++n;
      EXPECT_EQ(v.type, static_cast<std::uint16_t>(MsgType::kKline));
      EXPECT_EQ(v.size, sizeof(Kline));
    }
    EXPECT_EQ(n, 20000u) << stream;
    EXPECT_EQ(r.end(), EndState::kClosed);
  }
}

// A second process follows the stream while this one writes it (the mapping is shared through the page cache).
TEST(StreamTailer, FollowsAStreamWrittenByAnotherProcess) {
  testing::TempDir dir;
  constexpr std::uint64_t kCount = 20000;
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    StreamReader tail(dir.path(), "test", StreamReader::Mode::kTail);
    RecordView v;
    std::uint64_t seen = 0;
    for (;;) {
      const ReadStatus s = tail.next(v);
      if (s == ReadStatus::kRecord) {
        if (v.seq != ++seen || !testing::payload_matches(v.seq, v.payload, v.size)) _exit(2);
      } else if (s == ReadStatus::kEnd) {
        _exit(seen == kCount ? 0 : 3);
      } else if (s == ReadStatus::kFault) {
        _exit(4);
      }
    }
  }
  WriterOptions o;
  o.dir = dir.path();
  o.stream = "test";
  o.segment_size = 64 * 1024;
  o.helper_poll_us = 100;
  {
    auto w = StreamWriter::open(o);
    ASSERT_TRUE(w);
    std::vector<unsigned char> buf;
    for (std::uint64_t s = 1; s <= kCount; ++s) {
      testing::fill_payload(s, buf);
      ASSERT_EQ((*w)->append(6, 0, static_cast<std::int64_t>(s), buf.data(), static_cast<std::uint32_t>(buf.size())),
                AppendStatus::kOk);
    }
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "2: wrong record, 3: wrong count, 4: fault";
}

}  // namespace
}  // namespace polybot::journal
