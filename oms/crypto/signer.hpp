// secp256k1 signing with libsecp256k1: recoverable ECDSA over a 32-byte digest, RFC 6979 deterministic nonce and
// low-s (what ethers/viem produce), emitted as 65 bytes r||s||v with v = 27 + recid. The Signer owns the one
// PrivateKey (moved in) and its derived address. Build at start-up (allocates the context); sign_digest is
// const, allocation-free and safe from one thread at a time per object (libsecp256k1 contexts are read-only
// during signing, so concurrent const calls are also fine). recover_address is a free function for verifiers.
#pragma once

#include <array>
#include <cstdint>

#include "core/result.hpp"
#include "oms/crypto/address.hpp"
#include "oms/crypto/keccak256.hpp"
#include "oms/secrets/private_key.hpp"

struct secp256k1_context_struct;

namespace polybot::oms {

struct Signature65 {
  std::array<std::uint8_t, 65> bytes{};  // r(32) || s(32) || v(1), v in {27, 28}
  bool operator==(const Signature65&) const noexcept = default;
};

class Signer {
 public:
  static Result<Signer, SecretError> make(PrivateKey key);

  Signer(const Signer&) = delete;
  Signer& operator=(const Signer&) = delete;
  Signer(Signer&& other) noexcept;
  Signer& operator=(Signer&& other) noexcept;
  ~Signer();

  [[nodiscard]] const Address& address() const noexcept { return address_; }
  [[nodiscard]] Signature65 sign_digest(const Hash256& digest) const noexcept;

 private:
  Signer(PrivateKey key, secp256k1_context_struct* ctx) noexcept;
  PrivateKey key_;
  secp256k1_context_struct* ctx_ = nullptr;
  Address address_{};
};

enum class RecoverErrc : std::uint8_t { kBadV, kBadSignature };
const char* to_string(RecoverErrc e) noexcept;

// The address whose key produced `sig` over `digest` (v may be 27/28 or 0/1). For the simulator and tests.
Result<Address, RecoverErrc> recover_address(const Hash256& digest, const std::uint8_t* sig65) noexcept;

// keccak256(uncompressed public key without the 0x04 prefix)[12..32].
Address address_from_public_key(const std::uint8_t* uncompressed65) noexcept;

}  // namespace polybot::oms
