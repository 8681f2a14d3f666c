// The trading private key (secp256k1, 32 bytes). It lives in exactly ONE object: non-copyable, movable, wiped with
// OPENSSL_cleanse on destruction and on move-from. No operator<<, no accessor that formats it; errors name the
// source (path, file mode, variable), never the value. Loading is start-up only (allocates on the error path).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "oms/secrets/secret_error.hpp"

namespace polybot::oms {

inline constexpr const char* kPrivateKeyEnv = "POLYBOT_PRIVATE_KEY";

class PrivateKey {
 public:
  // 64 hex digits, optional 0x, surrounding whitespace ignored. `source` names where the text came from for errors.
  static Result<PrivateKey, SecretError> from_hex(std::string_view text, std::string_view source);
  // Refuses a file whose mode grants any permission to group or others (error names path and mode).
  static Result<PrivateKey, SecretError> from_file(const std::string& path);
  static Result<PrivateKey, SecretError> from_env(const char* variable = kPrivateKeyEnv);
  // key_file if non-empty, else the environment variable.
  static Result<PrivateKey, SecretError> load(const std::string& key_file);

  PrivateKey(const PrivateKey&) = delete;
  PrivateKey& operator=(const PrivateKey&) = delete;
  PrivateKey(PrivateKey&& other) noexcept;
  PrivateKey& operator=(PrivateKey&& other) noexcept;
  ~PrivateKey();

  // The raw 32 bytes, for the signer only.
  [[nodiscard]] const std::uint8_t* bytes() const noexcept { return bytes_.data(); }

 private:
  PrivateKey() = default;
  std::array<std::uint8_t, 32> bytes_{};
};

}  // namespace polybot::oms
