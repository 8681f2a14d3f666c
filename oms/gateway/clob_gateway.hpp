// ClobGateway: the engine's REST side of the Polymarket CLOB over keep-alive HTTPS (polybot::net, TLS verified):
// POST /order (the pre-built signed body, byte for byte), POST /orders, DELETE /order, /orders, /cancel-all,
// /cancel-market-orders, GET /data/orders, /data/trades, /balance-allowance, GET /time (clock skew) and the
// POST /v1/heartbeats dead-man's switch on its cadence (the venue cancels our orders if we die; a heartbeat that
// fails stops new orders: fail closed). Every request carries L2 headers (HMAC over the exact body bytes), passes
// a token bucket per endpoint class, and 429/425 answers become back-pressure, never blind retries.
// Two connections: orders and cancels on one, heartbeats and queries on another (no head-of-line blocking).
// The oms thread only (the IoLoop's thread). Requests are built into buffers allocated once; answers are parsed
// with simdjson in place and reported to a GatewayListener.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "core/clock.hpp"
#include "core/net/http_client.hpp"
#include "core/net/io_loop.hpp"
#include "core/net/tls_context.hpp"
#include "oms/crypto/address.hpp"
#include "oms/gateway/order_venue.hpp"
#include "oms/gateway/rate_limiter.hpp"
#include "oms/gateway/venue_error.hpp"
#include "oms/lifecycle/order_state.hpp"
#include "oms/presign/signed_order_store.hpp"
#include "oms/secrets/api_credentials.hpp"

namespace polybot::oms {

struct GatewayConfig {
  std::string base_url = "https://clob.polymarket.com";
  std::string user_agent = "polybot/0.1";
  std::uint32_t order_timeout_ms = 3'000;      // no answer in time: the order is Unknown
  std::uint32_t query_timeout_ms = 5'000;
  std::uint32_t connect_timeout_ms = 5'000;
  bool heartbeats = true;
  std::string heartbeat_path = "/v1/heartbeats";  // UNVERIFIED vs /heartbeats; the official client's path
  std::int64_t heartbeat_interval_ms = 5'000;
  std::int64_t heartbeat_grace_ms = 8'000;     // without an ack for this long, new orders stop
  RateLimitConfig rate = RateLimitConfig::polymarket_defaults();
  int signature_type = 0;                      // GET /balance-allowance: whose balance (0 EOA, 1 proxy, 2 safe, 3)
};

enum class VenueOrderStatus : std::uint8_t { kNone = 0, kLive = 1, kMatched = 2, kDelayed = 3, kUnmatched = 4 };

struct OrderAnswer {
  VenueError error = VenueError::kNone;
  Disposition disposition = Disposition::kOk;
  VenueOrderStatus status = VenueOrderStatus::kNone;
  OrderDigest order_id{};
  bool has_order_id = false;
  int http_status = 0;
  std::int64_t latency_ns = 0;
};

class GatewayListener {
 public:
  virtual ~GatewayListener() = default;
  virtual void on_order_answer(ClientOrderId id, const OrderAnswer& answer) noexcept = 0;
  // One per id in a cancel answer: cancelled, or not (with the venue's reason).
  virtual void on_cancel_answer(const OrderDigest& id, bool cancelled, VenueError reason) noexcept = 0;
  // A cancel request that failed as a whole (transport, auth, back-pressure).
  virtual void on_cancel_failed(RequestKind kind, VenueError error) noexcept = 0;
  // Query answers for reconciliation: body is valid during the call (padded); error != kNone on failure.
  virtual void on_query_answer(RequestKind kind, VenueError error, std::string_view body) noexcept = 0;
  virtual void on_heartbeat(bool ok, VenueError error) noexcept = 0;
};

struct GatewayCounters {
  std::uint64_t orders_sent = 0;
  std::uint64_t resends = 0;
  std::uint64_t cancels_sent = 0;
  std::uint64_t back_pressure = 0;
  std::uint64_t heartbeats_sent = 0;
  std::uint64_t heartbeats_failed = 0;
  std::uint64_t malformed_answers = 0;
  std::uint64_t l2_precomputed = 0;  // requests sent with an HMAC computed ahead on the signing thread
};

class ClobGateway final : public net::HttpHandler, public OrderVenue {
 public:
  // Start-up: validates the URL, creates both connections (not yet connected). Error text names the field.
  static Result<std::unique_ptr<ClobGateway>, std::string> create(net::IoLoop& loop, const net::TlsClientContext* tls,
                                                                  GatewayConfig cfg, const ApiCredentials& creds,
                                                                  const Address& signer, const Clock& clock,
                                                                  GatewayListener& listener);
  ~ClobGateway() override;

  void start() noexcept;  // connects both connections (keep warm)

