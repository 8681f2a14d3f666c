// The real OmsAgent (ClobOms: OmsLogic + ClobGateway + user channel + signing helper) on a real Runner thread,
// fed through real Channels from the test thread, against a LoopbackVenue. The test thread only pushes
// OrderRequests/Commands and reads ExecReports from the output channel (never the oms's own state while it runs).
// Everything the oms journals (consumed, produced, venue inputs) is kept in memory; when the harness stops, the run
// is replayed (oms::replay_oms) and must be identical: every e2e scenario is also a replay test.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/channel.hpp"
#include "core/clock.hpp"
#include "core/runner.hpp"
#include "oms/clob_oms.hpp"
#include "oms/replay/oms_replay.hpp"
#include "tests/oms/loopback_venue.hpp"

namespace polybot::oms::test {

inline constexpr InstrumentId kAgToken{1};
inline constexpr MarketId kAgMarket{7};

// The oms's journal, in memory (the oms thread writes; read once it stopped).
class MemoryOmsJournal final : public StageRecorder, public OmsInputRecorder {
 public:
  void on_consumed(Stage, const Envelope& in) noexcept override { add(OmsRecord::Kind::kConsumed, in); }
  void on_produced(Stage, const Envelope& out) noexcept override { add(OmsRecord::Kind::kProduced, out); }
  void record(OmsInputKind kind, std::int64_t ts_ns, const void* head, std::uint32_t head_size,
              std::string_view body) noexcept override {
    OmsRecord r;
    r.seq = ++seq_;
    r.ts_ns = ts_ns;
    r.input = kind;
    r.head.assign(static_cast<const char*>(head), head_size);
    r.body.assign(body);
    records.push_back(std::move(r));
  }
  std::vector<OmsRecord> records;

 private:
  void add(OmsRecord::Kind k, const Envelope& e) {
    OmsRecord r;
    r.kind = k;
    r.seq = ++seq_;
    r.ts_ns = k == OmsRecord::Kind::kConsumed ? e.hdr.ts_consumed : e.hdr.ts_produced;
    r.msg = e;
    r.msg_size = message_size(e.hdr.type);
    records.push_back(std::move(r));
  }
  std::uint64_t seq_ = 0;
};

// Byte equality except the two latency stamps (as journal::first_difference).
inline std::string compare_ignoring_latency(const Envelope& j, const Envelope& r, std::size_t size) {
  Envelope a = j, b = r;
  a.hdr.ts_consumed = b.hdr.ts_consumed = 0;
  a.hdr.ts_produced = b.hdr.ts_produced = 0;
  if (std::memcmp(&a, &b, size) == 0) return {};
  const auto* pa = reinterpret_cast<const unsigned char*>(&a);
  const auto* pb = reinterpret_cast<const unsigned char*>(&b);
  std::size_t i = 0;
  while (pa[i] == pb[i]) ++i;
  return "byte " + std::to_string(i) + " differs";
}

struct AgentHarnessOptions {
  bool user_channel = true;
  std::uint32_t order_timeout_ms = 3'000;
  std::int64_t heartbeat_interval_ms = 100;
  std::int64_t heartbeat_grace_ms = 2'000;
  std::int64_t reconcile_retry_ms = 200;
  ReconcileConfig reconcile{};  // balance checks: collateral by default, as in production
};

class AgentHarness {
 public:
  AgentHarness(LoopbackVenue& venue, AgentHarnessOptions o = {}) : venue_(venue), in_(1024), out_(8192) {
    ClobOmsConfig c;
    c.rest_url = venue.rest_url();
    c.ws_url = venue.ws_url();
    c.system_trust = false;
    c.ca_pem = venue.ca_pem();
    c.user_channel = o.user_channel;
    c.user.ping_interval_ms = 1'000;
    c.gateway.order_timeout_ms = o.order_timeout_ms;
    c.gateway.heartbeat_interval_ms = o.heartbeat_interval_ms;
    c.gateway.heartbeat_grace_ms = o.heartbeat_grace_ms;
    c.oms.reconcile_retry_ms = o.reconcile_retry_ms;
    c.oms.reconcile = o.reconcile;
    c.signing.idle_spins = 200;  // a shared 2-core machine: park the helper early
    OmsMarket m;
    m.instrument = kAgToken;
    m.market = kAgMarket;
    m.token_id = kLbToken;
    m.condition_id = kLbCondition;
    c.markets.push_back(m);
    ApiKeyText creds{kLbApiKey, kLbSecret, kLbPassphrase};
    cfg_ = c;
    auto made = ClobOms::create(std::move(c), hardhat_signer(), std::move(creds), clock_, &journal_, &journal_);
    if (!made) {
      error_ = made.error();
      return;
    }
    oms_ = std::move(*made);
    oms_->bind(in_, &out_);
    oms_->start();
    ThreadSpec spec;
    spec.name = "oms";
    spec.wait.kind = WaitKind::kBlock;
    spec.wait.spin_iterations = 200;
    spec.wait.park_timeout = std::chrono::microseconds(200);
    runner_.add_thread(spec, {&oms_->agent()});
    runner_.start();
  }
  ~AgentHarness() {
    stop();
    if (!oms_) return;
    const OmsReplayReport r = replay();
    EXPECT_TRUE(r.ok()) << "replay of this run: "
                        << (r.divergence ? "record seq " + std::to_string(r.divergence->record_seq) + ": " +
                                               r.divergence->what
                                         : r.error);
    EXPECT_GT(r.produced, 0u);
    std::printf("replayed from the journal: %llu inputs, %llu ExecReports, %llu venue inputs, %llu venue calls, %llu "
                "signed bodies: %s\n",
                static_cast<unsigned long long>(r.consumed), static_cast<unsigned long long>(r.produced),
                static_cast<unsigned long long>(r.venue_inputs), static_cast<unsigned long long>(r.calls),
                static_cast<unsigned long long>(r.signed_bodies), r.ok() ? "identical" : "DIVERGED");
  }
  void stop() {
    if (stopped_ || !oms_) return;
    stopped_ = true;
    runner_.request_stop();
    runner_.join();
  }
  // Only once stopped: the run re-played from its in-memory journal.
  [[nodiscard]] OmsReplayReport replay() const { return replay_oms(cfg_, journal_.records, compare_ignoring_latency); }
  [[nodiscard]] const std::vector<OmsRecord>& journal() const { return journal_.records; }
  [[nodiscard]] const ClobOmsConfig& config() const { return cfg_; }

