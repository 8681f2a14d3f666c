#include "sim/backtest/e18.hpp"

namespace polybot::sim::backtest {

std::optional<E18> parse_e18_integer(std::string_view text) noexcept {
  if (text.empty() || text.size() > 38) return std::nullopt;
  i128 v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return E18{v};
}

std::string E18::to_decimal() const {
  i128 v = raw < 0 ? -raw : raw;
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  } while (v != 0);
  while (digits.size() < 19) digits.insert(digits.begin(), '0');
  std::string whole = digits.substr(0, digits.size() - 18);
  std::string frac = digits.substr(digits.size() - 18);
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  std::string out = raw < 0 ? "-" : "";
  out += whole;
  if (!frac.empty()) out += "." + frac;
  return out;
}

}  // namespace polybot::sim::backtest
