// MarketDirectory: what the oms needs to know about each tradable token, indexed by the engine's small
// InstrumentId: the venue token id (decimal + uint256), the market's condition id, tick size, minimum size and
// neg-risk flag. Filled at start-up or market roll-over (off the hot path, before the token is traded); read by
// the oms thread and the signing thread. Fixed capacity; no allocation after construction.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "core/fixed_point.hpp"
#include "core/ids.hpp"
#include "oms/order/amounts.hpp"
#include "oms/order/order.hpp"

namespace polybot::oms {

struct TokenInfo {
  bool valid = false;
  TokenId token{};
  MarketId market{};
  std::array<char, 66> condition_id{};  // "0x" + 64 hex
  std::uint8_t condition_len = 0;
  TickSize tick = TickSize::k0_01;
  Qty min_size = Qty::from_raw(5'000'000);
  bool neg_risk = false;
  [[nodiscard]] std::string_view condition() const noexcept { return {condition_id.data(), condition_len}; }
};

// Price tick (1e-6 units) -> the official TickSize; false for a tick the venue does not use.
bool tick_size_of(Price tick, TickSize* out) noexcept;

class MarketDirectory {
 public:
  static constexpr std::uint32_t kMaxTokens = 1024;
  // False (nothing changed) for an id out of range, a bad token id or condition id.
  bool set(InstrumentId id, MarketId market, std::string_view token_decimal, std::string_view condition_id,
           Price tick, Qty min_size, bool neg_risk) noexcept;
  [[nodiscard]] const TokenInfo* find(InstrumentId id) const noexcept {
    return id.value < kMaxTokens && tokens_[id.value].valid ? &tokens_[id.value] : nullptr;
  }
  // Tick changes at run time (tick_size_change): the next orders use the new tick.
  bool set_tick(InstrumentId id, Price tick) noexcept;

 private:
  std::array<TokenInfo, kMaxTokens> tokens_{};
};

}  // namespace polybot::oms
