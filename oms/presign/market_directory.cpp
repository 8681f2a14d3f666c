#include "oms/presign/market_directory.hpp"

#include <cstring>

namespace polybot::oms {

bool tick_size_of(Price tick, TickSize* out) noexcept {
  switch (tick.raw) {
    case 100'000: *out = TickSize::k0_1; return true;
    case 10'000: *out = TickSize::k0_01; return true;
    case 5'000: *out = TickSize::k0_005; return true;
    case 2'500: *out = TickSize::k0_0025; return true;
    case 1'000: *out = TickSize::k0_001; return true;
    case 100: *out = TickSize::k0_0001; return true;
    default: return false;
  }
}

bool MarketDirectory::set(InstrumentId id, MarketId market, std::string_view token_decimal,
                          std::string_view condition_id, Price tick, Qty min_size, bool neg_risk) noexcept {
  if (id.value == 0 || id.value >= kMaxTokens || condition_id.size() > 66) return false;
  TokenInfo t;
  if (!TokenId::parse(token_decimal, t.token) || !tick_size_of(tick, &t.tick)) return false;
  t.market = market;
  std::memcpy(t.condition_id.data(), condition_id.data(), condition_id.size());
  t.condition_len = static_cast<std::uint8_t>(condition_id.size());
  t.min_size = min_size;
  t.neg_risk = neg_risk;
  t.valid = true;
  tokens_[id.value] = t;
  return true;
}

bool MarketDirectory::set_tick(InstrumentId id, Price tick) noexcept {
  if (id.value >= kMaxTokens || !tokens_[id.value].valid) return false;
  return tick_size_of(tick, &tokens_[id.value].tick);
}

}  // namespace polybot::oms
