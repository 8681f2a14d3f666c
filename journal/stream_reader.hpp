// StreamReader: reads one journal stream in order, segment after segment, validating every record (checksum,
// sequence continuity, segment chain). Two modes:
//   kSequential : for audits and replay of a finished (or crashed) stream. At the end it classifies the tail:
//                 clean end, open end (the writer crashed or is still running), uncommitted bytes, torn tail.
//                 A bad record with valid data after it is a fault reported with its offset, never skipped.
//   kTail       : follows a stream while another thread or process writes it; "nothing yet" is kIdle.
// One thread per reader. next() does not allocate except when it opens the next segment or reports a fault.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "journal/format.hpp"
#include "journal/journal_error.hpp"
#include "journal/segment_file.hpp"

namespace polybot::journal {

struct RecordView {
  std::uint16_t type = 0;
  std::uint8_t flags = 0;
  std::uint64_t seq = 0;
  std::int64_t ts_ns = 0;
  const std::byte* payload = nullptr;  // valid until the reader moves to another segment
  std::uint32_t size = 0;
  std::uint64_t segment = 0;           // segment index
  std::uint64_t offset = 0;            // byte offset of the record in its segment file
};

enum class ReadStatus : std::uint8_t {
  kRecord,  // `out` holds the next record
  kEnd,     // sequential: no more records (see end()); tail: the writer closed the stream
  kIdle,    // tail only: nothing new yet
  kFault,   // see fault(); reading stops here
};

enum class FaultKind : std::uint8_t {
  kNone,
  kTornTail,      // the last record failed validation and nothing valid follows (a cut-short write)
  kCorrupt,       // a record failed validation with valid data after it, or in a non-final segment
  kSequenceGap,
  kBadHeader,
  kChainBroken,
  kBadPadding,    // non-zero bytes inside a padding record
  kIo,
};
const char* to_string(FaultKind k) noexcept;

struct Fault {
  FaultKind kind = FaultKind::kNone;
  std::string segment;  // file path
  std::uint64_t offset = 0;
  std::uint64_t seq = 0;  // the sequence expected at that point
  std::string reason;
  [[nodiscard]] std::string describe() const;
};

enum class EndState : std::uint8_t {
  kUnknown,      // not at the end yet
  kClosed,       // an end-of-stream padding: the writer closed cleanly
  kOpen,         // no end marker and nothing after the last record: crashed between records, or still running
  kUncommitted,  // bytes after the last record without a commit marker: crashed mid-write (not a fault)
};
const char* to_string(EndState s) noexcept;

class StreamReader {
 public:
  enum class Mode : std::uint8_t { kSequential, kTail };
  StreamReader(std::string dir, std::string stream, Mode mode = Mode::kSequential);

  ReadStatus next(RecordView& out);

  [[nodiscard]] const Fault& fault() const noexcept { return fault_; }
  [[nodiscard]] EndState end() const noexcept { return end_; }
  [[nodiscard]] std::uint64_t segments_read() const noexcept { return segments_read_; }
  [[nodiscard]] std::uint64_t last_seq() const noexcept { return expect_ - 1; }
  [[nodiscard]] const std::string& stream() const noexcept { return stream_; }
  // Offset in the last segment where committed data ends (valid once end() is known).
  [[nodiscard]] std::uint64_t end_offset() const noexcept { return pos_; }

 private:
  ReadStatus open_segment_at(std::uint64_t index);
  ReadStatus fail(FaultKind kind, std::string reason);
  ReadStatus at_empty();
  ReadStatus at_bad(std::uint32_t len, bool bad_length);

  std::string dir_;
  std::string stream_;
  Mode mode_;
  std::vector<SegmentEntry> listing_;  // sequential mode: the segments present at the start
  bool listed_ = false;
  SegmentPtr seg_;
  std::size_t pos_ = 0;
  std::uint64_t expect_ = 1;
  bool have_expect_ = false;
  std::uint64_t next_index_ = 0;
  std::uint64_t segments_read_ = 0;
  Fault fault_;
  EndState end_ = EndState::kUnknown;
};

}  // namespace polybot::journal
