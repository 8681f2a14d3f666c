#include "journal/stream_writer.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <vector>

#include "journal/stream_reader.hpp"
#include "tests/journal/journal_test_util.hpp"
#include "tests/journal/temp_dir.hpp"

namespace polybot::journal {
namespace {

using testing::fill_payload;
using testing::payload_matches;
using testing::TempDir;

WriterOptions small_opts(const std::string& dir, std::size_t seg = 64 * 1024) {
  WriterOptions o;
  o.dir = dir;
  o.stream = "test";
  o.segment_size = seg;
  o.helper_poll_us = 100;
  return o;
}

void append_range(StreamWriter& w, std::uint64_t from, std::uint64_t to) {
  std::vector<unsigned char> buf;
  for (std::uint64_t s = from; s <= to; ++s) {
    fill_payload(s, buf);
    ASSERT_EQ(w.append(6, record_flag::kConsumed, static_cast<std::int64_t>(s) * 1000, buf.data(),
                       static_cast<std::uint32_t>(buf.size())),
              AppendStatus::kOk);
  }
}

// Reads the whole stream, checking every payload; returns the number of records.
std::uint64_t read_all(const std::string& dir, EndState* end = nullptr) {
  StreamReader r(dir, "test");
  RecordView v;
  std::uint64_t n = 0;
  ReadStatus s;
  while ((s = r.next(v)) == ReadStatus::kRecord) {
    ++n;
    EXPECT_EQ(v.seq, n);
    EXPECT_EQ(v.ts_ns, static_cast<std::int64_t>(n) * 1000);
    EXPECT_TRUE(payload_matches(v.seq, v.payload, v.size)) << "seq " << v.seq;
  }
  EXPECT_EQ(s, ReadStatus::kEnd) << r.fault().describe();
  if (end != nullptr) *end = r.end();
  return n;
}

TEST(StreamWriter, WritesRecordsThatReadBackInOrderAcrossManySegments) {
  TempDir dir;
  auto w = StreamWriter::open(small_opts(dir.path()));
  ASSERT_TRUE(w) << w.error().message();
  append_range(**w, 1, 5000);
  EXPECT_GT((*w)->segments_written(), 10u);
  (*w)->close();
  EndState end{};
  EXPECT_EQ(read_all(dir.path(), &end), 5000u);
  EXPECT_EQ(end, EndState::kClosed);
}

TEST(StreamWriter, CloseTruncatesTheLastSegmentToItsUsedLength) {
  TempDir dir;
  auto w = StreamWriter::open(small_opts(dir.path(), 1 << 20));
  ASSERT_TRUE(w);
  append_range(**w, 1, 10);
  (*w)->close();
  const auto segs = list_segments(dir.path(), "test");
  ASSERT_EQ(segs.size(), 1u);  // the helper's prepared segment is removed
  EXPECT_LT(std::filesystem::file_size(segs[0].path), 8000u);
}

TEST(StreamWriter, ReopenContinuesTheSequenceInANewSegment) {
  TempDir dir;
  {
    auto w = StreamWriter::open(small_opts(dir.path()));
    ASSERT_TRUE(w);
    append_range(**w, 1, 100);
  }
  auto w = StreamWriter::open(small_opts(dir.path()));
  ASSERT_TRUE(w) << w.error().message();
  EXPECT_TRUE((*w)->recovery().existed);
  EXPECT_TRUE((*w)->recovery().was_closed);
  EXPECT_EQ((*w)->recovery().last_seq, 100u);
  append_range(**w, 101, 200);
  (*w)->close();
  EXPECT_EQ(read_all(dir.path()), 200u);
}

TEST(StreamWriter, RejectsARecordLargerThanASegment) {
  TempDir dir;
  auto w = StreamWriter::open(small_opts(dir.path(), 8192));
  ASSERT_TRUE(w);
  std::vector<unsigned char> big(9000);
  EXPECT_EQ((*w)->append(1, 0, 0, big.data(), static_cast<std::uint32_t>(big.size())), AppendStatus::kTooLarge);
  std::vector<unsigned char> fits((*w)->max_payload());
  EXPECT_EQ((*w)->append(1, 0, 0, fits.data(), static_cast<std::uint32_t>(fits.size())), AppendStatus::kOk);
  EXPECT_EQ((*w)->append(1, 0, 0, fits.data(), static_cast<std::uint32_t>(fits.size())), AppendStatus::kOk);
}

TEST(StreamWriter, RejectsBadStreamNamesAndSegmentSizes) {
  TempDir dir;
  auto o = small_opts(dir.path());
  o.stream = "Bad Name";
  EXPECT_FALSE(StreamWriter::open(o));
  o = small_opts(dir.path(), 5000);
  EXPECT_FALSE(StreamWriter::open(o));
}

TEST(StreamWriter, SyncModePublishesADurableWatermark) {
  TempDir dir;
  auto o = small_opts(dir.path(), 1 << 20);
  o.durability.mode = Durability::kSync;
  o.durability.sync_every_ms = 1;
  auto w = StreamWriter::open(o);
  ASSERT_TRUE(w);
  append_range(**w, 1, 50);
  for (int i = 0; i < 2000 && (*w)->durable_seq() < 50; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ((*w)->durable_seq(), 50u);
  EXPECT_GE((*w)->syncs(), 1u);
}

TEST(StreamWriter, RecoversATornTailByTruncatingItAndKeepsEverythingBefore) {
  TempDir dir;
  {
    auto w = StreamWriter::open(small_opts(dir.path(), 1 << 20));
    ASSERT_TRUE(w);
    append_range(**w, 1, 20);
  }
  const auto seg = list_segments(dir.path(), "test").back().path;
  testing::unclose_segment(seg);
  auto data = testing::read_file(seg);
  const auto offs = testing::record_offsets(data);
  ASSERT_EQ(offs.size(), 20u);
  data[offs.back() + 40] ^= 0x10;  // the last record's payload, as a power cut might leave it
  testing::write_file(seg, data);

  StreamReader r(dir.path(), "test");
  RecordView v;
  int n = 0;
  while (r.next(v) == ReadStatus::kRecord) ++n;
  EXPECT_EQ(n, 19);
  EXPECT_EQ(r.fault().kind, FaultKind::kTornTail);
  EXPECT_EQ(r.fault().offset, offs.back());

  auto w = StreamWriter::open(small_opts(dir.path(), 1 << 20));
  ASSERT_TRUE(w) << w.error().message();
  EXPECT_TRUE((*w)->recovery().torn_tail);
  EXPECT_EQ((*w)->recovery().offset, offs.back());
  EXPECT_EQ((*w)->recovery().last_seq, 19u);
  append_range(**w, 20, 30);
  (*w)->close();
  EXPECT_EQ(read_all(dir.path()), 30u);
}

TEST(StreamWriter, TreatsBytesWithoutACommitMarkerAsUncommittedNotAsAFault) {
  TempDir dir;
  {
    auto w = StreamWriter::open(small_opts(dir.path(), 1 << 20));
    ASSERT_TRUE(w);
    append_range(**w, 1, 20);
  }
  const auto seg = list_segments(dir.path(), "test").back().path;
  testing::unclose_segment(seg);
  auto data = testing::read_file(seg);
  const auto offs = testing::record_offsets(data);
  std::memset(data.data() + offs.back(), 0, 4);  // the length was never stored
  testing::write_file(seg, data);

  EndState end{};
  EXPECT_EQ(read_all(dir.path(), &end), 19u);
  EXPECT_EQ(end, EndState::kUncommitted);
  auto w = StreamWriter::open(small_opts(dir.path(), 1 << 20));
  ASSERT_TRUE(w);
  EXPECT_TRUE((*w)->recovery().uncommitted_bytes);
  EXPECT_EQ((*w)->recovery().last_seq, 19u);
}

TEST(StreamWriter, RefusesToTruncateWhenACorruptRecordHasValidRecordsAfterIt) {
  TempDir dir;
  {
    auto w = StreamWriter::open(small_opts(dir.path(), 1 << 20));
    ASSERT_TRUE(w);
    append_range(**w, 1, 20);
  }
  const auto seg = list_segments(dir.path(), "test").back().path;
  testing::unclose_segment(seg);
  auto data = testing::read_file(seg);
  const auto offs = testing::record_offsets(data);
  data[offs[5] + 33] ^= 0x01;
  testing::write_file(seg, data);

  StreamReader r(dir.path(), "test");
  RecordView v;
  int n = 0;
  while (r.next(v) == ReadStatus::kRecord) ++n;
  EXPECT_EQ(n, 5);
  EXPECT_EQ(r.fault().kind, FaultKind::kCorrupt);
  EXPECT_EQ(r.fault().offset, offs[5]);
  auto w = StreamWriter::open(small_opts(dir.path(), 1 << 20));
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code, JournalErrc::kCorrupt);
  EXPECT_EQ(testing::read_file(seg), data) << "recovery must not touch a corrupt stream";
}

}  // namespace
}  // namespace polybot::journal