  // Orders: `body` is the signed POST /order body (kept by the caller for an identical resend).
  // `l2` (may be null): HMACs of this body precomputed for a range of seconds; used when it covers now.
  SendStatus send_order(ClientOrderId id, std::string_view body, bool resend,
                        const PrecomputedL2* l2 = nullptr) noexcept override;
  // POST /orders: up to kMaxBatch signed bodies in one request; each leg is answered on its own (legs are not
  // atomic on the venue: one may fill while another is rejected).
  static constexpr std::uint32_t kMaxBatch = 15;
  SendStatus send_orders(const ClientOrderId* ids, const std::string_view* bodies, std::uint32_t n) noexcept;
  SendStatus cancel(const OrderDigest& id) noexcept override;
  SendStatus cancel_many(const OrderDigest* ids, std::uint32_t n) noexcept override;
  SendStatus cancel_all() noexcept override;
  SendStatus cancel_market(std::string_view condition_id, std::string_view asset_id) noexcept override;
  // Paged: `cursor` is the previous page's next_cursor (empty: the first page, "MA=="). At most kMaxCursor chars.
  static constexpr std::size_t kMaxCursor = 128;
  SendStatus query_open_orders(std::string_view cursor = {}) noexcept override;
  SendStatus query_trades(std::int64_t after_s, std::string_view cursor = {}) noexcept override;
  // asset_type=COLLATERAL, or CONDITIONAL&token_id=...; signature_type from the config.
  SendStatus query_balance(std::string_view token_id) noexcept override;
  SendStatus sync_time() noexcept;

  // Cadence work: heartbeats. Call every do_work (cheap when nothing is due).
  void poll(std::int64_t now_ns) noexcept override;
  // New orders may go out: heartbeats (if enabled) acknowledged within the grace period.
  [[nodiscard]] bool heartbeat_healthy(std::int64_t now_ns) const noexcept override;
  [[nodiscard]] std::int64_t clock_skew_s() const noexcept { return skew_s_; }
  [[nodiscard]] const GatewayCounters& counters() const noexcept { return counters_; }
  [[nodiscard]] RateLimiter& limiter() noexcept { return limiter_; }
  [[nodiscard]] bool connected() const noexcept;
  [[nodiscard]] std::size_t pending() const noexcept;

  void on_response(net::HttpClient& client, std::uint64_t tag, const net::HttpResponse& response) noexcept override;

 private:
  ClobGateway(GatewayConfig cfg, const ApiCredentials& creds, const Address& signer, const Clock& clock,
              GatewayListener& listener);
  SendStatus submit(net::HttpClient& c, Endpoint ep, std::int64_t cost, net::HttpMethod m, std::string_view target,
                    std::string_view body, std::uint64_t tag, const PrecomputedL2* l2 = nullptr) noexcept;
  void handle_order(std::uint64_t id, const net::HttpResponse& r) noexcept;
  void handle_batch(std::uint64_t batch, const net::HttpResponse& r) noexcept;
  static void decide(int http_status, const void* fields, std::string_view raw, OrderAnswer& a) noexcept;
  void handle_cancel(RequestKind kind, const net::HttpResponse& r) noexcept;
  void handle_heartbeat(const net::HttpResponse& r) noexcept;
  VenueError classify(const net::HttpResponse& r, std::string_view message) noexcept;
  void note_back_pressure(Endpoint ep, const net::HttpResponse& r) noexcept;
  std::string_view error_message(std::string_view body) noexcept;

  GatewayConfig cfg_;
  const ApiCredentials& creds_;
  std::array<char, Address::kHexLen> address_{};
  const Clock& clock_;
  GatewayListener& listener_;
  RateLimiter limiter_;
  std::unique_ptr<net::HttpClient> orders_http_;
  std::unique_ptr<net::HttpClient> query_http_;
  simdjson::ondemand::parser parser_;
  // Request scratch (copied by HttpClient::submit).
  std::array<char, 16384> body_buf_{};
  std::array<char, 512> target_buf_{};
  std::array<char, 24> ts_buf_{};
  // Heartbeat state.
  std::array<char, 128> hb_id_{};
  std::size_t hb_id_len_ = 0;
  bool hb_in_flight_ = false;
  bool hb_ever_acked_ = false;
  std::int64_t hb_next_ns_ = 0;
  std::int64_t hb_last_ack_ns_ = 0;
  std::int64_t skew_s_ = 0;
  GatewayCounters counters_{};
  struct Batch {
    std::array<ClientOrderId, kMaxBatch> ids{};
    std::uint32_t n = 0;  // 0: free
  };
  std::array<Batch, 8> batches_{};
};

// L1 start-up: POST /auth/api-key, falling back to GET /auth/derive-api-key when the key exists (the official
// clients' createOrDeriveApiKey). Blocks on `loop` up to timeout_ms. The secret never appears in errors.
struct ApiKeyTriple {
  std::string api_key;
  std::string secret;
  std::string passphrase;
};
class Signer;
class ExchangeDomains;
Result<ApiKeyTriple, std::string> create_or_derive_api_key(net::IoLoop& loop, const net::TlsClientContext* tls,
                                                           const std::string& base_url, const Signer& signer,
                                                           const ExchangeDomains& domains, std::uint64_t nonce,
                                                           const Clock& clock, int timeout_ms);

}  // namespace polybot::oms
