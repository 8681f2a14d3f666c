// OmsLogic: the real oms stage. Turns OrderRequests into signed orders on the wire and venue answers into
// ExecReports, keeping the order table (lifecycle), the fill ledger, reconciliation and the pre-signed cache.
//   * A new order is journaled before its bytes go out: ExecReport kSubmitted (with the venue key, the first 8
//     bytes of the EIP-712 digest known before sending) is emitted, then the signed body is handed to the socket.
//   * Signing never runs on this thread: a pre-signed cache hit goes straight out; a miss is signed by the
//     SigningService's helper thread and sent when the signature comes back.
//   * A resend is the same signed bytes (transport failure before an answer); nothing is re-signed until the
//     first order is proven dead (rejected by the venue, or absent from the venue after reconciliation).
//   * A timeout puts the order in Unknown: new orders on that market are refused until reconciliation resolves it;
//     any unexplained difference, a failed heartbeat or an auth failure refuses every new order (fail closed).
// Venue answers arrive through the GatewayListener / UserChannelListener callbacks, on the same (oms) thread.
// Replayable: every input from outside the channels (answers, frames, signatures, heartbeat health, which calls
// went out, the poll times at which something changed) is journaled through the OmsInputRecorder with the time
// the logic used, so oms/replay re-runs it against the journal bit for bit.
// No allocation after construction; never blocks; no exception leaves it.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "core/stage.hpp"
#include "oms/gateway/clob_gateway.hpp"
#include "oms/gateway/order_venue.hpp"
#include "oms/oms_input_recorder.hpp"
#include "oms/lifecycle/fill_ledger.hpp"
#include "oms/lifecycle/order_table.hpp"
#include "oms/presign/market_directory.hpp"
#include "oms/presign/presign_cache.hpp"
#include "oms/presign/signing_service.hpp"
#include "oms/reconcile/balance_book.hpp"
#include "oms/reconcile/balance_parser.hpp"
#include "oms/reconcile/reconciler.hpp"
#include "oms/reconcile/venue_state_parser.hpp"
#include "oms/user_channel/user_channel.hpp"
#include "oms/user_channel/user_channel_parser.hpp"

