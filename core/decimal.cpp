#include "core/decimal.hpp"

#include <limits>

namespace polybot {

const char* to_string(DecimalErrc e) noexcept {
  switch (e) {
    case DecimalErrc::kEmpty: return "empty";
    case DecimalErrc::kBadCharacter: return "unexpected character";
    case DecimalErrc::kTooPrecise: return "more decimal places than the type holds";
    case DecimalErrc::kOverflow: return "out of range";
    case DecimalErrc::kNegative: return "negative value not allowed";
  }
  return "unknown";
}

std::string DecimalError::message() const {
  std::string m = "invalid decimal \"";
  m.append(text.substr(0, 64));
  if (text.size() > 64) m.append("...");
  m.append("\": ");
  m.append(to_string(code));
  return m;
}

Result<std::int64_t, DecimalError> parse_decimal(std::string_view text, int decimals, bool allow_negative) noexcept {
  const auto fail = [text](DecimalErrc c) { return Err{DecimalError{c, text}}; };
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
    negative = text[i] == '-';
    ++i;
  }
  if (negative && !allow_negative) return fail(DecimalErrc::kNegative);
  // Accumulate as an unsigned magnitude; the most negative value is one more than the most positive.
  constexpr std::uint64_t kMaxMag = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  const std::uint64_t limit = negative ? kMaxMag + 1 : kMaxMag;
  std::uint64_t mag = 0;
  std::size_t int_digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++int_digits) {
    const std::uint64_t d = static_cast<std::uint64_t>(text[i] - '0');
    if (mag > (limit - d) / 10) return fail(DecimalErrc::kOverflow);
    mag = mag * 10 + d;
  }
  int frac_digits = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      const std::uint64_t d = static_cast<std::uint64_t>(text[i] - '0');
      if (frac_digits < decimals) {
        if (mag > (limit - d) / 10) return fail(DecimalErrc::kOverflow);
        mag = mag * 10 + d;
      } else if (d != 0) {
        return fail(DecimalErrc::kTooPrecise);
      }
      ++frac_digits;
    }
    if (int_digits == 0 && frac_digits == 0) return fail(DecimalErrc::kEmpty);
  } else if (int_digits == 0) {
    return fail(i < text.size() ? DecimalErrc::kBadCharacter : DecimalErrc::kEmpty);
  }
  if (i != text.size()) return fail(DecimalErrc::kBadCharacter);
  for (int k = frac_digits < decimals ? frac_digits : decimals; k < decimals; ++k) {
    if (mag > limit / 10) return fail(DecimalErrc::kOverflow);
    mag *= 10;
  }
  if (negative) return static_cast<std::int64_t>(0 - mag);
  return static_cast<std::int64_t>(mag);
}

std::size_t format_decimal(std::int64_t raw, int decimals, char* out) noexcept {
  char tmp[32];
  std::size_t n = 0;
  const bool negative = raw < 0;
  std::uint64_t mag = negative ? 0 - static_cast<std::uint64_t>(raw) : static_cast<std::uint64_t>(raw);
  // Emit digits from least significant, dropping trailing fractional zeros.
  bool significant = false;
  for (int k = 0; k < decimals; ++k) {
    const char d = static_cast<char>('0' + mag % 10);
    mag /= 10;
    if (d != '0') significant = true;
    if (significant) tmp[n++] = d;
  }
  if (significant) tmp[n++] = '.';
  do {
    tmp[n++] = static_cast<char>('0' + mag % 10);
    mag /= 10;
  } while (mag != 0);
  if (negative) tmp[n++] = '-';
  for (std::size_t k = 0; k < n; ++k) out[k] = tmp[n - 1 - k];
  return n;
}

std::string format_decimal(std::int64_t raw, int decimals) {
  char buf[32];
  return std::string(buf, format_decimal(raw, decimals, buf));
}

}  // namespace polybot
