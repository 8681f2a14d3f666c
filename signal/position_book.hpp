// PositionBook: one strategy's Up and Down holdings in the current market, from its own ExecReport fills (buys
// add shares and cost including the fee; sells remove shares at the average cost) and replaced by risk's
// PositionUpdate when one arrives (the book of record). OrderGate: at most one order of the strategy in flight,
// released by any ExecReport of the strategy on the market or by a timeout, plus a cooldown between orders.
// Signal thread only, no allocation.
#pragma once

#include <cstdint>

#include "core/messages.hpp"
#include "signal/market_state.hpp"

namespace polybot::signal {

struct SideHolding {
  Qty shares;
  Usdc cost;
  // Average cost per share (USDC), 0 when flat.
  [[nodiscard]] double avg() const noexcept {
    return shares.raw > 0 ? static_cast<double>(cost.raw) / static_cast<double>(shares.raw) : 0.0;
  }
};

class PositionBook {
 public:
  explicit PositionBook(StrategyId id = {}) noexcept : id_(id) {}

  // Returns true when the holdings changed.
  bool on_message(const Envelope& msg, const MarketState& m) noexcept {
    if (m.market() != market_) {
      market_ = m.market();
      up_ = {};
      down_ = {};
    }
    if (msg.is<ExecReport>()) {
      const ExecReport& er = msg.as<ExecReport>();
      if (er.strategy != id_ || er.market != market_ || er.last_qty.raw <= 0) return false;
      if (er.kind != ExecKind::kPartiallyFilled && er.kind != ExecKind::kFilled) return false;
      Outcome o = er.outcome;
      if (o == Outcome::kNone) {
        if (er.hdr.instrument == m.top().up.token) o = Outcome::kUp;
        else if (er.hdr.instrument == m.top().down.token) o = Outcome::kDown;
        else return false;
      }
      SideHolding& h = o == Outcome::kUp ? up_ : down_;
      if (er.side == Side::kBuy) {
        h.shares += er.last_qty;
        h.cost += notional(er.last_price, er.last_qty) + er.fee;
      } else {
        const std::int64_t sold = er.last_qty.raw < h.shares.raw ? er.last_qty.raw : h.shares.raw;
        if (h.shares.raw > 0) {
          h.cost.raw -= static_cast<std::int64_t>(static_cast<i128>(h.cost.raw) * sold / h.shares.raw);
        }
        h.shares.raw -= sold;
      }
      return true;
    }
    if (msg.is<PositionUpdate>()) {
      const PositionUpdate& pu = msg.as<PositionUpdate>();
      if (pu.strategy != id_ || pu.market != market_) return false;
      up_ = SideHolding{pu.up_shares, pu.up_cost};
      down_ = SideHolding{pu.down_shares, pu.down_cost};
      return true;
    }
    return false;
  }
  [[nodiscard]] const SideHolding& up() const noexcept { return up_; }
  [[nodiscard]] const SideHolding& down() const noexcept { return down_; }
  [[nodiscard]] const SideHolding& side(Outcome o) const noexcept { return o == Outcome::kDown ? down_ : up_; }
  // Up shares minus Down shares, in Qty raw units.
  [[nodiscard]] std::int64_t delta_raw() const noexcept { return up_.shares.raw - down_.shares.raw; }

 private:
  StrategyId id_;
  MarketId market_{};
  SideHolding up_{}, down_{};
};

class OrderGate {
 public:
  OrderGate(std::int64_t timeout_ns = 2'000'000'000, std::int64_t cooldown_ns = 0) noexcept
      : timeout_ns_(timeout_ns), cooldown_ns_(cooldown_ns) {}

  [[nodiscard]] bool ready(std::int64_t now_ns) const noexcept {
    if (in_flight_ && now_ns < sent_ns_ + timeout_ns_) return false;
    return now_ns >= sent_ns_ + cooldown_ns_ || sent_ns_ == kNever;
  }
  [[nodiscard]] bool in_flight(std::int64_t now_ns) const noexcept {
    return in_flight_ && now_ns < sent_ns_ + timeout_ns_;
  }
  void sent(std::int64_t now_ns) noexcept {
    in_flight_ = true;
    sent_ns_ = now_ns;
  }
  // Any report of ours on this market ends the wait (fill, cancel, reject, expiry).
  void on_message(const Envelope& msg, StrategyId id) noexcept {
    if (!msg.is<ExecReport>()) return;
    const ExecReport& er = msg.as<ExecReport>();
    if (er.strategy != id) return;
    if (er.kind == ExecKind::kSubmitted || er.kind == ExecKind::kAccepted || er.kind == ExecKind::kPartiallyFilled)
      return;
    in_flight_ = false;
  }
  void reset() noexcept {
    in_flight_ = false;
    sent_ns_ = kNever;
  }

 private:
  static constexpr std::int64_t kNever = INT64_MIN / 2;
  std::int64_t timeout_ns_, cooldown_ns_;
  bool in_flight_ = false;
  std::int64_t sent_ns_ = kNever;
};

// An Intent with the fields every strategy fills the same way; the emitter stamps the header's times and seq.
inline Intent make_intent(StrategyId strategy, MarketId market, std::int64_t window_end_s, ReasonCode reason,
                          IntentAction action) noexcept {
  Intent in{};
  in.hdr.type = MsgType::kIntent;
  in.hdr.producer = Stage::kSignal;
  in.market = market;
  in.strategy = strategy;
  in.reason = reason;
  in.action = action;
  in.window_end_s = window_end_s;
  return in;
}

}  // namespace polybot::signal
