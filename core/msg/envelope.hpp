// Envelope: one fixed-size slot that holds any message, so a channel between two stages can carry every family
// that crosses that link. All members share the MsgHeader as their common initial sequence, so reading `hdr`
// is always defined. Trivially copyable; moved through queues and journals by memcpy.
#pragma once

#include <cstring>
#include <type_traits>

#include "core/msg/book_top.hpp"
#include "core/msg/intent.hpp"
#include "core/msg/market_def.hpp"
#include "core/msg/market_event.hpp"
#include "core/msg/order.hpp"
#include "core/msg/timer.hpp"

namespace polybot {

union Envelope {
  MsgHeader hdr;
  BookLevel book_level;
  BookSnapshot book_snapshot;
  Trade trade;
  TickSizeChange tick_size_change;
  BtcTick btc_tick;
  Kline kline;
  RefPrice ref_price;
  MarketStatus market_status;
  MarketDef market_def;
  BookTop book_top;
  Timer timer;
  Intent intent;
  Denied denied;
  OrderRequest order_request;
  ExecReport exec_report;
  Command command;
  PositionUpdate position_update;

  Envelope() noexcept : hdr{} {}

  template <Message T>
  static Envelope of(const T& m) noexcept {
    Envelope e;
    std::memcpy(static_cast<void*>(&e), &m, sizeof(T));
    return e;
  }
  template <Message T>
  [[nodiscard]] bool is() const noexcept { return hdr.type == T::kType; }
  // The caller checked is<T>().
  template <Message T>
  [[nodiscard]] const T& as() const noexcept { return *reinterpret_cast<const T*>(this); }
  template <Message T>
  [[nodiscard]] T& as() noexcept { return *reinterpret_cast<T*>(this); }
};
static_assert(std::is_trivially_copyable_v<Envelope> && std::is_standard_layout_v<Envelope>);
static_assert(sizeof(Envelope) % 64 == 0 && sizeof(Envelope) <= 256, "an envelope is at most four cache lines");

// Size in bytes of the message of type t (for the journal), 0 for unknown types.
std::size_t message_size(MsgType t) noexcept;
const char* to_string(MsgType t) noexcept;

}  // namespace polybot
