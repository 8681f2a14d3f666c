// The fill model: taker orders wait the taker delay and take the book as it is then; maker orders fill only
// when the market trades through their price; post-only never crosses; everything expires at the window end.
#include "sim/backtest/fill_engine.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace polybot::sim::backtest {
namespace {

constexpr std::int64_t kMs = 1'000'000;
constexpr MarketId kMarket{1};

struct TestBook final : BookView {
  ModelQuote q;
  const ModelQuote* quote(MarketId m) const noexcept override { return m == kMarket && q.valid ? &q : nullptr; }
  // Up asks at `ask` (and bids one cent below), `depth` shares on each of two levels.
  void set(const char* ask, const char* depth = "100") {
    const Price a = *Price::parse(ask);
    const Qty d = *Qty::parse(depth);
    q = ModelQuote{};
    q.valid = true;
    q.tick = Price::from_raw(10'000);
    q.up_asks.count = 2;
    q.up_asks.price[0] = a;
    q.up_asks.price[1] = a + q.tick;
    q.up_asks.size[0] = q.up_asks.size[1] = d;
    q.up_bids.count = 1;
    q.up_bids.price[0] = a - q.tick;
    q.up_bids.size[0] = d;
  }
};

struct Events final : ExecSink {
  struct E {
    ExecReport r;
    Liquidity liq;
  };
  std::vector<E> all;
  void on_exec(const ExecReport& r, Liquidity liq, Outcome) noexcept override { all.push_back({r, liq}); }
  std::vector<E> fills() const {
    std::vector<E> f;
    for (const auto& e : all) {
      if (e.r.kind == ExecKind::kFilled || e.r.kind == ExecKind::kPartiallyFilled) f.push_back(e);
    }
    return f;
  }
  bool has(ExecKind k) const {
    for (const auto& e : all) {
      if (e.r.kind == k) return true;
    }
    return false;
  }
};

OrderTicket ticket(OrderType type, Side side, const char* limit, const char* size, bool post_only = false) {
  OrderTicket t;
  t.request.client_id = ClientOrderId{7};
  t.request.market = kMarket;
  t.request.side = side;
  t.request.price = *Price::parse(limit);
  t.request.size = *Qty::parse(size);
  t.request.order_type = type;
  t.request.post_only = post_only ? 1 : 0;
  t.outcome = Outcome::kUp;
  t.window_end_ns = 300'000 * kMs;
  t.fee = FeeSchedule{true, true, 70'000, 1, true};
  return t;
}

FillParams params() {
  FillParams p;
  p.submit_latency_ns = 0;
  p.taker_delay_ns = 250 * kMs;
  return p;
}

TEST(FillEngine, TakerFillsAgainstTheBookAsItIsAfterTheTakerDelay) {
  TestBook book;
  book.set("0.55");
  FillEngine fe(params(), book);
  Events ev;
  fe.submit(ticket(OrderType::kFok, Side::kBuy, "0.60", "10"), 0);
  fe.advance(100 * kMs, true, ev);
  EXPECT_TRUE(ev.fills().empty()) << "no fill before the delay has passed";
  book.set("0.58");  // the book moves while our order sits in the speed bump
  fe.advance(249 * kMs, true, ev);
  EXPECT_TRUE(ev.fills().empty());
  fe.advance(250 * kMs, true, ev);
  const auto f = ev.fills();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].r.last_price, *Price::parse("0.58"));  // not the 0.55 seen when the order was sent
  EXPECT_EQ(f[0].r.last_qty, *Qty::parse("10"));
  EXPECT_EQ(f[0].r.hdr.ts_exch, 250 * kMs);
  EXPECT_EQ(f[0].liq, Liquidity::kTaker);
  EXPECT_EQ(f[0].r.fee, trade_fee(FeeSchedule{true, true, 70'000, 1, true}, Liquidity::kTaker, *Price::parse("0.58"),
                                  *Qty::parse("10")));
  EXPECT_EQ(fe.open_orders(), 0u);
}

TEST(FillEngine, DelayedFokIsKilledWhenTheBookMovesBeyondItsLimit) {
  TestBook book;
  book.set("0.55");
  FillEngine fe(params(), book);
  Events ev;
  fe.submit(ticket(OrderType::kFok, Side::kBuy, "0.56", "10"), 0);
  fe.advance(0, true, ev);
  book.set("0.57");
  fe.advance(250 * kMs, true, ev);
  EXPECT_TRUE(ev.fills().empty());
  EXPECT_TRUE(ev.has(ExecKind::kCancelled));
}

TEST(FillEngine, FokNeedsTheWholeSizeAndFakTakesWhatIsThere) {
  TestBook book;
  book.set("0.55", "100");  // 100 at 0.55, 100 at 0.56
  {
    FillEngine fe(params(), book);
    Events ev;
    fe.submit(ticket(OrderType::kFok, Side::kBuy, "0.56", "250"), 0);
    fe.advance(250 * kMs, true, ev);
    EXPECT_TRUE(ev.fills().empty());
    EXPECT_TRUE(ev.has(ExecKind::kCancelled));
  }
  {
    FillEngine fe(params(), book);
    Events ev;
    fe.submit(ticket(OrderType::kFak, Side::kBuy, "0.56", "250"), 0);
    fe.advance(250 * kMs, true, ev);
    const auto f = ev.fills();
    ASSERT_EQ(f.size(), 2u);
    EXPECT_EQ(f[0].r.last_price, *Price::parse("0.55"));
    EXPECT_EQ(f[1].r.last_price, *Price::parse("0.56"));
    EXPECT_EQ(f[1].r.cum_qty, *Qty::parse("200"));
    EXPECT_TRUE(ev.has(ExecKind::kCancelled));
  }
}

TEST(FillEngine, MakerOrderFillsOnlyWhenTheMarketTradesThroughItsPrice) {
  TestBook book;
  book.set("0.55");
  FillEngine fe(params(), book);
  Events ev;
  fe.submit(ticket(OrderType::kGtc, Side::kBuy, "0.50", "10"), 0);
  fe.advance(0, true, ev);
  ASSERT_TRUE(ev.has(ExecKind::kAccepted));
  EXPECT_EQ(fe.open_orders(), 1u);
  book.set("0.50");  // the ask touches our bid: queue position unknown, no fill
  fe.on_book(kMarket, 1'000 * kMs, ev);
  EXPECT_TRUE(ev.fills().empty());
  book.set("0.49");  // through our price
  fe.on_book(kMarket, 2'000 * kMs, ev);
  const auto f = ev.fills();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].r.last_price, *Price::parse("0.50"));  // at our price, not the better quote
  EXPECT_EQ(f[0].liq, Liquidity::kMaker);
  EXPECT_EQ(f[0].r.fee, Usdc{});  // makers pay no fee on a taker-only schedule
}

TEST(FillEngine, RecordedTradePrintFillsARestingOrderOnlyWhenStrictlyThrough) {
  TestBook book;
  book.set("0.55");
  FillEngine fe(params(), book);
  Events ev;
  fe.submit(ticket(OrderType::kGtc, Side::kBuy, "0.50", "10"), 0);
  fe.advance(0, true, ev);
  fe.on_trade(kMarket, Outcome::kUp, *Price::parse("0.50"), 1 * kMs, ev);
  EXPECT_TRUE(ev.fills().empty());
  fe.on_trade(kMarket, Outcome::kDown, *Price::parse("0.10"), 2 * kMs, ev);
  EXPECT_TRUE(ev.fills().empty()) << "a print on the other token is not our market";
  fe.on_trade(kMarket, Outcome::kUp, *Price::parse("0.49"), 3 * kMs, ev);
  EXPECT_EQ(ev.fills().size(), 1u);
}

TEST(FillEngine, PostOnlyOrderThatWouldCrossIsRejected) {
  TestBook book;
  book.set("0.55");
  FillEngine fe(params(), book);
  Events ev;
  fe.submit(ticket(OrderType::kGtc, Side::kBuy, "0.55", "10", true), 0);
  fe.advance(1 * kMs, true, ev);
  EXPECT_TRUE(ev.has(ExecKind::kRejected));
  EXPECT_TRUE(ev.fills().empty());
}

TEST(FillEngine, MarketableGtcTakesAfterTheDelayAndRestsTheRemainder) {
  TestBook book;
  book.set("0.55", "5");  // 5 at 0.55, 5 at 0.56
  FillEngine fe(params(), book);
  Events ev;
  fe.submit(ticket(OrderType::kGtc, Side::kBuy, "0.55", "8"), 0);
  fe.advance(250 * kMs, true, ev);
  auto f = ev.fills();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].r.last_qty, *Qty::parse("5"));
  EXPECT_EQ(f[0].liq, Liquidity::kTaker);
  EXPECT_EQ(fe.open_orders(), 1u);  // 3 rest at 0.55 as a maker
  book.set("0.54", "5");
  fe.on_book(kMarket, 300 * kMs, ev);
  f = ev.fills();
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[1].r.last_qty, *Qty::parse("3"));
  EXPECT_EQ(f[1].liq, Liquidity::kMaker);
}

