// Reconciler: compares the order table with what the venue says (open orders, our fills from its trades) and
// resolves every difference it can explain: missing fills are filled in, orders the
// venue no longer lists are closed (filled, cancelled, or proven never to have reached the book), Unknown orders
// are resolved. Venue orders we do not know (strays) are cancelled when configured, otherwise they - like any
// difference that cannot be explained - leave the report unclean: the oms refuses new orders (fail closed).
// Balances are the third phase, judged against the BalanceBook (oms/reconcile/balance_book.hpp) by OmsLogic.
// The oms thread only (it mutates the OrderTable); fixed capacity, no allocation.
#pragma once

#include <array>
#include <cstdint>

#include "oms/lifecycle/order_table.hpp"
#include "oms/reconcile/balance_book.hpp"
#include "oms/user_channel/user_events.hpp"

namespace polybot::oms {

enum class ReconcileFinding : std::uint8_t {
  kMissingFill = 0,      // the venue matched more than we counted: fill added
  kConfirmedLive = 1,    // an Unknown/Submitted order is on the book: Accepted
  kClosedFilled = 2,     // not open any more, trades cover its size: Filled
  kClosedCancelled = 3,  // not open any more, partly or never filled after acceptance: Cancelled
  kNeverArrived = 4,     // not open, no trade, never acknowledged: dead (Rejected), safe to re-sign
  kStrayCancelled = 5,   // a venue order we do not know: cancel requested
  kStrayUnexplained = 6, // a venue order we do not know, not cancelling: fail closed
  kOverCounted = 7,      // we counted more fills than the venue knows: fail closed
  kBalanceMismatch = 8,  // pUSD or shares missing beyond fees + tolerance (BalanceBook): fail closed
  kClosedButOpen = 9,    // we hold it closed, the venue still rests it: fail closed
  kBalanceExtra = 10,    // more than expected (a deposit, a redemption): counted, adopted, still trading
  kCollateralShort = 11, // pUSD below the notional of our open BUY orders: new BUYs refused
};

class ReconcileSink {
 public:
  virtual ~ReconcileSink() = default;
  // `order` is null for strays and balance findings. For fills, qty/price are the added fill.
  virtual void on_finding(ReconcileFinding what, Order* order, const OrderDigest& digest, Qty qty,
                          Price price) noexcept = 0;
};

struct ReconcileReport {
  std::uint32_t findings = 0;
  std::uint32_t unexplained = 0;
  std::uint32_t strays_to_cancel = 0;
  [[nodiscard]] bool clean() const noexcept { return unexplained == 0; }
};

class Reconciler {
 public:
  static constexpr std::size_t kMaxOpen = 512;
  static constexpr std::size_t kMaxFilledOrders = 512;

  explicit Reconciler(ReconcileConfig cfg) noexcept : cfg_(cfg) {}

  void begin() noexcept;
  // The venue's open orders (GET /data/orders). False when the capacity is exceeded (report unclean).
  bool add_open(const OrderDigest& id, Qty original_size, Qty size_matched) noexcept;
  // One of our fills from GET /data/trades (FAILED trades are skipped by the caller or counted as zero).
  bool add_fill(const OurFill& f, TradeStatus status) noexcept;

  // Applies what it can to `table` and reports every finding.
  ReconcileReport finish(OrderTable& table, std::int64_t now_ns, ReconcileSink& sink) noexcept;

 private:
  struct Open {
    OrderDigest id{};
    Qty original_size;
    Qty size_matched;
    bool known = false;
  };
  struct FillSum {
    OrderDigest id{};
    Qty qty;
    Usdc cost;
  };
  FillSum* fill_sum(const OrderDigest& id) noexcept;

  ReconcileConfig cfg_;
  std::array<Open, kMaxOpen> open_{};
  std::size_t open_n_ = 0;
  std::array<FillSum, kMaxFilledOrders> fills_{};
  std::size_t fills_n_ = 0;
  bool overflow_ = false;
};

}  // namespace polybot::oms
