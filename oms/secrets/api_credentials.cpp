#include "oms/secrets/api_credentials.hpp"

#include <openssl/crypto.h>

#include <cstdlib>
#include <cstring>

#include "oms/crypto/base64.hpp"

namespace polybot::oms {

Result<ApiCredentials, SecretError> ApiCredentials::make(std::string_view api_key, std::string_view secret,
                                                         std::string_view passphrase) {
  if (api_key.empty() || api_key.size() > kMaxField) {
    return Err{SecretError{SecretErrc::kBadFormat, "API key must be 1.." + std::to_string(kMaxField) + " characters"}};
  }
  if (passphrase.empty() || passphrase.size() > kMaxField) {
    return Err{SecretError{SecretErrc::kBadFormat,
                           "API passphrase must be 1.." + std::to_string(kMaxField) + " characters; value redacted"}};
  }
  std::uint8_t key[kMaxField];
  std::size_t key_len = 0;
  if (secret.empty() || !base64_decode_any(secret, key, sizeof key, key_len) || key_len == 0) {
    OPENSSL_cleanse(key, sizeof key);
    return Err{SecretError{SecretErrc::kBadFormat, "API secret is not base64 (URL-safe or standard); value redacted"}};
  }
  ApiCredentials c;
  std::memcpy(c.api_key_.data(), api_key.data(), api_key.size());
  c.api_key_len_ = api_key.size();
  std::memcpy(c.passphrase_.data(), passphrase.data(), passphrase.size());
  c.passphrase_len_ = passphrase.size();
  c.hmac_ = HmacSha256(key, key_len);
  OPENSSL_cleanse(key, sizeof key);
  return c;
}

Result<ApiCredentials, SecretError> ApiCredentials::from_env() {
  const char* names[3] = {kApiKeyEnv, kApiSecretEnv, kApiPassphraseEnv};
  const char* values[3];
  for (int i = 0; i < 3; ++i) {
    values[i] = std::getenv(names[i]);
    if (values[i] == nullptr || *values[i] == '\0') {
      return Err{SecretError{SecretErrc::kMissing, std::string("API credentials: environment variable ") + names[i] +
                                                       " is not set"}};
    }
  }
  return make(values[0], values[1], values[2]);
}

ApiCredentials::ApiCredentials(ApiCredentials&& other) noexcept
    : api_key_(other.api_key_),
      api_key_len_(other.api_key_len_),
      passphrase_(other.passphrase_),
      passphrase_len_(other.passphrase_len_),
      hmac_(other.hmac_) {
  other.wipe();
}

ApiCredentials& ApiCredentials::operator=(ApiCredentials&& other) noexcept {
  if (this != &other) {
    api_key_ = other.api_key_;
    api_key_len_ = other.api_key_len_;
    passphrase_ = other.passphrase_;
    passphrase_len_ = other.passphrase_len_;
    hmac_ = other.hmac_;
    other.wipe();
  }
  return *this;
}

ApiCredentials::~ApiCredentials() { wipe(); }

void ApiCredentials::wipe() noexcept {
  OPENSSL_cleanse(api_key_.data(), api_key_.size());
  OPENSSL_cleanse(passphrase_.data(), passphrase_.size());
  api_key_len_ = 0;
  passphrase_len_ = 0;
  hmac_ = HmacSha256();
}

}  // namespace polybot::oms
