// ClobVenue: the simulator's Polymarket order side. Serves the CLOB's authenticated REST endpoints (orders,
// cancels, open orders, trades, balances, heartbeats, time, L1 API-key create/derive), verifies what the real
// venue verifies (L2 HMAC over the exact body bytes; the order's EIP-712 signature recovered and compared with
// its signer/maker per signature type; the signer being the API key's address; tick, size, balance), matches our
// orders with price-time priority against a book it holds, produces user-channel `order`/`trade` frames, and
// cancels every open order when heartbeats lapse. Fault injection (429s, lost or never-sent responses, balances
// moved behind the engine's back) on request. GET /balance-allowance answers COLLATERAL and CONDITIONAL balances.
// Thread-safe (one mutex): request handlers run on the server thread, tests drive flows from theirs. Allocates.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/fixed_point.hpp"
#include "core/msg/market_event.hpp"
#include "core/net/server.hpp"
#include "core/result.hpp"
#include "oms/crypto/address.hpp"
#include "oms/crypto/hmac_sha256.hpp"
#include "oms/order/exchange_config.hpp"

namespace polybot::sim::venue {

struct VenueMarket {
  std::string condition_id;   // "0x…" (the CLOB's `market`)
  std::string token_id;       // decimal uint256
  std::string outcome = "Up";
  Price tick = Price::from_raw(10'000);  // 0.01
  Qty min_size = Qty::from_raw(5'000'000);
  bool neg_risk = false;
};

struct VenueAccount {
  std::string api_key = "00000000-0000-0000-0000-000000000000";
  std::string secret_b64;     // URL-safe base64, as /auth/api-key returns it
  std::string passphrase;
  oms::Address signer{};      // the EOA that owns the API key
  oms::Address funder{};      // maker for signature types 1/2 (zero: = signer)
  std::int64_t collateral = 1'000'000'000;  // pUSD base units
};

struct VenueConfig {
  oms::ExchangeConfig exchange = oms::ExchangeConfig::polygon();
  std::vector<VenueMarket> markets;
  VenueAccount account;
  std::int64_t heartbeat_timeout_ms = 15'000;  // UNVERIFIED on the real venue ("10 s + 5 s buffer")
  std::int64_t l2_max_skew_s = 300;            // UNVERIFIED on the real venue
  bool advance_trades = true;                  // MATCHED -> MINED -> CONFIRMED on later ticks
  // GET /data/orders and /data/trades page size (cursor = base64 of the offset, "LTE=" after the last page, as
  // the CLOB pages); 0 = everything on one page.
  std::uint32_t page_size = 0;
};

// A one-shot fault for the next matching request(s).
struct VenueFault {
  std::string path;              // exact path, empty = any
  std::uint32_t count = 1;       // how many requests it applies to
  int status = 0;                // answer this status instead (e.g. 429, 425, 500); 0: process normally
  std::string body;              // with this body
  std::uint32_t retry_after_s = 0;
  bool process_then_never_respond = false;  // act on the request, then keep the connection silent
  bool process_then_drop = false;           // act on the request, then close without answering
  std::uint32_t delay_response_ms = 0;      // act on the request, answer this much later (client timeouts)
};

struct VenueStats {
  std::uint64_t orders_received = 0;   // POST /order legs
  std::uint64_t orders_accepted = 0;
  std::uint64_t orders_rejected = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t auth_failures = 0;
  std::uint64_t bad_signatures = 0;
  std::uint64_t heartbeats = 0;
  std::uint64_t heartbeat_lapses = 0;
  std::uint64_t heartbeat_cancels = 0;
  std::uint64_t faults_applied = 0;
  std::uint64_t trades = 0;
  std::uint64_t pages_served = 0;      // GET /data/orders + /data/trades answers
  std::uint64_t balance_reads = 0;     // GET /balance-allowance answers (COLLATERAL or CONDITIONAL)
};

class ClobVenue {
 public:
  // Validates the configuration (error names the field and value).
  static Result<std::unique_ptr<ClobVenue>, std::string> create(VenueConfig cfg);
  ~ClobVenue();

  // One HTTP request (the server's route handler).
  void handle(const net::ServerRequest& req, net::ServerResponse& resp, std::int64_t now_ns);
  // Periodic work: heartbeat expiry, trade status advancement.
  void tick(std::int64_t now_ns);

  // Another participant's resting order (price-time priority behind what is already there).
  void add_liquidity(std::string_view token_id, ::polybot::Side side, Price price, Qty size);
  // Another participant's marketable order: crosses the book (our resting orders included), returns filled qty.
  Qty take(std::string_view token_id, ::polybot::Side side, Price limit, Qty size, std::int64_t now_ns);

  void inject(VenueFault fault);

  // User channel: whether a subscribe message carries our key's credentials; frames produced since last drain.
  [[nodiscard]] bool check_user_auth(std::string_view subscribe_json) const;
  std::vector<std::string> drain_user_frames();

  // Inspection (tests).
  [[nodiscard]] VenueStats stats() const;
  [[nodiscard]] std::size_t open_order_count() const;
  [[nodiscard]] Qty matched_of(std::string_view order_id_hex) const;  // size matched of one of our orders
  // Ids of our orders the venue knows (any status) starting with `prefix` ("0x" + hex).
  [[nodiscard]] std::vector<std::string> order_ids(std::string_view prefix = {}) const;
  [[nodiscard]] std::size_t order_count() const;  // every order it accepted, whatever its status
  [[nodiscard]] std::int64_t collateral() const;
  // The account's CONDITIONAL balance of a token (base units): + our BUY fills, - our SELL fills, 0 after redeem.
  // The simulator does not refuse a SELL beyond the shares held (the real venue does), so it can go negative.
  [[nodiscard]] std::int64_t shares(std::string_view token_id) const;

  // Balance fault injection and settlement (tests): money or shares moved behind the engine's back (a drain, a
  // deposit, a transfer), and a resolved market's shares redeemed at `payout` per share (1 for the winner, 0 for
  // the loser) into pUSD. Returns what was paid.
  void adjust_collateral(std::int64_t delta);
  void adjust_shares(std::string_view token_id, std::int64_t delta);
  Usdc redeem(std::string_view token_id, Price payout);
  [[nodiscard]] bool heartbeat_active() const;

  struct Impl;

 private:
  explicit ClobVenue(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace polybot::sim::venue
