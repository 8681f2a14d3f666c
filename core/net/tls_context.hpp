// TLS contexts. TlsClientContext verifies every peer (chain against the system trust store plus optional extra
// CAs; host name or IP against the certificate's SANs; SNI sent). TlsServerContext holds a certificate chain
// and key. Create at start-up (allocates, reads files); afterwards a context is shared read-only by any number
// of sessions on any threads (OpenSSL SSL_CTX is thread-safe once configured).
#pragma once

#include <memory>
#include <string>

#include "core/net/net_error.hpp"
#include "core/result.hpp"

namespace polybot::net {

struct TlsClientOptions {
  bool use_system_trust = true;  // load the OS default verify paths (/etc/ssl/certs)
  std::string extra_ca_pem{};      // PEM text of one or more extra trusted CAs (e.g. a test or simulator CA)
  std::string extra_ca_file{};     // path of a PEM file of extra trusted CAs
};

struct TlsServerOptions {
  std::string cert_chain_pem{};  // leaf first, then intermediates
  std::string private_key_pem{};
};

struct TlsError {
  NetError code = NetError::kTlsSetup;
  std::string detail;  // which field failed and OpenSSL's reason; never contains key material
};

class TlsClientContext {
 public:
  [[nodiscard]] static Result<TlsClientContext, TlsError> create(const TlsClientOptions& opts);
  // For net's .cpp files: the boost::asio::ssl::context (opaque here to keep Boost out of this header).
  [[nodiscard]] void* native() const noexcept;

  struct Impl;

 private:
  explicit TlsClientContext(std::shared_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}
  std::shared_ptr<Impl> impl_;
};

class TlsServerContext {
 public:
  [[nodiscard]] static Result<TlsServerContext, TlsError> create(const TlsServerOptions& opts);
  [[nodiscard]] void* native() const noexcept;

  struct Impl;

 private:
  explicit TlsServerContext(std::shared_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}
  std::shared_ptr<Impl> impl_;
};

}  // namespace polybot::net
