// KlineSourceAgent: replays recorded 1-minute klines into the pipeline as Kline messages, as fast as the
// downstream takes them or paced at a fixed rate. With a rate, each message's ts_origin is its intended send
// time, so latency measured from it is free of coordinated omission. A full channel holds the message and
// retries (back-pressure, counted). Runs on its Runner thread; no allocation after construction.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "core/agent.hpp"
#include "core/channel.hpp"
#include "core/clock.hpp"
#include "core/stage.hpp"
#include "feed/kline_csv.hpp"

namespace polybot::feed {

class KlineSourceAgent final : public Agent {
 public:
  struct Options {
    InstrumentId instrument{1};
    double rate_per_s = 0.0;  // 0: as fast as downstream allows
    std::size_t limit = 0;    // 0: all rows
  };
  KlineSourceAgent(std::vector<KlineRow> rows, Channel<Envelope>& out, const Clock& clock,
                   StageRecorder* recorder, Options options);

  [[nodiscard]] const char* name() const noexcept override { return "feed"; }
  void on_start() noexcept override;
  int do_work() noexcept override;
  [[nodiscard]] bool done() const noexcept override { return done_.load(std::memory_order_acquire); }

  [[nodiscard]] std::uint64_t produced() const noexcept { return produced_.load(std::memory_order_relaxed); }
  [[nodiscard]] std::uint64_t backpressure() const noexcept {
    return backpressure_.load(std::memory_order_relaxed);
  }

 private:
  std::vector<KlineRow> rows_;
  Channel<Envelope>::Producer out_;
  const Clock& clock_;
  StageRecorder* recorder_;
  Options opt_;
  std::size_t next_ = 0;
  std::size_t end_ = 0;
  std::int64_t start_ns_ = 0;
  std::int64_t period_ns_ = 0;
  bool holding_ = false;
  Envelope held_;
  std::atomic<std::uint64_t> produced_{0}, backpressure_{0};
  std::atomic<bool> done_{false};
};

}  // namespace polybot::feed
