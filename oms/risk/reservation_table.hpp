// ReservationTable: risk's open orders, keyed by ClientOrderId, each with the capital reserved for it when it was
// approved and what has been filled since. Open addressing with linear probing and backward-shift deletion (no
// tombstones, so a long run of approve/close never degrades lookups); the slots are allocated once at
// construction, at least twice the configured maximum so probes stay short. Beside it a dense list of the open
// orders (swap-remove) lets a cancel-all visit only the orders that are open. Risk thread only; no allocation
// after construction, no exceptions.
#pragma once

#include <cstdint>
#include <vector>

#include "core/messages.hpp"

namespace polybot::oms::risk {

struct OrderReservation {
  ClientOrderId client_id{};   // 0: empty slot
  InstrumentId instrument{};
  MarketId market{};
  Side side = Side::kBuy;
  std::uint8_t cancel_sent = 0;  // risk already asked the oms to cancel it
  StrategyId strategy{};
  std::uint32_t dense = 0;     // its index in the open list (kept by the table)
  Usdc initial;                // reserved when risk approved the order
  Usdc reserved;               // still reserved (part of RiskLogic::reserved())
  Qty size;                    // shares ordered; 0 for a market buy sized in USDC (`initial` is then its amount)
  Qty filled;                  // sum of the fills' last_qty (reversals included)
  Usdc spent;                  // buys: what the fills cost (fees included)
};

class ReservationTable {
 public:
  struct Open {
    ClientOrderId client_id;
    MarketId market;
    StrategyId strategy;
  };

  // Holds up to `max_orders` open orders (at least 1).
  explicit ReservationTable(std::uint32_t max_orders);

  // nullptr when the id is not open.
  [[nodiscard]] OrderReservation* find(ClientOrderId id) noexcept;
  // nullptr when the table is full or the id is already open (0 is never a valid id).
  OrderReservation* insert(const OrderReservation& r) noexcept;
  // `r` must come from find()/insert() and not have been erased since; other pointers may move.
  void erase(OrderReservation* r) noexcept;

  // The open orders, in no particular order (valid until the next insert or erase).
  [[nodiscard]] const std::vector<Open>& open() const noexcept { return open_; }
  [[nodiscard]] std::uint32_t size() const noexcept { return size_; }
  [[nodiscard]] std::uint32_t max_orders() const noexcept { return max_orders_; }
  [[nodiscard]] bool full() const noexcept { return size_ >= max_orders_; }

 private:
  [[nodiscard]] std::size_t home(ClientOrderId id) const noexcept;

  std::vector<OrderReservation> slots_;
  std::vector<Open> open_;  // capacity reserved once: push_back never allocates
  std::size_t mask_ = 0;
  int shift_ = 0;
  std::uint32_t max_orders_ = 0;
  std::uint32_t size_ = 0;
};

}  // namespace polybot::oms::risk
