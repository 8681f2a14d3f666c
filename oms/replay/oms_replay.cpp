#include "oms/replay/oms_replay.hpp"

#include <cstring>
#include <unordered_map>

#include <simdjson.h>

#include "oms/oms_logic.hpp"

namespace polybot::oms {
namespace {

const char* input_name(OmsInputKind k) {
  switch (k) {
    case OmsInputKind::kOrderAnswer: return "order answer";
    case OmsInputKind::kCancelAnswer: return "cancel answer";
    case OmsInputKind::kCancelFailed: return "cancel failure";
    case OmsInputKind::kQueryAnswer: return "query answer";
    case OmsInputKind::kHeartbeat: return "heartbeat answer";
    case OmsInputKind::kUserFrame: return "user-channel frame";
    case OmsInputKind::kUserGap: return "user-channel gap";
    case OmsInputKind::kSignDone: return "signature";
    case OmsInputKind::kTick: return "poll tick";
    case OmsInputKind::kSent: return "venue call";
    case OmsInputKind::kSignRefused: return "signer refusal";
    case OmsInputKind::kHealth: return "heartbeat health";
    case OmsInputKind::kStart: return "start";
  }
  return "unknown input";
}

const char* request_name(std::uint8_t k) {
  switch (static_cast<RequestKind>(k)) {
    case RequestKind::kOrder: return "POST /order";
    case RequestKind::kCancel: return "DELETE /order";
    case RequestKind::kCancelAll: return "DELETE /cancel-all";
    case RequestKind::kCancelMarket: return "DELETE /cancel-market-orders";
    case RequestKind::kDataOrders: return "GET /data/orders";
    case RequestKind::kDataTrades: return "GET /data/trades";
    case RequestKind::kCancelMany: return "DELETE /orders";
    case RequestKind::kBalance: return "GET /balance-allowance";
    default: return "request";
  }
}

std::string hex_prefix(std::string_view s, std::size_t n = 8) {
  static const char* k = "0123456789abcdef";
  std::string out = "0x";
  for (std::size_t i = 0; i < s.size() && i < n; ++i) {
    out += k[static_cast<unsigned char>(s[i]) >> 4];
    out += k[static_cast<unsigned char>(s[i]) & 15];
  }
  return out;
}

// Where two texts first differ, shown around that point.
std::string show_difference(std::string_view j, std::string_view r) {
  std::size_t i = 0;
  while (i < j.size() && i < r.size() && j[i] == r[i]) ++i;
  const std::size_t from = i > 24 ? i - 24 : 0;
  return "byte " + std::to_string(i) + ": journaled \"" + std::string(j.substr(from, 64)) + "\", replayed \"" +
         std::string(r.substr(from, 64)) + "\"";
}

template <class T>
bool read_head(const OmsRecord& r, T* out) {
  if (r.head.size() != sizeof(T)) return false;
  std::memcpy(static_cast<void*>(out), r.head.data(), sizeof(T));
  return true;
}

// The replay's venue, signer and emitter in one: every call the logic makes is checked against the next journaled
// record (the live logic journaled it right after making the same call).
class Driver final : public Emitter, public OrderVenue, public SignPort {
 public:
  Driver(const std::vector<OmsRecord>& records, const OmsMessageCompare& compare, OmsReplayReport& rep)
      : records_(records), compare_(compare), rep_(rep) {}

  void attach(OmsLogic* logic, SignedOrderStore* store) {
    logic_ = logic;
    store_ = store;
  }
  ManualClock& clock() { return clock_; }
  [[nodiscard]] bool diverged() const { return rep_.divergence.has_value(); }

  void run() {
    std::string frame;
    while (i_ < records_.size() && !diverged() && rep_.error.empty()) {
      const OmsRecord& r = records_[i_++];
      cause_ = &r;
      switch (r.kind) {
        case OmsRecord::Kind::kConsumed: {
          clock_.set(r.msg.hdr.ts_consumed);
          current_ = &r.msg;
          logic_->on_input(r.msg, clock_, *this);
          current_ = nullptr;
          ++rep_.consumed;
          break;
        }
        case OmsRecord::Kind::kProduced:
          diverge(r.seq, "journaled ExecReport seq " + std::to_string(r.msg.hdr.seq) +
                             " was not produced by the replay at this point (<missing>)");
          break;
        case OmsRecord::Kind::kInput: top_level_input(r, frame); break;
      }
    }
  }

