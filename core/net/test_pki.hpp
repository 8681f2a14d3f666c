// TestPki: a throw-away PKI made at run time with OpenSSL 3 (nothing committed): a CA, a server certificate for
// localhost / 127.0.0.1 / ::1 signed by it, and a certificate for a different host name signed by the same CA.
// For tests and the simulator's start-up. Allocates and takes a few ms (P-256 keys); any thread.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/net/net_error.hpp"
#include "core/result.hpp"

namespace polybot::net {

struct PemPair {
  std::string cert_pem;  // leaf certificate (PEM)
  std::string key_pem;   // its private key (PKCS#8 PEM); test material, never a production secret
};

struct TestPkiPaths {
  std::filesystem::path ca_cert;
  std::filesystem::path server_cert, server_key;
  std::filesystem::path wrong_host_cert, wrong_host_key;
};

struct TestPki {
  std::string ca_cert_pem;
  std::string ca_key_pem;
  PemPair server;      // SANs: DNS:localhost, IP:127.0.0.1, IP:::1
  PemPair wrong_host;  // SAN: DNS:wrong-host.invalid (same CA), to prove host-name checking

  // Makes a fresh CA and both leaves. `ca_name` lands in the CA's subject CN.
  [[nodiscard]] static Result<TestPki, NetError> create(const std::string& ca_name = "polybot test CA");
  // Issues one more leaf from this CA for the given DNS names / IP literals.
  [[nodiscard]] Result<PemPair, NetError> issue(const std::vector<std::string>& dns_names,
                                                const std::vector<std::string>& ips) const;
  // Writes ca.pem, server.pem, server.key, wrong-host.pem, wrong-host.key into dir (created; keys 0600).
  [[nodiscard]] Result<TestPkiPaths, NetError> write_to(const std::filesystem::path& dir) const;
};

}  // namespace polybot::net
