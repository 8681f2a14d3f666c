// On-disk layout of a journal stream: segment files `<stream>.<index:06>.seg`, each a 64-byte SegmentHeader
// followed by 8-byte aligned records. Every record is a 32-byte RecordHeader plus payload; its `length` is
// written last with release semantics and is the commit marker (0 = nothing committed here yet). A padding
// record closes each segment. Pure layout and checksum helpers: any thread, no allocation.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace polybot::journal {

inline constexpr char kSegmentMagic[8] = {'P', 'B', 'J', 'S', 'E', 'G', '0', '1'};
inline constexpr std::uint32_t kFormatVersion = 1;
inline constexpr std::size_t kSegmentHeaderSize = 64;
inline constexpr std::size_t kRecordHeaderSize = 32;
inline constexpr std::size_t kRecordAlign = 8;
inline constexpr std::size_t kMaxStreamName = 15;

// Record types: MsgType values (< 0x8000) for messages, plus the journal's own.
inline constexpr std::uint16_t kTypePadding = 0xFFFF;
inline constexpr std::uint16_t kTypeRawFrame = 0xFF00;  // variable-length inbound bytes (text frames)

// Record flags.
namespace record_flag {
inline constexpr std::uint8_t kConsumed = 1u << 0;   // a message the stage consumed
inline constexpr std::uint8_t kProduced = 1u << 1;   // a message the stage produced
inline constexpr std::uint8_t kEndOfStream = 1u << 7;  // on a padding record: the writer closed cleanly here
}  // namespace record_flag

enum class SegmentState : std::uint32_t { kPrepared = 0, kActive = 1 };

struct SegmentHeader {
  char magic[8];
  std::uint32_t version;
  std::uint32_t reserved;
  std::uint64_t segment_size;  // bytes preallocated (the file may be shorter after a clean close)
  std::uint64_t index;         // 0, 1, 2... per stream
  std::uint64_t first_seq;     // sequence of the first record (the previous segment's last + 1)
  char stream[16];             // NUL-terminated stream name
  std::uint32_t checksum;      // low 32 bits of XXH3 over bytes [0, 56)
  std::uint32_t state;         // SegmentState; stored last (release) when the writer activates the segment
};
static_assert(sizeof(SegmentHeader) == kSegmentHeaderSize, "the segment header is one cache line");
static_assert(offsetof(SegmentHeader, checksum) == 56);

struct RecordHeader {
  std::uint32_t length;    // header + payload bytes (unaligned); the commit marker, stored last
  std::uint16_t type;
  std::uint8_t flags;
  std::uint8_t reserved;
  std::uint64_t checksum;  // XXH3-64 of bytes [16, length) seeded with (length, type, reserved, flags); padding: [16, 32)
  std::uint64_t seq;       // stream sequence, 1-based and gap-free (padding repeats the last one)
  std::int64_t ts_ns;      // the record's time (consumed/produced/received), ns since the epoch
};
static_assert(sizeof(RecordHeader) == kRecordHeaderSize, "record header layout is part of the file format");
static_assert(offsetof(RecordHeader, seq) == 16, "the checksum covers everything from seq on");

constexpr std::size_t align_record(std::size_t n) noexcept { return (n + kRecordAlign - 1) & ~(kRecordAlign - 1); }

// Checksum of a record whose header (except length/checksum) and payload are in place at `rec`.
std::uint64_t record_checksum(const std::byte* rec, std::uint32_t length) noexcept;
std::uint32_t segment_header_checksum(const SegmentHeader& h) noexcept;

// The commit marker, read and written as an atomic in shared memory (writer and tailers may be different
// processes; std::atomic_ref on a 4-byte aligned u32 is lock-free and address-free on x86-64 and arm64).
inline std::uint32_t load_length(const std::byte* rec) noexcept {
  return std::atomic_ref<std::uint32_t>(*reinterpret_cast<std::uint32_t*>(const_cast<std::byte*>(rec)))
      .load(std::memory_order_acquire);
}
inline void store_length(std::byte* rec, std::uint32_t length) noexcept {
  std::atomic_ref<std::uint32_t>(*reinterpret_cast<std::uint32_t*>(rec)).store(length, std::memory_order_release);
}
inline std::uint32_t load_state(const SegmentHeader* h) noexcept {
  return std::atomic_ref<std::uint32_t>(const_cast<SegmentHeader*>(h)->state).load(std::memory_order_acquire);
}
// A segment the helper prepared and the writer never activated: state, first_seq and checksum all still zero
// (a bit flip in the state of an activated segment is therefore a bad header, not a silent end of stream).
inline bool is_prepared(const SegmentHeader* h) noexcept {
  return load_state(h) == static_cast<std::uint32_t>(SegmentState::kPrepared) && h->first_seq == 0 && h->checksum == 0;
}

// `<stream>.<index:06>.seg`
std::string segment_file_name(std::string_view stream, std::uint64_t index);
// True for a valid stream name: 1..15 chars of [a-z0-9_-].
bool valid_stream_name(std::string_view stream) noexcept;

}  // namespace polybot::journal
