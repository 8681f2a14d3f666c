// Keccak-256 as Ethereum uses it: the original Keccak padding (0x01 ... 0x80), NOT NIST SHA3-256 (0x06).
// OpenSSL 3.0 has no Keccak-256, so this is a compact implementation of the permutation. Any thread; no
// allocation, no syscalls. Incremental (update/finish) and one-shot forms.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace polybot::oms {

using Hash256 = std::array<std::uint8_t, 32>;

class Keccak256 {
 public:
  static constexpr std::size_t kRate = 136;  // bytes absorbed per permutation (1600 - 2*256 bits)

  void update(const void* data, std::size_t len) noexcept;
  void update(std::string_view s) noexcept { update(s.data(), s.size()); }
  // Pads, squeezes 32 bytes and resets the object for reuse.
  Hash256 finish() noexcept;

 private:
  std::array<std::uint64_t, 25> state_{};
  std::size_t offset_ = 0;  // bytes absorbed into the current block
};

Hash256 keccak256(const void* data, std::size_t len) noexcept;
inline Hash256 keccak256(std::string_view s) noexcept { return keccak256(s.data(), s.size()); }

// The Keccak-f[1600] permutation (24 rounds), exposed for tests and benchmarks.
void keccak_f1600(std::array<std::uint64_t, 25>& state) noexcept;

}  // namespace polybot::oms
