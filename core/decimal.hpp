// Exact decimal <-> fixed-point conversion. Pure functions: no allocation (except the error message, built only
// on the error path), no floating point, any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace polybot {

enum class DecimalErrc : std::uint8_t {
  kEmpty,           // no digits at all
  kBadCharacter,    // anything but [+-]digits[.digits]
  kTooPrecise,      // a non-zero digit beyond the type's scale
  kOverflow,        // does not fit in the type
  kNegative,        // a sign where the type is unsigned by contract
};

const char* to_string(DecimalErrc e) noexcept;

// The text is a view into the caller's input: valid as long as the input is.
struct DecimalError {
  DecimalErrc code;
  std::string_view text;
  // e.g. `invalid decimal "0.5x": unexpected character`
  [[nodiscard]] std::string message() const;
};

// Parses `text` as a decimal with at most `decimals` fractional digits (trailing zeros beyond that are exact and
// accepted) into an integer count of 10^-decimals units.
Result<std::int64_t, DecimalError> parse_decimal(std::string_view text, int decimals, bool allow_negative) noexcept;

// Writes raw / 10^decimals as the shortest exact decimal ("0.55", "12", "-0.000001") into out; returns the length.
// out must hold at least 24 chars.
std::size_t format_decimal(std::int64_t raw, int decimals, char* out) noexcept;
std::string format_decimal(std::int64_t raw, int decimals);

}  // namespace polybot
