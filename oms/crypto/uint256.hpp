// A uint256 as the 32-byte big-endian word EIP-712 encodes, parsed from decimal text (token ids are up to 78
// digits). Parsing is off the hot path (token ids are resolved at market roll-over). Any thread; no allocation.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace polybot::oms {

struct U256 {
  std::array<std::uint8_t, 32> be{};  // big-endian

  static U256 from_u64(std::uint64_t v) noexcept;
  bool operator==(const U256&) const noexcept = default;
};

// Digits only (no sign, no spaces, no leading '+'); false on empty, a non-digit, or a value >= 2^256.
[[nodiscard]] bool parse_u256_decimal(std::string_view text, U256& out) noexcept;

}  // namespace polybot::oms