TEST(FillEngine, RestingOrdersExpireAtTheWindowEndAndLateArrivalsAreRejected) {
  TestBook book;
  book.set("0.55");
  FillEngine fe(params(), book);
  Events ev;
  fe.submit(ticket(OrderType::kGtc, Side::kBuy, "0.50", "10"), 0);
  fe.advance(0, true, ev);
  fe.close_market(kMarket, 300'000 * kMs, ev);
  EXPECT_TRUE(ev.has(ExecKind::kExpired));
  EXPECT_EQ(fe.open_orders(), 0u);
  Events late;
  auto t = ticket(OrderType::kFok, Side::kBuy, "0.60", "10");
  t.request.client_id = ClientOrderId{8};
  fe.submit(t, 300'000 * kMs);
  fe.advance(301'000 * kMs, true, late);
  EXPECT_TRUE(late.has(ExecKind::kRejected));
  EXPECT_TRUE(late.fills().empty());
}

TEST(FillEngine, CancelRemovesARestingOrderButNotADelayedTaker) {
  TestBook book;
  book.set("0.55");
  FillEngine fe(params(), book);
  Events ev;
  fe.submit(ticket(OrderType::kFok, Side::kBuy, "0.60", "10"), 0);
  fe.advance(0, true, ev);
  fe.cancel(ClientOrderId{7}, 10 * kMs);  // the speed bump is non-cancellable
  fe.advance(250 * kMs, true, ev);
  EXPECT_EQ(ev.fills().size(), 1u);
  Events ev2;
  auto t = ticket(OrderType::kGtc, Side::kBuy, "0.50", "10");
  t.request.client_id = ClientOrderId{9};
  fe.submit(t, 300 * kMs);
  fe.advance(300 * kMs, true, ev2);
  fe.cancel(ClientOrderId{9}, 400 * kMs);
  fe.advance(400 * kMs, true, ev2);
  EXPECT_TRUE(ev2.has(ExecKind::kCancelled));
  EXPECT_EQ(fe.open_orders(), 0u);
}

}  // namespace
}  // namespace polybot::sim::backtest
