// Hex helpers shared by the oms tests.
#pragma once

#include <cstdint>
#include <string>

#include "oms/crypto/hex.hpp"

namespace polybot::oms::test {

inline std::string to_hex(const std::uint8_t* data, std::size_t len) {
  std::string s(2 * len, '0');
  write_hex(data, len, s.data());
  return "0x" + s;
}
template <class A>
std::string to_hex(const A& a) {
  return to_hex(a.data(), a.size());
}

}  // namespace polybot::oms::test
