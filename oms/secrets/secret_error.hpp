// The error type of key and credential loading. Its text names the source (path, mode, variable name) and what is
// wrong, never the secret's value. Start-up only; allocates.
#pragma once

#include <cstdint>
#include <string>

namespace polybot::oms {

enum class SecretErrc : std::uint8_t {
  kMissing,          // no key file given and the environment variable is unset/empty
  kUnreadable,       // open/read failed
  kBadPermissions,   // the key file is readable or writable by group/others
  kBadFormat,        // not 64 hex digits (key) / not base64 (API secret) / empty field
  kInvalidKey,       // zero or >= the secp256k1 group order
};

struct SecretError {
  SecretErrc code;
  std::string message;  // safe to print: never contains secret material
};

}  // namespace polybot::oms
