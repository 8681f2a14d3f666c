#include "core/net/test_pki.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <fstream>
#include <memory>

namespace polybot::net {

namespace {

struct Free {
  void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
  void operator()(X509* p) const noexcept { X509_free(p); }
  void operator()(BIO* p) const noexcept { BIO_free(p); }
  void operator()(X509_EXTENSION* p) const noexcept { X509_EXTENSION_free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Free>;
using CertPtr = std::unique_ptr<X509, Free>;
using BioPtr = std::unique_ptr<BIO, Free>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Free>;

KeyPtr make_key() { return KeyPtr(EVP_EC_gen("P-256")); }

std::string bio_string(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(n));
}

std::string cert_pem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert);
  return bio_string(bio.get());
}

std::string key_pem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  return bio_string(bio.get());
}

bool add_ext(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

// A certificate valid from one hour ago for `days`, with a random 64-bit serial.
CertPtr make_cert(EVP_PKEY* key, const std::string& cn) {
  CertPtr cert(X509_new());
  if (!cert) return nullptr;
  X509_set_version(cert.get(), 2);  // v3
  unsigned char serial[8];
  RAND_bytes(serial, sizeof(serial));
  serial[0] &= 0x7F;
  BIGNUM* bn = BN_bin2bn(serial, sizeof(serial), nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 60L * 60 * 24 * 30);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("polybot test"), -1,
                             -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn.c_str()), -1,
                             -1, 0);
  return cert;
}

struct Loaded {
  CertPtr cert;
  KeyPtr key;
};

Loaded load_ca(const std::string& cert_text, const std::string& key_text) {
  BioPtr cb(BIO_new_mem_buf(cert_text.data(), static_cast<int>(cert_text.size())));
  BioPtr kb(BIO_new_mem_buf(key_text.data(), static_cast<int>(key_text.size())));
  return Loaded{CertPtr(PEM_read_bio_X509(cb.get(), nullptr, nullptr, nullptr)),
                KeyPtr(PEM_read_bio_PrivateKey(kb.get(), nullptr, nullptr, nullptr))};
}

bool write_file(const std::filesystem::path& p, const std::string& text, bool secret) {
  {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    if (!out) return false;
    out << text;
    if (!out) return false;
  }
  return !secret || ::chmod(p.c_str(), 0600) == 0;
}

}  // namespace

Result<TestPki, NetError> TestPki::create(const std::string& ca_name) {
  KeyPtr ca_key = make_key();
  if (!ca_key) return Err{NetError::kTlsSetup};
  CertPtr ca = make_cert(ca_key.get(), ca_name);
  if (!ca) return Err{NetError::kTlsSetup};
  X509_set_issuer_name(ca.get(), X509_get_subject_name(ca.get()));
  if (!add_ext(ca.get(), ca.get(), NID_basic_constraints, "critical,CA:TRUE") ||
      !add_ext(ca.get(), ca.get(), NID_key_usage, "critical,keyCertSign,cRLSign") ||
      !add_ext(ca.get(), ca.get(), NID_subject_key_identifier, "hash")) {
    return Err{NetError::kTlsSetup};
  }
  if (X509_sign(ca.get(), ca_key.get(), EVP_sha256()) == 0) return Err{NetError::kTlsSetup};

  TestPki pki;
  pki.ca_cert_pem = cert_pem(ca.get());
  pki.ca_key_pem = key_pem(ca_key.get());
  auto server = pki.issue({"localhost"}, {"127.0.0.1", "::1"});
  if (!server) return Err{server.error()};
  pki.server = std::move(server.value());
  auto wrong = pki.issue({"wrong-host.invalid"}, {});
  if (!wrong) return Err{wrong.error()};
  pki.wrong_host = std::move(wrong.value());
  return pki;
}

Result<PemPair, NetError> TestPki::issue(const std::vector<std::string>& dns_names,
                                         const std::vector<std::string>& ips) const {
  Loaded ca = load_ca(ca_cert_pem, ca_key_pem);
  if (!ca.cert || !ca.key) return Err{NetError::kTlsSetup};
  KeyPtr key = make_key();
  if (!key) return Err{NetError::kTlsSetup};
  const std::string cn = dns_names.empty() ? (ips.empty() ? "leaf" : ips.front()) : dns_names.front();
  CertPtr cert = make_cert(key.get(), cn);
  if (!cert) return Err{NetError::kTlsSetup};
  X509_set_issuer_name(cert.get(), X509_get_subject_name(ca.cert.get()));
  std::string san;
  for (const auto& d : dns_names) san += (san.empty() ? "" : ",") + std::string("DNS:") + d;
  for (const auto& ip : ips) san += (san.empty() ? "" : ",") + std::string("IP:") + ip;
  if (san.empty() || !add_ext(cert.get(), ca.cert.get(), NID_subject_alt_name, san) ||
      !add_ext(cert.get(), ca.cert.get(), NID_basic_constraints, "critical,CA:FALSE") ||
      !add_ext(cert.get(), ca.cert.get(), NID_key_usage, "critical,digitalSignature,keyEncipherment") ||
      !add_ext(cert.get(), ca.cert.get(), NID_ext_key_usage, "serverAuth") ||
      !add_ext(cert.get(), ca.cert.get(), NID_authority_key_identifier, "keyid:always")) {
    return Err{NetError::kTlsSetup};
  }
  if (X509_sign(cert.get(), ca.key.get(), EVP_sha256()) == 0) return Err{NetError::kTlsSetup};
  return PemPair{cert_pem(cert.get()), key_pem(key.get())};
}

Result<TestPkiPaths, NetError> TestPki::write_to(const std::filesystem::path& dir) const {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Err{NetError::kIo};
  TestPkiPaths p{dir / "ca.pem",        dir / "server.pem",    dir / "server.key",
                 dir / "wrong-host.pem", dir / "wrong-host.key"};
  if (!write_file(p.ca_cert, ca_cert_pem, false) || !write_file(p.server_cert, server.cert_pem, false) ||
      !write_file(p.server_key, server.key_pem, true) ||
      !write_file(p.wrong_host_cert, wrong_host.cert_pem, false) ||
      !write_file(p.wrong_host_key, wrong_host.key_pem, true)) {
    return Err{NetError::kIo};
  }
  return p;
}

}  // namespace polybot::net
