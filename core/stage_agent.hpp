// StageAgent: runs one StageLogic live. Pops inputs from its channels (in order, a bounded batch per do_work),
// stamps ts_consumed, hands each input to the recorder and then to the logic with a clock frozen at the
// consumption time; stamps and records every output and pushes it to the outputs whose type mask accepts it.
// A full output channel never loses a message: outputs wait in a fixed pending ring and no new input is
// consumed until they are through (back-pressure); the event is counted. An output added with WhenFull::kDrop
// is the exception: a message it cannot take is counted (shed) and not retried — for a channel that closes a
// cycle between two stages, where waiting could deadlock both. Runs on its Runner thread only;
// no allocation after construction. Latency histograms are read after the thread has stopped.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <vector>

#include "core/agent.hpp"
#include "core/channel.hpp"
#include "core/clock.hpp"
#include "core/histogram.hpp"
#include "core/stage.hpp"

namespace polybot {

using EnvelopeChannel = Channel<Envelope>;

class TypeMask {
 public:
  TypeMask() = default;
  TypeMask(std::initializer_list<MsgType> types) noexcept {
    for (MsgType t : types) bits_ |= bit(t);
  }
  static TypeMask all() noexcept {
    TypeMask m;
    m.bits_ = ~0ULL;
    return m;
  }
  [[nodiscard]] bool has(MsgType t) const noexcept { return (bits_ & bit(t)) != 0; }

 private:
  static std::uint64_t bit(MsgType t) noexcept { return 1ULL << (static_cast<unsigned>(t) & 63u); }
  std::uint64_t bits_ = 0;
};

struct StageCounters {
  std::uint64_t consumed = 0;
  std::uint64_t produced = 0;
  std::uint64_t backpressure = 0;  // times an output channel was full
  std::uint64_t dropped = 0;       // outputs lost because the pending ring overflowed (should stay 0)
  std::uint64_t shed = 0;          // outputs a full WhenFull::kDrop channel refused (counted, never waited for)
};

// What an output does when its channel is full: wait (back-pressure, the default) or drop and count.
enum class WhenFull : std::uint8_t { kWait, kDrop };

class StageAgent final : public Agent, private Emitter {
 public:
  static constexpr std::size_t kBatch = 64;
  static constexpr std::size_t kPending = 1024;

  StageAgent(const char* name, StageLogic& logic, const Clock& live_clock, StageRecorder* recorder) noexcept;

  // Which time the logic sees. kLive: the live clock at consumption. kData: the data's own time — the largest
  // hdr.ts_exch consumed so far — for runs over recorded data, where windows and deadlines must follow the
  // data, not the wall clock. Either way the value is written into the input's ts_consumed before it is
  // journaled, so replay hands the logic the same time. Latency histograms always use the live clock.
  enum class EventTime : std::uint8_t { kLive, kData };
  void set_event_time(EventTime mode) noexcept { event_time_ = mode; }

  // Set-up, before the Runner starts.
  void add_input(EnvelopeChannel& ch) noexcept;
  void add_output(EnvelopeChannel& ch, TypeMask accepts, WhenFull when_full = WhenFull::kWait) noexcept;
  // done() becomes true once every upstream is done and everything has drained through this stage.
  void add_upstream(const Agent* upstream) noexcept { upstream_.push_back(upstream); }

  [[nodiscard]] const char* name() const noexcept override { return name_; }
  void attach_parker(Parker* parker) noexcept override;
  int do_work() noexcept override;
  [[nodiscard]] bool done() const noexcept override { return drained_.load(std::memory_order_acquire); }

  [[nodiscard]] StageCounters counters() const noexcept;
  // Queue wait of each consumed input (ts_consumed - upstream ts_produced).
  [[nodiscard]] const LatencyHistogram& queue_latency() const noexcept { return queue_hist_; }
  // Time from consuming an input to producing each output.
  [[nodiscard]] const LatencyHistogram& service_latency() const noexcept { return service_hist_; }
  // From each input's origin (intended send time) to its consumption here.
  [[nodiscard]] const LatencyHistogram& origin_latency() const noexcept { return origin_hist_; }

 private:
  struct Output {
    EnvelopeChannel::Producer producer;
    TypeMask accepts;
    WhenFull when_full;
  };
  struct Pending {
    Envelope msg;
    std::uint32_t output;
  };
  bool emit(Envelope& msg) noexcept override;
  bool flush_pending() noexcept;
  void update_drained() noexcept;

  const char* name_;
  StageLogic& logic_;
  const Clock& live_;
  StageRecorder* recorder_;
  ManualClock event_clock_;
  std::vector<EnvelopeChannel::Consumer> inputs_;
  std::vector<Output> outputs_;
  std::vector<const Agent*> upstream_;
  std::vector<Pending> pending_;  // ring storage, sized once
  std::size_t pending_head_ = 0, pending_count_ = 0;
  const Envelope* current_ = nullptr;
  std::int64_t consumed_live_ns_ = 0;
  std::int64_t data_time_ns_ = 0;
  EventTime event_time_ = EventTime::kLive;
  std::uint64_t seq_ = 0;
  std::atomic<std::uint64_t> consumed_{0}, produced_{0}, backpressure_{0}, dropped_{0}, shed_{0};
  std::atomic<bool> drained_{false};
  LatencyHistogram queue_hist_, service_hist_, origin_hist_;
};

}  // namespace polybot