  [[nodiscard]] const std::string& error() const { return error_; }
  [[nodiscard]] bool ok() const { return oms_ != nullptr; }

  static OrderRequest order(std::uint64_t id, ::polybot::Side side, std::int64_t price_raw, std::int64_t size_raw,
                            ::polybot::OrderType type = ::polybot::OrderType::kGtc) {
    OrderRequest r{};
    r.hdr.type = OrderRequest::kType;
    r.hdr.instrument = kAgToken;
    r.client_id = ClientOrderId{id};
    r.market = kAgMarket;
    r.action = OrderAction::kNew;
    r.side = side;
    r.price = Price::from_raw(price_raw);
    r.size = Qty::from_raw(size_raw);
    r.order_type = type;
    r.tick = Price::from_raw(10'000);
    return r;
  }
  static OrderRequest cancel(std::uint64_t id) {
    OrderRequest r = order(id, ::polybot::Side::kBuy, 0, 0);
    r.action = OrderAction::kCancel;
    return r;
  }
  void send(const OrderRequest& r) {
    Envelope e = Envelope::of(r);
    e.hdr.seq = ++seq_;
    e.hdr.ts_origin = e.hdr.ts_recv = clock_.now_ns();
    while (!in_prod_.try_push(e)) std::this_thread::yield();
  }

  void send_command(const Command& c) {
    Envelope e = Envelope::of(c);
    e.hdr.seq = ++seq_;
    e.hdr.ts_origin = e.hdr.ts_recv = clock_.now_ns();
    while (!in_prod_.try_push(e)) std::this_thread::yield();
  }

  // Drains the output channel into reports() until pred() or the timeout.
  template <class Pred>
  bool wait_for(Pred pred, int timeout_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
      drain();
      if (pred()) return true;
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  void drain() {
    Envelope e;
    while (out_cons_.try_pop(e)) {
      if (e.is<ExecReport>()) reports_.push_back(e.as<ExecReport>());
    }
  }
  // Reconciliation summaries so far (kReconciled reports that are not balance findings: venue_reason < 100).
  [[nodiscard]] std::size_t summaries() const {
    std::size_t n = 0;
    for (const auto& r : reports_) n += (r.kind == ExecKind::kReconciled && r.venue_reason < 100) ? 1 : 0;
    return n;
  }
  // The last balance finding of this kind (an OmsReason >= 113), or null.
  [[nodiscard]] const ExecReport* finding(std::uint16_t reason) const {
    for (auto it = reports_.rbegin(); it != reports_.rend(); ++it)
      if (it->kind == ExecKind::kReconciled && it->venue_reason == reason) return &*it;
    return nullptr;
  }
  // Ready: the start-up reconciliation reported, the venue sees our heartbeats and (if on) our user channel.
  bool ready(bool user_channel = true, int timeout_ms = 5'000) {
    const bool r = wait_for(
        [&] {
          return count_kind(ExecKind::kReconciled) > 0 && venue_.venue().heartbeat_active() &&
                 (!user_channel || venue_.server().authenticated_sessions() > 0);
        },
        timeout_ms);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the first heartbeat's answer is back
    return r;
  }

  [[nodiscard]] const std::vector<ExecReport>& reports() const { return reports_; }
  [[nodiscard]] const ExecReport* last(std::uint64_t id, ExecKind kind) const {
    for (auto it = reports_.rbegin(); it != reports_.rend(); ++it)
      if (it->client_id == ClientOrderId{id} && it->kind == kind) return &*it;
    return nullptr;
  }
  [[nodiscard]] bool has(std::uint64_t id, ExecKind kind) const { return last(id, kind) != nullptr; }
  [[nodiscard]] std::size_t count(std::uint64_t id, ExecKind kind) const {
    std::size_t n = 0;
    for (const auto& r : reports_) n += (r.client_id == ClientOrderId{id} && r.kind == kind) ? 1 : 0;
    return n;
  }
  [[nodiscard]] std::size_t count_kind(ExecKind kind) const {
    std::size_t n = 0;
    for (const auto& r : reports_) n += r.kind == kind ? 1 : 0;
    return n;
  }
  // Sum of every fill quantity reported for the order (fills reported once, status-only reports carry 0).
  [[nodiscard]] Qty filled(std::uint64_t id) const {
    Qty q;
    for (const auto& r : reports_)
      if (r.client_id == ClientOrderId{id}) q += r.last_qty;
    return q;
  }
  [[nodiscard]] std::string order_id_hex(std::uint64_t id) const {
    // The venue order id is the EIP-712 digest; the ExecReport carries its first 8 bytes: find the match.
    const ExecReport* s = last(id, ExecKind::kSubmitted);
    return s == nullptr ? std::string() : venue_key_hex(s->venue_key);
  }
  static std::string venue_key_hex(VenueOrderKey k) {
    char buf[19] = {'0', 'x'};
    static const char* h = "0123456789abcdef";
    for (int i = 0; i < 8; ++i) {
      const auto b = static_cast<std::uint8_t>(k.value >> (56 - 8 * i));
      buf[2 + 2 * i] = h[b >> 4];
      buf[3 + 2 * i] = h[b & 15];
    }
    return std::string(buf, 18);
  }
  const Clock& clock() const { return clock_; }
  // Only once stopped.
  ClobOms& oms() { return *oms_; }

 private:
  LoopbackVenue& venue_;
  LiveClock clock_{0};
  ClobOmsConfig cfg_;
  MemoryOmsJournal journal_;
  Channel<Envelope> in_, out_;
  Channel<Envelope>::Producer in_prod_{in_.producer()};
  Channel<Envelope>::Consumer out_cons_{out_.consumer()};
  std::unique_ptr<ClobOms> oms_;
  Runner runner_;
  std::vector<ExecReport> reports_;
  std::uint64_t seq_ = 0;
  bool stopped_ = false;
  std::string error_;
};

}  // namespace polybot::oms::test
