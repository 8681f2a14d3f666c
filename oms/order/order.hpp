// The CLOB V2 signed order (and the V1 legacy struct, for replaying old journals only), their EIP-712 struct
// hashes, and the signed result. Plain value types: trivially copyable, no allocation, any thread.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "oms/crypto/address.hpp"
#include "oms/crypto/keccak256.hpp"
#include "oms/crypto/uint256.hpp"

namespace polybot::oms {

enum class Side : std::uint8_t { kBuy = 0, kSell = 1 };  // the signed uint8; JSON says "BUY"/"SELL"
enum class SignatureType : std::uint8_t { kEoa = 0, kPolyProxy = 1, kPolyGnosisSafe = 2, kPoly1271 = 3 };
enum class OrderType : std::uint8_t { kGtc, kGtd, kFok, kFak };

const char* to_string(Side s) noexcept;       // "BUY" / "SELL"
const char* to_string(OrderType t) noexcept;  // "GTC" / "GTD" / "FOK" / "FAK"

using Bytes32 = std::array<std::uint8_t, 32>;

// An outcome token id: the uint256 for signing plus its canonical decimal text for the JSON body. Built once per
// market roll-over, off the hot path.
struct TokenId {
  U256 value{};
  std::array<char, 78> decimal{};
  std::uint8_t decimal_len = 0;

  // Canonical decimal digits only (no leading zeros except "0"); false otherwise.
  [[nodiscard]] static bool parse(std::string_view text, TokenId& out) noexcept;
  [[nodiscard]] std::string_view text() const noexcept { return {decimal.data(), decimal_len}; }
};

// V2 Order(uint256 salt,address maker,address signer,uint256 tokenId,uint256 makerAmount,uint256 takerAmount,
//          uint8 side,uint8 signatureType,uint256 timestamp,bytes32 metadata,bytes32 builder)
struct OrderV2 {
  std::uint64_t salt = 0;           // JSON number: must stay < 2^53 (kMaxSalt)
  Address maker{};                  // funder: EOA (type 0), proxy (1), Safe (2), deposit wallet (3)
  Address signer{};                 // the EOA whose key signs; = maker for POLY_1271
  TokenId token_id{};
  std::uint64_t maker_amount = 0;   // base units (1e-6) the maker gives
  std::uint64_t taker_amount = 0;   // base units the maker receives
  Side side = Side::kBuy;
  SignatureType signature_type = SignatureType::kEoa;
  std::uint64_t timestamp_ms = 0;   // creation time, unix milliseconds
  Bytes32 metadata{};
  Bytes32 builder{};
  std::uint64_t expiration_s = 0;   // NOT signed; sent in JSON ("0" = none, GTD only)
};

inline constexpr std::uint64_t kMaxSalt = (std::uint64_t{1} << 53) - 1;  // JSON.stringify precision limit

inline constexpr std::string_view kOrderV2Type =
    "Order(uint256 salt,address maker,address signer,uint256 tokenId,uint256 makerAmount,uint256 takerAmount,"
    "uint8 side,uint8 signatureType,uint256 timestamp,bytes32 metadata,bytes32 builder)";
inline constexpr std::string_view kOrderV1Type =
    "Order(uint256 salt,address maker,address signer,address taker,uint256 tokenId,uint256 makerAmount,"
    "uint256 takerAmount,uint256 expiration,uint256 nonce,uint256 feeRateBps,uint8 side,uint8 signatureType)";

Hash256 order_struct_hash(const OrderV2& order) noexcept;

// V1 legacy (rejected by the CLOB since 2026-04-28): replay and audit of old journals only.
struct OrderV1 {
  std::uint64_t salt = 0;
  Address maker{};
  Address signer{};
  Address taker{};  // zero = public order
  TokenId token_id{};
  std::uint64_t maker_amount = 0;
  std::uint64_t taker_amount = 0;
  std::uint64_t expiration_s = 0;
  std::uint64_t nonce = 0;
  std::uint64_t fee_rate_bps = 0;
  Side side = Side::kBuy;
  SignatureType signature_type = SignatureType::kEoa;
};

Hash256 order_v1_struct_hash(const OrderV1& order) noexcept;

// The wire signature: 65 bytes r||s||v for types 0/1/2; the ERC-1271 envelope (317 bytes) for POLY_1271.
struct WireSignature {
  static constexpr std::size_t kMaxLen = 320;
  std::array<std::uint8_t, kMaxLen> bytes{};
  std::uint16_t len = 0;
};

struct SignedOrder {
  OrderV2 order{};
  WireSignature signature{};
  Hash256 order_hash{};  // the EIP-712 digest of the order = the venue's orderID
};

}  // namespace polybot::oms
