// RiskLogic as the book of record: approvals reserve capital, the oms's ExecReports give it back (rejects, cancels,
// expiries), turn it into positions (buy fills) and back into capital (sell fills), settlements pay out; unknown
// ids, a full order table and lost reports are counted, never a crash. The invariant
//   available + reserved + position cost == capital + realized pnl
// is checked after every step.
#include "oms/risk/risk_logic.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <vector>

#include "core/clock.hpp"

namespace polybot::oms::risk {
namespace {

constexpr InstrumentId kUp{3};
constexpr InstrumentId kDown{4};
constexpr MarketId kMarket{9};

Usdc usdc(const char* s) { return *Usdc::parse(s); }
Price px(const char* s) { return *Price::parse(s); }
Qty qty(const char* s) { return *Qty::parse(s); }

struct Capture final : Emitter {
  bool emit(Envelope& m) noexcept override {
    out.push_back(m);
    return true;
  }
  std::vector<Envelope> out;
};

class RiskBook : public ::testing::Test {
 protected:
  explicit RiskBook(RiskParams p = params()) : risk_(p), capital_(p.capital) {}
  static RiskParams params() {
    RiskParams p;
    p.capital = usdc("100");
    p.max_order_notional = usdc("25");
    p.min_order_notional = usdc("1");
    p.max_open_orders = 8;
    p.max_instruments = 16;
    return p;
  }

  // A buy (or sell) limit order of `size` shares at `price`; returns the approved client id (0 if denied).
  ClientOrderId place(Side side, const char* price, const char* size, InstrumentId token = kUp,
                      StrategyId strategy = StrategyId{1}, MarketId market = kMarket) {
    Intent it{};
    it.hdr.type = Intent::kType;
    it.hdr.instrument = token;
    it.market = market;
    it.strategy = strategy;
    it.action = IntentAction::kPlace;
    it.side = side;
    it.limit_price = px(price);
    it.size = qty(size);
    feed(Envelope::of(it));
    const Envelope& last = sink_.out.back();
    check_invariant();
    return last.is<OrderRequest>() ? last.as<OrderRequest>().client_id : ClientOrderId{};
  }
  DenyReason last_denial() const {
    const Envelope& last = sink_.out.back();
    return last.is<Denied>() ? last.as<Denied>().reason : DenyReason::kNone;
  }
  // An ExecReport as the oms sends it (numbered like the OmsAgent does).
  void report(ClientOrderId id, ExecKind kind, Side side, const char* last_qty = "0", const char* last_price = "0",
              InstrumentId token = kUp) {
    ExecReport r{};
    r.hdr.type = ExecReport::kType;
    r.hdr.producer = Stage::kOms;
    r.hdr.seq = ++oms_seq_;
    r.hdr.instrument = token;
    r.client_id = id;
    r.market = kMarket;
    r.kind = kind;
    r.side = side;
    r.last_qty = qty(last_qty);
    r.last_price = px(last_price);
    feed(Envelope::of(r));
    check_invariant();
  }
  // What a strategy's cancel intent makes risk send: the client ids of the cancel requests.
  std::vector<std::uint64_t> cancel(IntentAction action, StrategyId strategy, ClientOrderId target = {}) {
    Intent it{};
    it.hdr.type = Intent::kType;
    it.market = kMarket;
    it.strategy = strategy;
    it.action = action;
    it.cancel_target = target;
    const std::size_t before = sink_.out.size();
    feed(Envelope::of(it));
    std::vector<std::uint64_t> ids;
    for (std::size_t i = before; i < sink_.out.size(); ++i) {
      EXPECT_TRUE(sink_.out[i].is<OrderRequest>());
      if (!sink_.out[i].is<OrderRequest>()) continue;
      const OrderRequest& r = sink_.out[i].as<OrderRequest>();
      EXPECT_EQ(r.action, OrderAction::kCancel);
      ids.push_back(r.client_id.value);
    }
    std::sort(ids.begin(), ids.end());
    check_invariant();
    return ids;
  }
  void feed(const Envelope& e) { risk_.on_input(e, clock_, sink_); }
  void check_invariant() {
    EXPECT_EQ((risk_.available() + risk_.reserved() + risk_.position_cost()).raw,
              (capital_ + risk_.realized_pnl()).raw)
        << "available " << risk_.available().to_string() << " reserved " << risk_.reserved().to_string()
        << " positions " << risk_.position_cost().to_string() << " pnl " << risk_.realized_pnl().to_string();
  }

