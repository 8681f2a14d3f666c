#include "oms/lifecycle/fill_ledger.hpp"

namespace polybot::oms {

std::uint64_t FillLedger::key(std::string_view trade_id, VenueOrderKey order, std::uint32_t leg) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : trade_id) {
    h ^= static_cast<std::uint8_t>(c);
    h *= 0x100000001b3ULL;
  }
  h ^= order.value + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  if (leg != 0) h = (h ^ (static_cast<std::uint64_t>(leg) * 0xff51afd7ed558ccdULL)) * 0x100000001b3ULL;
  return h == 0 ? 1 : h;
}

FillAction FillLedger::record(std::uint64_t key, TradeStatus status) noexcept {
  const std::size_t n = size();
  for (std::size_t i = 0; i < n; ++i) {
    Entry& e = ring_[i];
    if (e.key != key) continue;
    if (e.status == status) return FillAction::kDuplicate;
    const TradeStatus before = e.status;
    e.status = status;
    if (status == TradeStatus::kFailed) return before == TradeStatus::kFailed ? FillAction::kDuplicate : FillAction::kReverse;
    // A trade that FAILED cannot come back; anything after it is noise.
    if (before == TradeStatus::kFailed) {
      e.status = before;
      return FillAction::kDuplicate;
    }
    return FillAction::kAdvance;
  }
  ring_[count_ % kCapacity] = Entry{key, status};
  ++count_;
  return status == TradeStatus::kFailed ? FillAction::kIgnore : FillAction::kCount;
}

}  // namespace polybot::oms
