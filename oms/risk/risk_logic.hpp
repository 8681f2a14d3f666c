// RiskLogic: the pre-trade gate of the risk stage and the book of record for capital and positions. Turns each
// Intent into an OrderRequest (with a fresh ClientOrderId, its notional reserved) or a Denied with the reason;
// turns cancel intents into cancel requests for the strategy's open orders; follows halt/resume/panic Commands; consumes the oms's ExecReports: a rejected, cancelled or expired order gives
// its unfilled reservation back, fills move capital into positions (buys) or back out of them (sells), a
// settlement credits the payout; each report is then passed on (re-emitted) for signal. Sizing policies and
// breakers sit in front of it. Risk thread only; allocates only in the constructor (order and position tables).
#pragma once

#include <cstdint>
#include <vector>

#include "core/stage.hpp"
#include "oms/risk/reservation_table.hpp"

namespace polybot::oms::risk {

struct RiskParams {
  Usdc capital = Usdc::from_units(100);
  Usdc max_order_notional = Usdc::from_units(25);
  Usdc min_order_notional = Usdc::from_units(1);
  std::uint32_t max_open_orders = 4096;   // orders with capital reserved at once; beyond: Denied kExposureLimit
  std::uint32_t max_instruments = 1024;   // positions are indexed by InstrumentId below this; above: one shared slot
};

// Holdings of one token: shares and what they cost (fees included), both fixed point.
struct Position {
  Qty qty;
  Usdc cost;
  MarketId market{};
};

struct RiskCounters {
  std::uint64_t reports = 0;          // ExecReports consumed
  std::uint64_t fills = 0;            // reports carrying a fill (last_qty > 0)
  std::uint64_t fill_reversals = 0;   // reports taking a fill back (last_qty < 0: the trade failed on chain)
  std::uint64_t closed = 0;           // orders that ended (rejected, cancelled, expired, filled): reservation gone
  std::uint64_t released_raw = 0;     // USDC (1e-6) given back by orders that ended unfilled or partly filled
  std::uint64_t unknown_reports = 0;  // reports for a client id risk never issued
  std::uint64_t late_reports = 0;     // reports for an order that already ended (trade status updates, reversals)
  std::uint64_t table_full = 0;       // intents denied because max_open_orders orders were open
  std::uint64_t lost_reports = 0;     // gaps in the oms's report sequence (its channel to risk was full): halts
  std::uint64_t sold_unheld = 0;      // sell fills beyond the shares risk knew of
  std::uint64_t untracked_fills = 0;  // fills of an instrument id >= max_instruments (kept in one shared slot)
  std::uint64_t settlements = 0;
  std::uint64_t cancels_sent = 0;     // cancel requests sent to the oms (one per open order a cancel intent named)
  std::uint64_t cancels_unknown = 0;  // cancel intents naming an order that is not open (already ended)
};

class RiskLogic final : public StageLogic {
 public:
  explicit RiskLogic(RiskParams params);
  [[nodiscard]] Stage stage() const noexcept override { return Stage::kRisk; }
  void on_input(const Envelope& in, const Clock& clock, Emitter& out) noexcept override;

  [[nodiscard]] std::uint64_t approved() const noexcept { return approved_; }
  [[nodiscard]] std::uint64_t denied() const noexcept { return denied_; }
  [[nodiscard]] std::uint64_t skipped() const noexcept { return skipped_; }
  [[nodiscard]] TradingState state() const noexcept { return state_; }
  // Capital free for new orders.
  [[nodiscard]] Usdc available() const noexcept { return available_; }
  // Capital set aside for the unfilled part of open orders.
  [[nodiscard]] Usdc reserved() const noexcept { return reserved_; }
  // Cost of every position held (the shared overflow slot included).
  [[nodiscard]] Usdc position_cost() const noexcept;
  [[nodiscard]] Usdc realized_pnl() const noexcept { return realized_; }
  [[nodiscard]] Position position(InstrumentId id) const noexcept { return positions_[slot(id)]; }
  [[nodiscard]] std::uint32_t open_orders() const noexcept { return orders_.size(); }
  [[nodiscard]] const RiskCounters& counters() const noexcept { return counters_; }
  // The smallest `available` seen after any input (the book never lends: this stays >= 0 unless a fill cost more
  // than its reservation, e.g. a venue fee risk did not know of).
  [[nodiscard]] Usdc min_available() const noexcept { return min_available_; }

 private:
  void deny(const Intent& it, DenyReason reason, Usdc limit, Emitter& out) noexcept;
  void on_intent(const Intent& it, Emitter& out) noexcept;
  void on_cancel(const Intent& it, Emitter& out) noexcept;
  void send_cancel(OrderReservation& o, const Intent& it, Emitter& out) noexcept;
  void on_report(const ExecReport& er) noexcept;
  void apply_fill(const ExecReport& er, OrderReservation* o) noexcept;
  void settle(const ExecReport& er) noexcept;
  void set_reserved(OrderReservation& o, Usdc target) noexcept;
  [[nodiscard]] std::size_t slot(InstrumentId id) const noexcept {
    return id.value < positions_.size() ? id.value : 0;  // slot 0 (no instrument) also takes the overflow
  }

  RiskParams p_;
  Usdc available_;
  Usdc reserved_;
  Usdc realized_;
  Usdc min_available_;
  TradingState state_ = TradingState::kActive;
  bool reports_lost_ = false;  // halted because an ExecReport never arrived: only an operator resume clears it
  std::uint64_t next_client_id_ = 0;
  std::uint64_t last_oms_seq_ = 0;
  std::uint64_t approved_ = 0, denied_ = 0, skipped_ = 0;
  RiskCounters counters_;
  ReservationTable orders_;
  std::vector<Position> positions_;
};

}  // namespace polybot::oms::risk
