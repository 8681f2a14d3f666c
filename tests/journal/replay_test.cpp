#include "journal/replay.hpp"

#include <gtest/gtest.h>

#include <atomic>

#include "core/channel.hpp"
#include "core/clock.hpp"
#include "core/stage_agent.hpp"
#include "journal/journal_recorder.hpp"
#include "tests/journal/temp_dir.hpp"

namespace polybot::journal {
namespace {

// A small deterministic stage: turns every 3rd kline into an intent whose price and inputs derive from the
// kline and the (frozen) clock.
class EveryThirdKline final : public StageLogic {
 public:
  [[nodiscard]] Stage stage() const noexcept override { return Stage::kSignal; }
  void on_input(const Envelope& in, const Clock& clock, Emitter& out) noexcept override {
    if (!in.is<Kline>() || ++count_ % 3 != 0) return;
    Intent it;
    it.hdr.type = MsgType::kIntent;
    it.hdr.instrument = in.hdr.instrument;
    it.action = IntentAction::kPlace;
    it.limit_price = Price::from_raw(in.kline.close.raw % 1'000'000);
    it.inputs[0] = in.kline.close.to_double();
    it.inputs[1] = static_cast<double>(clock.now_ns() % 1000);
    Envelope e = Envelope::of(it);
    out.emit(e);
  }

 private:
  std::uint64_t count_ = 0;
};

// The same, but it reads state that replay cannot reproduce (a process-wide counter that keeps counting across
// instances, as a stage that consulted a wall clock or a random source would).
std::atomic<std::uint64_t> g_calls{0};
class Nondeterministic final : public StageLogic {
 public:
  [[nodiscard]] Stage stage() const noexcept override { return Stage::kSignal; }
  void on_input(const Envelope& in, const Clock& clock, Emitter& out) noexcept override {
    inner_.on_input(in, clock, captured_);
    for (auto& e : captured_.msgs) {
      e.intent.size = Qty::from_raw(static_cast<std::int64_t>(g_calls.fetch_add(1)));
      out.emit(e);
    }
    captured_.msgs.clear();
  }

 private:
  struct Capture final : Emitter {
    bool emit(Envelope& m) noexcept override {
      msgs.push_back(m);
      return true;
    }
    std::vector<Envelope> msgs;
  };
  EveryThirdKline inner_;
  Capture captured_;
};

// Runs `logic` live under a real StageAgent with a JournalRecorder, over `n` klines.
void run_live(const std::string& dir, StageLogic& logic, int n) {
  auto rec = JournalRecorder::open(RecorderOptions{dir, 1 << 20, {}, 200});
  ASSERT_TRUE(rec) << rec.error().message();
  EnvelopeChannel in(4096), out(4096);
  LiveClock clock(0);
  StageAgent agent("signal", logic, clock, rec->get());
  agent.add_input(in);
  agent.add_output(out, TypeMask::all());
  auto producer = in.producer();
  for (int i = 1; i <= n; ++i) {
    Kline k;
    k.hdr.type = MsgType::kKline;
    k.hdr.producer = Stage::kFeed;
    k.hdr.seq = static_cast<std::uint64_t>(i);
    k.hdr.instrument = InstrumentId{1};
    k.hdr.ts_recv = 1'700'000'000'000'000'000 + i;
    k.hdr.ts_exch = 1'600'000'000'000'000'000 + i * 60'000'000'000LL;  // every field the emitter may inherit
    k.hdr.ts_origin = k.hdr.ts_recv - 5;
    k.hdr.ts_produced = clock.now_ns();
    k.close = UsdPrice::from_raw(8'700'000'000'000 + i * 12345);
    Envelope e = Envelope::of(k);
    (*rec)->on_produced(Stage::kFeed, e);
    ASSERT_TRUE(producer.try_push(e));
    while (agent.do_work() > 0) {
    }
    Envelope drained;
    auto consumer = out.consumer();
    while (consumer.try_pop(drained)) {
    }
  }
  (*rec)->close();
  EXPECT_EQ((*rec)->failed(), 0u);
}

TEST(Replay, ReproducesADeterministicStageRecordForRecord) {
  testing::TempDir dir;
  EveryThirdKline live;
  run_live(dir.path(), live, 300);
  EveryThirdKline fresh;
  const ReplayReport r = replay_verify(dir.path(), Stage::kSignal, fresh);
  EXPECT_TRUE(r.ok()) << (r.divergence ? r.divergence->describe() : r.error);
  EXPECT_EQ(r.consumed, 300u);
  EXPECT_EQ(r.produced, 100u);
}

TEST(Replay, CatchesANondeterministicStageAndNamesTheField) {
  testing::TempDir dir;
  Nondeterministic live;
  run_live(dir.path(), live, 30);
  Nondeterministic fresh;
  const ReplayReport r = replay_verify(dir.path(), Stage::kSignal, fresh);
  ASSERT_FALSE(r.ok());
  ASSERT_TRUE(r.divergence.has_value());
  EXPECT_EQ(r.divergence->stream, "signal");
  EXPECT_EQ(r.divergence->type, "intent");
  EXPECT_EQ(r.divergence->field, "size");
  EXPECT_EQ(r.divergence->message_seq, 1u);
  EXPECT_NE(r.divergence->journaled, r.divergence->replayed);
}

TEST(Replay, CatchesAStageThatProducesMoreOrFewerMessages) {
  testing::TempDir dir;
  EveryThirdKline live;
  run_live(dir.path(), live, 30);
  struct EveryKline final : StageLogic {
    [[nodiscard]] Stage stage() const noexcept override { return Stage::kSignal; }
    void on_input(const Envelope& in, const Clock& clock, Emitter& out) noexcept override {
      for (int i = 0; i < 3; ++i) inner.on_input(in, clock, out);
    }
    EveryThirdKline inner;
  } more;
  const ReplayReport r = replay_verify(dir.path(), Stage::kSignal, more);
  ASSERT_TRUE(r.divergence.has_value());
  EXPECT_EQ(r.divergence->field, "<extra>");
}

TEST(Replay, IgnoresOnlyTheTwoLatencyStamps) {
  Envelope a = Envelope::of(Intent{});
  a.hdr.type = MsgType::kIntent;
  Envelope b = a;
  b.hdr.ts_consumed = 5;
  b.hdr.ts_produced = 7;
  EXPECT_EQ(first_difference(a, b, sizeof(Intent)), -1);
  b.hdr.ts_recv = 1;
  EXPECT_EQ(first_difference(a, b, sizeof(Intent)), static_cast<long>(offsetof(MsgHeader, ts_recv)));
}

}  // namespace
}  // namespace polybot::journal
