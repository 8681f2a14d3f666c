// The order state machine: states and events are past tense (what happened), transitions are a pure function.
// Any thread; no allocation.
#pragma once

#include <array>
#include <cstdint>

#include "core/msg/order.hpp"

namespace polybot::oms {

// The venue's order id: the 32-byte EIP-712 digest, known before the order is sent.
using OrderDigest = std::array<std::uint8_t, 32>;

// First 8 bytes of the digest, big-endian: the key messages carry (VenueOrderKey).
[[nodiscard]] constexpr VenueOrderKey venue_key_of(const OrderDigest& d) noexcept {
  std::uint64_t k = 0;
  for (int i = 0; i < 8; ++i) k = (k << 8) | d[static_cast<std::size_t>(i)];
  return VenueOrderKey{k};
}

enum class OrderState : std::uint8_t {
  kFree = 0,             // slot unused
  kSigning = 1,          // accepted from risk, waiting for a signature (helper thread or cache)
  kSubmitted = 2,        // signed bytes journaled and handed to the socket
  kAccepted = 3,         // resting on the book
  kPartiallyFilled = 4,
  kFilled = 5,           // terminal
  kCancelled = 6,        // terminal (user, venue, heartbeat, GTD expiry reported as cancel, FOK/FAK kill)
  kRejected = 7,         // terminal: the venue refused it (or it was proven never to have reached the book)
  kExpired = 8,          // terminal
  kUnknown = 9,          // no answer in time: blocks new orders on the market until reconciled
};

[[nodiscard]] constexpr bool is_terminal(OrderState s) noexcept {
  return s == OrderState::kFilled || s == OrderState::kCancelled || s == OrderState::kRejected ||
         s == OrderState::kExpired;
}
// Could be resting on the venue's book (or about to be).
[[nodiscard]] constexpr bool may_be_live(OrderState s) noexcept {
  return s == OrderState::kSubmitted || s == OrderState::kAccepted || s == OrderState::kPartiallyFilled ||
         s == OrderState::kUnknown;
}

enum class Transition : std::uint8_t {
  kApplied = 0,  // the state changed (or a fill was counted)
  kIgnored = 1,  // stale or duplicate (e.g. PLACEMENT after a fill): harmless, no report
  kIllegal = 2,  // impossible in this state: counted and journaled, the order is left unchanged
};

// The state after `event` in `state`, for non-fill events (fills go through OrderTable::apply_fill, which knows
// the quantities). `*next` is written only when the result is kApplied.
[[nodiscard]] Transition next_state(OrderState state, ExecKind event, OrderState* next) noexcept;

[[nodiscard]] const char* to_string(OrderState s) noexcept;
[[nodiscard]] ExecKind exec_kind_of(OrderState s) noexcept;

}  // namespace polybot::oms
