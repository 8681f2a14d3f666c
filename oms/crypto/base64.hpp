// Base64 as the CLOB L2 auth uses it: secrets arrive URL-safe (maybe unpadded) and decode like the official
// clients (map '-'->'+', '_'->'/', pad to a multiple of 4); signatures leave in the URL-safe alphabet WITH '='
// padding kept. Any thread; no allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace polybot::oms {

constexpr std::size_t base64_encoded_len(std::size_t n) noexcept { return (n + 2) / 3 * 4; }

// URL-safe alphabet ('-', '_'), '=' padding kept. Writes base64_encoded_len(len) chars; returns that count.
std::size_t base64url_encode_padded(const std::uint8_t* data, std::size_t len, char* out) noexcept;

// Accepts either alphabet, padded or not. Returns false on a bad character/length or if out_cap is too small.
[[nodiscard]] bool base64_decode_any(std::string_view text, std::uint8_t* out, std::size_t out_cap,
                                     std::size_t& out_len) noexcept;

}  // namespace polybot::oms