  RiskLogic risk_;
  Usdc capital_;
  ManualClock clock_;
  Capture sink_;
  std::uint64_t oms_seq_ = 0;
};

TEST_F(RiskBook, ApprovalReservesAndARejectGivesItAllBack) {
  const ClientOrderId id = place(Side::kBuy, "0.50", "40");  // 20 USDC
  ASSERT_TRUE(id.valid());
  EXPECT_EQ(risk_.available(), usdc("80"));
  EXPECT_EQ(risk_.reserved(), usdc("20"));
  report(id, ExecKind::kSubmitted, Side::kBuy);
  EXPECT_EQ(risk_.available(), usdc("80"));
  report(id, ExecKind::kRejected, Side::kBuy);
  EXPECT_EQ(risk_.available(), usdc("100"));
  EXPECT_EQ(risk_.reserved(), Usdc{});
  EXPECT_EQ(risk_.open_orders(), 0u);
  EXPECT_EQ(risk_.counters().closed, 1u);
  EXPECT_EQ(risk_.counters().released_raw, static_cast<std::uint64_t>(usdc("20").raw));
}

TEST_F(RiskBook, EveryReportIsPassedOnForSignalUnchangedButForItsCause) {
  const ClientOrderId id = place(Side::kBuy, "0.50", "40");
  report(id, ExecKind::kPartiallyFilled, Side::kBuy, "10", "0.50");
  ASSERT_TRUE(sink_.out.back().is<ExecReport>());
  const ExecReport& fwd = sink_.out.back().as<ExecReport>();
  EXPECT_EQ(fwd.client_id, id);
  EXPECT_EQ(fwd.kind, ExecKind::kPartiallyFilled);
  EXPECT_EQ(fwd.last_qty, qty("10"));
  EXPECT_EQ(fwd.hdr.cause_seq, 0u);  // the emitter names the consumed report as the cause
  report(ClientOrderId{77}, ExecKind::kCancelled, Side::kBuy);  // unknown ids too: signal decides what is its own
  EXPECT_EQ(sink_.out.back().as<ExecReport>().client_id, ClientOrderId{77});
}

TEST_F(RiskBook, ACancelAllIntentCancelsEachOpenOrderOfThatStrategyOnThatMarketOnce) {
  const ClientOrderId a = place(Side::kBuy, "0.40", "10", kUp, StrategyId{2});
  const ClientOrderId b = place(Side::kBuy, "0.50", "10", kDown, StrategyId{2});
  const ClientOrderId other_strategy = place(Side::kBuy, "0.50", "10", kUp, StrategyId{3});
  const ClientOrderId other_market = place(Side::kBuy, "0.50", "10", kUp, StrategyId{2}, MarketId{10});
  const ClientOrderId ended = place(Side::kBuy, "0.50", "10", kUp, StrategyId{2});
  report(ended, ExecKind::kRejected, Side::kBuy);
  ASSERT_TRUE(other_strategy.valid() && other_market.valid());
  EXPECT_EQ(cancel(IntentAction::kCancelAll, StrategyId{2}), (std::vector<std::uint64_t>{a.value, b.value}));
  EXPECT_EQ(cancel(IntentAction::kCancelAll, StrategyId{2}), std::vector<std::uint64_t>{});  // asked once only
  EXPECT_EQ(risk_.counters().cancels_sent, 2u);
  // The oms's Cancelled answers give the reservations back; the other orders keep theirs.
  const Usdc before = risk_.available();
  report(a, ExecKind::kCancelled, Side::kBuy);
  report(b, ExecKind::kCancelled, Side::kBuy);
  EXPECT_EQ(risk_.available(), before + usdc("9"));
  EXPECT_EQ(risk_.open_orders(), 2u);
}

TEST_F(RiskBook, ACancelIntentNamesOneOrderAndPassesEvenWhenHalted) {
  const ClientOrderId a = place(Side::kBuy, "0.40", "10");
  const ClientOrderId b = place(Side::kBuy, "0.40", "10");
  Command halt{};
  halt.hdr.type = Command::kType;
  halt.kind = CommandKind::kHalt;
  feed(Envelope::of(halt));
  EXPECT_EQ(cancel(IntentAction::kCancel, StrategyId{1}, b), std::vector<std::uint64_t>{b.value});
  EXPECT_EQ(cancel(IntentAction::kCancel, StrategyId{1}, ClientOrderId{99}), std::vector<std::uint64_t>{});
  EXPECT_EQ(risk_.counters().cancels_unknown, 1u);
  EXPECT_TRUE(a.valid());
}

TEST_F(RiskBook, CancelledAndExpiredOrdersReleaseTheirReservation) {
  const ClientOrderId a = place(Side::kBuy, "0.40", "50");  // 20
  const ClientOrderId b = place(Side::kBuy, "0.25", "40");  // 10
  EXPECT_EQ(risk_.available(), usdc("70"));
  report(a, ExecKind::kAccepted, Side::kBuy);
  report(a, ExecKind::kCancelled, Side::kBuy);
  EXPECT_EQ(risk_.available(), usdc("90"));
  report(b, ExecKind::kExpired, Side::kBuy);
  EXPECT_EQ(risk_.available(), usdc("100"));
  EXPECT_EQ(risk_.open_orders(), 0u);
}

TEST_F(RiskBook, CapitalComesBackSoApprovalsContinueBeyondCapitalOverNotional) {
  // 100 USDC, 20 per order: the sixth order is denied until one of the five ends.
  std::vector<ClientOrderId> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(place(Side::kBuy, "0.50", "40"));
  EXPECT_FALSE(place(Side::kBuy, "0.50", "40").valid());
  EXPECT_EQ(last_denial(), DenyReason::kInsufficientCapital);
  int approved = 5;
  for (int round = 0; round < 20; ++round) {
    report(ids[static_cast<std::size_t>(round % 5)], ExecKind::kCancelled, Side::kBuy);
    const ClientOrderId next = place(Side::kBuy, "0.50", "40");
    ASSERT_TRUE(next.valid()) << "round " << round;
    ids[static_cast<std::size_t>(round % 5)] = next;
    ++approved;
  }
  EXPECT_EQ(approved, 25);
  EXPECT_EQ(risk_.approved(), 25u);
  EXPECT_EQ(risk_.available(), Usdc{});
  EXPECT_GE(risk_.min_available().raw, 0);
}

TEST_F(RiskBook, PartialFillThenCancelKeepsTheFilledPartAsAPosition) {
  const ClientOrderId id = place(Side::kBuy, "0.50", "40");  // 20 reserved
  report(id, ExecKind::kAccepted, Side::kBuy);
  // 10 shares at 0.48 (price improvement): 4.80 spent, a quarter of the reservation (5) used.
  report(id, ExecKind::kPartiallyFilled, Side::kBuy, "10", "0.48");
  EXPECT_EQ(risk_.reserved(), usdc("15"));
  EXPECT_EQ(risk_.available(), usdc("80.2"));
  EXPECT_EQ(risk_.position(kUp).qty, qty("10"));
  EXPECT_EQ(risk_.position(kUp).cost, usdc("4.8"));
  report(id, ExecKind::kCancelled, Side::kBuy);
  EXPECT_EQ(risk_.reserved(), Usdc{});
  EXPECT_EQ(risk_.available(), usdc("95.2"));
  EXPECT_EQ(risk_.position(kUp).qty, qty("10"));
  EXPECT_EQ(risk_.counters().fills, 1u);
  EXPECT_EQ(risk_.counters().released_raw, static_cast<std::uint64_t>(usdc("15").raw));
}

TEST_F(RiskBook, FillThenSellReturnsProceedsAndRealizesThePnl) {
  const ClientOrderId buy = place(Side::kBuy, "0.40", "50");  // 20
  report(buy, ExecKind::kFilled, Side::kBuy, "50", "0.40");
  EXPECT_EQ(risk_.open_orders(), 0u);
  EXPECT_EQ(risk_.available(), usdc("80"));
  EXPECT_EQ(risk_.position(kUp).qty, qty("50"));
  EXPECT_EQ(risk_.position(kUp).cost, usdc("20"));
  // Sell 30 of them at 0.60: reserve 18 (risk reserves for every order), fill returns 18 in proceeds.
  const ClientOrderId sell = place(Side::kSell, "0.60", "30");
  ASSERT_TRUE(sell.valid());
  EXPECT_EQ(risk_.available(), usdc("62"));
  report(sell, ExecKind::kPartiallyFilled, Side::kSell, "20", "0.60");
  report(sell, ExecKind::kFilled, Side::kSell, "10", "0.60");
  EXPECT_EQ(risk_.open_orders(), 0u);
  EXPECT_EQ(risk_.position(kUp).qty, qty("20"));
  EXPECT_EQ(risk_.position(kUp).cost, usdc("8"));        // 20 shares at the 0.40 average
  EXPECT_EQ(risk_.realized_pnl(), usdc("6"));            // 30 * (0.60 - 0.40)
  EXPECT_EQ(risk_.available(), usdc("98"));              // 80 + 18 proceeds
  EXPECT_EQ(risk_.counters().sold_unheld, 0u);
}

TEST_F(RiskBook, AReversedFillGivesTheCostBackAndTheOrderReservesAgain) {
  const ClientOrderId id = place(Side::kBuy, "0.50", "40");
  report(id, ExecKind::kPartiallyFilled, Side::kBuy, "20", "0.50");
  EXPECT_EQ(risk_.reserved(), usdc("10"));
  report(id, ExecKind::kAccepted, Side::kBuy, "-20", "0.50");  // the trade failed on chain
  EXPECT_EQ(risk_.position(kUp).qty, Qty{});
  EXPECT_EQ(risk_.reserved(), usdc("20"));
  EXPECT_EQ(risk_.available(), usdc("80"));
  EXPECT_EQ(risk_.counters().fill_reversals, 1u);
}

TEST_F(RiskBook, AReportForAnUnknownIdIsCountedAndChangesNoReservation) {
  const ClientOrderId id = place(Side::kBuy, "0.50", "40");
  report(ClientOrderId{999}, ExecKind::kCancelled, Side::kBuy);
  report(ClientOrderId{}, ExecKind::kRejected, Side::kBuy);
  EXPECT_EQ(risk_.counters().unknown_reports, 2u);
  EXPECT_EQ(risk_.available(), usdc("80"));
  EXPECT_EQ(risk_.reserved(), usdc("20"));
  // A report for an order that already ended is late, not unknown; a fill in it still reaches the book (the
  // venue's word).
  report(id, ExecKind::kCancelled, Side::kBuy);
  report(id, ExecKind::kPartiallyFilled, Side::kBuy, "2", "0.50");
  EXPECT_EQ(risk_.counters().unknown_reports, 2u);
  EXPECT_EQ(risk_.counters().late_reports, 1u);
  EXPECT_EQ(risk_.position(kUp).qty, qty("2"));
  EXPECT_EQ(risk_.available(), usdc("99"));
}

TEST_F(RiskBook, AFullOrderTableDeniesUntilAnOrderEnds) {
  std::vector<ClientOrderId> ids;
  for (int i = 0; i < 8; ++i) ids.push_back(place(Side::kBuy, "0.10", "20"));  // 2 USDC each, 8 = max_open_orders
  for (const auto& id : ids) ASSERT_TRUE(id.valid());
  EXPECT_FALSE(place(Side::kBuy, "0.10", "20").valid());
  EXPECT_EQ(last_denial(), DenyReason::kExposureLimit);
  EXPECT_EQ(risk_.counters().table_full, 1u);
  EXPECT_EQ(risk_.available(), usdc("84"));
  report(ids[3], ExecKind::kRejected, Side::kBuy);
  EXPECT_TRUE(place(Side::kBuy, "0.10", "20").valid());
  // Every other id is still found after the deletions shuffled the table.
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i != 3) report(ids[i], ExecKind::kCancelled, Side::kBuy);
  }
  EXPECT_EQ(risk_.counters().unknown_reports, 0u);
  EXPECT_EQ(risk_.open_orders(), 1u);
}

