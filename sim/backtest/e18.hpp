// Exact 18-decimal integers (Chainlink full-accuracy values, Polymarket strike_value): parsed from their integer
// strings into 128-bit integers, compared exactly. Settlement never goes through double. Pure; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/fixed_point.hpp"
#include "core/int128.hpp"

namespace polybot::sim::backtest {

struct E18 {
  i128 raw = 0;
  constexpr auto operator<=>(const E18&) const noexcept = default;
  // Rounded toward zero to 1e-8 (the UsdPrice scale): display and indicator use only.
  [[nodiscard]] UsdPrice to_usd_price() const noexcept {
    return UsdPrice::from_raw(static_cast<std::int64_t>(raw / 10'000'000'000));
  }
  [[nodiscard]] std::uint64_t hi() const noexcept { return static_cast<std::uint64_t>(static_cast<u128>(raw) >> 64); }
  [[nodiscard]] std::uint64_t lo() const noexcept { return static_cast<std::uint64_t>(static_cast<u128>(raw)); }
  // Decimal text with 18 fractional digits trimmed of trailing zeros, e.g. "63123.544863797618".
  [[nodiscard]] std::string to_decimal() const;
};

// Parses a non-negative integer string of at most 38 digits (no sign, no point); nullopt otherwise.
std::optional<E18> parse_e18_integer(std::string_view text) noexcept;

}  // namespace polybot::sim::backtest
