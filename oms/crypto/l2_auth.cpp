#include "oms/crypto/l2_auth.hpp"

#include "oms/crypto/base64.hpp"

namespace polybot::oms {

std::size_t write_u64(std::uint64_t v, char* out) noexcept {
  char tmp[20];
  std::size_t n = 0;
  do {
    tmp[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  for (std::size_t i = 0; i < n; ++i) out[i] = tmp[n - 1 - i];
  return n;
}

L2Signature l2_signature(const HmacSha256& key, std::uint64_t timestamp_s, std::string_view method,
                         std::string_view path, std::string_view body) noexcept {
  char ts[20];
  const std::size_t ts_len = write_u64(timestamp_s, ts);
  const std::string_view parts[4] = {{ts, ts_len}, method, path, body};
  const auto mac = key.mac(parts, 4);
  L2Signature sig;
  base64url_encode_padded(mac.data(), mac.size(), sig.text.data());
  return sig;
}

}  // namespace polybot::oms
