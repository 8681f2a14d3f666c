// SigningService: EIP-712 order signing (~30-40 us each) off the oms thread. The oms thread submits SignJobs
// (a free SignedOrderStore slot + what to sign) through one SPSC channel and collects SignDones from another;
// the helper thread builds the V2 order (amounts, salt, timestamp), signs it, and serialises the exact POST /order
// body into the slot, with its digest (the venue order id). sign_now() does the same work inline (tests, bench,
// and a single-threaded mode). No allocation after construction; the helper thread parks briefly when idle.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

#include "core/channel.hpp"
#include "core/clock.hpp"
#include "oms/order/order_builder.hpp"
#include "oms/order/order_signer.hpp"
#include "oms/presign/market_directory.hpp"
#include "oms/presign/signed_order_store.hpp"

namespace polybot::oms {

struct SignJob {
  std::uint32_t slot = 0;
  std::uint32_t tag = 0;          // the caller's (e.g. 0: an order, 1: a pre-sign)
  ClientOrderId client{};
  SignKey key{};
  std::int64_t expiration_s = 0;  // GTD
  bool l2_ahead = false;          // also precompute the POST /order L2 HMACs (pre-signed cache entries)
};

enum class SignOutcome : std::uint8_t { kOk = 0, kUnknownToken = 1, kAmounts = 2, kSign = 3, kBody = 4 };

struct SignDone {
  std::uint32_t slot = 0;
  std::uint32_t tag = 0;
  ClientOrderId client{};
  SignOutcome outcome = SignOutcome::kOk;
  std::uint8_t detail = 0;        // AmountErrc / SignStatus when not ok
};

struct SigningConfig {
  SignatureType signature_type = SignatureType::kEoa;
  bool has_funder = false;
  Address funder{};
  std::string owner;              // the API key, the body's "owner"
  ExchangeVersion version = ExchangeVersion::kV2;
  MarketRounding market_rounding = MarketRounding::kOfficialClient;  // market orders' amounts
  std::size_t queue_depth = 256;
  std::uint64_t salt_seed = 0x9e3779b97f4a7c15ULL;
  // Idle: poll this many times before sleeping idle_sleep_us (a dedicated core can raise the spins).
  std::uint32_t idle_spins = 20'000;
  std::uint32_t idle_sleep_us = 50;
  // The API secret's HMAC key (owned by the ApiCredentials) for l2_ahead jobs; null: never precomputed.
  const HmacSha256* l2_key = nullptr;
  std::int64_t l2_skew_s = 0;     // POLY_TIMESTAMP = local seconds + this (the gateway's /time skew at start-up)
};

// What OmsLogic needs from a signer: hand a job over, collect what is done. The live SigningService signs on its
// helper thread; the oms replay hands back the journaled signatures instead.
class SignPort {
 public:
  virtual ~SignPort() = default;
  // false when the job could not be queued (the caller refuses the order).
  [[nodiscard]] virtual bool submit(const SignJob& job) noexcept = 0;
  [[nodiscard]] virtual bool poll(SignDone& out) noexcept = 0;
};

class SigningService final : public SignPort {
 public:
  // All referents must outlive the service.
  SigningService(const OrderSigner& signer, const MarketDirectory& markets, SignedOrderStore& store,
                 SigningConfig cfg, const Clock& clock);
  ~SigningService();
  SigningService(const SigningService&) = delete;
  SigningService& operator=(const SigningService&) = delete;

  void start();  // the helper thread
  void stop();

  // oms thread: false when the job queue is full (counted by the channel).
  [[nodiscard]] bool submit(const SignJob& job) noexcept override { return jobs_in_.try_push(job); }
  [[nodiscard]] bool poll(SignDone& out) noexcept override { return done_out_.try_pop(out); }

  // Signs inline on the calling thread (no queues): the same work the helper thread does.
  SignDone sign_now(const SignJob& job) noexcept;

  [[nodiscard]] std::uint64_t signed_count() const noexcept { return signed_.load(std::memory_order_relaxed); }

 private:
  void run() noexcept;

  const OrderSigner& signer_;
  const MarketDirectory& markets_;
  SignedOrderStore& store_;
  SigningConfig cfg_;
  const Clock& clock_;
  std::uint64_t salt_state_;
  Channel<SignJob> jobs_;
  Channel<SignDone> done_;
  Channel<SignJob>::Producer jobs_in_;
  Channel<SignJob>::Consumer jobs_out_;
  Channel<SignDone>::Producer done_in_;
  Channel<SignDone>::Consumer done_out_;
  std::atomic<bool> running_{false};
  std::atomic<std::uint64_t> signed_{0};
  std::thread thread_;
};

}  // namespace polybot::oms
