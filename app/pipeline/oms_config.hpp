// The pipeline's [oms] section: which oms stage runs (the counting stand-in, or the live CLOB oms against a
// venue — the real Polymarket CLOB or the loopback simulator), the venue URLs and TLS trust, where the private key
// and API credentials come from (never in the file itself), signature type and funder, heartbeat and pre-sign
// settings, the tradable tokens, and an optional in-process venue simulator for demos and tests. Parsed and
// validated at start-up; every error names the key and the value. Main thread only; allocates.
#pragma once

#include <string>
#include <string_view>

#include <toml++/toml.h>

#include "oms/clob_oms.hpp"

namespace polybot::app {

enum class OmsMode : std::uint8_t { kCounting = 0, kClob = 1 };
enum class KeySource : std::uint8_t { kEnv = 0, kFile = 1, kEphemeral = 2 };
enum class ApiCredsSource : std::uint8_t { kEnv = 0, kDerive = 1 };

// The loopback venue simulator (sim/venue), started inside the process on an ephemeral port with a CA made at
// start-up; rest_url / ws_url / ca_file are then ignored. Its account is the engine's key.
struct OmsSimulatorConfig {
  bool enabled = false;
  std::uint32_t page_size = 0;               // /data/orders and /data/trades page size (0: one page)
  Usdc collateral = Usdc::from_raw(1'000'000'000'000);  // pUSD the account holds
  std::int64_t heartbeat_timeout_ms = 15'000;
  Price liquidity_price;                     // > 0: another participant's resting ask, so buys can fill
  Qty liquidity_size;
};

struct OmsStageConfig {
  OmsMode mode = OmsMode::kCounting;
  KeySource key_source = KeySource::kEnv;
  std::string key_file;                      // key_source = "file"
  ApiCredsSource api_credentials = ApiCredsSource::kEnv;
  oms::ClobOmsConfig clob;
  OmsSimulatorConfig simulator;
};

// Reads root["oms"] (absent: counting). `base_dir` resolves a relative ca_file / key_file. False with `error`
// set ("ORIGIN: oms.KEY = VALUE: why").
bool parse_oms_config(const toml::table& root, std::string_view origin, const std::string& base_dir,
                      OmsStageConfig& out, std::string& error);

}  // namespace polybot::app
