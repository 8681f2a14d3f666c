// HMAC-SHA256 with the key's inner/outer SHA-256 states precomputed once, so each MAC on the hot path is two
// state copies plus the message blocks: no allocation, no syscalls. The key material (and the derived states)
// is wiped on destruction. Immutable after construction: const calls are safe from any thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace polybot::oms {

class HmacSha256 {
 public:
  HmacSha256() noexcept;
  HmacSha256(const std::uint8_t* key, std::size_t len) noexcept;
  HmacSha256(const HmacSha256& other) noexcept = default;
  HmacSha256& operator=(const HmacSha256& other) noexcept = default;
  ~HmacSha256();

  // MAC of the concatenation of `parts` (avoids building the message in a buffer).
  std::array<std::uint8_t, 32> mac(const std::string_view* parts, std::size_t count) const noexcept;
  std::array<std::uint8_t, 32> mac(std::string_view message) const noexcept { return mac(&message, 1); }

 private:
  // Opaque copies of OpenSSL's SHA256_CTX after absorbing key^ipad / key^opad (112 bytes each).
  alignas(8) std::array<std::uint8_t, 112> inner_{};
  alignas(8) std::array<std::uint8_t, 112> outer_{};
};

}  // namespace polybot::oms
