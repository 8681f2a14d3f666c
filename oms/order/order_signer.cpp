#include "oms/order/order_signer.hpp"

#include <cstring>

#include "oms/crypto/eip712.hpp"

namespace polybot::oms {
namespace {

constexpr std::string_view kTypedDataSignPrefix =
    "TypedDataSign(Order contents,string name,string version,uint256 chainId,address verifyingContract,"
    "bytes32 salt)";
static_assert(kOrderV2Type.size() == 186, "the official POLY_1271 envelope hard-codes the type length 186");
constexpr std::size_t kEnvelopeLen = 65 + 32 + 32 + kOrderV2Type.size() + 2;
static_assert(kEnvelopeLen <= WireSignature::kMaxLen, "WireSignature must hold the POLY_1271 envelope");

const Hash256& typed_data_sign_typehash() noexcept {
  static const Hash256 h = [] {
    Keccak256 k;
    k.update(kTypedDataSignPrefix);
    k.update(kOrderV2Type);
    return k.finish();
  }();
  return h;
}

Hash256 poly1271_struct_hash(const ExchangeDomains& d, const Hash256& contents, const OrderV2& order) noexcept {
  Eip712Encoder e;
  e.word(typed_data_sign_typehash());
  e.word(contents);
  e.word(d.deposit_wallet_name_hash());
  e.word(d.deposit_wallet_version_hash());
  e.uint(d.chain_id());
  e.address(order.signer);  // the deposit wallet (= maker for type 3)
  e.word(Hash256{});         // salt = bytes32(0)
  return e.finish();
}

bool versions_ok(ExchangeVersion v) noexcept { return v == ExchangeVersion::kV2 || v == ExchangeVersion::kV3; }

}  // namespace

const char* to_string(SignStatus s) noexcept {
  switch (s) {
    case SignStatus::kOk: return "ok";
    case SignStatus::kSignerMismatch: return "order signer does not match the signing key (or maker for POLY_1271)";
    case SignStatus::kSaltTooLarge: return "salt must be below 2^53 (it is sent as a JSON number)";
    case SignStatus::kBadVersion: return "V2 orders sign only for exchange versions 2 and 3";
  }
  return "unknown";
}

const char* to_string(VerifyStatus s) noexcept {
  switch (s) {
    case VerifyStatus::kOk: return "ok";
    case VerifyStatus::kMalformed: return "malformed signature";
    case VerifyStatus::kBadSignature: return "invalid signature";
    case VerifyStatus::kSignerMismatch: return "signature is not from the order signer";
  }
  return "unknown";
}

Hash256 order_digest(const ExchangeDomains& domains, const OrderV2& order, ExchangeVersion version,
                     bool neg_risk) noexcept {
  return eip712_digest(domains.order_domain(version, neg_risk), order_struct_hash(order));
}

Hash256 poly1271_digest(const ExchangeDomains& domains, const OrderV2& order, ExchangeVersion version,
                        bool neg_risk) noexcept {
  return eip712_digest(domains.order_domain(version, neg_risk),
                       poly1271_struct_hash(domains, order_struct_hash(order), order));
}

SignStatus OrderSigner::sign(const OrderV2& order, ExchangeVersion version, bool neg_risk,
                             SignedOrder& out) const noexcept {
  if (!versions_ok(version)) return SignStatus::kBadVersion;
  if (order.salt > kMaxSalt) return SignStatus::kSaltTooLarge;
  const bool wrapped = order.signature_type == SignatureType::kPoly1271;
  if (wrapped ? !(order.signer == order.maker) : !(order.signer == signer_.address())) {
    return SignStatus::kSignerMismatch;
  }
  const Hash256& domain = domains_.order_domain(version, neg_risk);
  const Hash256 contents = order_struct_hash(order);
  out.order = order;
  out.order_hash = eip712_digest(domain, contents);
  if (!wrapped) {
    const Signature65 sig = signer_.sign_digest(out.order_hash);
    std::memcpy(out.signature.bytes.data(), sig.bytes.data(), sig.bytes.size());
    out.signature.len = static_cast<std::uint16_t>(sig.bytes.size());
    return SignStatus::kOk;
  }
  const Signature65 inner = signer_.sign_digest(eip712_digest(domain, poly1271_struct_hash(domains_, contents, order)));
  std::uint8_t* p = out.signature.bytes.data();
  std::memcpy(p, inner.bytes.data(), 65);
  std::memcpy(p + 65, domain.data(), 32);
  std::memcpy(p + 97, contents.data(), 32);
  std::memcpy(p + 129, kOrderV2Type.data(), kOrderV2Type.size());
  p[129 + kOrderV2Type.size()] = static_cast<std::uint8_t>(kOrderV2Type.size() >> 8);
  p[130 + kOrderV2Type.size()] = static_cast<std::uint8_t>(kOrderV2Type.size() & 0xff);
  out.signature.len = static_cast<std::uint16_t>(kEnvelopeLen);
  return SignStatus::kOk;
}

OrderVerification verify_order_signature(const ExchangeDomains& domains, const OrderV2& order,
                                         const WireSignature& signature, ExchangeVersion version,
                                         bool neg_risk) noexcept {
  OrderVerification r;
  if (!versions_ok(version)) return r;
  const Hash256& domain = domains.order_domain(version, neg_risk);
  const Hash256 contents = order_struct_hash(order);
  r.order_hash = eip712_digest(domain, contents);
  const std::uint8_t* p = signature.bytes.data();
  Hash256 signed_digest = r.order_hash;
  if (order.signature_type == SignatureType::kPoly1271) {
    if (signature.len != kEnvelopeLen || std::memcmp(p + 65, domain.data(), 32) != 0 ||
        std::memcmp(p + 97, contents.data(), 32) != 0 ||
        std::memcmp(p + 129, kOrderV2Type.data(), kOrderV2Type.size()) != 0 ||
        p[129 + kOrderV2Type.size()] != (kOrderV2Type.size() >> 8) ||
        p[130 + kOrderV2Type.size()] != (kOrderV2Type.size() & 0xff) || !(order.signer == order.maker)) {
      return r;
    }
    signed_digest = eip712_digest(domain, poly1271_struct_hash(domains, contents, order));
  } else if (signature.len != 65) {
    return r;
  }
  auto rec = recover_address(signed_digest, p);
  if (!rec) {
    r.status = rec.error() == RecoverErrc::kBadV ? VerifyStatus::kMalformed : VerifyStatus::kBadSignature;
    return r;
  }
  r.recovered = *rec;
  if (order.signature_type != SignatureType::kPoly1271 && !(r.recovered == order.signer)) {
    r.status = VerifyStatus::kSignerMismatch;
    return r;
  }
  r.status = VerifyStatus::kOk;
  return r;
}

Hash256 order_v1_digest(const ExchangeDomains& domains, const OrderV1& order, bool neg_risk) noexcept {
  return eip712_digest(domains.order_domain(ExchangeVersion::kV1, neg_risk), order_v1_struct_hash(order));
}

}  // namespace polybot::oms