TEST_F(RiskBook, AGapInTheOmsReportSequenceHaltsNewOrdersUntilResume) {
  const ClientOrderId id = place(Side::kBuy, "0.50", "10");
  report(id, ExecKind::kSubmitted, Side::kBuy);
  oms_seq_ += 2;  // two reports the full channel refused
  report(id, ExecKind::kAccepted, Side::kBuy);
  EXPECT_EQ(risk_.counters().lost_reports, 2u);
  EXPECT_EQ(risk_.state(), TradingState::kHalted);
  EXPECT_FALSE(place(Side::kBuy, "0.50", "10").valid());
  EXPECT_EQ(last_denial(), DenyReason::kChannelFull);
  Command c{};
  c.hdr.type = Command::kType;
  c.kind = CommandKind::kResume;
  feed(Envelope::of(c));
  EXPECT_TRUE(place(Side::kBuy, "0.50", "10").valid());
}

TEST_F(RiskBook, SettlementPaysTheWinnersAndClosesTheMarketsPositions) {
  const ClientOrderId up = place(Side::kBuy, "0.40", "25", kUp);      // 10
  const ClientOrderId down = place(Side::kBuy, "0.50", "10", kDown);  // 5
  report(up, ExecKind::kFilled, Side::kBuy, "25", "0.40", kUp);
  report(down, ExecKind::kFilled, Side::kBuy, "10", "0.50", kDown);
  EXPECT_EQ(risk_.available(), usdc("85"));
  ExecReport s{};
  s.hdr.type = ExecReport::kType;
  s.hdr.instrument = kUp;
  s.market = kMarket;
  s.kind = ExecKind::kSettled;
  s.outcome = Outcome::kUp;
  s.cum_qty = qty("25");
  s.payout = usdc("25");
  feed(Envelope::of(s));
  check_invariant();
  EXPECT_EQ(risk_.available(), usdc("110"));
  EXPECT_EQ(risk_.position(kUp).qty, Qty{});
  EXPECT_EQ(risk_.position(kDown).qty, Qty{});
  EXPECT_EQ(risk_.position_cost(), Usdc{});
  EXPECT_EQ(risk_.realized_pnl(), usdc("10"));
  EXPECT_EQ(risk_.counters().settlements, 1u);
}

