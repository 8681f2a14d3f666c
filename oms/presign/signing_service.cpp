#include "oms/presign/signing_service.hpp"

#include <chrono>

namespace polybot::oms {

SigningService::SigningService(const OrderSigner& signer, const MarketDirectory& markets, SignedOrderStore& store,
                               SigningConfig cfg, const Clock& clock)
    : signer_(signer),
      markets_(markets),
      store_(store),
      cfg_(std::move(cfg)),
      clock_(clock),
      salt_state_(cfg_.salt_seed | 1),
      jobs_(cfg_.queue_depth),
      done_(cfg_.queue_depth),
      jobs_in_(jobs_.producer()),
      jobs_out_(jobs_.consumer()),
      done_in_(done_.producer()),
      done_out_(done_.consumer()) {}

SigningService::~SigningService() { stop(); }

void SigningService::start() {
  if (running_.exchange(true)) return;
  thread_ = std::thread([this] { run(); });
}

void SigningService::stop() {
  if (!running_.exchange(false)) return;
  if (thread_.joinable()) thread_.join();
}

void SigningService::run() noexcept {
  // The queues' consumer/producer ends move to this thread.
  jobs_out_.release_thread();
  done_in_.release_thread();
  int idle = 0;
  while (running_.load(std::memory_order_acquire)) {
    SignJob job;
    if (jobs_out_.try_pop(job)) {
      idle = 0;
      SignDone d = sign_now(job);
      while (!done_in_.try_push(d) && running_.load(std::memory_order_acquire)) std::this_thread::yield();
      continue;
    }
    // Spin briefly (a decision may be waiting on us), then back off to short sleeps.
    if (++idle < static_cast<int>(cfg_.idle_spins)) continue;
    std::this_thread::sleep_for(std::chrono::microseconds(cfg_.idle_sleep_us));
  }
}

SignDone SigningService::sign_now(const SignJob& job) noexcept {
  SignDone d;
  d.slot = job.slot;
  d.tag = job.tag;
  d.client = job.client;
  const TokenInfo* ti = markets_.find(job.key.token);
  if (ti == nullptr) {
    d.outcome = SignOutcome::kUnknownToken;
    return d;
  }
  // xorshift64*: the salt only has to make identical orders distinct; < 2^53 for JSON.
  salt_state_ ^= salt_state_ >> 12;
  salt_state_ ^= salt_state_ << 25;
  salt_state_ ^= salt_state_ >> 27;
  const std::uint64_t salt = (salt_state_ * 0x2545F4914F6CDD1DULL) & kMaxSalt;

  OrderSpec spec;
  spec.token_id = ti->token;
  spec.side = job.key.side == ::polybot::Side::kBuy ? Side::kBuy : Side::kSell;
  spec.tick = ti->tick;
  spec.price = job.key.price;
  spec.size = job.key.size;
  spec.market = job.key.market != 0;
  spec.amount_raw = job.key.amount_raw;
  spec.order_type = static_cast<OrderType>(static_cast<std::uint8_t>(job.key.type));
  spec.signature_type = cfg_.signature_type;
  spec.has_funder = cfg_.has_funder;
  spec.funder = cfg_.funder;
  spec.salt = salt == 0 ? 1 : salt;
  spec.timestamp_ms = static_cast<std::uint64_t>(clock_.now_ns() / 1'000'000);
  spec.expiration_s = static_cast<std::uint64_t>(job.expiration_s);
  AmountLimits limits;
  limits.min_size = ti->min_size;
  auto order = make_order(spec, signer_.signer().address(), limits, cfg_.market_rounding);
  if (!order) {
    d.outcome = SignOutcome::kAmounts;
    d.detail = static_cast<std::uint8_t>(order.error().code);
    return d;
  }
  SignedOrder so;
  const SignStatus st = signer_.sign(*order, cfg_.version, ti->neg_risk, so);
  if (st != SignStatus::kOk) {
    d.outcome = SignOutcome::kSign;
    d.detail = static_cast<std::uint8_t>(st);
    return d;
  }
  SignedRequest& slot = store_.at(job.slot);
  OrderBodyOptions opts;
  opts.owner = cfg_.owner;
  opts.order_type = spec.order_type;
  opts.post_only = job.key.post_only != 0;
  const std::size_t n = write_order_body(so, opts, slot.body.data(), slot.body.size());
  if (n == 0) {
    d.outcome = SignOutcome::kBody;
    return d;
  }
  slot.len = static_cast<std::uint16_t>(n);
  slot.digest = so.order_hash;
  slot.key = job.key;
  slot.signed_ns = clock_.now_ns();
  slot.l2.n = 0;
  if (job.l2_ahead && cfg_.l2_key != nullptr) {
    // From a second back (clocks and the gateway's skew differ by a little) to the end of the cache's life.
    const std::int64_t now_s = slot.signed_ns / 1'000'000'000 + cfg_.l2_skew_s - 1;
    slot.l2.ts0 = static_cast<std::uint64_t>(now_s < 0 ? 0 : now_s);
    for (std::uint32_t i = 0; i < PrecomputedL2::kSeconds; ++i)
      slot.l2.sig[i] = l2_signature(*cfg_.l2_key, slot.l2.ts0 + i, "POST", "/order", slot.view());
    slot.l2.n = PrecomputedL2::kSeconds;
  }
  signed_.fetch_add(1, std::memory_order_relaxed);
  return d;
}

}  // namespace polybot::oms
