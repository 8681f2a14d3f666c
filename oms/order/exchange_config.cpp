#include "oms/order/exchange_config.hpp"

#include "oms/crypto/eip712.hpp"

namespace polybot::oms {

ExchangeConfig ExchangeConfig::amoy() {
  ExchangeConfig c;
  c.chain_id = 80002;
  c.exchange_v3 = "0x9fE6e61422AdB6F610d8597F9684b16912D50C3D";
  c.exchange_v1 = "0xdFE02Eb6733538f8Ea35D585af8DE5958AD99E40";
  return c;
}

Result<ExchangeConfig, std::string> ExchangeConfig::for_chain(std::uint64_t chain_id) {
  if (chain_id == 137) return polygon();
  if (chain_id == 80002) return amoy();
  return Err{"chain_id " + std::to_string(chain_id) +
             " has no built-in exchange addresses (known: 137 Polygon, 80002 Amoy); configure them explicitly"};
}

namespace {
std::size_t slot(ExchangeVersion v, bool neg_risk) noexcept {
  switch (v) {
    case ExchangeVersion::kV1: return neg_risk ? 1 : 0;
    case ExchangeVersion::kV2: return neg_risk ? 3 : 2;
    case ExchangeVersion::kV3: return 4;  // V3 has a single exchange in the official config
  }
  return 2;
}
}  // namespace

Result<ExchangeDomains, std::string> ExchangeDomains::make(const ExchangeConfig& c) {
  ExchangeDomains d;
  d.chain_id_ = c.chain_id;
  struct Entry {
    const char* field;
    const std::string* address;
    const std::string* version;
  };
  const Entry entries[5] = {{"exchange_v1", &c.exchange_v1, &c.domain_version_v1},
                            {"neg_risk_exchange_v1", &c.neg_risk_exchange_v1, &c.domain_version_v1},
                            {"exchange_v2", &c.exchange_v2, &c.domain_version_v2},
                            {"neg_risk_exchange_v2", &c.neg_risk_exchange_v2, &c.domain_version_v2},
                            {"exchange_v3", &c.exchange_v3, &c.domain_version_v3}};
  for (std::size_t i = 0; i < 5; ++i) {
    const AddressParse p = parse_address(*entries[i].address);
    if (!p.ok) {
      return Err{std::string(entries[i].field) + " = \"" + *entries[i].address + "\": " + to_string(p.error)};
    }
    d.contract_[i] = p.address;
    d.sep_[i] = eip712_domain_separator(c.domain_name, *entries[i].version, c.chain_id, &d.contract_[i]);
  }
  d.auth_ = eip712_domain_separator(c.auth_domain_name, c.auth_domain_version, c.chain_id, nullptr);
  d.auth_message_ = c.auth_message;
  d.wallet_name_hash_ = keccak256(c.deposit_wallet_domain_name);
  d.wallet_version_hash_ = keccak256(c.deposit_wallet_domain_version);
  d.domain_name_ = c.domain_name;
  return d;
}

const Hash256& ExchangeDomains::order_domain(ExchangeVersion version, bool neg_risk) const noexcept {
  return sep_[slot(version, neg_risk)];
}

const Address& ExchangeDomains::verifying_contract(ExchangeVersion version, bool neg_risk) const noexcept {
  return contract_[slot(version, neg_risk)];
}

}  // namespace polybot::oms
