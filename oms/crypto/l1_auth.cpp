#include "oms/crypto/l1_auth.hpp"

#include "oms/crypto/eip712.hpp"
#include "oms/crypto/l2_auth.hpp"

namespace polybot::oms {

Hash256 clob_auth_struct_hash(const Address& address, std::uint64_t timestamp_s, std::uint64_t nonce,
                              std::string_view message) noexcept {
  static const Hash256 kTypeHash = keccak256(kClobAuthType);
  char ts[20];
  const std::size_t ts_len = write_u64(timestamp_s, ts);
  Eip712Encoder e;
  e.word(kTypeHash);
  e.address(address);
  e.string(std::string_view(ts, ts_len));
  e.uint(nonce);
  e.string(message);
  return e.finish();
}

Hash256 clob_auth_digest(const Hash256& auth_domain, const Address& address, std::uint64_t timestamp_s,
                         std::uint64_t nonce, std::string_view message) noexcept {
  return eip712_digest(auth_domain, clob_auth_struct_hash(address, timestamp_s, nonce, message));
}

L1Headers make_l1_headers(const Signer& signer, const Hash256& auth_domain, std::string_view message,
                          std::uint64_t timestamp_s, std::uint64_t nonce) noexcept {
  L1Headers h;
  h.address = signer.address();
  h.timestamp_s = timestamp_s;
  h.nonce = nonce;
  h.signature = signer.sign_digest(clob_auth_digest(auth_domain, h.address, timestamp_s, nonce, message));
  return h;
}

}  // namespace polybot::oms
