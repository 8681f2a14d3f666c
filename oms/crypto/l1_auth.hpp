// CLOB L1 authentication: the EIP-712 ClobAuth signature used to create or derive API keys.
//   ClobAuth(address address,string timestamp,uint256 nonce,string message), domain {name, version, chainId}
// (no verifying contract). The timestamp is typed string, so it is hashed as its decimal text. Start-up path
// (one signature per key derivation); no allocation.
#pragma once

#include <cstdint>
#include <string_view>

#include "oms/crypto/address.hpp"
#include "oms/crypto/keccak256.hpp"
#include "oms/crypto/signer.hpp"

namespace polybot::oms {

inline constexpr std::string_view kClobAuthType =
    "ClobAuth(address address,string timestamp,uint256 nonce,string message)";

Hash256 clob_auth_struct_hash(const Address& address, std::uint64_t timestamp_s, std::uint64_t nonce,
                              std::string_view message) noexcept;

// auth_domain: ExchangeDomains::auth_domain(); message: ExchangeDomains::auth_message().
Hash256 clob_auth_digest(const Hash256& auth_domain, const Address& address, std::uint64_t timestamp_s,
                         std::uint64_t nonce, std::string_view message) noexcept;

struct L1Headers {
  Address address{};          // POLY_ADDRESS (checksummed when printed)
  Signature65 signature{};    // POLY_SIGNATURE ("0x" + 130 hex)
  std::uint64_t timestamp_s = 0;  // POLY_TIMESTAMP
  std::uint64_t nonce = 0;        // POLY_NONCE
};

L1Headers make_l1_headers(const Signer& signer, const Hash256& auth_domain, std::string_view message,
                          std::uint64_t timestamp_s, std::uint64_t nonce) noexcept;

}  // namespace polybot::oms
