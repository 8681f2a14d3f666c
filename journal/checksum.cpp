#include "journal/checksum.hpp"

#include <array>
#include <cstring>

#include <xxhash.h>

#if defined(__x86_64__) && defined(__SSE4_2__)
#include <nmmintrin.h>
#define POLYBOT_HAVE_SSE42 1
#endif

namespace polybot::journal {
namespace {

constexpr std::array<std::uint32_t, 256> make_table() noexcept {
  std::array<std::uint32_t, 256> t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1u) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
    t[i] = c;
  }
  return t;
}
constexpr auto kTable = make_table();

#ifdef POLYBOT_HAVE_SSE42
std::uint32_t crc32c_sse42(const void* data, std::size_t n, std::uint32_t crc) noexcept {
  const auto* p = static_cast<const unsigned char*>(data);
  std::uint64_t c = ~crc;
  while (n >= 8) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    c = _mm_crc32_u64(c, v);
    p += 8;
    n -= 8;
  }
  auto c32 = static_cast<std::uint32_t>(c);
  while (n-- > 0) c32 = _mm_crc32_u8(c32, *p++);
  return ~c32;
}
#endif

}  // namespace

std::uint32_t crc32c_portable(const void* data, std::size_t n, std::uint32_t crc) noexcept {
  const auto* p = static_cast<const unsigned char*>(data);
  std::uint32_t c = ~crc;
  while (n-- > 0) c = kTable[(c ^ *p++) & 0xFFu] ^ (c >> 8);
  return ~c;
}

bool crc32c_hardware() noexcept {
#ifdef POLYBOT_HAVE_SSE42
  static const bool has = __builtin_cpu_supports("sse4.2");
  return has;
#else
  return false;
#endif
}

std::uint32_t crc32c(const void* data, std::size_t n, std::uint32_t crc) noexcept {
#ifdef POLYBOT_HAVE_SSE42
  if (crc32c_hardware()) return crc32c_sse42(data, n, crc);
#endif
  return crc32c_portable(data, n, crc);
}

std::uint64_t xxh3_64(const void* data, std::size_t n) noexcept { return XXH3_64bits(data, n); }

}  // namespace polybot::journal
