// FillLedger: makes fills idempotent. The venue sends the same trade id several times as it advances
// (MATCHED -> MINED -> CONFIRMED, or RETRYING -> FAILED); a fill is counted once per (trade id, our order), on its
// first sighting, and reversed if the trade FAILED. Remembers the last kCapacity fills (a ring).
// The oms thread only; no allocation.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "core/fixed_point.hpp"
#include "core/msg/order.hpp"

namespace polybot::oms {

enum class FillAction : std::uint8_t {
  kCount = 0,       // first sighting: count the fill
  kAdvance = 1,     // known trade, new status: report the status, quantities unchanged
  kDuplicate = 2,   // same trade, same status: nothing
  kReverse = 3,     // the trade FAILED after it was counted: take the fill back
  kIgnore = 4,      // FAILED on first sighting: never counted, nothing to do
};

class FillLedger {
 public:
  static constexpr std::size_t kCapacity = 1024;

  // FNV-1a of the trade id mixed with our order's venue key, and with the maker leg for a taker order's second and
  // later legs (one trade against several makers is several fills; leg 0 keeps the key it always had).
  [[nodiscard]] static std::uint64_t key(std::string_view trade_id, VenueOrderKey order,
                                         std::uint32_t leg = 0) noexcept;

  FillAction record(std::uint64_t key, TradeStatus status) noexcept;
  [[nodiscard]] std::size_t size() const noexcept { return count_ < kCapacity ? count_ : kCapacity; }

 private:
  struct Entry {
    std::uint64_t key = 0;
    TradeStatus status = TradeStatus::kNone;
  };
  std::array<Entry, kCapacity> ring_{};
  std::size_t count_ = 0;
};

}  // namespace polybot::oms
