// ClobOmsStage: the pipeline's live oms (mode = "clob"): loads the private key from the configured source
// (env / key file / an ephemeral key for the simulator), the API credentials (env, or L1 create/derive), starts
// the in-process venue simulator when configured, builds oms::ClobOms, and journals the oms's venue inputs
// (answers, user-channel frames, signatures) into the oms stream as raw records. Controlling thread only;
// allocates and may block (TLS handshakes, L1) at start-up. Errors name the field and value, never a secret.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/pipeline/oms_config.hpp"
#include "core/clock.hpp"
#include "core/net/test_pki.hpp"
#include "core/stage.hpp"
#include "oms/clob_oms.hpp"
#include "oms/replay/oms_replay.hpp"
#include "sim/venue/clob_venue.hpp"
#include "sim/venue/venue_server.hpp"

namespace polybot::journal {
class JournalRecorder;
}

namespace polybot::app {

// The oms's outside inputs into the journal's oms stream: one raw record [kind u8][head size u16][head][body].
class JournalOmsInputs final : public oms::OmsInputRecorder {
 public:
  explicit JournalOmsInputs(journal::JournalRecorder* rec) : rec_(rec), buf_(kMaxRecord) {}
  void record(oms::OmsInputKind kind, std::int64_t ts_ns, const void* head, std::uint32_t head_size,
              std::string_view body) noexcept override;
  [[nodiscard]] std::uint64_t truncated() const noexcept { return truncated_; }
  static constexpr std::size_t kMaxRecord = 256 * 1024;

 private:
  journal::JournalRecorder* rec_;
  std::vector<char> buf_;
  std::uint64_t truncated_ = 0;
};

struct ClobSummary {
  oms::OmsCounters oms{};
  oms::GatewayCounters gateway{};
  bool simulator = false;
  sim::venue::VenueStats venue{};
  std::size_t venue_open_orders = 0;
};

class ClobOmsStage {
 public:
  static Result<std::unique_ptr<ClobOmsStage>, std::string> create(const OmsStageConfig& cfg, const Clock& clock,
                                                                   StageRecorder* recorder);
  ~ClobOmsStage();
  [[nodiscard]] oms::ClobOms& oms() noexcept { return *oms_; }
  // Only once the oms thread has stopped.
  [[nodiscard]] ClobSummary summary();
  [[nodiscard]] sim::venue::ClobVenue* venue() noexcept { return venue_.get(); }

 private:
  ClobOmsStage() = default;
  net::TestPki pki_;
  std::unique_ptr<sim::venue::ClobVenue> venue_;
  std::unique_ptr<sim::venue::VenueServer> server_;
  std::unique_ptr<JournalOmsInputs> inputs_;
  std::unique_ptr<oms::ClobOms> oms_;
};

// Replay of the live oms (polybot replay): the oms stream of `journal_dir` read whole, in order (`fault`: where
// reading stopped early, else empty), and re-run against `cfg` (the run's [oms] config). Offline; allocates.
std::vector<oms::OmsRecord> read_oms_journal(const std::string& journal_dir, std::string* fault);
// The first differing field of two journaled messages of `size` bytes (latency stamps ignored); empty if equal.
std::string compare_journaled(const Envelope& journaled, const Envelope& replayed, std::size_t size);
oms::OmsReplayReport replay_clob_oms(const std::string& journal_dir, const oms::ClobOmsConfig& cfg, std::string* fault);

}  // namespace polybot::app
