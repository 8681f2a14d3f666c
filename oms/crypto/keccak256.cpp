#include "oms/crypto/keccak256.hpp"

#include <bit>
#include <cstring>

namespace polybot::oms {
namespace {

constexpr std::array<std::uint64_t, 24> kRoundConstants = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL};

// rho offsets and pi destinations, walked along the single pi cycle starting at lane 1.
constexpr std::array<int, 24> kRho = {1,  3,  6,  10, 15, 21, 28, 36, 45, 55, 2,  14,
                                      27, 41, 56, 8,  25, 43, 62, 18, 39, 61, 20, 44};
constexpr std::array<int, 24> kPi = {10, 7,  11, 17, 18, 3, 5,  16, 8,  21, 24, 4,
                                     15, 23, 19, 13, 12, 2, 20, 14, 22, 9,  6,  1};

static_assert(std::endian::native == std::endian::little, "lanes are loaded little-endian by memcpy");

}  // namespace

void keccak_f1600(std::array<std::uint64_t, 25>& state) noexcept {
  // Work on a local copy: the compiler then knows nothing else aliases the lanes and keeps more in registers.
  std::uint64_t a[25];
  std::memcpy(a, state.data(), sizeof a);
  for (int round = 0; round < 24; ++round) {
    std::uint64_t c[5];
#pragma GCC unroll 5
    for (int x = 0; x < 5; ++x) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
#pragma GCC unroll 5
    for (int x = 0; x < 5; ++x) {
      const std::uint64_t d = c[(x + 4) % 5] ^ std::rotl(c[(x + 1) % 5], 1);
#pragma GCC unroll 5
      for (int y = 0; y < 25; y += 5) a[y + x] ^= d;
    }
    std::uint64_t carry = a[1];
#pragma GCC unroll 24
    for (int i = 0; i < 24; ++i) {
      const int j = kPi[static_cast<std::size_t>(i)];
      const std::uint64_t t = a[j];
      a[j] = std::rotl(carry, kRho[static_cast<std::size_t>(i)]);
      carry = t;
    }
#pragma GCC unroll 5
    for (int y = 0; y < 25; y += 5) {
      const std::uint64_t r0 = a[y], r1 = a[y + 1], r2 = a[y + 2], r3 = a[y + 3], r4 = a[y + 4];
      a[y] = r0 ^ (~r1 & r2);
      a[y + 1] = r1 ^ (~r2 & r3);
      a[y + 2] = r2 ^ (~r3 & r4);
      a[y + 3] = r3 ^ (~r4 & r0);
      a[y + 4] = r4 ^ (~r0 & r1);
    }
    a[0] ^= kRoundConstants[static_cast<std::size_t>(round)];
  }
  std::memcpy(state.data(), a, sizeof a);
}

void Keccak256::update(const void* data, std::size_t len) noexcept {
  const auto* p = static_cast<const std::uint8_t*>(data);
  auto* bytes = reinterpret_cast<std::uint8_t*>(state_.data());
  while (len > 0) {
    // Fast path: whole aligned lanes straight from the input.
    if (offset_ == 0 && len >= kRate) {
      for (std::size_t i = 0; i < kRate / 8; ++i) {
        std::uint64_t lane;
        std::memcpy(&lane, p + 8 * i, 8);
        state_[i] ^= lane;
      }
      keccak_f1600(state_);
      p += kRate;
      len -= kRate;
      continue;
    }
    const std::size_t take = len < kRate - offset_ ? len : kRate - offset_;
    for (std::size_t i = 0; i < take; ++i) bytes[offset_ + i] ^= p[i];
    offset_ += take;
    p += take;
    len -= take;
    if (offset_ == kRate) {
      keccak_f1600(state_);
      offset_ = 0;
    }
  }
}

Hash256 Keccak256::finish() noexcept {
  auto* bytes = reinterpret_cast<std::uint8_t*>(state_.data());
  bytes[offset_] ^= 0x01;
  bytes[kRate - 1] ^= 0x80;
  keccak_f1600(state_);
  Hash256 out;
  std::memcpy(out.data(), bytes, out.size());
  state_.fill(0);
  offset_ = 0;
  return out;
}

Hash256 keccak256(const void* data, std::size_t len) noexcept {
  Keccak256 k;
  k.update(data, len);
  return k.finish();
}

}  // namespace polybot::oms
