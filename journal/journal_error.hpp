// Errors at the journal's boundaries (files, mappings, on-disk validation). Built off the hot path only; the
// detail string names the file, offset or value involved. Any thread.
#pragma once

#include <cstdint>
#include <string>

namespace polybot::journal {

enum class JournalErrc : std::uint8_t {
  kIo,              // a system call failed (detail has errno text)
  kBadArgument,     // an option out of range (detail names it)
  kNoSuchStream,    // no segment file for the stream
  kBadHeader,       // a segment header fails its magic, version or checksum
  kCorrupt,         // a record in the middle of a stream fails validation
  kChainBroken,     // segment index or first sequence does not follow the previous segment
  kSequenceGap,     // record sequence numbers are not contiguous
};

const char* to_string(JournalErrc e) noexcept;

struct JournalError {
  JournalErrc code;
  std::string detail;
  [[nodiscard]] std::string message() const { return std::string(to_string(code)) + ": " + detail; }
};

}  // namespace polybot::journal
