// The pipeline's configuration: stage placement (threads, CPUs, wait strategies, which agents share a thread),
// the source — recorded klines ([source], `polybot demo`) or the live feeds ([feed], `polybot run`) — the
// strategies, the risk gate and the oms. Parsed from TOML and validated at start-up:
// every error names the key and the value. Main thread only; allocates.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <toml++/toml.h>

#include "app/live/live_feed.hpp"
#include "app/pipeline/oms_config.hpp"
#include "core/result.hpp"
#include "core/runner.hpp"
#include "oms/risk/risk_logic.hpp"
#include "signal/strategies/ema_cross.hpp"

namespace polybot::app {

struct ThreadPlacement {
  ThreadSpec spec;
  std::vector<std::string> agents;
};

struct PipelineConfig {
  std::size_t channel_capacity = 65536;
  bool data_time = true;                 // stages see the data's time (recorded runs) rather than the live clock
  std::vector<ThreadPlacement> threads;
  std::vector<std::string> kline_files;  // resolved paths
  bool live = false;                     // [feed] present: the live feeds are the source (`polybot run`)
  LiveFeedConfig feed;                   // [feed] (app/live/live_feed.hpp)
  bool ema_enabled = true;               // the [strategy] ema_cross (live configs run it only if written)
  double rate = 0.0;
  std::size_t limit = 0;
  std::string strategy = "ema_cross";
  signal::EmaCrossParams ema;
  // More strategies for the signal stage, from [strategies.<name>] tables (names as signal::make_strategy takes
  // them), run after the [strategy] one in the order written. Validated at parse time.
  std::vector<std::pair<std::string, toml::table>> extra_strategies;
  oms::risk::RiskParams risk;
  OmsStageConfig oms;                    // [oms]: counting (default) or the live CLOB oms (app/pipeline/oms_config.hpp)
  std::string text;                      // the TOML it was parsed from (saved with journals)
};

inline constexpr const char* kAgentNames[] = {"feed", "signal", "risk", "oms"};

// `base_dir` resolves relative kline paths. `origin` names the source in errors ("config/default.toml").
Result<PipelineConfig, std::string> parse_pipeline_config(std::string_view toml_text, std::string_view origin,
                                                          const std::string& base_dir);
Result<PipelineConfig, std::string> load_pipeline_config(const std::string& path);
// The directory relative data paths of the config file at `path` resolve against.
std::string config_base_dir(const std::string& path);
// The embedded default (config/default.toml at build time), with data paths resolved against the source tree.
Result<PipelineConfig, std::string> default_pipeline_config();
const char* embedded_default_config() noexcept;

}  // namespace polybot::app
