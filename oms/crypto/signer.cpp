#include "oms/crypto/signer.hpp"

#include <openssl/rand.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <cstring>

namespace polybot::oms {

Address address_from_public_key(const std::uint8_t* uncompressed65) noexcept {
  const Hash256 h = keccak256(uncompressed65 + 1, 64);
  Address a;
  std::memcpy(a.bytes.data(), h.data() + 12, 20);
  return a;
}

Result<Signer, SecretError> Signer::make(PrivateKey key) {
  if (secp256k1_ec_seckey_verify(secp256k1_context_static, key.bytes()) != 1) {
    return Err{SecretError{SecretErrc::kInvalidKey, "private key is not a valid secp256k1 secret key; value redacted"}};
  }
  secp256k1_context* ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
  // Blinding against timing side channels; it does not change the (RFC 6979) signatures.
  unsigned char seed[32];
  if (RAND_bytes(seed, sizeof seed) == 1 && secp256k1_context_randomize(ctx, seed) != 1) {
    secp256k1_context_destroy(ctx);
    return Err{SecretError{SecretErrc::kInvalidKey, "secp256k1 context randomisation failed"}};
  }
  return Signer(std::move(key), ctx);
}

Signer::Signer(PrivateKey key, secp256k1_context_struct* ctx) noexcept : key_(std::move(key)), ctx_(ctx) {
  secp256k1_pubkey pub;
  if (secp256k1_ec_pubkey_create(ctx_, &pub, key_.bytes()) == 1) {
    unsigned char ser[65];
    size_t len = sizeof ser;
    secp256k1_ec_pubkey_serialize(ctx_, ser, &len, &pub, SECP256K1_EC_UNCOMPRESSED);
    address_ = address_from_public_key(ser);
  }
}

Signer::Signer(Signer&& other) noexcept : key_(std::move(other.key_)), ctx_(other.ctx_), address_(other.address_) {
  other.ctx_ = nullptr;
}

Signer& Signer::operator=(Signer&& other) noexcept {
  if (this != &other) {
    if (ctx_ != nullptr) secp256k1_context_destroy(ctx_);
    key_ = std::move(other.key_);
    ctx_ = other.ctx_;
    address_ = other.address_;
    other.ctx_ = nullptr;
  }
  return *this;
}

Signer::~Signer() {
  if (ctx_ != nullptr) secp256k1_context_destroy(ctx_);
}

Signature65 Signer::sign_digest(const Hash256& digest) const noexcept {
  secp256k1_ecdsa_recoverable_signature rsig;
  // nullptr nonce function = secp256k1_nonce_function_rfc6979 with no extra entropy: deterministic.
  [[maybe_unused]] const int ok = secp256k1_ecdsa_sign_recoverable(ctx_, &rsig, digest.data(), key_.bytes(), nullptr, nullptr);
  Signature65 out;
  int recid = 0;
  secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx_, out.bytes.data(), &recid, &rsig);
  out.bytes[64] = static_cast<std::uint8_t>(27 + recid);
  return out;
}

const char* to_string(RecoverErrc e) noexcept {
  switch (e) {
    case RecoverErrc::kBadV: return "signature v must be 27/28 (or 0/1)";
    case RecoverErrc::kBadSignature: return "signature does not recover to a public key";
  }
  return "bad signature";
}

Result<Address, RecoverErrc> recover_address(const Hash256& digest, const std::uint8_t* sig65) noexcept {
  int v = sig65[64];
  if (v >= 27) v -= 27;
  if (v < 0 || v > 1) return Err{RecoverErrc::kBadV};
  secp256k1_ecdsa_recoverable_signature rsig;
  if (secp256k1_ecdsa_recoverable_signature_parse_compact(secp256k1_context_static, &rsig, sig65, v) != 1) {
    return Err{RecoverErrc::kBadSignature};
  }
  secp256k1_pubkey pub;
  if (secp256k1_ecdsa_recover(secp256k1_context_static, &pub, &rsig, digest.data()) != 1) {
    return Err{RecoverErrc::kBadSignature};
  }
  unsigned char ser[65];
  size_t len = sizeof ser;
  secp256k1_ec_pubkey_serialize(secp256k1_context_static, ser, &len, &pub, SECP256K1_EC_UNCOMPRESSED);
  return address_from_public_key(ser);
}

}  // namespace polybot::oms
