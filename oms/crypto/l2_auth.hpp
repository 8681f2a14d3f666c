// CLOB L2 request authentication (POLY_SIGNATURE): base64url(HMAC-SHA256(secret, timestamp + METHOD + path
// [+ body])) with '=' padding kept. `path` is the request path only (no host, no query string); `body` must be the
// exact bytes sent (empty = no body, like the official client's undefined). Hot path: no allocation, any thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "oms/crypto/hmac_sha256.hpp"

namespace polybot::oms {

struct L2Signature {
  static constexpr std::size_t kLen = 44;  // base64 of 32 bytes, always ending in '='
  std::array<char, kLen> text{};
  [[nodiscard]] std::string_view view() const noexcept { return {text.data(), text.size()}; }
};

// timestamp_s: unix seconds, rendered in decimal exactly as POLY_TIMESTAMP carries it.
L2Signature l2_signature(const HmacSha256& key, std::uint64_t timestamp_s, std::string_view method,
                         std::string_view path, std::string_view body) noexcept;

// Writes the decimal digits of v; returns the count (at most 20).
std::size_t write_u64(std::uint64_t v, char* out) noexcept;

}  // namespace polybot::oms
