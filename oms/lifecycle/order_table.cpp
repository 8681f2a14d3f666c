#include "oms/lifecycle/order_table.hpp"

#include <bit>

namespace polybot::oms {

OrderTable::OrderTable(std::uint32_t capacity)
    : capacity_(std::bit_ceil(capacity < 2 ? 2u : capacity)),
      pool_(new Order[capacity_]),
      free_(new std::uint32_t[capacity_]) {
  for (std::uint32_t i = 0; i < capacity_; ++i) free_[i] = capacity_ - 1 - i;  // pop gives slot 0 first
  free_top_ = capacity_;
  for (Index* ix : {&by_id_, &by_digest_}) {
    const std::uint32_t cells = capacity_ * 2;
    ix->cells.reset(new std::uint32_t[cells]());
    ix->mask = cells - 1;
  }
}

std::uint64_t OrderTable::mix(std::uint64_t x) noexcept {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

std::uint64_t OrderTable::key_of_slot(std::uint32_t slot, bool by_digest) const noexcept {
  const Order& o = pool_[slot];
  return by_digest ? venue_key_of(o.digest).value : o.client_id.value;
}

std::uint32_t OrderTable::index_find(const Index& ix, std::uint64_t key, bool by_digest,
                                     const OrderDigest* d) const noexcept {
  for (std::uint32_t p = static_cast<std::uint32_t>(mix(key)) & ix.mask;; p = (p + 1) & ix.mask) {
    const std::uint32_t c = ix.cells[p];
    if (c == 0) return kNoSlot;
    const Order& o = pool_[c - 1];
    if (by_digest ? (o.has_digest && o.digest == *d) : (o.client_id.value == key)) return c - 1;
  }
}

void OrderTable::index_insert(Index& ix, std::uint64_t key, std::uint32_t slot) noexcept {
  std::uint32_t p = static_cast<std::uint32_t>(mix(key)) & ix.mask;
  while (ix.cells[p] != 0) p = (p + 1) & ix.mask;
  ix.cells[p] = slot + 1;
}

void OrderTable::index_erase(Index& ix, std::uint64_t key, std::uint32_t slot, bool by_digest) noexcept {
  std::uint32_t p = static_cast<std::uint32_t>(mix(key)) & ix.mask;
  while (ix.cells[p] != slot + 1) {
    if (ix.cells[p] == 0) return;
    p = (p + 1) & ix.mask;
  }
  // Backward-shift: pull later members of the cluster into the hole when their home allows it.
  std::uint32_t j = p;
  for (;;) {
    j = (j + 1) & ix.mask;
    const std::uint32_t c = ix.cells[j];
    if (c == 0) break;
    const std::uint32_t home = static_cast<std::uint32_t>(mix(key_of_slot(c - 1, by_digest))) & ix.mask;
    const bool movable = (p <= j) ? (home <= p || home > j) : (home <= p && home > j);
    if (movable) {
      ix.cells[p] = c;
      p = j;
    }
  }
  ix.cells[p] = 0;
}

OrderTable::InsertStatus OrderTable::insert(const OrderRequest& req, std::int64_t now_ns, Order** out) noexcept {
  if (!req.client_id.valid()) return InsertStatus::kInvalidId;
  if (index_find(by_id_, req.client_id.value, false, nullptr) != kNoSlot) return InsertStatus::kDuplicate;
  if (free_top_ == 0) return InsertStatus::kFull;
  const std::uint32_t slot = free_[--free_top_];
  Order& o = pool_[slot];
  o = Order{};
  o.client_id = req.client_id;
  o.market = req.market;
  o.token = req.hdr.instrument;
  o.strategy = req.strategy;
  o.side = req.side;
  o.type = req.order_type;
  o.post_only = req.post_only;
  o.price = req.price;
  o.size = req.size;
  o.state = OrderState::kSigning;
  o.created_ns = now_ns;
  o.last_event_ns = now_ns;
  index_insert(by_id_, o.client_id.value, slot);
  ++used_;
  *out = &o;
  return InsertStatus::kOk;
}

Order* OrderTable::find(ClientOrderId id) noexcept {
  const std::uint32_t s = index_find(by_id_, id.value, false, nullptr);
  return s == kNoSlot ? nullptr : &pool_[s];
}

Order* OrderTable::find(const OrderDigest& d) noexcept {
  const std::uint32_t s = index_find(by_digest_, venue_key_of(d).value, true, &d);
  return s == kNoSlot ? nullptr : &pool_[s];
}

bool OrderTable::bind_digest(Order& o, const OrderDigest& d) noexcept {
  if (o.has_digest) return o.digest == d;
  if (index_find(by_digest_, venue_key_of(d).value, true, &d) != kNoSlot) return false;
  o.digest = d;
  o.has_digest = true;
  index_insert(by_digest_, venue_key_of(d).value, static_cast<std::uint32_t>(&o - pool_.get()));
  return true;
}

void OrderTable::note_state_change(const Order& o, OrderState before) noexcept {
  const bool was = before == OrderState::kUnknown;
  const bool is = o.state == OrderState::kUnknown;
  if (was == is) return;
  if (is) {
    ++unknown_total_;
    MarketUnknown* empty = nullptr;
    for (auto& m : unknown_) {
      if (m.count > 0 && m.market == o.market) {
        ++m.count;
        return;
      }
      if (m.count == 0 && empty == nullptr) empty = &m;
    }
    // With no room to track the market, market_blocked() falls back to blocking every market (unknown_total_).
    if (empty != nullptr) *empty = MarketUnknown{o.market, 1};
    else ++untracked_unknown_;
  } else {
    --unknown_total_;
    for (auto& m : unknown_) {
      if (m.count > 0 && m.market == o.market) {
        --m.count;
        return;
      }
    }
    if (untracked_unknown_ > 0) --untracked_unknown_;
  }
}

bool OrderTable::market_blocked(MarketId market) const noexcept {
  if (unknown_total_ == 0) return false;  // the decision path's usual case: no scan
  if (untracked_unknown_ > 0) return true;
  for (const auto& m : unknown_)
    if (m.count > 0 && m.market == market) return true;
  return false;
}

Transition OrderTable::apply(Order& o, ExecKind event, std::int64_t now_ns) noexcept {
  OrderState next{};
  const Transition t = next_state(o.state, event, &next);
  if (t == Transition::kIllegal) {
    ++illegal_;
    return t;
  }
  if (t == Transition::kApplied) {
    const OrderState before = o.state;
    o.state = next;
    o.last_event_ns = now_ns;
    if (is_terminal(next)) o.cancel_pending = 0;
    note_state_change(o, before);
  }
  return t;
}

Transition OrderTable::apply_fill(Order& o, Qty qty, Price price, std::int64_t now_ns) noexcept {
  if (o.state == OrderState::kFree || o.state == OrderState::kSigning || qty.is_zero()) {
    ++illegal_;
    return Transition::kIllegal;
  }
  const OrderState before = o.state;
  o.cum_qty += qty;
  if (o.cum_qty.raw < 0) o.cum_qty = Qty{};
  o.cum_cost += notional(price, qty);
  o.last_event_ns = now_ns;
  if (o.cum_qty >= o.size) {
    o.state = OrderState::kFilled;
    o.cancel_pending = 0;
  } else if (is_terminal(before) && before != OrderState::kFilled) {
    // A fill that happened before the cancel/expiry took effect: counted, the order stays closed.
  } else if (!o.cum_qty.is_zero()) {
    o.state = OrderState::kPartiallyFilled;  // also resolves Unknown: a fill proves it reached the book
  } else if (before == OrderState::kFilled || before == OrderState::kPartiallyFilled) {
    o.state = OrderState::kAccepted;  // every fill reversed (trades FAILED): resting again
  }
  note_state_change(o, before);
  return Transition::kApplied;
}

Qty OrderTable::set_cum_qty(Order& o, Qty cum, Price price, std::int64_t now_ns) noexcept {
  const Qty delta = cum - o.cum_qty;
  if (!delta.is_zero()) (void)apply_fill(o, delta, price, now_ns);
  return delta;
}

void OrderTable::free_slot(std::uint32_t slot) noexcept {
  Order& o = pool_[slot];
  index_erase(by_id_, o.client_id.value, slot, false);
  if (o.has_digest) index_erase(by_digest_, venue_key_of(o.digest).value, slot, true);
  o.state = OrderState::kFree;
  free_[free_top_++] = slot;
  --used_;
}

bool OrderTable::retire(Order& o) noexcept {
  if (!is_terminal(o.state)) return false;
  free_slot(static_cast<std::uint32_t>(&o - pool_.get()));
  return true;
}

std::uint32_t OrderTable::retire_terminal(std::int64_t before_ns) noexcept {
  std::uint32_t n = 0;
  for (std::uint32_t i = 0; i < capacity_; ++i) {
    Order& o = pool_[i];
    if (is_terminal(o.state) && o.last_event_ns < before_ns) {
      free_slot(i);
      ++n;
    }
  }
  return n;
}

}  // namespace polybot::oms
