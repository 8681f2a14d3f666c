#include "oms/risk/reservation_table.hpp"

namespace polybot::oms::risk {

ReservationTable::ReservationTable(std::uint32_t max_orders) : max_orders_(max_orders == 0 ? 1 : max_orders) {
  std::size_t cap = 4;
  int bits = 2;
  while (cap < 2 * static_cast<std::size_t>(max_orders_)) {
    cap <<= 1;
    ++bits;
  }
  slots_.assign(cap, OrderReservation{});
  open_.reserve(max_orders_);
  mask_ = cap - 1;
  shift_ = 64 - bits;
}

std::size_t ReservationTable::home(ClientOrderId id) const noexcept {
  // Fibonacci hashing: risk hands out consecutive ids, which this spreads over the whole table.
  return static_cast<std::size_t>((id.value * 0x9E3779B97F4A7C15ULL) >> shift_);
}

OrderReservation* ReservationTable::find(ClientOrderId id) noexcept {
  if (!id.valid()) return nullptr;
  for (std::size_t i = home(id);; i = (i + 1) & mask_) {
    OrderReservation& s = slots_[i];
    if (s.client_id == id) return &s;
    if (!s.client_id.valid()) return nullptr;  // at most half full: an empty slot always ends the probe
  }
}

OrderReservation* ReservationTable::insert(const OrderReservation& r) noexcept {
  if (!r.client_id.valid() || full()) return nullptr;
  for (std::size_t i = home(r.client_id);; i = (i + 1) & mask_) {
    OrderReservation& s = slots_[i];
    if (s.client_id == r.client_id) return nullptr;
    if (!s.client_id.valid()) {
      s = r;
      s.dense = static_cast<std::uint32_t>(open_.size());
      open_.push_back(Open{r.client_id, r.market, r.strategy});
      ++size_;
      return &s;
    }
  }
}

void ReservationTable::erase(OrderReservation* r) noexcept {
  // The open list first (swap-remove), while `r` still points at the entry.
  const std::uint32_t at = r->dense;
  const Open last = open_.back();
  open_.pop_back();
  if (last.client_id != r->client_id) {
    open_[at] = last;
    find(last.client_id)->dense = at;
  }
  std::size_t hole = static_cast<std::size_t>(r - slots_.data());
  // Backward shift: pull each later entry of the probe run into the hole unless its home lies cyclically in
  // (hole, j], where it already is as close to home as it can be.
  for (std::size_t j = (hole + 1) & mask_; slots_[j].client_id.valid(); j = (j + 1) & mask_) {
    const std::size_t k = home(slots_[j].client_id);
    const bool stays = hole <= j ? (hole < k && k <= j) : (hole < k || k <= j);
    if (stays) continue;
    slots_[hole] = slots_[j];
    hole = j;
  }
  slots_[hole] = OrderReservation{};
  --size_;
}

}  // namespace polybot::oms::risk
