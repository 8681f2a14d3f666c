// CLOB L2 API credentials: the key id (sent as POLY_API_KEY and as the order body's `owner`), the HMAC secret
// (kept only as precomputed HMAC-SHA256 states) and the passphrase. One object, non-copyable, wiped on
// destruction and on move-from; no operator<<; errors never contain a secret. Loading is start-up only.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "oms/crypto/hmac_sha256.hpp"
#include "oms/secrets/secret_error.hpp"

namespace polybot::oms {

inline constexpr const char* kApiKeyEnv = "POLYBOT_API_KEY";
inline constexpr const char* kApiSecretEnv = "POLYBOT_API_SECRET";
inline constexpr const char* kApiPassphraseEnv = "POLYBOT_API_PASSPHRASE";

class ApiCredentials {
 public:
  static constexpr std::size_t kMaxField = 128;

  // secret: base64 (URL-safe or standard, padded or not), as POST /auth/api-key returns it.
  static Result<ApiCredentials, SecretError> make(std::string_view api_key, std::string_view secret,
                                                  std::string_view passphrase);
  static Result<ApiCredentials, SecretError> from_env();

  ApiCredentials(const ApiCredentials&) = delete;
  ApiCredentials& operator=(const ApiCredentials&) = delete;
  ApiCredentials(ApiCredentials&& other) noexcept;
  ApiCredentials& operator=(ApiCredentials&& other) noexcept;
  ~ApiCredentials();

  [[nodiscard]] std::string_view api_key() const noexcept { return {api_key_.data(), api_key_len_}; }
  // For the POLY_PASSPHRASE header only.
  [[nodiscard]] std::string_view passphrase() const noexcept { return {passphrase_.data(), passphrase_len_}; }
  [[nodiscard]] const HmacSha256& hmac() const noexcept { return hmac_; }

 private:
  ApiCredentials() = default;
  void wipe() noexcept;

  std::array<char, kMaxField> api_key_{};
  std::size_t api_key_len_ = 0;
  std::array<char, kMaxField> passphrase_{};
  std::size_t passphrase_len_ = 0;
  HmacSha256 hmac_;
};

}  // namespace polybot::oms
