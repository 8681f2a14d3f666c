// A loopback venue (sim::venue over real TLS, CA made at test time) and a full engine-side oms (gateway, user
// channel, signing thread, OmsLogic) driven from the test thread as the oms thread.
#pragma once

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/net/io_loop.hpp"
#include "core/net/test_pki.hpp"
#include "core/net/tls_context.hpp"
#include "oms/crypto/signer.hpp"
#include "oms/oms_logic.hpp"
#include "oms/order/exchange_config.hpp"
#include "oms/order/order_signer.hpp"
#include "oms/secrets/api_credentials.hpp"
#include "sim/venue/clob_venue.hpp"
#include "sim/venue/venue_server.hpp"
#include "tests/oms/test_keys.hpp"

namespace polybot::oms::test {

// Set-up failures abort with the reason (the fixture serves tests and benchmarks alike).
inline void fixture_check(bool ok, const char* what, const std::string& detail = {}) {
  if (ok) return;
  std::fprintf(stderr, "venue fixture: %s failed %s\n", what, detail.c_str());
  std::abort();
}

inline constexpr const char* kApiKey = "11111111-2222-3333-4444-555555555555";
inline constexpr const char* kSecret = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";  // 32 x 0x01
inline constexpr const char* kWrongSecret = "AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=";
inline constexpr const char* kPassphrase = "test-passphrase";
inline constexpr const char* kCondition = "0xdd22472e552920b8438158ea7238bfadfa4f736aa4cee91a6b86c39ead110917";
inline constexpr const char* kToken = "21742633143463906290569050155826241533067272736897614950488156847949938836455";
inline constexpr InstrumentId kTokenId{1};
inline constexpr MarketId kMarket{7};

struct Collect final : Emitter {
  std::vector<ExecReport> reports;
  bool emit(Envelope& e) noexcept override {
    if (e.is<ExecReport>()) reports.push_back(e.as<ExecReport>());
    return true;
  }
  [[nodiscard]] const ExecReport* last(ClientOrderId id, ExecKind kind) const {
    for (auto it = reports.rbegin(); it != reports.rend(); ++it)
      if (it->client_id == id && it->kind == kind) return &*it;
    return nullptr;
  }
  // The first report that carried a quantity (status-only MINED/CONFIRMED reports have last_qty 0).
  [[nodiscard]] const ExecReport* first_fill(ClientOrderId id) const {
    for (const auto& r : reports)
      if (r.client_id == id && !r.last_qty.is_zero()) return &r;
    return nullptr;
  }
  [[nodiscard]] std::size_t count(ClientOrderId id, ExecKind kind) const {
    std::size_t n = 0;
    for (const auto& r : reports) n += (r.client_id == id && r.kind == kind) ? 1 : 0;
    return n;
  }
};

struct FixtureOptions {
  bool heartbeats = true;
  bool user_channel = true;
  bool reconcile_on_start = true;
  const char* engine_secret = kSecret;
  bool engine_neg_risk = false;           // true: signs against the neg-risk exchange (venue: normal) -> bad sig
  Price venue_tick = Price::from_raw(10'000);
  std::uint32_t order_timeout_ms = 3'000;
  std::int64_t heartbeat_interval_ms = 100;
  std::int64_t heartbeat_grace_ms = 300;
  std::int64_t venue_heartbeat_timeout_ms = 400;
  bool unlimited_rate = false;            // benchmarks: no client-side rate limiting
  std::uint32_t max_orders = 4096;
  bool l2_ahead = true;                   // pre-signed orders carry HMACs computed on the signing thread
  PresignAutoConfig presign_auto{};       // learned pre-sign targets (off, as OmsConfig's default)
  std::int64_t presign_max_age_ms = 15'000;
};

class VenueFixture {
 public:
  explicit VenueFixture(FixtureOptions o = {}) : opt_(o) {
    // --- venue ---
    auto pki = net::TestPki::create("gateway test CA");
    fixture_check(pki.has_value(), "pki.has_value()");
    pki_ = std::move(*pki);
    sim::venue::VenueConfig vc;
    sim::venue::VenueMarket m;
    m.condition_id = kCondition;
    m.token_id = kToken;
    m.tick = o.venue_tick;
    vc.markets.push_back(m);
    vc.account.api_key = kApiKey;
    vc.account.secret_b64 = kSecret;
    vc.account.passphrase = kPassphrase;
    vc.account.signer = parse_address(kHardhatAddress).address;
    vc.heartbeat_timeout_ms = o.venue_heartbeat_timeout_ms;
    auto venue = sim::venue::ClobVenue::create(vc);
    fixture_check(venue.has_value(), "venue.has_value()");
    venue_ = std::move(*venue);
    sim::venue::VenueServerConfig sc;
    sc.server.tls_options.cert_chain_pem = pki_.server.cert_pem;
    sc.server.tls_options.private_key_pem = pki_.server.key_pem;
    server_ = std::make_unique<sim::venue::VenueServer>(sc, *venue_);
    auto port = server_->start();
    fixture_check(port.has_value(), "port.has_value()");
    const std::string base = "https://127.0.0.1:" + std::to_string(*port);

    // --- engine ---
    net::TlsClientOptions to;
    to.use_system_trust = false;
    to.extra_ca_pem = pki_.ca_cert_pem;
    auto tls = net::TlsClientContext::create(to);
    fixture_check(tls.has_value(), "tls.has_value()");
    tls_.emplace(std::move(*tls));
    auto domains = ExchangeDomains::make(ExchangeConfig::polygon());
    fixture_check(domains.has_value(), "domains.has_value()");
    domains_.emplace(std::move(*domains));
    order_signer_ = std::make_unique<OrderSigner>(signer_, *domains_);
    auto creds = ApiCredentials::make(kApiKey, o.engine_secret, kPassphrase);
    fixture_check(creds.has_value(), "creds.has_value()");
    creds_.emplace(std::move(*creds));
    fixture_check(dir_.set(kTokenId, kMarket, kToken, kCondition, Price::from_raw(10'000), Qty::from_raw(5'000'000),
                         o.engine_neg_risk),
                  "market directory");
    SigningConfig sgc;
    sgc.owner = kApiKey;
    sgc.l2_key = o.l2_ahead ? &creds_->hmac() : nullptr;
    signing_ = std::make_unique<SigningService>(*order_signer_, dir_, store_, sgc, clock_);
    signing_->start();
    GatewayConfig gc;
    gc.base_url = base;
    gc.order_timeout_ms = o.order_timeout_ms;
    gc.heartbeats = o.heartbeats;
    gc.heartbeat_interval_ms = o.heartbeat_interval_ms;
    gc.heartbeat_grace_ms = o.heartbeat_grace_ms;
    if (o.unlimited_rate) {
      for (auto& w : gc.rate.endpoint) w = {1'000'000'000, 0};
      gc.rate.order_burst = gc.rate.cancel_burst = 1'000'000'000;
      gc.rate.order_rate_per_s = gc.rate.cancel_rate_per_s = 1'000'000'000;
    }
    auto gw = ClobGateway::create(loop_, &*tls_, gc, *creds_, signer_.address(), clock_, *this_listener());
    fixture_check(gw.has_value(), "gateway", gw ? std::string() : gw.error());
    gateway_ = std::move(*gw);
    OmsConfig oc;
    oc.api_key = kApiKey;
    oc.reconcile_on_start = o.reconcile_on_start;
    oc.require_heartbeat = o.heartbeats;
    oc.max_orders = o.max_orders;
    oc.presign_auto = o.presign_auto;
    oc.presign_max_age_ms = o.presign_max_age_ms;
    logic_ = std::make_unique<OmsLogic>(oc, dir_, store_, *signing_, gateway_.get(), clock_, out_);
    gateway_->start();
    if (o.user_channel) {
      UserChannelConfig uc;
      uc.url = "wss://127.0.0.1:" + std::to_string(*port) + "/ws/user";
      uc.ping_interval_ms = 1'000;
      auto ch = UserChannel::create(loop_, &*tls_, uc, kApiKey, kSecret, kPassphrase, *logic_);
      fixture_check(ch.has_value(), "ch.has_value()");
      user_ = std::move(*ch);
      user_->start();
    }
  }

  ~VenueFixture() {
    if (user_) user_->stop();
    for (int i = 0; i < 20; ++i) loop_.poll();
    if (signing_) signing_->stop();
    if (server_) server_->stop();
  }

  // Polls the engine (I/O, signatures, heartbeats, reconciliation) until pred() or the timeout.
  template <class Pred>
  bool pump_until(Pred pred, int timeout_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < deadline) {
      loop_.poll();
      logic_->poll(clock_.now_ns());
      if (pred()) return true;
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    return pred();
  }
  void pump_for(int ms) { (void)pump_until([] { return false; }, ms); }

  // Ready: first heartbeat acknowledged, start-up reconciliation clean, user channel subscribed.
  bool ready(int timeout_ms = 5'000) {
    return pump_until(
        [&] {
          return logic_->gate(kMarket, clock_.now_ns()) == OmsReason::kNone &&
                 (!opt_.user_channel || (user_->open() && server_->authenticated_sessions() > 0));
        },
        timeout_ms);
  }

  static OrderRequest order(std::uint64_t id, ::polybot::Side side, std::int64_t price_raw, std::int64_t size_raw,
                            ::polybot::OrderType type = ::polybot::OrderType::kGtc) {
    OrderRequest r{};
    r.hdr.type = OrderRequest::kType;
    r.hdr.instrument = kTokenId;
    r.client_id = ClientOrderId{id};
    r.market = kMarket;
    r.action = OrderAction::kNew;
    r.side = side;
    r.price = Price::from_raw(price_raw);
    r.size = Qty::from_raw(size_raw);
    r.order_type = type;
    r.tick = Price::from_raw(10'000);
    return r;
  }
  static OrderRequest cancel(std::uint64_t id) {
    OrderRequest r{};
    r.hdr.type = OrderRequest::kType;
    r.hdr.instrument = kTokenId;
    r.client_id = ClientOrderId{id};
    r.market = kMarket;
    r.action = OrderAction::kCancel;
    return r;
  }
  void send(const OrderRequest& r) {
    const Envelope e = Envelope::of(r);
    logic_->on_input(e, clock_, out_);
  }
  [[nodiscard]] const Order* find(std::uint64_t id) { return logic_->table().find(ClientOrderId{id}); }
  [[nodiscard]] OrderState state(std::uint64_t id) {
    const Order* o = find(id);
    return o == nullptr ? OrderState::kFree : o->state;
  }
  [[nodiscard]] std::string order_id_hex(std::uint64_t id) {
    const Order* o = find(id);
    char buf[67] = {'0', 'x'};
    static const char* k = "0123456789abcdef";
    for (std::size_t i = 0; i < 32; ++i) {
      buf[2 + 2 * i] = k[o->digest[i] >> 4];
      buf[3 + 2 * i] = k[o->digest[i] & 15];
    }
    return std::string(buf, 66);
  }

  sim::venue::ClobVenue& venue() { return *venue_; }
  sim::venue::VenueServer& server() { return *server_; }
  OmsLogic& logic() { return *logic_; }
  ClobGateway& gateway() { return *gateway_; }
  Collect& out() { return out_; }
  net::IoLoop& loop() { return loop_; }
  const net::TlsClientContext* tls() { return &*tls_; }
  const Clock& clock() { return clock_; }
  const Signer& signer() { return signer_; }
  const ExchangeDomains& domains() { return *domains_; }
  const OrderSigner& order_signer() { return *order_signer_; }
  const MarketDirectory& markets() { return dir_; }
  std::string base_url() { return "https://127.0.0.1:" + std::to_string(server_->port()); }

 private:
  // The gateway needs its listener before the logic exists: forward to the logic once built.
  struct Forward final : GatewayListener {
    VenueFixture* f = nullptr;
    void on_order_answer(ClientOrderId id, const OrderAnswer& a) noexcept override { f->logic_->on_order_answer(id, a); }
    void on_cancel_answer(const OrderDigest& id, bool c, VenueError r) noexcept override {
      f->logic_->on_cancel_answer(id, c, r);
    }
    void on_cancel_failed(RequestKind k, VenueError e) noexcept override { f->logic_->on_cancel_failed(k, e); }
    void on_query_answer(RequestKind k, VenueError e, std::string_view b) noexcept override {
      f->logic_->on_query_answer(k, e, b);
    }
    void on_heartbeat(bool ok, VenueError e) noexcept override { f->logic_->on_heartbeat(ok, e); }
  };
  GatewayListener* this_listener() {
    forward_.f = this;
    return &forward_;
  }

  FixtureOptions opt_;
  net::TestPki pki_;
  std::unique_ptr<sim::venue::ClobVenue> venue_;
  std::unique_ptr<sim::venue::VenueServer> server_;
  LiveClock clock_{0};
  net::IoLoop loop_;
  std::optional<net::TlsClientContext> tls_;
  Signer signer_ = hardhat_signer();
  std::optional<ExchangeDomains> domains_;
  std::unique_ptr<OrderSigner> order_signer_;
  std::optional<ApiCredentials> creds_;
  MarketDirectory dir_;
  SignedOrderStore store_{256};
  std::unique_ptr<SigningService> signing_;
  Forward forward_;
  std::unique_ptr<ClobGateway> gateway_;
  std::unique_ptr<OmsLogic> logic_;
  std::unique_ptr<UserChannel> user_;
  Collect out_;
};

}  // namespace polybot::oms::test
