// Validation of one record in a mapped segment, and classification of what lies past the last good record
// (clean end, uncommitted bytes, torn tail, or corruption with valid records after it). Pure functions over
// memory: any thread, no allocation except the reason text on faults.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "journal/format.hpp"

namespace polybot::journal {

enum class RecordCheck : std::uint8_t {
  kValid,
  kEmpty,        // length 0: nothing committed here
  kBadLength,    // shorter than a header or past the end of the segment
  kBadChecksum,
};

// Checks the record at `offset` of a segment of `size` bytes. `length_out` receives the committed length.
RecordCheck check_record(const std::byte* base, std::size_t size, std::size_t offset,
                         std::uint32_t& length_out) noexcept;

// True when any byte in [from, to) is non-zero.
bool any_nonzero(const std::byte* base, std::size_t from, std::size_t to) noexcept;

// The first 8-aligned offset > `from` where a valid record starts, or 0 when there is none.
std::size_t find_next_valid(const std::byte* base, std::size_t size, std::size_t from) noexcept;

}  // namespace polybot::journal
