#include "journal/format.hpp"

#include <cstdio>
#include <string>

#include <xxhash.h>

#include "journal/journal_error.hpp"

namespace polybot::journal {

std::uint64_t record_checksum(const std::byte* rec, std::uint32_t length) noexcept {
  const auto* h = reinterpret_cast<const RecordHeader*>(rec);
  const std::uint64_t seed = (static_cast<std::uint64_t>(length) << 32) |
                             (static_cast<std::uint64_t>(h->type) << 16) |
                             (static_cast<std::uint64_t>(h->reserved) << 8) | h->flags;
  // A padding record's body is zeros that verify checks separately; its checksum covers the header only, so a
  // roll never hashes the rest of a segment.
  const std::uint32_t covered = h->type == kTypePadding ? static_cast<std::uint32_t>(kRecordHeaderSize) : length;
  return XXH3_64bits_withSeed(rec + 16, covered - 16, seed);
}

std::uint32_t segment_header_checksum(const SegmentHeader& h) noexcept {
  return static_cast<std::uint32_t>(XXH3_64bits(&h, offsetof(SegmentHeader, checksum)));
}

std::string segment_file_name(std::string_view stream, std::uint64_t index) {
  char num[32];
  std::snprintf(num, sizeof num, ".%06llu.seg", static_cast<unsigned long long>(index));
  return std::string(stream) + num;
}

bool valid_stream_name(std::string_view stream) noexcept {
  if (stream.empty() || stream.size() > kMaxStreamName) return false;
  for (char c : stream) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

const char* to_string(JournalErrc e) noexcept {
  switch (e) {
    case JournalErrc::kIo: return "io error";
    case JournalErrc::kBadArgument: return "bad argument";
    case JournalErrc::kNoSuchStream: return "no such stream";
    case JournalErrc::kBadHeader: return "bad segment header";
    case JournalErrc::kCorrupt: return "corrupt record";
    case JournalErrc::kChainBroken: return "segment chain broken";
    case JournalErrc::kSequenceGap: return "sequence gap";
  }
  return "unknown";
}

}  // namespace polybot::journal
