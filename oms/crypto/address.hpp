// An Ethereum address (20 bytes) with EIP-55 checksummed formatting and strict parsing. Any thread; no
// allocation.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace polybot::oms {

struct Address {
  std::array<std::uint8_t, 20> bytes{};

  static constexpr std::size_t kHexLen = 42;  // "0x" + 40 digits

  bool operator==(const Address&) const noexcept = default;
  [[nodiscard]] bool is_zero() const noexcept;
  // "0x" + EIP-55 mixed-case checksum form, as ethers' getAddress() prints it; writes exactly kHexLen chars.
  void write_checksummed(char* out) const noexcept;
};

enum class AddressErrc : std::uint8_t {
  kBadLength,     // not 40 hex digits after an optional 0x
  kBadCharacter,  // a non-hex digit
  kBadChecksum,   // mixed case that is not the EIP-55 checksum
};

// Accepts all-lowercase, all-uppercase or correctly checksummed mixed case (the same rule as viem/ethers).
struct AddressParse {
  Address address;
  bool ok;
  AddressErrc error;
};
AddressParse parse_address(std::string_view text) noexcept;
const char* to_string(AddressErrc e) noexcept;

}  // namespace polybot::oms
