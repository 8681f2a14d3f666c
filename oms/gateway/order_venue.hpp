// OrderVenue: what OmsLogic asks of the venue side — send, cancel, query, heartbeat health, cadence work. The live
// ClobGateway implements it over HTTPS; the oms replay (oms/replay) implements it by checking each call against
// the journaled one instead of sending. The oms thread only; implementations must not allocate, block or throw.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/ids.hpp"
#include "oms/lifecycle/order_state.hpp"
#include "oms/presign/signed_order_store.hpp"

namespace polybot::oms {

enum class RequestKind : std::uint8_t {
  kOrder = 1,
  kCancel = 2,
  kCancelAll = 3,
  kCancelMarket = 4,
  kHeartbeat = 5,
  kTime = 6,
  kDataOrders = 7,
  kDataTrades = 8,
  kBalance = 9,
  kCancelMany = 10,
  kBatch = 11,
};

enum class SendStatus : std::uint8_t {
  kSent = 0,
  kBackPressure = 1,   // token bucket empty or backing off after 429/425: try later
  kQueueFull = 2,      // the connection's request queue is full
  kTooLarge = 3,
  kNeverFits = 4,      // a batch above the per-signer burst: split it
};

class OrderVenue {
 public:
  virtual ~OrderVenue() = default;
  // `body` is the signed POST /order body (kept by the caller for an identical resend); `l2` (may be null): its
  // HMACs precomputed for a range of seconds.
  virtual SendStatus send_order(ClientOrderId id, std::string_view body, bool resend,
                                const PrecomputedL2* l2 = nullptr) noexcept = 0;
  virtual SendStatus cancel(const OrderDigest& id) noexcept = 0;
  virtual SendStatus cancel_many(const OrderDigest* ids, std::uint32_t n) noexcept = 0;
  virtual SendStatus cancel_all() noexcept = 0;
  virtual SendStatus cancel_market(std::string_view condition_id, std::string_view asset_id) noexcept = 0;
  virtual SendStatus query_open_orders(std::string_view cursor = {}) noexcept = 0;
  virtual SendStatus query_trades(std::int64_t after_s, std::string_view cursor = {}) noexcept = 0;
  // GET /balance-allowance: `token_id` empty: COLLATERAL (pUSD); else the CONDITIONAL shares of that token
  // (decimal id). The answer comes back as on_query_answer(kBalance, ...), in the order asked.
  virtual SendStatus query_balance(std::string_view token_id) noexcept = 0;
  // Cadence work (heartbeats, timeouts); answers come back through the listener.
  virtual void poll(std::int64_t now_ns) noexcept = 0;
  // New orders may go out: heartbeats (if enabled) acknowledged within the grace period.
  [[nodiscard]] virtual bool heartbeat_healthy(std::int64_t now_ns) const noexcept = 0;
};

}  // namespace polybot::oms