  // ---- Emitter (stamps like OmsAgent::emit) ----
  bool emit(Envelope& msg) noexcept override {
    auto& h = msg.hdr;
    h.producer = Stage::kOms;
    h.seq = ++seq_;
    h.ts_consumed = 0;
    h.ts_produced = clock_.now_ns();
    if (current_ != nullptr) {
      if (h.cause_seq == 0) h.cause_seq = current_->hdr.seq;
      if (h.ts_recv == 0) h.ts_recv = current_->hdr.ts_recv;
      if (h.ts_origin == 0) h.ts_origin = current_->hdr.ts_origin;
      if (h.ts_exch == 0) h.ts_exch = current_->hdr.ts_exch;
    } else if (h.ts_recv == 0) {
      h.ts_recv = h.ts_produced;
    }
    if (diverged()) return true;
    const OmsRecord* r = peek();
    if (r == nullptr || r->kind != OmsRecord::Kind::kProduced) {
      diverge(r != nullptr ? r->seq : 0, "the replay produced ExecReport seq " + std::to_string(h.seq) +
                                             " where the journal has " + describe(r) + " (<extra>)");
      return true;
    }
    ++i_;
    ++rep_.produced;
    std::string d = r->msg.hdr.type != msg.hdr.type ? std::string("hdr.type differs")
                                                    : compare_(r->msg, msg, r->msg_size);
    if (!d.empty()) diverge(r->seq, "ExecReport seq " + std::to_string(r->msg.hdr.seq) + ": " + d);
    return true;
  }

  // ---- OrderVenue: checks instead of sending ----
  SendStatus send_order(ClientOrderId id, std::string_view body, bool resend, const PrecomputedL2*) noexcept override {
    return call(RequestKind::kOrder, id.value, resend, body, 0);
  }
  SendStatus cancel(const OrderDigest& id) noexcept override {
    return call(RequestKind::kCancel, kAnyClient, false,
                std::string_view(reinterpret_cast<const char*>(id.data()), id.size()), 0);
  }
  SendStatus cancel_many(const OrderDigest* ids, std::uint32_t n) noexcept override {
    return call(RequestKind::kCancelMany, 0, false,
                std::string_view(reinterpret_cast<const char*>(ids), n * sizeof(OrderDigest)), 0);
  }
  SendStatus cancel_all() noexcept override { return call(RequestKind::kCancelAll, 0, false, {}, 0); }
  SendStatus cancel_market(std::string_view condition_id, std::string_view) noexcept override {
    return call(RequestKind::kCancelMarket, kAnyClient, false, condition_id, 0);
  }
  SendStatus query_open_orders(std::string_view cursor) noexcept override {
    return call(RequestKind::kDataOrders, 0, false, cursor, 0);
  }
  SendStatus query_trades(std::int64_t after_s, std::string_view cursor) noexcept override {
    return call(RequestKind::kDataTrades, 0, false, cursor, after_s);
  }
  SendStatus query_balance(std::string_view token_id) noexcept override {
    return call(RequestKind::kBalance, 0, false, token_id, 0);
  }
  void poll(std::int64_t) noexcept override {}
  [[nodiscard]] bool heartbeat_healthy(std::int64_t) const noexcept override {
    const OmsRecord* r = peek();
    if (r != nullptr && r->kind == OmsRecord::Kind::kInput && r->input == OmsInputKind::kHealth && r->head.size() == 1) {
      healthy_ = r->head[0] != 0;
      ++i_;
    }
    return healthy_;
  }

  // ---- SignPort: the journaled signatures ----
  bool submit(const SignJob& job) noexcept override {
    const OmsRecord* r = peek();
    std::uint64_t client = 0;
    if (r != nullptr && r->kind == OmsRecord::Kind::kInput && r->input == OmsInputKind::kSignRefused &&
        read_head(*r, &client) && client == job.client.value) {
      ++i_;
      return false;
    }
    jobs_[job.slot] = job;
    return true;
  }
  bool poll(SignDone& out) noexcept override {
    if (diverged()) return false;
    const OmsRecord* r = peek();
    if (r == nullptr || r->kind != OmsRecord::Kind::kInput || r->input != OmsInputKind::kSignDone) return false;
    SignDoneHead h{};
    if (!read_head(*r, &h)) {
      rep_.error = "record seq " + std::to_string(r->seq) + ": signature head of " + std::to_string(r->head.size()) +
                   " bytes (want " + std::to_string(sizeof h) + ")";
      return false;
    }
    ++i_;
    ++rep_.venue_inputs;
    const auto job = jobs_.find(h.done.slot);
    if (job == jobs_.end() || !(job->second.key == h.key) || job->second.client.value != h.done.client.value ||
        job->second.tag != h.done.tag) {
      diverge(r->seq, "journaled signature for slot " + std::to_string(h.done.slot) + " (client " +
                          std::to_string(h.done.client.value) + ") was not asked for by the replay with that key");
      return false;
    }
    jobs_.erase(job);
    if (h.done.slot >= store_->capacity() || r->body.size() > kMaxOrderBodySize) {
      rep_.error = "record seq " + std::to_string(r->seq) + ": signature slot or body out of range";
      return false;
    }
    SignedRequest& sr = store_->at(h.done.slot);
    std::memcpy(sr.body.data(), r->body.data(), r->body.size());
    sr.len = static_cast<std::uint16_t>(r->body.size());
    sr.digest = h.digest;
    sr.key = h.key;
    sr.signed_ns = h.signed_ns;
    sr.l2 = PrecomputedL2{};
    if (h.done.outcome == SignOutcome::kOk) ++rep_.signed_bodies;
    out = h.done;
    return true;
  }

