// JournalRecorder: the StageRecorder that journals a running pipeline, one stream per stage (feed, signal, risk,
// oms). Every consumed message is recorded with flag kConsumed, every produced one with kProduced, in the order
// the stage saw them — what replay needs to re-run the stage. Record timestamps are live-clock times (the
// message's ts_produced), so time filters and rates mean the same thing on every stream.
// on_consumed/on_produced/on_raw_frame are called on the stage's own thread (each stream has exactly one
// writer) and never allocate, block or make system calls. open()/close() on the controlling thread.
#pragma once

#include <array>
#include <atomic>
#include <memory>
#include <string>

#include "core/result.hpp"
#include "core/stage.hpp"
#include "journal/stream_writer.hpp"

namespace polybot::journal {

struct RecorderOptions {
  std::string dir;                               // the journal directory (DIR/journal for a run)
  std::size_t segment_size = std::size_t{16} << 20;
  DurabilityOptions durability{};
  std::uint32_t helper_poll_us = 1000;
};

class JournalRecorder final : public StageRecorder {
 public:
  static Result<std::unique_ptr<JournalRecorder>, JournalError> open(const RecorderOptions& opts);
  ~JournalRecorder() override;

  void on_consumed(Stage stage, const Envelope& in) noexcept override;
  void on_produced(Stage stage, const Envelope& out) noexcept override;
  // Raw inbound bytes (a WebSocket text frame) as the stage received them, at ts_recv.
  void on_raw_frame(Stage stage, std::int64_t ts_recv, const void* data, std::uint32_t size) noexcept;

  // Closes every stream (end-of-stream padding, truncation, final sync).
  void close() noexcept;
  // Records that could not be written (full disk, unknown message type): should stay 0.
  [[nodiscard]] std::uint64_t failed() const noexcept { return failed_.load(std::memory_order_relaxed); }
  [[nodiscard]] StreamWriter& writer(Stage stage) noexcept { return *writers_[static_cast<std::size_t>(stage)]; }

 private:
  JournalRecorder() = default;
  void record(Stage stage, std::uint8_t flags, std::int64_t ts, const Envelope& msg) noexcept;

  std::array<std::unique_ptr<StreamWriter>, static_cast<std::size_t>(Stage::kCount)> writers_;
  std::atomic<std::uint64_t> failed_{0};
};

}  // namespace polybot::journal
