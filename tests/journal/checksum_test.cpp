#include "journal/checksum.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string_view>
#include <vector>

namespace polybot::journal {
namespace {

TEST(Crc32c, MatchesTheStandardCheckValue) {
  constexpr std::string_view kCheck = "123456789";
  EXPECT_EQ(crc32c_portable(kCheck.data(), kCheck.size()), 0xE3069283u);
  EXPECT_EQ(crc32c(kCheck.data(), kCheck.size()), 0xE3069283u);
}

TEST(Crc32c, HardwareAndPortableAgreeOnEveryLengthAndAlignment) {
  std::mt19937_64 rng(7);
  std::vector<unsigned char> buf(600);
  for (auto& b : buf) b = static_cast<unsigned char>(rng());
  for (std::size_t off = 0; off < 8; ++off) {
    for (std::size_t n = 0; n + off <= buf.size(); n += 13) {
      ASSERT_EQ(crc32c(buf.data() + off, n), crc32c_portable(buf.data() + off, n)) << off << " " << n;
    }
  }
}

TEST(Xxh3, DiffersWhenOneBitFlips) {
  std::vector<unsigned char> buf(512, 0x5a);
  const auto before = xxh3_64(buf.data(), buf.size());
  buf[100] ^= 0x01;
  EXPECT_NE(before, xxh3_64(buf.data(), buf.size()));
}

}  // namespace
}  // namespace polybot::journal
