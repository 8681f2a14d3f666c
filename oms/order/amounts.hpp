// makerAmount/takerAmount in base units (1e-6) from price, size and tick size, in integer arithmetic only,
// reproducing the official clob-client-v2 results (ROUNDING_CONFIG, getOrderRawAmounts,
// getMarketOrderRawAmounts) without its float artefacts. Refuses, before anything is signed: prices outside
// [tick, 1 - tick] or off the tick grid, sizes under the market minimum, marketable BUYs under $1.
// Pure functions: no allocation (except AmountError::message), any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/fixed_point.hpp"
#include "core/result.hpp"
#include "oms/order/order.hpp"

namespace polybot::oms {

enum class TickSize : std::uint8_t { k0_1, k0_01, k0_005, k0_0025, k0_001, k0_0001 };

struct TickRounding {
  Price tick;                // in Price units (1e-6)
  std::uint8_t price_decimals;
  std::uint8_t size_decimals;
  std::uint8_t amount_decimals;
};

// The official ROUNDING_CONFIG table.
TickRounding tick_rounding(TickSize t) noexcept;
// Exactly "0.1", "0.01", "0.005", "0.0025", "0.001" or "0.0001" (the official TickSize strings).
bool parse_tick_size(std::string_view text, TickSize& out) noexcept;
const char* to_string(TickSize t) noexcept;

enum class AmountErrc : std::uint8_t {
  kPriceOutOfRange,    // price < tick or price > 1 - tick
  kPriceOffTick,       // price not a multiple of the tick
  kSizeTooSmall,       // size (after rounding down to 2 decimals) below the market minimum, or zero
  kAmountTooSmall,     // market-order amount rounds down to zero
  kNotionalTooSmall,   // marketable BUY below the minimum notional ($1)
  kOverflow,           // amounts would not fit in 63 bits
};

struct AmountError {
  AmountErrc code;
  std::int64_t value;  // the offending value in 1e-6 units (price, size, amount or notional)
  std::int64_t limit;  // the bound it broke, same units
  // e.g. "price 0.555 is not a multiple of the tick size 0.01"
  [[nodiscard]] std::string message() const;
};

struct AmountLimits {
  Qty min_size = Qty::from_raw(0);                  // the market's min_order_size, applied to resting orders
  Usdc min_marketable_buy = Usdc::from_raw(1'000'000);  // $1 for marketable BUYs
};

// How market-order amounts are rounded. kOfficialClient reproduces clob-client-v2 byte for byte; kServerLimits
// additionally floors the taker amount to 4 decimals, which the server demands for market BUYs (py-clob-client-v2
// #99; UNVERIFIED for every tick).
enum class MarketRounding : std::uint8_t { kOfficialClient, kServerLimits };

struct OrderAmounts {
  std::uint64_t maker = 0;
  std::uint64_t taker = 0;
};

// Limit order (GTC/GTD, or FOK/FAK built from price and size). `marketable` = FOK/FAK: the $1 BUY minimum applies
// and the resting-size minimum does not.
Result<OrderAmounts, AmountError> limit_order_amounts(Side side, Price price, Qty size, TickSize tick,
                                                      bool marketable, const AmountLimits& limits) noexcept;

// Market order: amount is pUSD to spend (BUY) or shares to sell (SELL), raw 1e-6 units; price is the worst
// acceptable price.
Result<OrderAmounts, AmountError> market_order_amounts(Side side, Price price, std::int64_t amount_raw, TickSize tick,
                                                       const AmountLimits& limits,
                                                       MarketRounding rounding = MarketRounding::kOfficialClient) noexcept;

}  // namespace polybot::oms