TEST_F(RiskBook, AMarketBuySizedInUsdcReleasesWhatItDidNotSpend) {
  Intent it{};
  it.hdr.type = Intent::kType;
  it.hdr.instrument = kUp;
  it.market = kMarket;
  it.action = IntentAction::kPlace;
  it.side = Side::kBuy;
  it.order_type = OrderType::kFak;
  it.limit_price = px("0.70");
  it.notional = usdc("10");
  feed(Envelope::of(it));
  ASSERT_TRUE(sink_.out.back().is<OrderRequest>());
  const ClientOrderId id = sink_.out.back().as<OrderRequest>().client_id;
  report(id, ExecKind::kPartiallyFilled, Side::kBuy, "10", "0.60");  // 6 spent
  EXPECT_EQ(risk_.reserved(), usdc("4"));
  report(id, ExecKind::kCancelled, Side::kBuy);  // FAK remainder killed
  EXPECT_EQ(risk_.available(), usdc("94"));
  EXPECT_EQ(risk_.reserved(), Usdc{});
}

TEST(ReservationTable, FindsEveryIdThroughInsertsAndErasesInAnyOrder) {
  ReservationTable t(64);
  std::vector<std::uint64_t> live;
  std::uint64_t next = 0;
  std::uint64_t rng = 12345;
  for (int step = 0; step < 20000; ++step) {
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    const bool add = live.empty() || (!t.full() && (rng >> 33) % 3 != 0);
    if (add) {
      OrderReservation r{};
      r.client_id = ClientOrderId{++next};
      r.initial = Usdc::from_raw(static_cast<std::int64_t>(next));
      ASSERT_NE(t.insert(r), nullptr);
      live.push_back(next);
    } else {
      const std::size_t k = static_cast<std::size_t>((rng >> 17) % live.size());
      OrderReservation* r = t.find(ClientOrderId{live[k]});
      ASSERT_NE(r, nullptr) << live[k];
      t.erase(r);
      live[k] = live.back();
      live.pop_back();
    }
    ASSERT_EQ(t.size(), live.size());
    ASSERT_EQ(t.open().size(), live.size());
  }
  // The open list holds exactly the live ids, each pointing back at its slot.
  std::set<std::uint64_t> listed;
  for (std::size_t i = 0; i < t.open().size(); ++i) {
    const auto& o = t.open()[i];
    listed.insert(o.client_id.value);
    ASSERT_NE(t.find(o.client_id), nullptr);
    EXPECT_EQ(t.find(o.client_id)->dense, i);
  }
  EXPECT_EQ(listed, std::set<std::uint64_t>(live.begin(), live.end()));
  for (std::uint64_t id : live) {
    const OrderReservation* r = t.find(ClientOrderId{id});
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->initial.raw, static_cast<std::int64_t>(id));
  }
  EXPECT_EQ(t.find(ClientOrderId{next + 1}), nullptr);
  ASSERT_FALSE(live.empty());
  OrderReservation dup{};
  dup.client_id = ClientOrderId{live.front()};
  EXPECT_EQ(t.insert(dup), nullptr);  // already open
}

}  // namespace
}  // namespace polybot::oms::risk