namespace polybot::oms {

// Why the oms itself refused or closed an order: ExecReport::venue_reason values >= 100 (venue codes are < 100).
enum class OmsReason : std::uint16_t {
  kNone = 0,
  kHalted = 100,
  kFailClosed = 101,       // an unexplained difference or an auth/config failure: operator or reconcile clears
  kHeartbeatDown = 102,
  kMarketUnknown = 103,    // an order on this market is Unknown
  kReconciling = 104,
  kTableFull = 105,
  kNoSignSlot = 106,
  kSignFailed = 107,       // amounts / signing refused before anything was sent
  kUnknownToken = 108,
  kNotSent = 109,          // back-pressure outlasted the send window: never handed to the socket
  kProvenDead = 110,       // reconciliation: the venue never had it
  kDuplicateClientId = 111,
  kCancelledBeforeSend = 112,
  // Balance reconciliation (docs/OMS.md): a refusal reason and the venue_reason of kReconciled finding reports.
  kCollateralShort = 113,   // pUSD below the notional of our open BUY orders: new BUYs refused
  kBalanceMismatch = 114,   // finding: pUSD or shares missing beyond fees + tolerance (then kFailClosed)
  kBalanceExtra = 115,      // finding: more than expected (deposit, redemption): adopted, still trading
  kBalanceMalformed = 116,  // finding: a /balance-allowance answer we could not read: reconciliation unclean
};

// The kSignDone record's head: what the helper thread put in the slot besides the body.
struct SignDoneHead {
  SignDone done;
  OrderDigest digest;
  SignKey key;
  std::int64_t signed_ns;
};

// The heads of the answer records (OmsInputKind), shared with the replay.
struct OrderAnswerHead {
  std::uint64_t id;
  OrderAnswer answer;
};
struct CancelAnswerHead {
  OrderDigest id;
  std::uint8_t cancelled;
  VenueError reason;
};
struct KindErrorHead {  // kCancelFailed, kQueryAnswer
  RequestKind kind;
  VenueError error;
};
struct HeartbeatHead {
  std::uint8_t ok;
  VenueError error;
};

// Learned pre-sign targets (docs/OMS.md "Learned pre-sign targets"): each admitted limit/market order request
// (not GTD, no expiration) registers its own sign key and the same key at +-neighbour_ticks ticks of its market;
// the newest max_targets are kept pre-signed (least recently requested replaced) while their token has been
// requested within idle_ms and its market window has not ended. Off by default here; on for the live clob oms.
struct PresignAutoConfig {
  bool enabled = false;
  std::uint32_t neighbour_ticks = 1;
  std::uint32_t max_targets = 16;      // at most OmsLogic::kMaxAutoTargets
  std::int64_t idle_ms = 60'000;
};

struct OmsConfig {
  std::uint32_t max_orders = 4096;
  std::uint32_t signed_slots = 1024;
  std::int64_t presign_max_age_ms = 15'000;
  PresignAutoConfig presign_auto;
  std::int64_t send_window_ms = 2'000;       // how long a signed order may wait for back-pressure to clear
  std::uint32_t max_resends = 1;             // identical resends after a transport failure
  std::int64_t retire_after_ms = 60'000;     // terminal orders leave the table after this
  bool reconcile_on_start = true;
  bool require_heartbeat = true;
  std::int64_t trades_lookback_s = 3'600;
  std::int64_t reconcile_retry_ms = 1'000;   // after an unclean or failed reconciliation
  ReconcileConfig reconcile;
  std::string api_key;                       // fill attribution (maker orders' owner)
  std::string funder_address;                // fill attribution (maker_address), may be empty
  MarketRounding market_rounding = MarketRounding::kOfficialClient;  // must match SigningConfig's
};

struct OmsCounters {
  std::uint64_t orders = 0;
  std::uint64_t refused = 0;
  std::uint64_t presign_hits = 0;
  std::uint64_t presign_misses = 0;
  std::uint64_t presign_learned = 0;   // auto targets registered (new keys)
  std::uint64_t presign_evicted = 0;   // auto targets replaced as least recently requested
  std::uint64_t signed_async = 0;
  std::uint64_t submitted = 0;
  std::uint64_t resends = 0;
  std::uint64_t accepted = 0;
  std::uint64_t rejected = 0;
  std::uint64_t unknown = 0;
  std::uint64_t fills = 0;
  std::uint64_t duplicate_fills = 0;
  std::uint64_t cancels = 0;
  std::uint64_t reconciliations = 0;
  std::uint64_t unexplained = 0;
  std::uint64_t stray_events = 0;
  std::uint64_t emit_failures = 0;
  std::uint64_t markets_defined = 0;   // tokens learnt from MarketDef inputs
  std::uint64_t market_def_errors = 0; // MarketDefs refused (id out of range, unknown tick, bad token id)
  std::uint64_t balance_reads = 0;     // /balance-allowance answers judged
  std::uint64_t balance_baselines = 0; // times the venue's balances were adopted as the baseline
  std::uint64_t balance_mismatches = 0;
  std::uint64_t balance_extras = 0;
  std::uint64_t balance_malformed = 0;
  std::uint64_t balance_raced = 0;     // reads asked again because a fill arrived while they were in flight
  std::uint64_t collateral_short = 0;
};

enum class ReconcilePhase : std::uint8_t { kIdle = 0, kOpenOrders = 1, kTrades = 2, kBalances = 3 };

class OmsLogic final : public StageLogic, public GatewayListener, public UserChannelListener, public ReconcileSink,
                       private VenueOpenOrderSink {
 public:
  // All referents outlive the logic. `gateway` may be null (replay/tests without a venue: orders stop at
  // Submitted). `out` receives every ExecReport produced from venue callbacks (on_input uses its own emitter).
  OmsLogic(OmsConfig cfg, const MarketDirectory& markets, SignedOrderStore& store, SignPort& signer,
           OrderVenue* gateway, const Clock& clock, Emitter& out);

  [[nodiscard]] Stage stage() const noexcept override { return Stage::kOms; }
  void on_input(const Envelope& in, const Clock& clock, Emitter& out) noexcept override;

  // Periodic work on the oms thread: signatures back from the helper, heartbeats, pending sends, presign
  // refills and expiry, reconciliation steps, retirement. Returns the amount of work done.
  int poll(std::int64_t now_ns) noexcept;

  // The prices a strategy will likely need next for a token/side: one pre-signed order is kept for each.
  void set_presign_targets(InstrumentId token, ::polybot::Side side, const Price* prices, std::uint32_t n, Qty size,
                           ::polybot::OrderType type, bool post_only) noexcept;
  // Market orders (FOK/FAK): one pre-signed order per worst price for `amount_raw` (pUSD to spend for a BUY,
  // shares for a SELL), matched by a request with market_order = 1 and that amount.
  void set_presign_market_targets(InstrumentId token, ::polybot::Side side, const Price* worst_prices,
                                  std::uint32_t n, std::int64_t amount_raw, ::polybot::OrderType type) noexcept;
  void clear_presign_targets() noexcept { targets_n_ = 0; }
  static constexpr std::uint32_t kMaxAutoTargets = 64;
  // Learned targets (PresignAutoConfig): how many are held, and how many would be refilled at `now_ns`.
  [[nodiscard]] std::uint32_t auto_targets() const noexcept { return auto_n_; }
  [[nodiscard]] std::uint32_t live_auto_targets(std::int64_t now_ns) const noexcept;

  void request_reconcile() noexcept { reconcile_wanted_ = true; }
  // Journals every venue answer and signature (see OmsInputRecorder), starting with a kStart record; null: off.
  void set_input_recorder(OmsInputRecorder* r) noexcept;
  // Replay: the start time the live logic journaled (trades lookback).
  void set_started_ns(std::int64_t ns) noexcept { started_ns_ = ns; }
  [[nodiscard]] std::int64_t started_ns() const noexcept { return started_ns_; }
  // Tokens announced by MarketDef inputs (market roll-over) are written here: the same directory the logic
  // reads. Null: MarketDefs are ignored (a static [[oms.markets]] directory).
  void set_directory_writer(MarketDirectory* dir) noexcept { dir_writer_ = dir; }
  // Nothing in flight: no order signing, unanswered or Unknown, nothing waiting to be sent, no reconciliation.
  // Walks the table: for the end of a finite run, not for every decision.
  [[nodiscard]] bool settled() noexcept;
  [[nodiscard]] bool reconciling() const noexcept { return phase_ != ReconcilePhase::kIdle || reconcile_wanted_; }
  [[nodiscard]] bool fail_closed() const noexcept { return fail_closed_ || balance_fail_closed_; }
  // Balance reconciliation: the expectation, and why the last /balance-allowance answer was refused (field, value).
  [[nodiscard]] const BalanceBook& balances() const noexcept { return balances_; }
  [[nodiscard]] std::string_view last_balance_error() const noexcept { return {balance_error_, balance_error_len_}; }
  [[nodiscard]] bool buys_blocked() const noexcept { return buys_blocked_; }
  // Whether a new order on `market` would be admitted now (and why not).
  [[nodiscard]] OmsReason gate(MarketId market, std::int64_t now_ns) const noexcept;
  [[nodiscard]] const OrderTable& table() const noexcept { return table_; }
  [[nodiscard]] OrderTable& table() noexcept { return table_; }
  [[nodiscard]] const OmsCounters& counters() const noexcept { return counters_; }
  [[nodiscard]] const PresignCache& presign() const noexcept { return cache_; }

  // GatewayListener
  void on_order_answer(ClientOrderId id, const OrderAnswer& a) noexcept override;
  void on_cancel_answer(const OrderDigest& id, bool cancelled, VenueError reason) noexcept override;
  void on_cancel_failed(RequestKind kind, VenueError error) noexcept override;
  void on_query_answer(RequestKind kind, VenueError error, std::string_view body) noexcept override;
  void on_heartbeat(bool ok, VenueError error) noexcept override;
  // UserChannelListener
  void on_order(const UserOrderEvent& ev) noexcept override;
  void on_trade(const UserTradeEvent& ev) noexcept override;
  void on_gap(bool open) noexcept override;
  // The raw frame: journaled, then decoded here (its events see the frame's time). Needs simdjson padding.
  bool on_user_frame(std::string_view frame) noexcept override;
  // ReconcileSink
  void on_finding(ReconcileFinding what, Order* order, const OrderDigest& digest, Qty qty,
                  Price price) noexcept override;

 private:
  void on_open_order(const VenueOpenOrder& o) noexcept override;
  // True when the request was admitted into the table (then it may teach the pre-sign targets).
  bool new_order(const OrderRequest& req, std::int64_t now) noexcept;
  // The key a request is signed under; `sized` (may be null) receives the shares the table records.
  [[nodiscard]] SignKey sign_key(const OrderRequest& req, Qty* sized) const noexcept;
  void learn_presign(const OrderRequest& req, std::int64_t now) noexcept;
  void add_auto_target(const SignKey& key, std::int64_t now) noexcept;
  struct AutoTarget;
  [[nodiscard]] bool auto_live(const AutoTarget& t, std::int64_t now) const noexcept;
  // One target's refill: false when no slot is left for pre-signing (stop refilling this poll).
  bool refill_one(const SignKey& key, std::uint32_t* in_flight, std::uint32_t tag, std::uint64_t client) noexcept;
  void define_market(const MarketDef& d) noexcept;
  void cancel_order(const OrderRequest& req, std::int64_t now) noexcept;
  void dispatch(Order& o, std::uint32_t slot, std::int64_t now) noexcept;
  bool try_send(Order& o, bool resend, std::int64_t now) noexcept;
  void report(const Order& o, ExecKind kind, Qty last_qty = Qty{}, Price last_price = Price{},
              TradeStatus ts = TradeStatus::kNone, std::uint16_t reason = 0) noexcept;
  void refuse(const OrderRequest& req, OmsReason why) noexcept;
  void closed(Order& o) noexcept;  // a terminal transition: free its signed slot
  void settle_slot(Order& o) noexcept;  // answered for: the bytes are no longer needed for a resend
  void step_reconcile(std::int64_t now) noexcept;
  // The end of a reconciliation (after the balances, or the trades when balances are not checked).
  void finish_reconcile(std::int64_t now, bool ok, std::uint32_t unexplained) noexcept;
  void start_balances(std::int64_t now) noexcept;
  bool send_balance_query() noexcept;  // the read at balance_index_ (-1: collateral)
  void on_balance_answer(std::int64_t now, std::string_view body) noexcept;
  void judge_balances(std::int64_t now) noexcept;
  void balance_report(OmsReason what, InstrumentId token, std::int64_t venue, std::int64_t expected) noexcept;
  [[nodiscard]] std::int64_t open_buy_notional() noexcept;
  void count_fill(const Order& o, Qty qty, Price price, bool taker, std::uint64_t trade_key, TradeStatus ts,
                  std::int64_t now) noexcept;
  void refill_presign(std::int64_t now) noexcept;
  void emit(ExecReport& r) noexcept;
  // Journals one outside input at `ts`; inside poll(), the first record of the call is preceded by a kTick.
  void record(OmsInputKind kind, std::int64_t ts, const void* head, std::uint32_t size,
              std::string_view body = {}) const noexcept {
    if (inputs_ == nullptr) return;
    touch();
    inputs_->record(kind, ts, head, size, body);
  }
  // Inside poll(): something is about to change; the replay must run this poll (journaled once per call).
  void touch() const noexcept {
    if (!in_poll_ || ticked_ || inputs_ == nullptr) return;
    ticked_ = true;
    inputs_->record(OmsInputKind::kTick, event_ns_, nullptr, 0, {});
  }
  // The time of an outside event (answer, frame), read once: journaled with it and used for all it changes.
  std::int64_t begin_event() noexcept { return event_ns_ = clock_.now_ns(); }
  // Journals a venue call that went out (the replay checks its own against it).
  void note_sent(SendStatus s, RequestKind kind, std::uint64_t client, bool resend, std::string_view body,
                 std::int64_t after_s = 0, std::uint32_t count = 0) noexcept;
  [[nodiscard]] bool venue_healthy(std::int64_t now_ns) const noexcept;

  OmsConfig cfg_;
  const MarketDirectory& markets_;
  SignedOrderStore& store_;
  SignPort& signer_;
  OrderVenue* gateway_;
  const Clock& clock_;
  Emitter& out_;
  Emitter* in_call_ = nullptr;   // the on_input emitter while inside on_input
  OmsInputRecorder* inputs_ = nullptr;
  UserChannelParser user_parser_;
  std::int64_t event_ns_ = 0;     // the current event's time (answer, frame, poll): ts_recv of what it emits
  bool in_frame_ = false;
  bool in_poll_ = false;
  mutable bool ticked_ = false;
  mutable std::int8_t health_seen_ = -1;
  OrderTable table_;
  FillLedger ledger_;
  PresignCache cache_;
  Reconciler reconciler_;
  VenueStateParser state_parser_;
  BalanceBook balances_;
  BalanceParser balance_parser_;
  struct BalanceRead {
    std::int64_t venue = 0;
    BalanceBounds expected;
    bool read = false;
  };
  BalanceRead collateral_read_;
  std::array<BalanceRead, BalanceBook::kMaxTokens> share_reads_{};
  std::int32_t balance_index_ = -1;       // the read in flight: -1 collateral, else a BalanceBook token
  std::uint64_t balance_epoch_ = 0;       // the book's epoch when that read went out
  std::uint64_t balances_epoch_ = 0;      // ... when the first read of this reconciliation went out
  std::uint32_t balance_retries_ = 0;
  std::int64_t next_balance_ns_ = 0;      // the next balance-only check (balance_interval_ms)
  bool orders_ok_ = true;                 // this reconciliation's open-orders/trades part
  std::uint32_t orders_unexplained_ = 0;
  bool balance_fail_closed_ = false;      // money or shares missing: no new orders until a clean check
  bool buys_blocked_ = false;             // pUSD below our open BUYs' notional: no new BUYs until a clean check
  char balance_error_[160]{};
  std::size_t balance_error_len_ = 0;
  OmsCounters counters_{};
  MarketDirectory* dir_writer_ = nullptr;
  bool halted_ = false;
  bool fail_closed_ = false;
  bool reconcile_wanted_ = false;
  bool reconcile_clean_ = false;
  bool user_channel_dropped_ = false;
  ReconcilePhase phase_ = ReconcilePhase::kIdle;
  std::uint32_t pages_ = 0;         // reconciliation: pages read beyond the first in this phase
  std::int64_t started_ns_ = 0;
  std::int64_t next_retire_ns_ = 0;
  std::int64_t next_reconcile_ns_ = 0;
  std::uint32_t send_pending_ = 0;  // orders signed but not yet handed to the socket (back-pressure)

  struct Target {
    SignKey key{};
    std::uint32_t in_flight = 0;
  };
  std::array<Target, 32> targets_{};
  std::uint32_t targets_n_ = 0;
  // Learned targets: sign jobs carry tag 2 and client = gen << 32 | index, so a signature that comes back after
  // its target was replaced is recognised (gen differs) and dropped.
  struct AutoTarget {
    SignKey key{};
    std::uint32_t in_flight = 0;
    std::uint32_t gen = 0;
    std::int64_t last_ns = 0;   // the last request that named this key (or a neighbour of it)
    bool dead = false;          // its signing failed (off the tick grid, below the minimum): not refilled
  };
  std::array<AutoTarget, kMaxAutoTargets> auto_{};
  std::uint32_t auto_n_ = 0;
  std::uint32_t auto_gen_ = 0;
  std::array<std::int64_t, MarketDirectory::kMaxTokens> window_end_ns_{};  // from MarketDef; 0: not known
  std::array<OrderDigest, 64> strays_{};
  std::uint32_t strays_n_ = 0;
};

}  // namespace polybot::oms
