// The venue simulator's order side (sim::venue) on loopback TLS with a CA made at test time: for tests that run
// the engine's oms (agent or whole pipeline) against it. Starts in the constructor, stops in the destructor.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "core/net/test_pki.hpp"
#include "sim/venue/clob_venue.hpp"
#include "sim/venue/venue_server.hpp"
#include "tests/oms/test_keys.hpp"

namespace polybot::oms::test {

inline constexpr const char* kLbApiKey = "11111111-2222-3333-4444-555555555555";
inline constexpr const char* kLbSecret = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";  // 32 x 0x01, test only
inline constexpr const char* kLbPassphrase = "test-passphrase";
inline constexpr const char* kLbCondition = "0xdd22472e552920b8438158ea7238bfadfa4f736aa4cee91a6b86c39ead110917";
inline constexpr const char* kLbToken = "21742633143463906290569050155826241533067272736897614950488156847949938836455";

struct LoopbackVenueOptions {
  Price tick = Price::from_raw(10'000);
  std::int64_t heartbeat_timeout_ms = 3'000;  // generous: a loaded CI box must not lapse by accident
  std::int64_t collateral = 1'000'000'000;  // $1000
  std::uint32_t page_size = 0;              // /data/orders and /data/trades page size; 0 = one page
};

class LoopbackVenue {
 public:
  explicit LoopbackVenue(LoopbackVenueOptions o = {}) {
    auto pki = net::TestPki::create("oms e2e CA");
    check(pki.has_value(), "test PKI");
    pki_ = std::move(*pki);
    sim::venue::VenueConfig vc;
    sim::venue::VenueMarket m;
    m.condition_id = kLbCondition;
    m.token_id = kLbToken;
    m.tick = o.tick;
    vc.markets.push_back(m);
    vc.account.api_key = kLbApiKey;
    vc.account.secret_b64 = kLbSecret;
    vc.account.passphrase = kLbPassphrase;
    vc.account.signer = parse_address(kHardhatAddress).address;
    vc.account.collateral = o.collateral;
    vc.heartbeat_timeout_ms = o.heartbeat_timeout_ms;
    vc.page_size = o.page_size;
    auto venue = sim::venue::ClobVenue::create(vc);
    check(venue.has_value(), "venue config");
    venue_ = std::move(*venue);
    sim::venue::VenueServerConfig sc;
    sc.server.tls_options.cert_chain_pem = pki_.server.cert_pem;
    sc.server.tls_options.private_key_pem = pki_.server.key_pem;
    server_ = std::make_unique<sim::venue::VenueServer>(sc, *venue_);
    auto port = server_->start();
    check(port.has_value(), "venue server start");
  }
  ~LoopbackVenue() {
    if (server_) server_->stop();
  }

  [[nodiscard]] std::string rest_url() const { return "https://127.0.0.1:" + std::to_string(server_->port()); }
  [[nodiscard]] std::string ws_url() const { return "wss://127.0.0.1:" + std::to_string(server_->port()) + "/ws/user"; }
  [[nodiscard]] const std::string& ca_pem() const { return pki_.ca_cert_pem; }
  // Writes the CA certificate to `path` (for configs that name a ca_file).
  void write_ca(const std::filesystem::path& path) const {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    check(f != nullptr, "write CA file");
    std::fwrite(pki_.ca_cert_pem.data(), 1, pki_.ca_cert_pem.size(), f);
    std::fclose(f);
  }
  sim::venue::ClobVenue& venue() { return *venue_; }
  sim::venue::VenueServer& server() { return *server_; }

 private:
  static void check(bool ok, const char* what) {
    if (ok) return;
    std::fprintf(stderr, "loopback venue: %s failed\n", what);
    std::abort();
  }
  net::TestPki pki_;
  std::unique_ptr<sim::venue::ClobVenue> venue_;
  std::unique_ptr<sim::venue::VenueServer> server_;
};

}  // namespace polybot::oms::test
