#include "oms/crypto/eip712.hpp"

namespace polybot::oms {

void Eip712Encoder::address(const Address& a) noexcept {
  static constexpr std::uint8_t kPad[12] = {};
  k.update(kPad, sizeof kPad);
  k.update(a.bytes.data(), a.bytes.size());
}

Hash256 eip712_domain_separator(std::string_view name, std::string_view version, std::uint64_t chain_id,
                                const Address* verifying_contract) noexcept {
  Eip712Encoder e;
  e.word(keccak256(verifying_contract != nullptr ? kEip712DomainType : kEip712DomainTypeNoContract));
  e.string(name);
  e.string(version);
  e.uint(chain_id);
  if (verifying_contract != nullptr) e.address(*verifying_contract);
  return e.finish();
}

Hash256 eip712_digest(const Hash256& domain_separator, const Hash256& struct_hash) noexcept {
  Keccak256 k;
  static constexpr std::uint8_t kPrefix[2] = {0x19, 0x01};
  k.update(kPrefix, 2);
  k.update(domain_separator.data(), domain_separator.size());
  k.update(struct_hash.data(), struct_hash.size());
  return k.finish();
}

}  // namespace polybot::oms
