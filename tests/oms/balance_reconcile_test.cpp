// Balance reconciliation end to end (docs/OMS.md "Balance reconciliation"): the real OmsAgent on its Runner thread
// against the loopback venue simulator over TLS. The venue's balances are moved behind the engine's back with the
// simulator's fault hooks; assertions are on the ExecReports leaving the oms (refusals, kReconciled findings), on
// the venue, and - once the agent stopped - on the oms's counters. Every run is replayed from its journal by the
// harness and must be identical.
#include <gtest/gtest.h>

#include <string>

#include "oms/oms_logic.hpp"
#include "tests/oms/agent_harness.hpp"

namespace polybot::oms::test {
namespace {

using ::polybot::Side;

constexpr std::int64_t kP50 = 500'000;
constexpr std::int64_t kQ10 = 10'000'000;
constexpr int kWait = 5'000;

std::uint16_t code(OmsReason r) { return static_cast<std::uint16_t>(r); }

AgentHarnessOptions with_check(BalanceCheck mode) {
  AgentHarnessOptions o;
  o.reconcile.balance_check = mode;
  return o;
}

Command reconcile_command() {
  Command c{};
  c.hdr.type = Command::kType;
  c.kind = CommandKind::kReconcile;
  return c;
}

// Asks for a reconciliation and waits for its summary; returns it (null on timeout).
const ExecReport* reconcile_now(AgentHarness& h) {
  const std::size_t before = h.summaries();
  h.send_command(reconcile_command());
  if (!h.wait_for([&] { return h.summaries() > before; }, kWait)) return nullptr;
  for (auto it = h.reports().rbegin(); it != h.reports().rend(); ++it)
    if (it->kind == ExecKind::kReconciled && it->venue_reason < 100) return &*it;
  return nullptr;
}

bool wait_confirmed(AgentHarness& h, std::uint64_t id) {
  return h.wait_for(
      [&] {
        for (const auto& r : h.reports())
          if (r.client_id == ClientOrderId{id} && r.trade_status == TradeStatus::kConfirmed) return true;
        return false;
      },
      kWait);
}

// Our resting BUY, filled by another participant's SELL; waits until the trade is CONFIRMED.
void buy_and_fill(LoopbackVenue& v, AgentHarness& h, std::uint64_t id, std::int64_t price, std::int64_t qty) {
  h.send(AgentHarness::order(id, Side::kBuy, price, qty));
  ASSERT_TRUE(h.wait_for([&] { return h.has(id, ExecKind::kAccepted); }, kWait));
  ASSERT_EQ(v.venue().take(kLbToken, Side::kSell, Price::from_raw(price), Qty::from_raw(qty), h.clock().now_ns()),
            Qty::from_raw(qty));
  ASSERT_TRUE(wait_confirmed(h, id));
}

TEST(BalanceReconcile, CleanStartAdoptsTheVenueBalanceAsTheBaselineAndTrades) {
  LoopbackVenueOptions vo;
  vo.collateral = 500'000'000;
  LoopbackVenue v(vo);
  AgentHarness h(v);
  ASSERT_TRUE(h.ok()) << h.error();
  ASSERT_TRUE(h.ready());
  h.send(AgentHarness::order(1, Side::kBuy, kP50, kQ10));
  ASSERT_TRUE(h.wait_for([&] { return h.has(1, ExecKind::kAccepted); }, kWait));
  EXPECT_EQ(h.finding(code(OmsReason::kBalanceMismatch)), nullptr);
  EXPECT_GE(v.venue().stats().balance_reads, 1u);
  h.stop();
  const OmsLogic& l = h.oms().logic();
  EXPECT_TRUE(l.balances().has_baseline());
  EXPECT_EQ(l.balances().collateral().low, 500'000'000);
  EXPECT_EQ(l.counters().balance_baselines, 1u);
  EXPECT_GE(l.counters().balance_reads, 1u);
  EXPECT_EQ(l.counters().balance_mismatches, 0u);
}

TEST(BalanceReconcile, FillsSinceTheBaselineAreExpectedAndTheCheckStaysClean) {
  LoopbackVenue v;
  AgentHarness h(v, with_check(BalanceCheck::kCollateralAndConditional));
  ASSERT_TRUE(h.ok()) << h.error();
  ASSERT_TRUE(h.ready());
  buy_and_fill(v, h, 1, kP50, kQ10);  // -5 pUSD, +10 shares (maker: no fee)
  // Our SELL 5 as taker against a resting bid at 0.55: +2.75 pUSD, -5 shares.
  v.venue().add_liquidity(kLbToken, Side::kBuy, Price::from_raw(550'000), Qty::from_raw(5'000'000));
  h.send(AgentHarness::order(2, Side::kSell, 550'000, 5'000'000));
  ASSERT_TRUE(h.wait_for([&] { return h.has(2, ExecKind::kFilled); }, kWait));
  ASSERT_TRUE(wait_confirmed(h, 2));
  EXPECT_EQ(v.venue().collateral(), 1'000'000'000 - 5'000'000 + 2'750'000);
  EXPECT_EQ(v.venue().shares(kLbToken), 5'000'000);
  const ExecReport* s = reconcile_now(h);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->venue_reason, 0u);  // nothing unexplained
  EXPECT_EQ(h.finding(code(OmsReason::kBalanceMismatch)), nullptr);
  EXPECT_EQ(h.finding(code(OmsReason::kBalanceExtra)), nullptr);
  h.send(AgentHarness::order(3, Side::kBuy, 400'000, kQ10));
  ASSERT_TRUE(h.wait_for([&] { return h.has(3, ExecKind::kAccepted); }, kWait));
  h.stop();
  const OmsLogic& l = h.oms().logic();
  EXPECT_EQ(l.counters().balance_mismatches, 0u);
  // Re-anchored on what the venue showed: the baseline moved with our fills.
  EXPECT_EQ(l.balances().collateral().low, v.venue().collateral());
  ASSERT_EQ(l.balances().token_count(), 1u);
  EXPECT_EQ(l.balances().token_text(0), kLbToken);
  EXPECT_EQ(l.balances().shares(0).low, 5'000'000);
}

TEST(BalanceReconcile, ATakerFillAcrossTwoMakersCountsEveryLegAndTheBalanceMatches) {
  LoopbackVenue v;
  AgentHarness h(v, with_check(BalanceCheck::kCollateralAndConditional));
  ASSERT_TRUE(h.ok()) << h.error();
  ASSERT_TRUE(h.ready());
  v.venue().add_liquidity(kLbToken, Side::kSell, Price::from_raw(480'000), Qty::from_raw(5'000'000));
  v.venue().add_liquidity(kLbToken, Side::kSell, Price::from_raw(490'000), Qty::from_raw(5'000'000));
  // One trade, two maker legs: two fills at their own prices (the fill ledger keys them apart).
  h.send(AgentHarness::order(1, Side::kBuy, kP50, kQ10));
  ASSERT_TRUE(h.wait_for([&] { return h.has(1, ExecKind::kFilled); }, kWait));
  EXPECT_EQ(h.filled(1), Qty::from_raw(kQ10));
  ASSERT_TRUE(wait_confirmed(h, 1));
  EXPECT_EQ(v.venue().collateral(), 1'000'000'000 - 2'400'000 - 2'450'000);
  const ExecReport* s = reconcile_now(h);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->venue_reason, 0u);
  EXPECT_EQ(h.finding(code(OmsReason::kBalanceExtra)), nullptr);  // no fill filled in at the limit price
  EXPECT_EQ(h.finding(code(OmsReason::kBalanceMismatch)), nullptr);
  h.stop();
  const OmsLogic& l = h.oms().logic();
  EXPECT_EQ(l.counters().fills, 2u);
  EXPECT_EQ(l.balances().collateral().low, v.venue().collateral());
  EXPECT_EQ(l.balances().shares(0).low, kQ10);
}

TEST(BalanceReconcile, MoneyDrainedBehindOurBackFailsClosedUntilExplained) {
  LoopbackVenue v;
  AgentHarnessOptions o;
  o.reconcile_retry_ms = 300;
  AgentHarness h(v, o);
  ASSERT_TRUE(h.ok()) << h.error();
  ASSERT_TRUE(h.ready());
  buy_and_fill(v, h, 1, kP50, kQ10);
  v.venue().adjust_collateral(-100'000'000);  // $100 gone, not by our fills
  const ExecReport* s = reconcile_now(h);
  ASSERT_NE(s, nullptr);
  EXPECT_GE(s->venue_reason, 1u);
  const ExecReport* f = h.finding(code(OmsReason::kBalanceMismatch));
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->hdr.instrument, InstrumentId{});  // pUSD
  EXPECT_EQ(f->cum_qty.raw, 1'000'000'000 - 5'000'000 - 100'000'000);  // what the venue shows
  EXPECT_EQ(f->leaves_qty.raw, 1'000'000'000 - 5'000'000);              // what our fills explain
  EXPECT_EQ(f->last_qty.raw, -100'000'000);
  // Fail closed: new orders refused.
  h.send(AgentHarness::order(2, Side::kBuy, 400'000, kQ10));
  ASSERT_TRUE(h.wait_for([&] { return h.has(2, ExecKind::kRejected); }, kWait));
  EXPECT_EQ(h.last(2, ExecKind::kRejected)->venue_reason, code(OmsReason::kFailClosed));
  h.send(AgentHarness::order(3, Side::kSell, 600'000, 5'000'000));
  ASSERT_TRUE(h.wait_for([&] { return h.has(3, ExecKind::kRejected); }, kWait));
  EXPECT_EQ(h.last(3, ExecKind::kRejected)->venue_reason, code(OmsReason::kFailClosed));
  EXPECT_EQ(v.venue().order_count(), 1u);  // only order 1 ever reached the venue
  // Retried on its own: the money comes back, the next pass is clean and trading resumes.
  v.venue().adjust_collateral(100'000'000);
  const std::size_t before = h.summaries();
  ASSERT_TRUE(h.wait_for(
      [&] {
        for (auto it = h.reports().rbegin(); it != h.reports().rend(); ++it)
          if (it->kind == ExecKind::kReconciled && it->venue_reason < 100) return it->venue_reason == 0;
        return false;
      },
      kWait));
  EXPECT_GT(h.summaries(), before);
  h.send(AgentHarness::order(4, Side::kBuy, 400'000, kQ10));
  ASSERT_TRUE(h.wait_for([&] { return h.has(4, ExecKind::kAccepted); }, kWait));
  h.stop();
  EXPECT_GE(h.oms().logic().counters().balance_mismatches, 1u);
  // The finding is in the journal the oms wrote.
  bool journaled = false;
  for (const OmsRecord& r : h.journal()) {
    journaled = journaled || (r.kind == OmsRecord::Kind::kProduced && r.msg.is<ExecReport>() &&
                              r.msg.as<ExecReport>().venue_reason == code(OmsReason::kBalanceMismatch));
  }
  EXPECT_TRUE(journaled);
}

TEST(BalanceReconcile, ReplayFeedsTheJournaledBalanceAnswersAndNamesAnAlteredOne) {
  LoopbackVenue v;
  AgentHarness h(v);
  ASSERT_TRUE(h.ok()) << h.error();
  ASSERT_TRUE(h.ready());
  v.venue().adjust_collateral(-100'000'000);
  ASSERT_NE(reconcile_now(h), nullptr);
  ASSERT_NE(h.finding(code(OmsReason::kBalanceMismatch)), nullptr);
  h.stop();
  const OmsReplayReport same = h.replay();
  ASSERT_TRUE(same.ok()) << (same.divergence ? same.divergence->what : same.error);
  // The drained answer replaced by the full balance: the replay no longer finds the mismatch and says where.
  std::vector<OmsRecord> records = h.journal();
  std::uint64_t altered = 0;
  for (OmsRecord& r : records) {
    if (r.kind != OmsRecord::Kind::kInput || r.input != OmsInputKind::kQueryAnswer) continue;
    KindErrorHead head{};
    std::memcpy(&head, r.head.data(), sizeof head);
    const std::string drained = "\"balance\":\"900000000\"";
    if (head.kind != RequestKind::kBalance || r.body.find(drained) == std::string::npos) continue;
    r.body.replace(r.body.find(drained), drained.size(), "\"balance\":\"1000000000\"");
    altered = r.seq;
  }
  ASSERT_NE(altered, 0u);
  const OmsReplayReport bad = replay_oms(h.config(), records, compare_ignoring_latency);
  ASSERT_TRUE(bad.divergence.has_value());
  EXPECT_NE(bad.divergence->what.find("query answer at record seq " + std::to_string(altered)), std::string::npos)
      << bad.divergence->what;
}

TEST(BalanceReconcile, ADepositIsCountedAndAdoptedAndTradingGoesOn) {
  LoopbackVenue v;
  AgentHarness h(v);
  ASSERT_TRUE(h.ok()) << h.error();
  ASSERT_TRUE(h.ready());
  v.venue().adjust_collateral(250'000'000);
  const ExecReport* s = reconcile_now(h);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->venue_reason, 0u);
  const ExecReport* f = h.finding(code(OmsReason::kBalanceExtra));
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->last_qty.raw, 250'000'000);
  h.send(AgentHarness::order(1, Side::kBuy, kP50, kQ10));
  ASSERT_TRUE(h.wait_for([&] { return h.has(1, ExecKind::kAccepted); }, kWait));
  // Adopted: the next check expects the new amount and finds nothing more.
  ASSERT_NE(reconcile_now(h), nullptr);
  h.stop();
  const OmsLogic& l = h.oms().logic();
  EXPECT_EQ(l.counters().balance_extras, 1u);
  EXPECT_EQ(l.counters().balance_mismatches, 0u);
  EXPECT_EQ(l.balances().collateral().low, 1'250'000'000);
}

TEST(BalanceReconcile, SharesMissingFailClosedWhenConditionalBalancesAreChecked) {
  LoopbackVenue v;
  AgentHarness h(v, with_check(BalanceCheck::kCollateralAndConditional));
  ASSERT_TRUE(h.ok()) << h.error();
  ASSERT_TRUE(h.ready());
  buy_and_fill(v, h, 1, kP50, kQ10);
  ASSERT_NE(reconcile_now(h), nullptr);  // clean: 10 shares expected and held
  EXPECT_EQ(h.finding(code(OmsReason::kBalanceMismatch)), nullptr);
  v.venue().adjust_shares(kLbToken, -4'000'000);  // shares moved out behind our back
  ASSERT_NE(reconcile_now(h), nullptr);
  const ExecReport* f = h.finding(code(OmsReason::kBalanceMismatch));
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->hdr.instrument, kAgToken);
  EXPECT_EQ(f->cum_qty.raw, 6'000'000);
  EXPECT_EQ(f->leaves_qty.raw, 10'000'000);
  h.send(AgentHarness::order(2, Side::kSell, 600'000, 5'000'000));
  ASSERT_TRUE(h.wait_for([&] { return h.has(2, ExecKind::kRejected); }, kWait));
  EXPECT_EQ(h.last(2, ExecKind::kRejected)->venue_reason, code(OmsReason::kFailClosed));
  h.stop();
  EXPECT_GE(h.oms().logic().counters().balance_mismatches, 1u);
}

TEST(BalanceReconcile, AMalformedBalanceAnswerIsCountedAndLeavesTheReconciliationUnclean) {
  LoopbackVenue v;
  sim::venue::VenueFault bad;
  bad.path = "/balance-allowance";
  bad.status = 200;
  bad.body = R"({"balance":"12.5","allowances":{}})";
  v.venue().inject(bad);  // the start-up reconciliation's read
  AgentHarnessOptions o;
  o.reconcile_retry_ms = 800;
  AgentHarness h(v, o);
  ASSERT_TRUE(h.ok()) << h.error();
  // At start the agent holds inputs until the oms is ready: this order waits for a clean reconciliation.
  h.send(AgentHarness::order(1, Side::kBuy, kP50, kQ10));
  ASSERT_TRUE(h.wait_for([&] { return h.has(1, ExecKind::kAccepted); }, kWait));
  ASSERT_GE(h.reports().size(), 4u);
  EXPECT_EQ(h.reports()[0].venue_reason, code(OmsReason::kBalanceMalformed));  // the finding
  EXPECT_EQ(h.reports()[1].kind, ExecKind::kReconciled);
  EXPECT_GE(h.reports()[1].venue_reason, 1u);                                    // unclean
  EXPECT_EQ(h.reports()[2].kind, ExecKind::kReconciled);
  EXPECT_EQ(h.reports()[2].venue_reason, 0u);                                    // the retry: clean
  EXPECT_EQ(h.reports()[3].client_id, ClientOrderId{1});                         // only then sent
  EXPECT_EQ(h.reports()[3].kind, ExecKind::kSubmitted);

  // Later: an answer without a balance. Fail safe: refused until a readable answer.
  bad.body = R"({"error":"internal"})";
  v.venue().inject(bad);
  const ExecReport* s = reconcile_now(h);
  ASSERT_NE(s, nullptr);
  EXPECT_GE(s->venue_reason, 1u);
  h.send(AgentHarness::order(2, Side::kBuy, 490'000, kQ10));
  ASSERT_TRUE(h.wait_for([&] { return h.has(2, ExecKind::kRejected); }, kWait));
  EXPECT_EQ(h.last(2, ExecKind::kRejected)->venue_reason, code(OmsReason::kReconciling));
  ASSERT_TRUE(h.wait_for([&] { return h.reports().back().kind == ExecKind::kReconciled &&
                                      h.reports().back().venue_reason == 0; }, kWait));
  h.send(AgentHarness::order(3, Side::kBuy, 490'000, kQ10));
  ASSERT_TRUE(h.wait_for([&] { return h.has(3, ExecKind::kAccepted); }, kWait));
  h.stop();
  const OmsLogic& l = h.oms().logic();
  EXPECT_EQ(l.counters().balance_malformed, 2u);
  EXPECT_EQ(l.last_balance_error(), "balance = \"\": missing");
}

TEST(BalanceReconcile, CollateralBelowOurOpenBuysRefusesNewBuysButNotSells) {
  LoopbackVenue v;
  AgentHarness h(v);
  ASSERT_TRUE(h.ok()) << h.error();
  ASSERT_TRUE(h.ready());
  h.send(AgentHarness::order(1, Side::kBuy, kP50, 100'000'000));  // $50 resting
  ASSERT_TRUE(h.wait_for([&] { return h.has(1, ExecKind::kAccepted); }, kWait));
  v.venue().adjust_collateral(-980'000'000);  // $20 left
  ASSERT_NE(reconcile_now(h), nullptr);
  ASSERT_NE(h.finding(code(OmsReason::kBalanceMismatch)), nullptr);
  // The operator looked and accepts the venue's word: resume re-adopts the balance as the baseline.
  Command resume{};
  resume.hdr.type = Command::kType;
  resume.kind = CommandKind::kResume;
  const std::size_t before = h.summaries();
  h.send_command(resume);
  ASSERT_TRUE(h.wait_for([&] { return h.summaries() > before; }, kWait));
  const ExecReport* f = h.finding(code(OmsReason::kCollateralShort));
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->cum_qty.raw, 20'000'000);
  EXPECT_EQ(f->leaves_qty.raw, 50'000'000);
  h.send(AgentHarness::order(2, Side::kBuy, 400'000, kQ10));
  ASSERT_TRUE(h.wait_for([&] { return h.has(2, ExecKind::kRejected); }, kWait));
  EXPECT_EQ(h.last(2, ExecKind::kRejected)->venue_reason, code(OmsReason::kCollateralShort));
  h.send(AgentHarness::order(3, Side::kSell, 600'000, 5'000'000));
  ASSERT_TRUE(h.wait_for([&] { return h.has(3, ExecKind::kAccepted); }, kWait));
  h.stop();
  EXPECT_GE(h.oms().logic().counters().collateral_short, 1u);
  EXPECT_TRUE(h.oms().logic().buys_blocked());
}

TEST(BalanceReconcile, APeriodicBalanceCheckCatchesADrainBetweenReconciliations) {
  LoopbackVenue v;
  AgentHarnessOptions o;
  o.reconcile.balance_interval_ms = 150;
  AgentHarness h(v, o);
  ASSERT_TRUE(h.ok()) << h.error();
  ASSERT_TRUE(h.ready());
  // Balance-only passes: the balances are read again, open orders and trades are not.
  const std::uint64_t pages = v.venue().stats().pages_served;
  const std::uint64_t reads = v.venue().stats().balance_reads;
  ASSERT_TRUE(h.wait_for([&] { return h.summaries() >= 3; }, kWait));
  EXPECT_GE(v.venue().stats().balance_reads, reads + 2);
  EXPECT_EQ(v.venue().stats().pages_served, pages);
  v.venue().adjust_collateral(-1'000'000);  // $1 gone: no Unknown, no command, nobody asked
  ASSERT_TRUE(h.wait_for([&] { return h.finding(code(OmsReason::kBalanceMismatch)) != nullptr; }, kWait));
  h.send(AgentHarness::order(1, Side::kBuy, kP50, kQ10));
  ASSERT_TRUE(h.wait_for([&] { return h.has(1, ExecKind::kRejected); }, kWait));
  EXPECT_EQ(h.last(1, ExecKind::kRejected)->venue_reason, code(OmsReason::kFailClosed));
}

TEST(BalanceReconcile, OffMeansNoBalanceReads) {
  LoopbackVenue v;
  AgentHarness h(v, with_check(BalanceCheck::kOff));
  ASSERT_TRUE(h.ok()) << h.error();
  ASSERT_TRUE(h.ready());
  v.venue().adjust_collateral(-100'000'000);
  ASSERT_NE(reconcile_now(h), nullptr);
  EXPECT_EQ(h.finding(code(OmsReason::kBalanceMismatch)), nullptr);
  EXPECT_EQ(v.venue().stats().balance_reads, 0u);
}

}  // namespace
}  // namespace polybot::oms::test
