// StreamWriter: the single writer of one journal stream. append() is the hot path: a memcpy into a pre-faulted
// mapping, a checksum, and a release store of the length (the commit marker) — no locks, no allocation, no
// system call. A background helper thread (one per writer) prepares the next segment before it is needed,
// unmaps and closes finished ones, and does the durability work (msync / fdatasync) off the hot path.
// append()/close() from the owning thread only; the read-only accessors from any thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "core/result.hpp"
#include "journal/durability.hpp"
#include "journal/format.hpp"
#include "journal/journal_error.hpp"
#include "journal/segment_file.hpp"

namespace polybot::journal {

struct WriterOptions {
  std::string dir;
  std::string stream;
  std::size_t segment_size = std::size_t{64} << 20;
  DurabilityOptions durability{};
  std::uint32_t helper_poll_us = 500;  // how often the helper looks for work
};

// What opening an existing stream found and repaired.
struct RecoveryReport {
  bool existed = false;
  std::uint64_t last_seq = 0;          // the last intact record's sequence
  bool was_closed = true;              // the last segment ended with an end-of-stream padding
  bool torn_tail = false;              // a committed-looking record failed validation at the end
  bool uncommitted_bytes = false;      // payload bytes without a commit marker (a write cut short)
  std::string segment;                 // the segment repaired
  std::uint64_t offset = 0;            // where the good data ended in it
  std::string reason;                  // what was wrong at `offset`
  std::uint32_t removed_prepared = 0;  // prepared-but-unused segment files deleted
  [[nodiscard]] std::string describe() const;
};

enum class AppendStatus : std::uint8_t {
  kOk,
  kTooLarge,  // the record does not fit in an empty segment
  kFailed,    // the helper could not create the next segment (disk full?) or the writer is closed
};

class StreamWriter {
 public:
  // Creates the directory if needed; if the stream exists, recovers its tail (torn or uncommitted bytes are
  // reported and truncated; corruption before the tail refuses to open) and continues in a new segment.
  static Result<std::unique_ptr<StreamWriter>, JournalError> open(const WriterOptions& opts);
  ~StreamWriter();
  StreamWriter(const StreamWriter&) = delete;
  StreamWriter& operator=(const StreamWriter&) = delete;

  // Appends one record and commits it. Hot path. `type` is a MsgType value or kTypeRawFrame.
  AppendStatus append(std::uint16_t type, std::uint8_t flags, std::int64_t ts_ns, const void* payload,
                      std::uint32_t size) noexcept;
  // Writes the end-of-stream padding, truncates the last segment to its used length, syncs per the durability
  // mode, stops the helper. Idempotent.
  void close() noexcept;

  [[nodiscard]] std::uint64_t last_seq() const noexcept { return committed_seq_.load(std::memory_order_acquire); }
  // Highest sequence known to be on stable storage (sync mode; 0 otherwise until close()).
  [[nodiscard]] std::uint64_t durable_seq() const noexcept { return durable_seq_.load(std::memory_order_acquire); }
  // Rolls where the writer had to wait for the helper (should stay 0 in steady state).
  [[nodiscard]] std::uint64_t stalls() const noexcept { return stalls_.load(std::memory_order_relaxed); }
  [[nodiscard]] std::uint64_t segments_written() const noexcept { return segments_.load(std::memory_order_relaxed); }
  [[nodiscard]] std::uint64_t syncs() const noexcept { return syncs_.load(std::memory_order_relaxed); }
  [[nodiscard]] const RecoveryReport& recovery() const noexcept { return recovery_; }
  [[nodiscard]] const std::string& stream() const noexcept { return opts_.stream; }
  // Largest payload append() accepts.
  [[nodiscard]] std::size_t max_payload() const noexcept;

 private:
  explicit StreamWriter(WriterOptions opts);
  Status<JournalError> recover();
  bool roll() noexcept;
  void activate(MappedSegment& seg) noexcept;
  void helper_loop() noexcept;
  void retire(MappedSegment* seg) noexcept;
  void durability_tick(std::int64_t now_ms) noexcept;

  WriterOptions opts_;
  RecoveryReport recovery_;

  // Writer-owned hot state.
  MappedSegment* active_seg_ = nullptr;
  std::byte* base_ = nullptr;
  std::size_t pos_ = 0;
  std::size_t cap_ = 0;
  std::uint64_t seq_ = 0;
  std::int64_t last_ts_ = 0;
  std::uint64_t next_index_ = 0;
  bool closed_ = false;

  // Shared with the helper. Each sits on its own cache line: the writer stores committed_* on every append and
  // must not false-share with the helper's polling of next_/retire.
  alignas(64) std::atomic<std::uint64_t> committed_seq_{0};
  std::atomic<std::size_t> committed_pos_{0};
  std::atomic<MappedSegment*> active_{nullptr};
  alignas(64) std::atomic<MappedSegment*> next_{nullptr};
  std::atomic<bool> helper_failed_{false};
  std::atomic<bool> stop_{false};
  static constexpr std::size_t kRetireSlots = 8;
  std::atomic<MappedSegment*> retire_[kRetireSlots]{};
  alignas(64) std::atomic<std::uint64_t> durable_seq_{0};
  std::atomic<std::uint64_t> stalls_{0};
  std::atomic<std::uint64_t> segments_{0};
  std::atomic<std::uint64_t> syncs_{0};
  std::string helper_error_;  // written by the helper before helper_failed_ (release)

  // Helper-owned.
  std::uint64_t prepare_index_ = 0;
  std::size_t async_flushed_ = 0;
  const MappedSegment* async_seg_ = nullptr;
  std::int64_t last_sync_ms_ = 0;

  std::thread helper_;
};

}  // namespace polybot::journal
