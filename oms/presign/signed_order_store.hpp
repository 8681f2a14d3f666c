// SignedOrderStore: a fixed pool of signed POST /order bodies. A slot is owned by exactly one thread at a time
// and handed over through SPSC channels (the handover's release/acquire publishes its bytes): the oms thread
// gives a free slot to the signing thread with a job, gets it back signed, then keeps it for as long as the order
// may need an identical resend (the same bytes, never re-signed). Allocates once at construction.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>

#include "core/fixed_point.hpp"
#include "core/ids.hpp"
#include "core/msg/intent.hpp"
#include "core/msg/market_event.hpp"
#include "oms/crypto/l2_auth.hpp"
#include "oms/lifecycle/order_state.hpp"
#include "oms/order/order_body.hpp"

namespace polybot::oms {

// What a signed order is for: the pre-signed cache matches a request against it.
struct SignKey {
  InstrumentId token{};
  ::polybot::Side side = ::polybot::Side::kBuy;
  ::polybot::OrderType type = ::polybot::OrderType::kGtc;
  std::uint8_t post_only = 0;
  Price price;
  Qty size;                      // limit orders: shares
  std::uint8_t market = 0;       // 1: a market order (FOK/FAK) sized by `amount_raw`
  std::int64_t amount_raw = 0;   // market orders: pUSD to spend (BUY) or shares to sell (SELL), 1e-6 units
  bool operator==(const SignKey&) const noexcept = default;
};

// L2 HMACs of a signed body for consecutive POLY_TIMESTAMP seconds, computed ahead on the signing thread so a
// pre-signed order goes out without hashing its body on the oms thread (the timestamp leads the MAC message, so
// nothing can be resumed: each second is a full HMAC).
struct PrecomputedL2 {
  static constexpr std::uint32_t kSeconds = 20;  // covers the pre-signed cache's default 15 s life + clock skew
  std::array<L2Signature, kSeconds> sig{};
  std::uint64_t ts0 = 0;  // POLY_TIMESTAMP of sig[0]
  std::uint32_t n = 0;    // 0: none
  [[nodiscard]] const L2Signature* at(std::uint64_t ts) const noexcept {
    return (n != 0 && ts >= ts0 && ts < ts0 + n) ? &sig[ts - ts0] : nullptr;
  }
};

struct SignedRequest {
  std::array<char, kMaxOrderBodySize> body{};
  std::uint16_t len = 0;
  OrderDigest digest{};
  SignKey key{};
  std::int64_t signed_ns = 0;
  PrecomputedL2 l2{};
  [[nodiscard]] std::string_view view() const noexcept { return {body.data(), len}; }
};

class SignedOrderStore {
 public:
  explicit SignedOrderStore(std::uint32_t capacity)
      : slots_(new SignedRequest[capacity]), free_(new std::uint32_t[capacity]), capacity_(capacity) {
    for (std::uint32_t i = 0; i < capacity; ++i) free_[i] = capacity - 1 - i;
    free_top_ = capacity;
  }
  SignedRequest& at(std::uint32_t slot) noexcept { return slots_[slot]; }
  const SignedRequest& at(std::uint32_t slot) const noexcept { return slots_[slot]; }
  // Free list: the oms thread only.
  [[nodiscard]] bool acquire(std::uint32_t* slot) noexcept {
    if (free_top_ == 0) return false;
    *slot = free_[--free_top_];
    return true;
  }
  void release(std::uint32_t slot) noexcept { free_[free_top_++] = slot; }
  [[nodiscard]] std::uint32_t free_count() const noexcept { return free_top_; }
  [[nodiscard]] std::uint32_t capacity() const noexcept { return capacity_; }

 private:
  std::unique_ptr<SignedRequest[]> slots_;
  std::unique_ptr<std::uint32_t[]> free_;
  std::uint32_t capacity_;
  std::uint32_t free_top_ = 0;
};

}  // namespace polybot::oms
