// FillEngine: the backtest's venue for one strategy's orders, honest about what a recording cannot tell us.
//   * Every order reaches the venue `submit_latency` after it was sent.
//   * A marketable order waits the taker delay (protocol notes §13.6) and then takes the book AS IT IS THEN,
//     level by level up to its limit; the rest rests (GTC/GTD) or is cancelled (FAK); a FOK fills fully or not.
//   * A resting (maker) order fills only when the market trades THROUGH its price (the opposite best quote
//     strictly beyond it, or a recorded trade print strictly beyond it): a touch is not a fill, because our
//     queue position is unknown.
//   * Fees per §13.5 from the market's own fee schedule; post-only orders that would cross are rejected;
//     everything still open at the window's end expires.
// Backtest thread only. Allocates per order (std::map), never per market event.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "core/msg/order.hpp"
#include "sim/backtest/book_model.hpp"
#include "sim/backtest/fee_model.hpp"

namespace polybot::sim::backtest {

struct FillParams {
  std::int64_t submit_latency_ns = 0;
  std::int64_t taker_delay_ns = 250'000'000;  // 250 ms: the delay in force on 2026-06-08 (§13.6)
  std::int64_t cancel_latency_ns = 0;
};

// The book the fill engine matches against: the current quote of a market (nullptr: no book, nothing fills).
class BookView {
 public:
  virtual ~BookView() = default;
  [[nodiscard]] virtual const ModelQuote* quote(MarketId market) const noexcept = 0;
};

class ExecSink {
 public:
  virtual ~ExecSink() = default;
  // Every venue event of an order, in time order. `liquidity` is meaningful for fills only.
  virtual void on_exec(const ExecReport& report, Liquidity liquidity, Outcome outcome) noexcept = 0;
};

struct OrderTicket {
  OrderRequest request;            // client_id, market, strategy, side, price (limit), size, order_type, post_only
  Outcome outcome = Outcome::kNone;
  std::int64_t window_end_ns = 0;  // the market stops trading here
  FeeSchedule fee;
};

class FillEngine {
 public:
  FillEngine(FillParams params, const BookView& book) noexcept : p_(params), book_(book) {}

  // Sends an order at `now_ns`; it reaches the venue after the submit latency.
  void submit(const OrderTicket& ticket, std::int64_t now_ns);
  void cancel(ClientOrderId id, std::int64_t now_ns);
  void cancel_market(MarketId market, std::int64_t now_ns);

  // Runs every venue action scheduled strictly before `t_ns` (inclusive when `inclusive`).
  void advance(std::int64_t t_ns, bool inclusive, ExecSink& sink);
  // A new book for `market`: resting orders the market traded through fill.
  void on_book(MarketId market, std::int64_t now_ns, ExecSink& sink);
  // A recorded trade print on `token` of `market` at `price`.
  void on_trade(MarketId market, Outcome token, Price price, std::int64_t now_ns, ExecSink& sink);
  // Trading stops: resting orders expire, later arrivals are rejected.
  void close_market(MarketId market, std::int64_t now_ns, ExecSink& sink);

  [[nodiscard]] std::size_t open_orders() const noexcept { return orders_.size(); }
  [[nodiscard]] bool has_pending() const noexcept { return !actions_.empty(); }
  [[nodiscard]] std::int64_t next_action_ns() const noexcept {
    return actions_.empty() ? INT64_MAX : actions_.begin()->first.first;
  }

 private:
  enum class Phase : std::uint8_t { kInFlight, kDelayed, kResting };
  enum class ActionKind : std::uint8_t { kArrive, kMatch, kCancel, kExpire };
  struct Order {
    OrderTicket t;
    Phase phase = Phase::kInFlight;
    Qty cum;
    bool cancel_pending = false;
  };
  struct Action {
    ActionKind kind;
    ClientOrderId id;
    MarketId market;  // kCancel with id 0: every order of the market
  };

  void schedule(std::int64_t at_ns, Action a);
  void run(std::int64_t at_ns, const Action& a, ExecSink& sink);
  [[nodiscard]] bool marketable(const Order& o) const noexcept;
  // Takes liquidity up to the order's limit; returns the quantity filled.
  Qty take(Order& o, std::int64_t now_ns, ExecSink& sink, Qty max_qty);
  [[nodiscard]] Qty available(const Order& o) const noexcept;
  void report(const Order& o, ExecKind kind, std::int64_t now_ns, ExecSink& sink, Price px = {}, Qty qty = {},
              Usdc fee = {}, Liquidity liq = Liquidity::kTaker);
  void finish(ClientOrderId id);

  FillParams p_;
  const BookView& book_;
  std::map<std::uint64_t, Order> orders_;  // by client id: deterministic iteration
  std::map<std::pair<std::int64_t, std::uint64_t>, Action> actions_;
  std::uint64_t action_seq_ = 0;
  std::vector<std::uint32_t> closed_markets_;
};

}  // namespace polybot::sim::backtest
