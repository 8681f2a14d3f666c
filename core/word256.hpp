// Word256: a 32-byte big-endian word (a Polymarket token id, a condition id) in fixed-size messages, with its two
// text forms: canonical decimal (token ids, up to 78 digits) and 0x-prefixed hex (condition ids). Conversions are
// for market roll-over and tools, off the hot path. Any thread; no allocation.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace polybot {

using Word256 = std::array<std::uint8_t, 32>;

// Digits only, no leading zeros (except "0"), value < 2^256; false otherwise (`out` unchanged).
[[nodiscard]] bool word256_from_decimal(std::string_view text, Word256& out) noexcept;
// Canonical decimal digits into `out` (at least 78 bytes); returns the length.
std::size_t word256_to_decimal(const Word256& w, char* out) noexcept;
std::string word256_decimal(const Word256& w);

// "0x" followed by exactly 64 hex digits (either case); false otherwise (`out` unchanged).
[[nodiscard]] bool word256_from_hex(std::string_view text, Word256& out) noexcept;
// "0x" + 64 lower-case hex digits into `out` (at least 66 bytes); returns 66.
std::size_t word256_to_hex(const Word256& w, char* out) noexcept;
std::string word256_hex(const Word256& w);

}  // namespace polybot
