// Hex encoding and decoding of byte strings ("0x"-prefixed or bare, lowercase out, any case in). Any thread;
// no allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace polybot::oms {

// Writes 2*len lowercase hex digits (no prefix) to out; returns 2*len.
std::size_t write_hex(const std::uint8_t* data, std::size_t len, char* out) noexcept;

// Decodes exactly `len` bytes from `text` (optional "0x"/"0X" prefix, exactly 2*len hex digits of any case).
// Returns false on a bad length or character; out is then unspecified.
[[nodiscard]] bool parse_hex(std::string_view text, std::uint8_t* out, std::size_t len) noexcept;

// -1 for a non-hex character.
constexpr int hex_digit_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace polybot::oms
