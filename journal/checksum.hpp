// CRC32C (Castagnoli) with the SSE4.2 crc32 instruction and a portable table fallback, and XXH3-64. The journal
// format uses XXH3-64 (docs/DECISIONS.md has the measurement); CRC32C is kept for the benchmark that made the
// choice and for readers of other formats. Pure functions, any thread, no allocation.
#pragma once

#include <cstddef>
#include <cstdint>

namespace polybot::journal {

std::uint32_t crc32c_portable(const void* data, std::size_t n, std::uint32_t crc = 0) noexcept;
// Uses the crc32 instruction when the CPU has SSE4.2 (checked once), else the portable table.
std::uint32_t crc32c(const void* data, std::size_t n, std::uint32_t crc = 0) noexcept;
bool crc32c_hardware() noexcept;
std::uint64_t xxh3_64(const void* data, std::size_t n) noexcept;

}  // namespace polybot::journal
