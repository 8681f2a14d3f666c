// EIP-712 building blocks: 32-byte word encoding, domain separators and the final digest
// keccak256(0x19 0x01 || domainSeparator || structHash). Any thread; no allocation.
#pragma once

#include <cstdint>
#include <string_view>

#include "oms/crypto/address.hpp"
#include "oms/crypto/keccak256.hpp"
#include "oms/crypto/uint256.hpp"

namespace polybot::oms {

// The two domain types in use: with a verifying contract (the exchanges) and without (ClobAuthDomain).
inline constexpr std::string_view kEip712DomainType =
    "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)";
inline constexpr std::string_view kEip712DomainTypeNoContract = "EIP712Domain(string name,string version,uint256 chainId)";

// Appends EIP-712 static words to a Keccak256 state (each exactly 32 bytes).
struct Eip712Encoder {
  Keccak256 k;
  void word(const Hash256& w) noexcept { k.update(w.data(), w.size()); }
  void word(const U256& v) noexcept { k.update(v.be.data(), v.be.size()); }
  void uint(std::uint64_t v) noexcept { word(U256::from_u64(v)); }
  void address(const Address& a) noexcept;
  void string(std::string_view s) noexcept { word(keccak256(s)); }  // dynamic types are hashed
  Hash256 finish() noexcept { return k.finish(); }
};

// verifying_contract == nullptr selects the 3-field domain type.
Hash256 eip712_domain_separator(std::string_view name, std::string_view version, std::uint64_t chain_id,
                                const Address* verifying_contract) noexcept;

// keccak256(0x1901 || domain_separator || struct_hash): what gets signed.
Hash256 eip712_digest(const Hash256& domain_separator, const Hash256& struct_hash) noexcept;

}  // namespace polybot::oms
