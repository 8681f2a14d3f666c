#include "oms/crypto/uint256.hpp"

namespace polybot::oms {

U256 U256::from_u64(std::uint64_t v) noexcept {
  U256 u;
  for (int i = 0; i < 8; ++i) u.be[31 - static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
  return u;
}

bool parse_u256_decimal(std::string_view text, U256& out) noexcept {
  if (text.empty() || text.size() > 78) return false;
  U256 acc;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    // acc = acc * 10 + digit, byte by byte from the least significant end.
    unsigned carry = static_cast<unsigned>(c - '0');
    for (int i = 31; i >= 0; --i) {
      const unsigned v = acc.be[static_cast<std::size_t>(i)] * 10u + carry;
      acc.be[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v & 0xff);
      carry = v >> 8;
    }
    if (carry != 0) return false;  // overflowed 2^256
  }
  out = acc;
  return true;
}

}  // namespace polybot::oms
