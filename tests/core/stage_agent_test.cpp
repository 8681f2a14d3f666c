// StageAgent outputs: a WhenFull::kWait output back-pressures (nothing lost, inputs wait), a WhenFull::kDrop output
// sheds what its full channel refuses (counted) and never holds the stage — the policy for a channel that closes a
// cycle between two stages (risk -> signal). Driven from the test thread (no Runner).
#include "core/stage_agent.hpp"

#include <gtest/gtest.h>

#include "core/messages.hpp"

namespace polybot {
namespace {

// Emits one copy of every input.
class Echo final : public StageLogic {
 public:
  [[nodiscard]] Stage stage() const noexcept override { return Stage::kRisk; }
  void on_input(const Envelope& in, const Clock&, Emitter& out) noexcept override {
    Envelope e = in;
    e.hdr.cause_seq = 0;
    (void)out.emit(e);
  }
};

Envelope exec_report(std::uint64_t n) {
  ExecReport r{};
  r.hdr.type = ExecReport::kType;
  r.client_id = ClientOrderId{n};
  return Envelope::of(r);
}

TEST(StageAgent, ADropOutputShedsWhatItsFullChannelRefusesWhileAWaitOutputGetsEverything) {
  EnvelopeChannel in(256), lossy(8), full_copy(256);
  Echo logic;
  ManualClock clock;
  StageAgent agent("echo", logic, clock, nullptr);
  agent.add_input(in);
  agent.add_output(lossy, TypeMask{MsgType::kExecReport}, WhenFull::kDrop);
  agent.add_output(full_copy, TypeMask{MsgType::kExecReport});
  auto tx = in.producer();
  for (std::uint64_t i = 1; i <= 100; ++i) ASSERT_TRUE(tx.try_push(exec_report(i)));
  while (agent.do_work() > 0) {
  }
  const StageCounters c = agent.counters();
  EXPECT_EQ(c.consumed, 100u);  // never held up by the full lossy channel
  EXPECT_EQ(c.produced, 100u);
  EXPECT_EQ(c.backpressure, 0u);
  EXPECT_EQ(c.dropped, 0u);
  EXPECT_GT(c.shed, 0u);
  EXPECT_EQ(lossy.pushed() + c.shed, 100u);
  // What the lossy channel took is the first messages, in order; the waiting output has all of them.
  auto rx_lossy = lossy.consumer();
  Envelope e;
  for (std::uint64_t i = 1; i <= lossy.pushed(); ++i) {
    ASSERT_TRUE(rx_lossy.try_pop(e));
    EXPECT_EQ(e.as<ExecReport>().client_id.value, i);
  }
  auto rx = full_copy.consumer();
  for (std::uint64_t i = 1; i <= 100; ++i) {
    ASSERT_TRUE(rx.try_pop(e));
    EXPECT_EQ(e.as<ExecReport>().client_id.value, i);
  }
}

TEST(StageAgent, AWaitOutputThatIsFullHoldsTheInputsUntilItDrains) {
  EnvelopeChannel in(256), narrow(8);
  Echo logic;
  ManualClock clock;
  StageAgent agent("echo", logic, clock, nullptr);
  agent.add_input(in);
  agent.add_output(narrow, TypeMask::all());
  auto tx = in.producer();
  for (std::uint64_t i = 1; i <= 100; ++i) ASSERT_TRUE(tx.try_push(exec_report(i)));
  while (agent.do_work() > 0) {
  }
  EXPECT_LT(agent.counters().consumed, 100u);
  EXPECT_GT(agent.counters().backpressure, 0u);
  auto rx = narrow.consumer();
  Envelope e;
  std::uint64_t next = 1;
  for (int round = 0; round < 1000 && next <= 100; ++round) {
    while (rx.try_pop(e)) {
      ASSERT_EQ(e.as<ExecReport>().client_id.value, next);
      ++next;
    }
    (void)agent.do_work();
  }
  EXPECT_EQ(next, 101u);
  EXPECT_EQ(agent.counters().shed, 0u);
  EXPECT_EQ(agent.counters().dropped, 0u);
}

}  // namespace
}  // namespace polybot
