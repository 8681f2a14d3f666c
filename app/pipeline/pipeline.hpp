// Pipeline: wires feed → signal → risk → oms (and the oms's ExecReports back to risk, then signal) over SPSC channels — the feed being recorded klines (`polybot demo`)
// or the live feeds with market roll-over (`polybot run`, app/live/live_feed.hpp) — places the agents on Runner
// threads as configured, runs until the source is drained, the live duration is over, or SIGINT/SIGTERM, and
// reports what went through each stage with per-hop latency percentiles. Main thread only.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "app/live/live_feed.hpp"
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

// Risk's book of record at the end of a run (oms/risk/risk_logic.hpp).
struct RiskBook {
  oms::risk::RiskCounters counters;
  Usdc available, min_available, reserved, position_cost, realized_pnl;
  std::uint32_t open_orders = 0;
  std::uint64_t reports_refused = 0;  // ExecReports the oms could not queue to risk (channel full)
};

struct PipelineReport {
  double seconds = 0.0;
  std::uint64_t klines = 0, intents = 0, approved = 0, denied = 0, orders = 0;
  std::uint64_t backpressure = 0, dropped = 0;
  struct Live {
    std::uint64_t published = 0;        // messages the feed stage sent on (BookTop, Timer, MarketDef, ticks...)
    std::uint64_t dropped = 0;          // refused by a full channel
    std::uint64_t book_tops = 0, timers = 0, market_defs = 0, klines = 0, btc_ticks = 0, trades = 0, ref_prices = 0;
    std::uint64_t polymarket_frames = 0, binance_frames = 0, rtds_frames = 0, parse_errors = 0, disconnects = 0;
    std::uint64_t windows_found = 0, windows_missed = 0, subscribed = 0, unsubscribed = 0, resyncs_applied = 0;
    std::uint64_t books_invalidated = 0;
    // The CoinGecko sanity check ([feed.coingecko]); state "off" when not configured.
    std::uint64_t coingecko_answers = 0, coingecko_checks = 0, coingecko_divergences = 0, coingecko_errors = 0;
    std::int64_t coingecko_last_bps = 0;
    const char* coingecko_state = "off";
  };
  bool live = false;
  Live feed;
  StageCounters signal, risk, oms;
  RiskBook book;
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
  // Recorded klines (cfg.live false) or the live feeds (cfg.live: `rows` unused; `raw` journals inbound frames).
  Pipeline(const PipelineConfig& cfg, std::vector<feed::KlineRow> rows, const Clock& clock,
           StageRecorder* recorder, feed::RawFrameSink* raw = nullptr);
  ~Pipeline();
  // Starts the threads and returns when every message has drained through the oms (or on a stop signal). Live:
  // runs `live_seconds` (0: until SIGINT/SIGTERM), then stops the feed and lets the stages drain.
  PipelineReport run(double live_seconds = 0.0);
  // Non-empty when a stage could not be built (the clob oms: key, credentials, venue); run() then does nothing.
  [[nodiscard]] const std::string& error() const noexcept { return error_; }

 private:
  const PipelineConfig& cfg_;
  const Clock& clock_;
  std::unique_ptr<EnvelopeChannel> to_signal_, to_risk_, to_oms_;
  std::unique_ptr<EnvelopeChannel> reports_to_risk_;    // oms -> risk: ExecReports
  std::unique_ptr<EnvelopeChannel> reports_to_signal_;  // risk -> signal: the same reports, passed on (drops when full)
  std::unique_ptr<signal::SignalLogic> signal_;
  std::unique_ptr<oms::risk::RiskLogic> risk_;
  std::unique_ptr<oms::CountingOms> oms_;
  std::unique_ptr<ClobOmsStage> clob_;   // mode = "clob": the live oms (its own agent) instead of oms_
  std::string error_;
  std::unique_ptr<feed::KlineSourceAgent> feed_agent_;  // recorded klines
  std::unique_ptr<LiveFeed> live_;                      // or the live feeds
  Agent* source_ = nullptr;                             // whichever of the two runs
  std::unique_ptr<StageAgent> signal_agent_, risk_agent_, oms_agent_;
  Runner runner_;
};

void print_report(std::FILE* out, const PipelineConfig& cfg, const PipelineReport& r);

// Reads and concatenates the configured kline files (each checked; errors name the file and line).
Result<std::vector<feed::KlineRow>, std::string> load_klines(const PipelineConfig& cfg);

}  // namespace polybot::app
