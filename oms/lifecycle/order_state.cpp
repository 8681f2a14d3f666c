#include "oms/lifecycle/order_state.hpp"

namespace polybot::oms {

Transition next_state(OrderState s, ExecKind e, OrderState* next) noexcept {
  using S = OrderState;
  auto to = [&](S n) {
    *next = n;
    return Transition::kApplied;
  };
  if (s == S::kFree) return Transition::kIllegal;
  switch (e) {
    case ExecKind::kSubmitted:
      if (s == S::kSigning) return to(S::kSubmitted);
      // A resend of the same signed bytes: same order, nothing changes.
      if (s == S::kSubmitted || s == S::kUnknown) return Transition::kIgnored;
      return Transition::kIllegal;
    case ExecKind::kAccepted:
      if (s == S::kSubmitted || s == S::kUnknown) return to(S::kAccepted);
      // PLACEMENT racing a trade event or a repeat: nothing new.
      if (s == S::kAccepted || s == S::kPartiallyFilled || is_terminal(s)) return Transition::kIgnored;
      return Transition::kIllegal;
    case ExecKind::kRejected:
      if (s == S::kSigning || s == S::kSubmitted || s == S::kUnknown) return to(S::kRejected);
      if (s == S::kRejected) return Transition::kIgnored;
      // A reject after the venue accepted it would contradict the venue: refuse.
      return Transition::kIllegal;
    case ExecKind::kCancelled:
      // From Signing: cancelled before a byte was sent.
      if (s == S::kSigning || s == S::kSubmitted || s == S::kAccepted || s == S::kPartiallyFilled || s == S::kUnknown)
        return to(S::kCancelled);
      if (is_terminal(s)) return Transition::kIgnored;
      return Transition::kIllegal;
    case ExecKind::kExpired:
      if (s == S::kSubmitted || s == S::kAccepted || s == S::kPartiallyFilled || s == S::kUnknown)
        return to(S::kExpired);
      if (is_terminal(s)) return Transition::kIgnored;
      return Transition::kIllegal;
    case ExecKind::kUnknown:
      if (s == S::kSubmitted || s == S::kAccepted || s == S::kPartiallyFilled) return to(S::kUnknown);
      if (s == S::kUnknown || is_terminal(s)) return Transition::kIgnored;
      return Transition::kIllegal;
    case ExecKind::kPartiallyFilled:
    case ExecKind::kFilled:
    case ExecKind::kSettled:
    case ExecKind::kReconciled:
      return Transition::kIllegal;  // not state events: see OrderTable
  }
  return Transition::kIllegal;
}

const char* to_string(OrderState s) noexcept {
  switch (s) {
    case OrderState::kFree: return "free";
    case OrderState::kSigning: return "signing";
    case OrderState::kSubmitted: return "submitted";
    case OrderState::kAccepted: return "accepted";
    case OrderState::kPartiallyFilled: return "partially_filled";
    case OrderState::kFilled: return "filled";
    case OrderState::kCancelled: return "cancelled";
    case OrderState::kRejected: return "rejected";
    case OrderState::kExpired: return "expired";
    case OrderState::kUnknown: return "unknown";
  }
  return "?";
}

ExecKind exec_kind_of(OrderState s) noexcept {
  switch (s) {
    case OrderState::kFree:
    case OrderState::kSigning:
    case OrderState::kSubmitted: return ExecKind::kSubmitted;
    case OrderState::kAccepted: return ExecKind::kAccepted;
    case OrderState::kPartiallyFilled: return ExecKind::kPartiallyFilled;
    case OrderState::kFilled: return ExecKind::kFilled;
    case OrderState::kCancelled: return ExecKind::kCancelled;
    case OrderState::kRejected: return ExecKind::kRejected;
    case OrderState::kExpired: return ExecKind::kExpired;
    case OrderState::kUnknown: return ExecKind::kUnknown;
  }
  return ExecKind::kUnknown;
}

}  // namespace polybot::oms
