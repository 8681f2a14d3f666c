// A segment file mapped into memory, and the directory operations around segments (prepare, list, open).
// Everything here makes system calls: it runs on the writer's background helper, at open/recovery time, or in
// readers — never on the writer's hot path. Not thread-safe; one owner at a time.
#pragma once

#include <cstring>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "journal/format.hpp"
#include "journal/journal_error.hpp"

namespace polybot::journal {

class MappedSegment {
 public:
  MappedSegment(int fd, std::byte* base, std::size_t mapped, std::string path, std::uint64_t index, bool writable)
      : fd_(fd), base_(base), mapped_(mapped), path_(std::move(path)), index_(index), writable_(writable) {}
  ~MappedSegment();
  MappedSegment(const MappedSegment&) = delete;
  MappedSegment& operator=(const MappedSegment&) = delete;

  [[nodiscard]] std::byte* base() const noexcept { return base_; }
  [[nodiscard]] std::size_t size() const noexcept { return mapped_; }  // bytes mapped (the file size at open)
  [[nodiscard]] int fd() const noexcept { return fd_; }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[nodiscard]] std::uint64_t index() const noexcept { return index_; }
  [[nodiscard]] const SegmentHeader* header() const noexcept { return reinterpret_cast<SegmentHeader*>(base_); }
  [[nodiscard]] SegmentHeader* header() noexcept { return reinterpret_cast<SegmentHeader*>(base_); }
  [[nodiscard]] bool writable() const noexcept { return writable_; }

 private:
  int fd_;
  std::byte* base_;
  std::size_t mapped_;
  std::string path_;
  std::uint64_t index_;
  bool writable_;
};

using SegmentPtr = std::unique_ptr<MappedSegment>;

// Creates `<dir>/<stream>.<index>.seg` preallocated (fallocate) to `size` bytes, maps it read-write, touches
// every page for writing (so the writer takes no page faults) and writes a header in state kPrepared. The file
// appears under its final name only when complete (written as .tmp, then renamed).
Result<SegmentPtr, JournalError> prepare_segment(const std::string& dir, std::string_view stream,
                                                 std::uint64_t index, std::size_t size);
// Maps an existing segment (the whole file as it is now).
Result<SegmentPtr, JournalError> open_segment(const std::string& path, std::uint64_t index, bool writable);

struct SegmentEntry {
  std::uint64_t index;
  std::string path;
};
// Segments of `stream` in `dir`, ascending index.
// True for a segment the helper prepared and the writer never activated: its state is still kPrepared and no
// record was ever written into it. Activation writes first_seq and the checksum and release-stores the state
// last, so a writer killed half-way through activating leaves exactly this (not a corrupt header). A state that
// reads kPrepared over a body holding data (a flipped bit in a used segment) is not "never activated".
inline bool never_activated(const MappedSegment& seg) noexcept {
  if (load_state(seg.header()) != static_cast<std::uint32_t>(SegmentState::kPrepared)) return false;
  if (seg.size() < kSegmentHeaderSize + 8) return true;  // prepared segments are full size; nothing to read
  std::uint64_t first = 0;
  std::memcpy(&first, seg.base() + kSegmentHeaderSize, sizeof first);
  return first == 0;
}

std::vector<SegmentEntry> list_segments(const std::string& dir, std::string_view stream);
// Every stream with at least one segment in `dir`, sorted (feed, signal, risk, oms first, then by name).
std::vector<std::string> list_streams(const std::string& dir);

// Validates magic, version, checksum and stream name of an activated header; "" when fine, else the reason.
std::string check_segment_header(const SegmentHeader& h, std::string_view stream, std::uint64_t index,
                                  std::size_t file_size);

}  // namespace polybot::journal
