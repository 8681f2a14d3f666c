// Signs V2 orders (EIP-712 over the exchange domain chosen by version and neg-risk) and verifies them (for the
// simulator and tests). Types 0/1/2 produce the plain 65-byte signature; POLY_1271 (type 3) produces the official
// clients' ERC-1271 envelope: innerSig(65) || domainSeparator(32) || orderStructHash(32) || orderTypeString ||
// uint16_be(len). Hot path: const, no allocation, returns a status enum; any thread (shares the Signer read-only).
#pragma once

#include <cstdint>

#include "oms/crypto/signer.hpp"
#include "oms/order/exchange_config.hpp"
#include "oms/order/order.hpp"

namespace polybot::oms {

enum class SignStatus : std::uint8_t {
  kOk,
  kSignerMismatch,  // order.signer is not the key's address (types 0/1/2) or != maker (type 3)
  kSaltTooLarge,    // salt >= 2^53 would not survive JSON.stringify
  kBadVersion,      // the V2 struct signs only for exchange versions 2 and 3
};
const char* to_string(SignStatus s) noexcept;

// The digest the venue reports as orderID (EIP-712 hash of the order under its exchange domain).
Hash256 order_digest(const ExchangeDomains& domains, const OrderV2& order, ExchangeVersion version,
                     bool neg_risk) noexcept;

// The digest the EOA actually signs for POLY_1271 (TypedDataSign envelope over the order).
Hash256 poly1271_digest(const ExchangeDomains& domains, const OrderV2& order, ExchangeVersion version,
                        bool neg_risk) noexcept;

class OrderSigner {
 public:
  // Both referents must outlive the OrderSigner.
  OrderSigner(const Signer& signer, const ExchangeDomains& domains) noexcept : signer_(signer), domains_(domains) {}

  // Fills out.order (copy), out.signature and out.order_hash.
  [[nodiscard]] SignStatus sign(const OrderV2& order, ExchangeVersion version, bool neg_risk,
                                SignedOrder& out) const noexcept;

  [[nodiscard]] const Signer& signer() const noexcept { return signer_; }
  [[nodiscard]] const ExchangeDomains& domains() const noexcept { return domains_; }

 private:
  const Signer& signer_;
  const ExchangeDomains& domains_;
};

enum class VerifyStatus : std::uint8_t {
  kOk,
  kMalformed,         // wrong length / bad v / envelope fields that do not match the order and domain
  kBadSignature,      // does not recover to any key
  kSignerMismatch,    // recovers to someone other than order.signer (types 0/1/2)
};
const char* to_string(VerifyStatus s) noexcept;

struct OrderVerification {
  VerifyStatus status = VerifyStatus::kMalformed;
  Address recovered{};  // the EOA that signed (for type 3 the caller checks it owns the deposit wallet)
  Hash256 order_hash{};
};

OrderVerification verify_order_signature(const ExchangeDomains& domains, const OrderV2& order,
                                         const WireSignature& signature, ExchangeVersion version,
                                         bool neg_risk) noexcept;

// V1 legacy digest, for replaying and auditing old journals only.
Hash256 order_v1_digest(const ExchangeDomains& domains, const OrderV1& order, bool neg_risk) noexcept;

}  // namespace polybot::oms
