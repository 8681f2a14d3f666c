// Shared helpers for the polybot::net tests: one TestPki per test binary, a TLS server factory, and recording
// handlers. Test-only; single-threaded use from the test body (the server runs its own thread).
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/net/http_client.hpp"
#include "core/net/io_loop.hpp"
#include "core/net/server.hpp"
#include "core/net/test_pki.hpp"
#include "core/net/tls_context.hpp"
#include "core/net/ws_client.hpp"

namespace polybot::net::testing {

inline const TestPki& pki() {
  static const TestPki p = [] {
    auto r = TestPki::create("polybot net test CA");
    if (!r) std::abort();
    return std::move(r.value());
  }();
  return p;
}

inline ServerConfig tls_server_config(const PemPair& leaf = pki().server, std::uint16_t port = 0) {
  ServerConfig c;
  c.port = port;
  c.tls = true;
  c.tls_options.cert_chain_pem = leaf.cert_pem;
  c.tls_options.private_key_pem = leaf.key_pem;
  return c;
}

inline TlsClientContext client_tls(const std::string& ca_pem = pki().ca_cert_pem) {
  TlsClientOptions o;
  o.use_system_trust = false;
  o.extra_ca_pem = ca_pem;
  auto r = TlsClientContext::create(o);
  if (!r) std::abort();
  return std::move(r.value());
}

// Records everything a WsClient reports.
struct RecordingWsHandler : WsHandler {
  std::vector<std::string> frames;
  std::vector<WsDisconnect> disconnects;
  std::vector<std::string> disconnect_details;
  int opens = 0;
  int reopens = 0;
  bool padding_ok = true;
  std::vector<std::string> send_on_open;

  void on_open(WsClient& c, bool reconnected) noexcept override {
    ++opens;
    if (reconnected) ++reopens;
    for (const auto& s : send_on_open) (void)c.send_text(s);
  }
  void on_frame(WsClient&, const WsFrame& f) noexcept override {
    // The padding promise: kFramePadding bytes after the frame are readable (ASan would flag otherwise).
    volatile char sink = 0;
    for (std::size_t i = 0; i < kFramePadding; ++i) sink = static_cast<char>(sink ^ f.data.data()[f.data.size() + i]);
    if (f.recv_ns <= 0) padding_ok = false;
    frames.emplace_back(f.data);
  }
  void on_disconnect(WsClient&, const WsDisconnect& d) noexcept override {
    disconnects.push_back(d);
    disconnect_details.emplace_back(d.detail);
  }
};

struct HttpResult {
  std::uint64_t tag;
  NetError error;
  int status;
  std::string body;
  std::string detail;
  bool reused;
  std::string echo_header;
};

struct RecordingHttpHandler : HttpHandler {
  std::vector<HttpResult> results;
  void on_response(HttpClient&, std::uint64_t tag, const HttpResponse& r) noexcept override {
    results.push_back(HttpResult{tag, r.error, r.status, std::string(r.body), std::string(r.detail),
                                 r.reused_connection, std::string(r.header("X-Echo"))});
  }
};

}  // namespace polybot::net::testing
