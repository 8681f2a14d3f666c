// Internal to polybot::net's .cpp files (includes Boost): error classification, TLS peer-verification setup,
// and the relaxed counter helper. Not for users of polybot::net.
#pragma once

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_static_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/websocket/error.hpp>
#include <cstdint>
#include <string>

#include "core/net/net_error.hpp"
#include "core/net/url.hpp"

namespace polybot::net::detail {

// Single writer (the owning thread), any reader: a plain load+store, no locked instruction on x86.
inline void bump(std::atomic<std::uint64_t>& c, std::uint64_t n = 1) noexcept {
  c.store(c.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
}

// A DynamicBuffer over memory we allocated once (flat_static_buffer_base with its reset() made public).
class StaticBuffer : public boost::beast::flat_static_buffer_base {
 public:
  StaticBuffer() noexcept : flat_static_buffer_base(nullptr, 0) {}
  using flat_static_buffer_base::reset;
};

// Maps an error from an established or establishing stream to a NetError.
inline NetError classify(const boost::system::error_code& ec, NetError fallback) noexcept {
  namespace ws = boost::beast::websocket;
  namespace http = boost::beast::http;
  namespace asio_err = boost::asio::error;
  if (ec == ws::error::closed || ec == asio_err::eof || ec == http::error::end_of_stream) {
    return NetError::kClosedByPeer;
  }
  if (ec == asio_err::connection_reset || ec == asio_err::broken_pipe || ec == asio_err::connection_aborted ||
      ec == boost::asio::ssl::error::stream_truncated || ec == http::error::partial_message) {
    return NetError::kReset;
  }
  if (ec == ws::error::message_too_big || ec == ws::error::buffer_overflow || ec == http::error::body_limit ||
      ec == http::error::buffer_overflow || ec == http::error::header_limit) {
    return NetError::kFrameTooLarge;
  }
  if (ec == boost::beast::error::timeout) return NetError::kTimeout;
  if (ec.category() == make_error_code(http::error::bad_method).category() ||
      ec.category() == make_error_code(ws::error::bad_opcode).category()) {
    return fallback == NetError::kWsHandshake ? fallback : NetError::kProtocol;
  }
  return fallback;
}

// Sets SNI (DNS names only) and the host / IP the peer's certificate must match. Returns false on OpenSSL
// failure. Verification mode itself (verify_peer) comes from the context.
inline bool set_peer_identity(SSL* ssl, const std::string& host) noexcept {
  if (is_ip_literal(host)) {
    return X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str()) == 1;
  }
  if (SSL_set_tlsext_host_name(ssl, host.c_str()) != 1) return false;
  return SSL_set1_host(ssl, host.c_str()) == 1;
}

// After a failed TLS handshake: kCertificate with the verifier's reason when the peer certificate was refused.
inline NetError classify_handshake(SSL* ssl, std::string& detail) {
  const long v = SSL_get_verify_result(ssl);
  if (v != X509_V_OK) {
    detail = std::string("certificate rejected: ") + X509_verify_cert_error_string(v);
    return NetError::kCertificate;
  }
  return NetError::kTlsHandshake;
}

}  // namespace polybot::net::detail
