#include "journal/stream_reader.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "journal/stream_writer.hpp"
#include "tests/journal/journal_test_util.hpp"
#include "tests/journal/temp_dir.hpp"

namespace polybot::journal {
namespace {

using testing::TempDir;

TEST(StreamReader, TailerFollowsAStreamWhileAnotherThreadWritesIt) {
  TempDir dir;
  WriterOptions o;
  o.dir = dir.path();
  o.stream = "test";
  o.segment_size = 64 * 1024;
  o.helper_poll_us = 100;
  constexpr std::uint64_t kCount = 20000;
  std::atomic<bool> writer_ready{false};
  std::thread writer([&] {
    auto w = StreamWriter::open(o);
    ASSERT_TRUE(w);
    writer_ready = true;
    std::vector<unsigned char> buf;
    for (std::uint64_t s = 1; s <= kCount; ++s) {
      testing::fill_payload(s, buf);
      while ((*w)->append(6, 0, static_cast<std::int64_t>(s), buf.data(), static_cast<std::uint32_t>(buf.size())) !=
             AppendStatus::kOk) {
      }
    }
    (*w)->close();
  });
  StreamReader tail(dir.path(), "test", StreamReader::Mode::kTail);
  RecordView v;
  std::uint64_t seen = 0;
  for (;;) {
    const ReadStatus s = tail.next(v);
    if (s == ReadStatus::kRecord) {
      ++seen;
      ASSERT_EQ(v.seq, seen);
      ASSERT_TRUE(testing::payload_matches(v.seq, v.payload, v.size));
    } else if (s == ReadStatus::kEnd) {
      break;
    } else {
      ASSERT_NE(s, ReadStatus::kFault) << tail.fault().describe();
      std::this_thread::yield();
    }
  }
  writer.join();
  EXPECT_EQ(seen, kCount);
}

TEST(StreamReader, ReportsAMissingStream) {
  TempDir dir;
  StreamReader r(dir.path(), "nothing");
  RecordView v;
  EXPECT_EQ(r.next(v), ReadStatus::kFault);
  EXPECT_EQ(r.fault().kind, FaultKind::kIo);
}

TEST(StreamReader, DetectsAMissingSegmentInTheChain) {
  TempDir dir;
  WriterOptions o;
  o.dir = dir.path();
  o.stream = "test";
  o.segment_size = 16 * 1024;
  {
    auto w = StreamWriter::open(o);
    ASSERT_TRUE(w);
    std::vector<unsigned char> buf(500, 1);
    for (int i = 0; i < 200; ++i) ASSERT_EQ((*w)->append(1, 0, i, buf.data(), 500), AppendStatus::kOk);
  }
  auto segs = list_segments(dir.path(), "test");
  ASSERT_GT(segs.size(), 3u);
  std::filesystem::remove(segs[2].path);
  StreamReader r(dir.path(), "test");
  RecordView v;
  while (r.next(v) == ReadStatus::kRecord) {
  }
  EXPECT_EQ(r.fault().kind, FaultKind::kChainBroken);
}

}  // namespace
}  // namespace polybot::journal
