// OrderTable: every order the engine has sent or is about to send, in a fixed-capacity pool indexed by
// ClientOrderId and by venue order id (the EIP-712 digest, the idempotency key). Tracks, per market, how many
// orders are in Unknown: such a market refuses new orders until reconciliation resolves them.
// The oms thread only. Allocates once at construction; no allocation, lock or exception afterwards.
#pragma once

#include <cstdint>
#include <memory>

#include "core/fixed_point.hpp"
#include "core/msg/order.hpp"
#include "oms/lifecycle/order_state.hpp"

namespace polybot::oms {

inline constexpr std::uint32_t kNoSlot = 0xFFFF'FFFFu;

struct Order {
  ClientOrderId client_id{};
  MarketId market{};
  InstrumentId token{};
  StrategyId strategy{};
  ::polybot::Side side = ::polybot::Side::kBuy;
  ::polybot::OrderType type = ::polybot::OrderType::kGtc;
  OrderState state = OrderState::kFree;
  std::uint8_t post_only = 0;
  std::uint8_t cancel_pending = 0;   // a cancel request is in flight
  std::uint8_t send_attempts = 0;    // sends of the same signed bytes
  std::uint8_t send_pending = 0;     // signed and journaled, waiting for back-pressure to clear
  std::uint16_t last_error = 0;      // VenueError of the last rejection / failure
  Price price;
  Qty size;
  Qty cum_qty;
  Usdc cum_cost;                     // sum of fill qty x fill price, USDC base units
  OrderDigest digest{};
  bool has_digest = false;
  std::uint32_t signed_slot = kNoSlot;  // where the signed request bytes live (for identical resends)
  std::int64_t created_ns = 0;
  std::int64_t sent_ns = 0;          // last time the bytes were handed to the socket
  std::int64_t last_event_ns = 0;

  [[nodiscard]] Qty leaves() const noexcept {
    return (is_terminal(state) || cum_qty >= size) ? Qty{} : size - cum_qty;
  }
  [[nodiscard]] VenueOrderKey venue_key() const noexcept { return has_digest ? venue_key_of(digest) : VenueOrderKey{}; }
};

class OrderTable {
 public:
  // capacity: orders held at once (rounded up to a power of two). Terminal orders stay until retired.
  explicit OrderTable(std::uint32_t capacity);
  OrderTable(const OrderTable&) = delete;
  OrderTable& operator=(const OrderTable&) = delete;

  enum class InsertStatus : std::uint8_t { kOk = 0, kFull = 1, kDuplicate = 2, kInvalidId = 3 };
  // A new order in kSigning from what risk approved. *out is set on kOk.
  [[nodiscard]] InsertStatus insert(const OrderRequest& req, std::int64_t now_ns, Order** out) noexcept;

  [[nodiscard]] Order* find(ClientOrderId id) noexcept;
  [[nodiscard]] Order* find(const OrderDigest& digest) noexcept;
  // Binds the venue order id (once, when the order is signed). False if another order already has it.
  [[nodiscard]] bool bind_digest(Order& o, const OrderDigest& digest) noexcept;

  // A state event (not a fill). Keeps the per-market Unknown counts.
  Transition apply(Order& o, ExecKind event, std::int64_t now_ns) noexcept;
  // A fill of `qty` at `price` (qty < 0 reverses a fill whose trade FAILED). The state becomes Filled when
  // cum_qty reaches size, PartiallyFilled when live; a late fill on a cancelled order is counted, state kept.
  Transition apply_fill(Order& o, Qty qty, Price price, std::int64_t now_ns) noexcept;
  // Sets an absolute cumulative quantity (reconciliation: the venue's size_matched). Returns the delta.
  Qty set_cum_qty(Order& o, Qty cum, Price price, std::int64_t now_ns) noexcept;

  // Whether new orders on `market` must wait (an order there is Unknown).
  [[nodiscard]] bool market_blocked(MarketId market) const noexcept;
  [[nodiscard]] std::uint32_t unknown_count() const noexcept { return unknown_total_; }

  // Frees a terminal order's slot. False if the order is not terminal.
  bool retire(Order& o) noexcept;
  // Frees every terminal order whose last event is older than `before_ns`; returns how many.
  std::uint32_t retire_terminal(std::int64_t before_ns) noexcept;

  template <class F>
  void for_each(F&& f) noexcept {
    for (std::uint32_t i = 0; i < capacity_; ++i)
      if (pool_[i].state != OrderState::kFree) f(pool_[i]);
  }
  [[nodiscard]] std::uint32_t size() const noexcept { return used_; }
  [[nodiscard]] std::uint32_t capacity() const noexcept { return capacity_; }
  [[nodiscard]] std::uint64_t illegal_transitions() const noexcept { return illegal_; }

 private:
  // Open addressing with linear probing; a cell holds slot+1 (0 = empty). Backward-shift deletion keeps probes
  // short without tombstones.
  struct Index {
    std::unique_ptr<std::uint32_t[]> cells;
    std::uint32_t mask = 0;
  };
  static std::uint64_t mix(std::uint64_t x) noexcept;
  std::uint32_t index_find(const Index& ix, std::uint64_t key, bool by_digest, const OrderDigest* d) const noexcept;
  void index_insert(Index& ix, std::uint64_t key, std::uint32_t slot) noexcept;
  void index_erase(Index& ix, std::uint64_t key, std::uint32_t slot, bool by_digest) noexcept;
  [[nodiscard]] std::uint64_t key_of_slot(std::uint32_t slot, bool by_digest) const noexcept;
  void note_state_change(const Order& o, OrderState before) noexcept;
  void free_slot(std::uint32_t slot) noexcept;

  struct MarketUnknown {
    MarketId market{};
    std::uint32_t count = 0;
  };
  static constexpr std::uint32_t kMarkets = 64;

  std::uint32_t capacity_;
  std::unique_ptr<Order[]> pool_;
  std::unique_ptr<std::uint32_t[]> free_;  // stack of free slots
  std::uint32_t free_top_ = 0;
  std::uint32_t used_ = 0;
  Index by_id_;
  Index by_digest_;
  MarketUnknown unknown_[kMarkets]{};
  std::uint32_t unknown_total_ = 0;
  std::uint32_t untracked_unknown_ = 0;
  std::uint64_t illegal_ = 0;
};

}  // namespace polybot::oms
