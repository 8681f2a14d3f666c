// Strong integer ids. Venue identifiers (token ids, condition ids, order hashes) map to these small ids through
// tables built at start-up or roll-over, off the hot path. Different id kinds do not convert into each other.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>

namespace polybot {

template <class Tag, class Rep>
struct StrongId {
  using rep_type = Rep;
  Rep value = 0;
  constexpr auto operator<=>(const StrongId&) const noexcept = default;
  [[nodiscard]] constexpr bool valid() const noexcept { return value != 0; }
};

// 0 is "none" for every id kind.
using InstrumentId = StrongId<struct InstrumentIdTag, std::uint32_t>;  // a token, a Binance symbol, a feed
using MarketId = StrongId<struct MarketIdTag, std::uint32_t>;          // one Up/Down window (a condition id)
using StrategyId = StrongId<struct StrategyIdTag, std::uint16_t>;
using ClientOrderId = StrongId<struct ClientOrderIdTag, std::uint64_t>;  // ours, assigned by risk
// The venue's order id is the 32-byte EIP-712 digest; messages carry its first 8 bytes as a key and the table in
// oms holds the full digest.
using VenueOrderKey = StrongId<struct VenueOrderKeyTag, std::uint64_t>;

}  // namespace polybot

template <class Tag, class Rep>
struct std::hash<polybot::StrongId<Tag, Rep>> {
  std::size_t operator()(polybot::StrongId<Tag, Rep> id) const noexcept { return std::hash<Rep>{}(id.value); }
};
