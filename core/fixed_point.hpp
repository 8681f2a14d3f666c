// Fixed-point money types. Prices and sizes that reach a book or an order are integers, never doubles.
//   Price    : Polymarket outcome price in [0, 1], 1e-6 units (covers every tick size down to 0.0001).
//   Qty      : Polymarket shares, 1e-6 units (the exchange contract's base units).
//   Usdc     : USDC amounts, 1e-6 units (the collateral token's base units).
//   UsdPrice : BTC/USD reference prices, 1e-8 units (Binance quotes to 1e-8).
//   BtcQty   : BTC quantities, 1e-8 units.
// Trivially copyable, 8 bytes, constexpr arithmetic; parse/format are exact (see decimal.hpp). Any thread.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

#include "core/decimal.hpp"
#include "core/int128.hpp"

namespace polybot {

template <class Tag, int Decimals, bool Signed = true>
struct Fixed {
  static constexpr int kDecimals = Decimals;
  static constexpr std::int64_t kScale = [] {
    std::int64_t s = 1;
    for (int i = 0; i < Decimals; ++i) s *= 10;
    return s;
  }();

  std::int64_t raw = 0;

  static constexpr Fixed from_raw(std::int64_t r) noexcept { return Fixed{r}; }
  static constexpr Fixed from_units(std::int64_t whole) noexcept { return Fixed{whole * kScale}; }
  static Result<Fixed, DecimalError> parse(std::string_view text) noexcept {
    auto r = parse_decimal(text, Decimals, Signed);
    if (!r) return Err{r.error()};
    return Fixed{*r};
  }
  // For indicator maths and display only; never feed the result back into an order.
  [[nodiscard]] constexpr double to_double() const noexcept {
    return static_cast<double>(raw) / static_cast<double>(kScale);
  }
  std::size_t format(char* out) const noexcept { return format_decimal(raw, Decimals, out); }
  [[nodiscard]] std::string to_string() const { return format_decimal(raw, Decimals); }

  constexpr auto operator<=>(const Fixed&) const noexcept = default;
  constexpr Fixed operator+(Fixed o) const noexcept { return Fixed{raw + o.raw}; }
  constexpr Fixed operator-(Fixed o) const noexcept { return Fixed{raw - o.raw}; }
  constexpr Fixed operator-() const noexcept { return Fixed{-raw}; }
  constexpr Fixed& operator+=(Fixed o) noexcept { raw += o.raw; return *this; }
  constexpr Fixed& operator-=(Fixed o) noexcept { raw -= o.raw; return *this; }
  constexpr Fixed operator*(std::int64_t k) const noexcept { return Fixed{raw * k}; }
  [[nodiscard]] constexpr bool is_zero() const noexcept { return raw == 0; }
};

struct PriceTag {};
struct QtyTag {};
struct UsdcTag {};
struct UsdPriceTag {};
struct BtcQtyTag {};

using Price = Fixed<PriceTag, 6, false>;
using Qty = Fixed<QtyTag, 6>;
using Usdc = Fixed<UsdcTag, 6>;
using UsdPrice = Fixed<UsdPriceTag, 8, false>;
using BtcQty = Fixed<BtcQtyTag, 8>;

static_assert(std::is_trivially_copyable_v<Price> && sizeof(Price) == 8, "Price must be a bare int64");
static_assert(Price::kScale == 1'000'000, "Price scale must cover ticks down to 0.0001 with room for averages");

// Price ticks: Polymarket tick sizes are 0.1, 0.01, 0.001, 0.0001 (and 0.005/0.0025 in rounding tables).
inline constexpr Price kMinTick = Price::from_raw(100);   // 0.0001
inline constexpr Price kPriceOne = Price::from_raw(Price::kScale);
inline constexpr std::int32_t kPriceLevels = static_cast<std::int32_t>(Price::kScale / kMinTick.raw) + 1;  // 0..1

// Notional of `qty` shares at `price`, rounded toward zero, in USDC base units. 128-bit intermediate: no overflow.
constexpr Usdc notional(Price price, Qty qty) noexcept {
  const i128 p = static_cast<i128>(price.raw) * qty.raw;
  return Usdc::from_raw(static_cast<std::int64_t>(p / Price::kScale));
}

}  // namespace polybot
