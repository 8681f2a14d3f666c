#include "oms/crypto/keccak256.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/oms/test_hex.hpp"

namespace polybot::oms {
namespace {

using test::to_hex;

std::vector<std::uint8_t> counting(std::size_t n) {
  std::vector<std::uint8_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(i & 0xff);
  return v;
}

TEST(Keccak256, HashesEmptyStringToThePublishedValue) {
  EXPECT_EQ(to_hex(keccak256("")), "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
}

TEST(Keccak256, HashesAbcToThePublishedValue) {
  EXPECT_EQ(to_hex(keccak256("abc")), "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
}

TEST(Keccak256, IsNotNistSha3) {
  // SHA3-256("abc") = 3a985da7...; Ethereum uses the original Keccak padding.
  EXPECT_NE(to_hex(keccak256("abc")).substr(0, 10), "0x3a985da7");
}

TEST(Keccak256, HashesQuickBrownFox) {
  EXPECT_EQ(to_hex(keccak256("The quick brown fox jumps over the lazy dog")),
            "0x4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15");
}

TEST(Keccak256, Hashes200BytesOfA3) {
  const std::vector<std::uint8_t> m(200, 0xa3);
  EXPECT_EQ(to_hex(keccak256(m.data(), m.size())),
            "0x3a57666b048777f2c953dc4456f45a2588e1cb6f2da760122d530ac2ce607d4a");
}

TEST(Keccak256, HandlesRateBoundaries135And136And137) {
  const auto m135 = counting(135), m136 = counting(136), m137 = counting(137), m272 = counting(272);
  EXPECT_EQ(to_hex(keccak256(m135.data(), m135.size())),
            "0xcbdfd9dee5faad3818d6b06f95a219fd290b0e1706f6a82e5a595b9ce9faca62");
  EXPECT_EQ(to_hex(keccak256(m136.data(), m136.size())),
            "0x7ce759f1ab7f9ce437719970c26b0a66ff11fe3e38e17df89cf5d29c7d7f807e");
  EXPECT_EQ(to_hex(keccak256(m137.data(), m137.size())),
            "0xac73d4fae68b8453f764007c1a20ce95994187861f0c3227a3a8e99a73a3b1db");
  EXPECT_EQ(to_hex(keccak256(m272.data(), m272.size())),
            "0xfdf2ec49e749960d3c8521a0219af8d03e30e2b3bf19bd16150ee0eaf133d66e");
}

TEST(Keccak256, HashesAMillionAs) {
  const std::string m(1000000, 'a');
  EXPECT_EQ(to_hex(keccak256(m)), "0xfadae6b49f129bbb812be8407b7b2894f34aecf6dbd1f9b0f0c7e9853098fc96");
}

TEST(Keccak256, IncrementalUpdatesMatchOneShotForEverySplit) {
  const auto m = counting(1000);
  const Hash256 expect = keccak256(m.data(), m.size());
  for (std::size_t split : {0, 1, 7, 135, 136, 137, 271, 272, 500, 999, 1000}) {
    Keccak256 k;
    k.update(m.data(), split);
    k.update(m.data() + split, m.size() - split);
    EXPECT_EQ(k.finish(), expect) << "split at " << split;
  }
  // Byte by byte, and reuse after finish().
  Keccak256 k;
  for (auto b : m) k.update(&b, 1);
  EXPECT_EQ(k.finish(), expect);
  k.update("abc");
  EXPECT_EQ(to_hex(k.finish()), "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
}

}  // namespace
}  // namespace polybot::oms
