// The golden journal in tests/data/journal (a short demo run over real klines) verifies clean and replays with
// zero divergence through the pipeline's own StageLogic factory; a deliberately non-deterministic stage is caught.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "app/pipeline/pipeline.hpp"
#include "core/clock.hpp"
#include "journal/audit.hpp"
#include "journal/replay.hpp"

namespace polybot::journal {
namespace {

const std::string kGolden = std::string(POLYBOT_SOURCE_DIR) + "/tests/data/journal";

app::PipelineConfig golden_config() {
  std::ifstream in(kGolden + "/pipeline.toml");
  std::stringstream ss;
  ss << in.rdbuf();
  auto cfg = app::parse_pipeline_config(ss.str(), "tests/data/journal/pipeline.toml", POLYBOT_SOURCE_DIR);
  EXPECT_TRUE(cfg) << (cfg ? "" : cfg.error());
  return cfg ? *cfg : app::PipelineConfig{};
}

TEST(GoldenJournal, VerifiesClean) {
  const VerifyReport r = verify_journal(kGolden);
  ASSERT_EQ(r.streams.size(), 4u);
  for (const auto& s : r.streams) {
    EXPECT_TRUE(s.faults.empty()) << s.stream << ": " << s.faults.front();
    EXPECT_EQ(s.end, EndState::kClosed) << s.stream;
    EXPECT_GT(s.records, 0u) << s.stream;
  }
  EXPECT_TRUE(r.ok());
}

TEST(GoldenJournal, ReplaysEveryStageWithZeroDivergence) {
  const app::PipelineConfig cfg = golden_config();
  std::uint64_t produced = 0;
  for (Stage stage : {Stage::kSignal, Stage::kRisk, Stage::kOms}) {
    auto logic = app::make_stage_logic(stage, cfg);
    ASSERT_NE(logic, nullptr);
    const ReplayReport r = replay_verify(kGolden, stage, *logic);
    EXPECT_TRUE(r.ok()) << (r.divergence ? r.divergence->describe() : r.error);
    EXPECT_GT(r.consumed, 0u);
    produced += r.produced;
  }
  EXPECT_GT(produced, 0u);
}

// Wraps the real signal logic and writes the wall clock into every intent it emits: what a stage that read the
// system clock instead of the injected one would do. Replay must catch it and name the field.
class ReadsTheWallClock final : public StageLogic {
 public:
  explicit ReadsTheWallClock(std::unique_ptr<StageLogic> inner) : inner_(std::move(inner)) {}
  [[nodiscard]] Stage stage() const noexcept override { return inner_->stage(); }
  void on_input(const Envelope& in, const Clock& clock, Emitter& out) noexcept override {
    Tamper t{out};
    inner_->on_input(in, clock, t);
  }

 private:
  struct Tamper final : Emitter {
    explicit Tamper(Emitter& o) : out(o) {}
    bool emit(Envelope& m) noexcept override {
      if (m.is<Intent>()) m.intent.inputs[7] = static_cast<double>(realtime_ns());
      return out.emit(m);
    }
    Emitter& out;
  };
  std::unique_ptr<StageLogic> inner_;
};

TEST(GoldenJournal, ReplayCatchesANonDeterministicStage) {
  const app::PipelineConfig cfg = golden_config();
  ReadsTheWallClock logic(app::make_stage_logic(Stage::kSignal, cfg));
  const ReplayReport r = replay_verify(kGolden, Stage::kSignal, logic);
  ASSERT_TRUE(r.divergence.has_value());
  std::printf("%s\n", r.divergence->describe().c_str());
  EXPECT_EQ(r.divergence->stream, "signal");
  EXPECT_EQ(r.divergence->type, "intent");
  EXPECT_EQ(r.divergence->field, "inputs[7]");
  EXPECT_EQ(r.divergence->message_seq, 1u);
}

TEST(GoldenJournal, DumpsKlinePricesAsExactDecimals) {
  char* buf = nullptr;
  std::size_t len = 0;
  std::FILE* mem = open_memstream(&buf, &len);
  DumpOptions o;
  o.stream = "feed";
  ASSERT_EQ(dump_journal(kGolden, o, mem), "");
  std::fclose(mem);
  const std::string out(buf, len);
  std::free(buf);
  const std::string first = out.substr(0, out.find('\n'));
  EXPECT_NE(first.find("\"type\":\"kline\""), std::string::npos) << first;
  EXPECT_NE(first.find("\"close\":\"19"), std::string::npos) << first;  // BTC near 19k USD on 2020-12-01
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 300);
}

}  // namespace
}  // namespace polybot::journal
