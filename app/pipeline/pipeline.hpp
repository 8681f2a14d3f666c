// Pipeline: wires the foundation pipeline — kline source (feed) → signal → risk → oms — over SPSC channels,
// places the agents on Runner threads as configured, runs until the source is drained (or SIGINT/SIGTERM), and
// reports what went through each stage with per-hop latency percentiles. Main thread only.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "app/pipeline/clob_oms_stage.hpp"
#include "app/pipeline/pipeline_config.hpp"
#include "core/stage.hpp"
#include "core/stage_agent.hpp"
#include "feed/kline_source_agent.hpp"
#include "oms/counting_oms.hpp"
#include "oms/risk/risk_logic.hpp"
#include "signal/signal_logic.hpp"

namespace polybot::app {

// The deterministic logic of one stage as configured (also what replay rebuilds). The feed stage of this
// pipeline is a source with no StageLogic: returns nullptr for Stage::kFeed.
std::unique_ptr<StageLogic> make_stage_logic(Stage stage, const PipelineConfig& cfg);

struct PipelineReport {
  double seconds = 0.0;
  std::uint64_t klines = 0, intents = 0, approved = 0, denied = 0, orders = 0;
  std::uint64_t backpressure = 0, dropped = 0;
  StageCounters signal, risk, oms;
  LatencyHistogram feed_to_signal, signal_service, signal_to_risk, risk_service, risk_to_oms, end_to_end;
  std::vector<ThreadStats> threads;
  struct Decision {
    std::string strategy;
    IntentAction action;
    ReasonCode reason;
    std::uint64_t count;
  };
  std::vector<Decision> decisions;
  bool clob = false;          // the live CLOB oms ran (mode = "clob"): its summary follows
  ClobSummary clob_summary;
  std::string error;          // the run could not start (the oms stage: key, credentials, venue)
};

class Pipeline {
 public:
  // `recorder` (may be null) journals every stage; it must outlive the pipeline.
  Pipeline(const PipelineConfig& cfg, std::vector<feed::KlineRow> rows, const Clock& clock,
           StageRecorder* recorder);
  ~Pipeline();
  // Starts the threads and returns when every message has drained through the oms (or on a stop signal).
  PipelineReport run();
  // Non-empty when a stage could not be built (the clob oms: key, credentials, venue); run() then does nothing.
  [[nodiscard]] const std::string& error() const noexcept { return error_; }

 private:
  const PipelineConfig& cfg_;
  const Clock& clock_;
  std::unique_ptr<EnvelopeChannel> to_signal_, to_risk_, to_oms_;
  std::unique_ptr<signal::SignalLogic> signal_;
  std::unique_ptr<oms::risk::RiskLogic> risk_;
  std::unique_ptr<oms::CountingOms> oms_;
  std::unique_ptr<ClobOmsStage> clob_;   // mode = "clob": the live oms (its own agent) instead of oms_
  std::string error_;
  std::unique_ptr<feed::KlineSourceAgent> feed_agent_;
  std::unique_ptr<StageAgent> signal_agent_, risk_agent_, oms_agent_;
  Runner runner_;
};

void print_report(std::FILE* out, const PipelineConfig& cfg, const PipelineReport& r);

// Reads and concatenates the configured kline files (each checked; errors name the file and line).
Result<std::vector<feed::KlineRow>, std::string> load_klines(const PipelineConfig& cfg);

}  // namespace polybot::app
