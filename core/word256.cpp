#include "core/word256.hpp"

namespace polybot {

bool word256_from_decimal(std::string_view text, Word256& out) noexcept {
  if (text.empty() || text.size() > 78 || (text.size() > 1 && text[0] == '0')) return false;
  Word256 acc{};
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
    // acc = acc * 10 + digit, from the least significant byte up.
    unsigned carry = static_cast<unsigned>(c - '0');
    for (std::size_t i = 32; i-- > 0;) {
      const unsigned v = acc[i] * 10u + carry;
      acc[i] = static_cast<std::uint8_t>(v & 0xffu);
      carry = v >> 8;
    }
    if (carry != 0) return false;
  }
  out = acc;
  return true;
}

std::size_t word256_to_decimal(const Word256& w, char* out) noexcept {
  // Repeated division by 10 of a scratch copy; digits come out least significant first.
  Word256 n = w;
  char rev[80];
  std::size_t len = 0;
  bool zero = false;
  while (!zero) {
    unsigned rem = 0;
    zero = true;
    for (std::size_t i = 0; i < 32; ++i) {
      const unsigned cur = (rem << 8) | n[i];
      n[i] = static_cast<std::uint8_t>(cur / 10u);
      rem = cur % 10u;
      if (n[i] != 0) zero = false;
    }
    rev[len++] = static_cast<char>('0' + rem);
  }
  for (std::size_t i = 0; i < len; ++i) out[i] = rev[len - 1 - i];
  return len;
}

std::string word256_decimal(const Word256& w) {
  char buf[80];
  return std::string(buf, word256_to_decimal(w, buf));
}

namespace {
int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

bool word256_from_hex(std::string_view text, Word256& out) noexcept {
  if (text.size() != 66 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X')) return false;
  Word256 w{};
  for (std::size_t i = 0; i < 32; ++i) {
    const int hi = hex_value(text[2 + 2 * i]);
    const int lo = hex_value(text[3 + 2 * i]);
    if (hi < 0 || lo < 0) return false;
    w[i] = static_cast<std::uint8_t>((hi << 4) | lo);
  }
  out = w;
  return true;
}

std::size_t word256_to_hex(const Word256& w, char* out) noexcept {
  static constexpr char kDigits[] = "0123456789abcdef";
  out[0] = '0';
  out[1] = 'x';
  for (std::size_t i = 0; i < 32; ++i) {
    out[2 + 2 * i] = kDigits[w[i] >> 4];
    out[3 + 2 * i] = kDigits[w[i] & 0xf];
  }
  return 66;
}

std::string word256_hex(const Word256& w) {
  char buf[66];
  return std::string(buf, word256_to_hex(w, buf));
}

}  // namespace polybot
