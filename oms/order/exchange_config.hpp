// Exchange configuration: EIP-712 domain names/versions, chain id and the verifying contracts (normal, neg-risk,
// V3, and the V1 legacy pair for replaying old journals), plus the ClobAuth domain. Values are configuration with
// the current Polygon values as defaults, never constants buried in signing code. ExchangeDomains turns a config
// into precomputed domain separators once at start-up (validates, allocates only on the error path).
#pragma once

#include <cstdint>
#include <string>

#include "core/result.hpp"
#include "oms/crypto/address.hpp"
#include "oms/crypto/keccak256.hpp"

namespace polybot::oms {

enum class ExchangeVersion : std::uint8_t { kV1 = 1, kV2 = 2, kV3 = 3 };

struct ExchangeConfig {
  std::uint64_t chain_id = 137;
  std::string domain_name = "Polymarket CTF Exchange";  // same for the neg-risk exchange
  std::string domain_version_v1 = "1";
  std::string domain_version_v2 = "2";
  std::string domain_version_v3 = "3";
  std::string exchange_v2 = "0xE111180000d2663C0091e4f400237545B87B996B";
  std::string neg_risk_exchange_v2 = "0xe2222d279d744050d28e00520010520000310F59";
  std::string exchange_v3 = "0xe3333700cA9d93003F00f0F71f8515005F6c00Aa";  // UNVERIFIED when the server wants V3
  std::string exchange_v1 = "0x4bFb41d5B3570DeFd03C39a9A4D8dE6Bd8B8982E";  // legacy, replay only
  std::string neg_risk_exchange_v1 = "0xC5d563A36AE78145C45a50134d48A1215220f80a";
  std::string auth_domain_name = "ClobAuthDomain";
  std::string auth_domain_version = "1";
  std::string auth_message = "This message attests that I control the given wallet";
  // POLY_1271 (signature type 3): the deposit wallet's domain inside the TypedDataSign envelope.
  std::string deposit_wallet_domain_name = "DepositWallet";
  std::string deposit_wallet_domain_version = "1";

  // Polygon mainnet (137) defaults, or the official client's Amoy (80002) table.
  static ExchangeConfig polygon() { return ExchangeConfig{}; }
  static ExchangeConfig amoy();
  // 137 or 80002; any other chain id needs an explicit configuration (error names the value).
  static Result<ExchangeConfig, std::string> for_chain(std::uint64_t chain_id);
};

// Precomputed domain separators. Built once; immutable and safe to share across threads afterwards.
class ExchangeDomains {
 public:
  // Error text names the offending field and value (none of these are secret).
  static Result<ExchangeDomains, std::string> make(const ExchangeConfig& config);

  [[nodiscard]] const Hash256& order_domain(ExchangeVersion version, bool neg_risk) const noexcept;
  [[nodiscard]] const Address& verifying_contract(ExchangeVersion version, bool neg_risk) const noexcept;
  [[nodiscard]] const Hash256& auth_domain() const noexcept { return auth_; }
  [[nodiscard]] std::uint64_t chain_id() const noexcept { return chain_id_; }
  [[nodiscard]] const std::string& auth_message() const noexcept { return auth_message_; }
  [[nodiscard]] const std::string& domain_name() const noexcept { return domain_name_; }
  [[nodiscard]] const Hash256& deposit_wallet_name_hash() const noexcept { return wallet_name_hash_; }
  [[nodiscard]] const Hash256& deposit_wallet_version_hash() const noexcept { return wallet_version_hash_; }

 private:
  std::uint64_t chain_id_ = 0;
  // index: [v1, v1 neg-risk, v2, v2 neg-risk, v3]
  Hash256 sep_[5]{};
  Address contract_[5]{};
  Hash256 auth_{};
  Hash256 wallet_name_hash_{};
  Hash256 wallet_version_hash_{};
  std::string auth_message_;
  std::string domain_name_;
};

}  // namespace polybot::oms
