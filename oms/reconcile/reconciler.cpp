#include "oms/reconcile/reconciler.hpp"

namespace polybot::oms {

void Reconciler::begin() noexcept {
  open_n_ = 0;
  fills_n_ = 0;
  overflow_ = false;
}

bool Reconciler::add_open(const OrderDigest& id, Qty original_size, Qty size_matched) noexcept {
  if (open_n_ == kMaxOpen) {
    overflow_ = true;
    return false;
  }
  open_[open_n_++] = Open{id, original_size, size_matched, false};
  return true;
}

Reconciler::FillSum* Reconciler::fill_sum(const OrderDigest& id) noexcept {
  for (std::size_t i = 0; i < fills_n_; ++i)
    if (fills_[i].id == id) return &fills_[i];
  return nullptr;
}

bool Reconciler::add_fill(const OurFill& f, TradeStatus status) noexcept {
  if (status == TradeStatus::kFailed) return true;
  FillSum* s = fill_sum(f.order);
  if (s == nullptr) {
    if (fills_n_ == kMaxFilledOrders) {
      overflow_ = true;
      return false;
    }
    s = &fills_[fills_n_++];
    *s = FillSum{f.order, Qty{}, Usdc{}};
  }
  s->qty += f.qty;
  s->cost += notional(f.price, f.qty);
  return true;
}

ReconcileReport Reconciler::finish(OrderTable& table, std::int64_t now_ns, ReconcileSink& sink) noexcept {
  ReconcileReport rep;
  auto report = [&](ReconcileFinding what, Order* o, const OrderDigest& d, Qty q, Price p) {
    ++rep.findings;
    if (what == ReconcileFinding::kStrayUnexplained || what == ReconcileFinding::kOverCounted ||
        what == ReconcileFinding::kBalanceMismatch || what == ReconcileFinding::kClosedButOpen)
      ++rep.unexplained;
    if (what == ReconcileFinding::kStrayCancelled) ++rep.strays_to_cancel;
    sink.on_finding(what, o, d, q, p);
  };
  if (overflow_) ++rep.unexplained;

  table.for_each([&](Order& o) {
    if (!o.has_digest || o.state == OrderState::kSigning) return;
    Open* open = nullptr;
    for (std::size_t i = 0; i < open_n_; ++i) {
      if (open_[i].id == o.digest) {
        open = &open_[i];
        open->known = true;
        break;
      }
    }
    const FillSum* fs = fill_sum(o.digest);
    if (open != nullptr) {
      // On the book: the venue's size_matched is the truth for the cumulative quantity.
      if (is_terminal(o.state)) {
        // We closed it, the venue still rests it: nothing explains that.
        report(ReconcileFinding::kClosedButOpen, &o, o.digest, Qty{}, o.price);
        return;
      }
      if (o.state == OrderState::kSubmitted || o.state == OrderState::kUnknown) {
        table.apply(o, ExecKind::kAccepted, now_ns);
        report(ReconcileFinding::kConfirmedLive, &o, o.digest, Qty{}, o.price);
      }
      if (open->size_matched > o.cum_qty) {
        const Qty add = open->size_matched - o.cum_qty;
        table.apply_fill(o, add, o.price, now_ns);
        report(ReconcileFinding::kMissingFill, &o, o.digest, add, o.price);
      } else if (open->size_matched < o.cum_qty) {
        report(ReconcileFinding::kOverCounted, &o, o.digest, o.cum_qty - open->size_matched, o.price);
      }
      return;
    }
    if (is_terminal(o.state)) {
      if (fs != nullptr && fs->qty > o.cum_qty) {
        const Qty add = fs->qty - o.cum_qty;
        table.apply_fill(o, add, o.price, now_ns);
        report(ReconcileFinding::kMissingFill, &o, o.digest, add, o.price);
      }
      return;
    }
    // Not on the book any more: closed one way or another; the trades tell how much it filled.
    const Qty matched = fs != nullptr ? fs->qty : Qty{};
    if (matched > o.cum_qty) {
      const Qty add = matched - o.cum_qty;
      // Fill price: the venue's average for this order where it is exact, else the limit price.
      table.apply_fill(o, add, o.price, now_ns);
      report(ReconcileFinding::kMissingFill, &o, o.digest, add, o.price);
    } else if (matched < o.cum_qty) {
      report(ReconcileFinding::kOverCounted, &o, o.digest, o.cum_qty - matched, o.price);
      return;
    }
    if (o.state == OrderState::kFilled) {
      report(ReconcileFinding::kClosedFilled, &o, o.digest, Qty{}, o.price);
      return;
    }
    const bool acknowledged = o.state == OrderState::kAccepted || o.state == OrderState::kPartiallyFilled ||
                              !o.cum_qty.is_zero();
    if (acknowledged) {
      table.apply(o, ExecKind::kCancelled, now_ns);
      report(ReconcileFinding::kClosedCancelled, &o, o.digest, Qty{}, o.price);
    } else {
      // Submitted or Unknown, never on the book, no trade: the venue never took it. Proven dead.
      table.apply(o, ExecKind::kRejected, now_ns);
      report(ReconcileFinding::kNeverArrived, &o, o.digest, Qty{}, o.price);
    }
  });

  for (std::size_t i = 0; i < open_n_; ++i) {
    if (open_[i].known) continue;
    report(cfg_.cancel_strays ? ReconcileFinding::kStrayCancelled : ReconcileFinding::kStrayUnexplained, nullptr,
           open_[i].id, open_[i].original_size - open_[i].size_matched, Price{});
  }
  return rep;
}

}  // namespace polybot::oms
