// OpenSSL 3 deprecates the low-level SHA256_* calls, but they are the only allocation-free way to resume from a
// precomputed state (EVP_MD_CTX_copy allocates provider contexts). See docs/DECISIONS.md.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "oms/crypto/hmac_sha256.hpp"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <cstring>

namespace polybot::oms {

static_assert(sizeof(SHA256_CTX) <= 112, "HmacSha256 stores a SHA256_CTX in 112 bytes");

HmacSha256::HmacSha256() noexcept : HmacSha256(nullptr, 0) {}

HmacSha256::HmacSha256(const std::uint8_t* key, std::size_t len) noexcept {
  std::uint8_t block[64] = {};
  if (len > 64) {
    SHA256(key, len, block);
  } else if (len > 0) {
    std::memcpy(block, key, len);
  }
  std::uint8_t pad[64];
  SHA256_CTX ctx;
  for (int i = 0; i < 64; ++i) pad[i] = static_cast<std::uint8_t>(block[i] ^ 0x36);
  SHA256_Init(&ctx);
  SHA256_Update(&ctx, pad, 64);
  std::memcpy(inner_.data(), &ctx, sizeof ctx);
  for (int i = 0; i < 64; ++i) pad[i] = static_cast<std::uint8_t>(block[i] ^ 0x5c);
  SHA256_Init(&ctx);
  SHA256_Update(&ctx, pad, 64);
  std::memcpy(outer_.data(), &ctx, sizeof ctx);
  OPENSSL_cleanse(block, sizeof block);
  OPENSSL_cleanse(pad, sizeof pad);
  OPENSSL_cleanse(&ctx, sizeof ctx);
}

HmacSha256::~HmacSha256() {
  OPENSSL_cleanse(inner_.data(), inner_.size());
  OPENSSL_cleanse(outer_.data(), outer_.size());
}

std::array<std::uint8_t, 32> HmacSha256::mac(const std::string_view* parts, std::size_t count) const noexcept {
  SHA256_CTX ctx;
  std::memcpy(&ctx, inner_.data(), sizeof ctx);
  for (std::size_t i = 0; i < count; ++i) SHA256_Update(&ctx, parts[i].data(), parts[i].size());
  std::array<std::uint8_t, 32> inner_hash;
  SHA256_Final(inner_hash.data(), &ctx);
  std::memcpy(&ctx, outer_.data(), sizeof ctx);
  SHA256_Update(&ctx, inner_hash.data(), inner_hash.size());
  std::array<std::uint8_t, 32> out;
  SHA256_Final(out.data(), &ctx);
  return out;
}

}  // namespace polybot::oms
