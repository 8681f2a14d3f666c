#include "oms/secrets/private_key.hpp"

#include <fcntl.h>
#include <secp256k1.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "oms/crypto/hex.hpp"

namespace polybot::oms {
namespace {

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string mode_text(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

}  // namespace

PrivateKey::PrivateKey(PrivateKey&& other) noexcept : bytes_(other.bytes_) {
  OPENSSL_cleanse(other.bytes_.data(), other.bytes_.size());
}

PrivateKey& PrivateKey::operator=(PrivateKey&& other) noexcept {
  if (this != &other) {
    bytes_ = other.bytes_;
    OPENSSL_cleanse(other.bytes_.data(), other.bytes_.size());
  }
  return *this;
}

PrivateKey::~PrivateKey() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }

Result<PrivateKey, SecretError> PrivateKey::from_hex(std::string_view text, std::string_view source) {
  text = trim(text);
  PrivateKey key;
  if (!parse_hex(text, key.bytes_.data(), key.bytes_.size())) {
    return Err{SecretError{SecretErrc::kBadFormat, "private key from " + std::string(source) +
                                                       " is not 64 hex digits (optional 0x prefix); value redacted"}};
  }
  if (secp256k1_ec_seckey_verify(secp256k1_context_static, key.bytes_.data()) != 1) {
    return Err{SecretError{SecretErrc::kInvalidKey, "private key from " + std::string(source) +
                                                        " is not a valid secp256k1 secret key; value redacted"}};
  }
  return key;
}

Result<PrivateKey, SecretError> PrivateKey::from_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Err{SecretError{SecretErrc::kUnreadable,
                           "key file " + path + ": cannot open (" + std::strerror(errno) + ")"}};
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int e = errno;
    ::close(fd);
    return Err{SecretError{SecretErrc::kUnreadable, "key file " + path + ": cannot stat (" + std::strerror(e) + ")"}};
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    return Err{SecretError{SecretErrc::kBadPermissions,
                           "key file " + path + " has mode " + mode_text(st.st_mode) +
                               ": it must not be accessible by group or others (run: chmod 600 " + path + ")"}};
  }
  char buf[256];
  std::size_t n = 0;
  while (n < sizeof buf) {
    const ssize_t r = ::read(fd, buf + n, sizeof buf - n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    n += static_cast<std::size_t>(r);
  }
  ::close(fd);
  auto key = from_hex(std::string_view(buf, n), "key file " + path);
  OPENSSL_cleanse(buf, sizeof buf);
  return key;
}

Result<PrivateKey, SecretError> PrivateKey::from_env(const char* variable) {
  const char* v = std::getenv(variable);
  if (v == nullptr || *v == '\0') {
    return Err{SecretError{SecretErrc::kMissing, std::string("no private key: pass --key-file PATH (or key_file in "
                                                             "the config) or set ") + variable}};
  }
  return from_hex(v, std::string("environment variable ") + variable);
}

Result<PrivateKey, SecretError> PrivateKey::load(const std::string& key_file) {
  if (!key_file.empty()) return from_file(key_file);
  return from_env();
}

}  // namespace polybot::oms