 private:
  static constexpr std::uint64_t kAnyClient = ~0ULL;

  const OmsRecord* peek() const { return i_ < records_.size() ? &records_[i_] : nullptr; }

  static std::string describe(const OmsRecord* r) {
    if (r == nullptr) return "the end of the stream";
    switch (r->kind) {
      case OmsRecord::Kind::kConsumed: return "a consumed input (seq " + std::to_string(r->seq) + ")";
      case OmsRecord::Kind::kProduced: return "ExecReport seq " + std::to_string(r->msg.hdr.seq);
      case OmsRecord::Kind::kInput: {
        std::string s = std::string("a ") + input_name(r->input);
        SentHead h{};
        if (r->input == OmsInputKind::kSent && read_head(*r, &h)) s += std::string(" (") + request_name(h.kind) + ")";
        return s + " (record seq " + std::to_string(r->seq) + ")";
      }
    }
    return "?";
  }

  void diverge(std::uint64_t seq, std::string what) const {
    if (rep_.divergence) return;
    if (cause_ != nullptr && cause_->seq != seq) {
      what += " (while replaying " + (cause_->kind == OmsRecord::Kind::kConsumed ? std::string("a consumed input")
                                                                                 : std::string(input_name(cause_->input))) +
              " at record seq " + std::to_string(cause_->seq) + ")";
    }
    rep_.divergence = OmsDivergence{seq, std::move(what)};
  }

  // The live logic journaled every call that went out right after making it: a journaled call of this kind (for
  // this order) next means it went out — then the bytes must be the same; anything else means it did not.
  SendStatus call(RequestKind kind, std::uint64_t client, bool resend, std::string_view body,
                  std::int64_t after_s) noexcept {
    if (diverged()) return SendStatus::kBackPressure;
    const OmsRecord* r = peek();
    SentHead h{};
    if (r == nullptr || r->kind != OmsRecord::Kind::kInput || r->input != OmsInputKind::kSent || !read_head(*r, &h) ||
        h.kind != static_cast<std::uint8_t>(kind) || (kind == RequestKind::kOrder && h.client != client)) {
      return SendStatus::kBackPressure;
    }
    ++i_;
    ++rep_.calls;
    const std::string who = std::string(request_name(h.kind)) +
                            (kind == RequestKind::kOrder ? " for client order " + std::to_string(client) : "");
    if (r->body != body) {
      diverge(r->seq, who + ": the bytes differ at " + (kind == RequestKind::kCancel || kind == RequestKind::kCancelMany
                                                           ? std::string("order id ") + hex_prefix(r->body) +
                                                                 " vs " + hex_prefix(body)
                                                           : show_difference(r->body, body)));
    } else if (h.resend != (resend ? 1 : 0) || h.after_s != after_s) {
      diverge(r->seq, who + ": journaled resend " + std::to_string(h.resend) + " after " +
                          std::to_string(h.after_s) + ", replayed resend " + std::to_string(resend ? 1 : 0) +
                          " after " + std::to_string(after_s));
    }
    return SendStatus::kSent;
  }

