#include "oms/crypto/base64.hpp"

namespace polybot::oms {
namespace {
constexpr char kUrlAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int decode_char(char c) noexcept {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}
}  // namespace

std::size_t base64url_encode_padded(const std::uint8_t* data, std::size_t len, char* out) noexcept {
  std::size_t o = 0;
  std::size_t i = 0;
  for (; i + 3 <= len; i += 3) {
    const std::uint32_t v = std::uint32_t{data[i]} << 16 | std::uint32_t{data[i + 1]} << 8 | data[i + 2];
    out[o++] = kUrlAlphabet[v >> 18];
    out[o++] = kUrlAlphabet[(v >> 12) & 63];
    out[o++] = kUrlAlphabet[(v >> 6) & 63];
    out[o++] = kUrlAlphabet[v & 63];
  }
  if (len - i == 1) {
    const std::uint32_t v = std::uint32_t{data[i]} << 16;
    out[o++] = kUrlAlphabet[v >> 18];
    out[o++] = kUrlAlphabet[(v >> 12) & 63];
    out[o++] = '=';
    out[o++] = '=';
  } else if (len - i == 2) {
    const std::uint32_t v = std::uint32_t{data[i]} << 16 | std::uint32_t{data[i + 1]} << 8;
    out[o++] = kUrlAlphabet[v >> 18];
    out[o++] = kUrlAlphabet[(v >> 12) & 63];
    out[o++] = kUrlAlphabet[(v >> 6) & 63];
    out[o++] = '=';
  }
  return o;
}

bool base64_decode_any(std::string_view text, std::uint8_t* out, std::size_t out_cap,
                       std::size_t& out_len) noexcept {
  // Strip up to two '=' at the end; what remains must be a valid unpadded length (not 1 mod 4).
  std::size_t n = text.size();
  int pads = 0;
  while (n > 0 && text[n - 1] == '=' && pads < 2) {
    --n;
    ++pads;
  }
  if (n % 4 == 1) return false;
  if (pads > 0 && (n + static_cast<std::size_t>(pads)) % 4 != 0) return false;
  const std::size_t need = n / 4 * 3 + (n % 4 == 0 ? 0 : n % 4 - 1);
  if (need > out_cap) return false;
  std::uint32_t acc = 0;
  int bits = 0;
  std::size_t o = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const int v = decode_char(text[i]);
    if (v < 0) return false;
    acc = acc << 6 | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = static_cast<std::uint8_t>(acc >> bits);
      acc &= (1u << bits) - 1;
    }
  }
  out_len = o;
  return true;
}

}  // namespace polybot::oms
