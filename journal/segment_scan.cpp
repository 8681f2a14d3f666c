#include "journal/segment_scan.hpp"

namespace polybot::journal {

RecordCheck check_record(const std::byte* base, std::size_t size, std::size_t offset,
                         std::uint32_t& length_out) noexcept {
  if (offset + kRecordHeaderSize > size) {
    length_out = 0;
    return offset >= size ? RecordCheck::kEmpty : RecordCheck::kBadLength;
  }
  const std::byte* rec = base + offset;
  const std::uint32_t len = load_length(rec);
  length_out = len;
  if (len == 0) return RecordCheck::kEmpty;
  if (len < kRecordHeaderSize || offset + align_record(len) > size) return RecordCheck::kBadLength;
  const auto* h = reinterpret_cast<const RecordHeader*>(rec);
  if (record_checksum(rec, len) != h->checksum) return RecordCheck::kBadChecksum;
  return RecordCheck::kValid;
}

bool any_nonzero(const std::byte* base, std::size_t from, std::size_t to) noexcept {
  std::size_t i = from;
  for (; i < to && (i & 7u) != 0; ++i) {
    if (base[i] != std::byte{0}) return true;
  }
  for (; i + 8 <= to; i += 8) {
    std::uint64_t v;
    std::memcpy(&v, base + i, 8);
    if (v != 0) return true;
  }
  for (; i < to; ++i) {
    if (base[i] != std::byte{0}) return true;
  }
  return false;
}

std::size_t find_next_valid(const std::byte* base, std::size_t size, std::size_t from) noexcept {
  for (std::size_t off = align_record(from + 1); off + kRecordHeaderSize <= size; off += kRecordAlign) {
    std::uint32_t len = 0;
    if (check_record(base, size, off, len) == RecordCheck::kValid) return off;
  }
  return 0;
}

}  // namespace polybot::journal