  void top_level_input(const OmsRecord& r, std::string& frame) {
    clock_.set(r.ts_ns);
    const auto bad_head = [&] {
      rep_.error = "record seq " + std::to_string(r.seq) + ": " + input_name(r.input) + " head of " +
                   std::to_string(r.head.size()) + " bytes is malformed";
    };
    switch (r.input) {
      case OmsInputKind::kStart: return;  // read before the logic was built
      case OmsInputKind::kOrderAnswer: {
        OrderAnswerHead h{};
        if (!read_head(r, &h)) return bad_head();
        ++rep_.venue_inputs;
        logic_->on_order_answer(ClientOrderId{h.id}, h.answer);
        return;
      }
      case OmsInputKind::kCancelAnswer: {
        CancelAnswerHead h{};
        if (!read_head(r, &h)) return bad_head();
        ++rep_.venue_inputs;
        logic_->on_cancel_answer(h.id, h.cancelled != 0, h.reason);
        return;
      }
      case OmsInputKind::kCancelFailed: {
        KindErrorHead h{};
        if (!read_head(r, &h)) return bad_head();
        ++rep_.venue_inputs;
        logic_->on_cancel_failed(h.kind, h.error);
        return;
      }
      case OmsInputKind::kQueryAnswer: {
        KindErrorHead h{};
        if (!read_head(r, &h)) return bad_head();
        ++rep_.venue_inputs;
        frame.assign(r.body);
        frame.append(simdjson::SIMDJSON_PADDING, '\0');  // the parsers read padded buffers
        logic_->on_query_answer(h.kind, h.error, std::string_view(frame.data(), r.body.size()));
        return;
      }
      case OmsInputKind::kHeartbeat: {
        HeartbeatHead h{};
        if (!read_head(r, &h)) return bad_head();
        ++rep_.venue_inputs;
        logic_->on_heartbeat(h.ok != 0, h.error);
        return;
      }
      case OmsInputKind::kUserFrame:
        ++rep_.venue_inputs;
        frame.assign(r.body);
        frame.append(simdjson::SIMDJSON_PADDING, '\0');
        (void)logic_->on_user_frame(std::string_view(frame.data(), r.body.size()));
        return;
      case OmsInputKind::kUserGap:
        if (r.head.size() != 1) return bad_head();
        ++rep_.venue_inputs;
        logic_->on_gap(r.head[0] != 0);
        return;
      case OmsInputKind::kTick:
        ++rep_.venue_inputs;
        (void)logic_->poll(r.ts_ns);
        return;
      case OmsInputKind::kHealth:
        if (r.head.size() != 1) return bad_head();
        healthy_ = r.head[0] != 0;  // seen by the agent's admission check, outside the logic's calls
        return;
      case OmsInputKind::kSignDone:
      case OmsInputKind::kSent:
      case OmsInputKind::kSignRefused:
        return diverge(r.seq, "the journal has " + describe(&r) + " that the replay did not make at this point");
    }
    rep_.error = "record seq " + std::to_string(r.seq) + ": unknown oms input kind " +
                 std::to_string(static_cast<int>(r.input));
  }

  const std::vector<OmsRecord>& records_;
  const OmsMessageCompare& compare_;
  OmsReplayReport& rep_;
  OmsLogic* logic_ = nullptr;
  SignedOrderStore* store_ = nullptr;
  ManualClock clock_;
  mutable std::size_t i_ = 0;
  mutable bool healthy_ = false;
  const Envelope* current_ = nullptr;
  const OmsRecord* cause_ = nullptr;  // the top-level record being replayed
  std::uint64_t seq_ = 0;
  std::unordered_map<std::uint32_t, SignJob> jobs_;
};

}  // namespace

bool decode_oms_input(const void* data, std::size_t size, OmsInputKind* kind, std::string* head, std::string* body) {
  const auto* p = static_cast<const unsigned char*>(data);
  if (size < 3) return false;
  const std::size_t hs = static_cast<std::size_t>(p[1]) | (static_cast<std::size_t>(p[2]) << 8);
  if (3 + hs > size) return false;
  *kind = static_cast<OmsInputKind>(p[0]);
  head->assign(reinterpret_cast<const char*>(p + 3), hs);
  body->assign(reinterpret_cast<const char*>(p + 3 + hs), size - 3 - hs);
  return true;
}

OmsReplayReport replay_oms(const ClobOmsConfig& cfg, const std::vector<OmsRecord>& records,
                           const OmsMessageCompare& compare) {
  OmsReplayReport rep;
  // The logic's identity as the live one had it: the first kStart record.
  const OmsRecord* start = nullptr;
  for (const OmsRecord& r : records) {
    if (r.kind == OmsRecord::Kind::kInput && r.input == OmsInputKind::kStart) {
      start = &r;
      break;
    }
  }
  if (start == nullptr || start->head.size() != sizeof(std::int64_t)) {
    rep.error = "no oms start record in the stream (journaled by an oms without replay support)";
    return rep;
  }
  std::int64_t started_ns = 0;
  std::memcpy(&started_ns, start->head.data(), sizeof started_ns);
  OmsConfig oc = cfg.oms;
  const std::size_t nl = start->body.find('\n');
  oc.api_key = start->body.substr(0, nl);
  oc.funder_address = nl == std::string::npos ? std::string() : start->body.substr(nl + 1);

  MarketDirectory dir;
  if (auto d = ClobOms::fill_directory(cfg.markets, dir); !d) {
    rep.error = d.error();
    return rep;
  }
  SignedOrderStore store(cfg.signed_slots);
  Driver driver(records, compare, rep);
  driver.clock().set(started_ns);
  OmsLogic logic(oc, dir, store, driver, &driver, driver.clock(), driver);
  logic.set_directory_writer(&dir);  // as live: tokens announced by journaled MarketDefs (polybot run)
  logic.set_started_ns(started_ns);
  if (auto p = ClobOms::apply_presign(cfg.presign, dir, logic); !p) {
    rep.error = p.error();
    return rep;
  }
  driver.attach(&logic, &store);
  driver.run();
  return rep;
}

}  // namespace polybot::oms
