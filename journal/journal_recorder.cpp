#include "journal/journal_recorder.hpp"

#include "journal/message_fields.hpp"

namespace polybot::journal {

Result<std::unique_ptr<JournalRecorder>, JournalError> JournalRecorder::open(const RecorderOptions& opts) {
  std::unique_ptr<JournalRecorder> rec(new JournalRecorder());
  for (std::size_t i = 0; i < rec->writers_.size(); ++i) {
    WriterOptions w;
    w.dir = opts.dir;
    w.stream = stage_name(static_cast<Stage>(i));
    w.segment_size = opts.segment_size;
    w.durability = opts.durability;
    w.helper_poll_us = opts.helper_poll_us;
    auto writer = StreamWriter::open(w);
    if (!writer) return Err{writer.error()};
    rec->writers_[i] = std::move(*writer);
  }
  return rec;
}

JournalRecorder::~JournalRecorder() { close(); }

void JournalRecorder::record(Stage stage, std::uint8_t flags, std::int64_t ts, const Envelope& msg) noexcept {
  const auto i = static_cast<std::size_t>(stage);
  const std::size_t size = message_size(msg.hdr.type);
  if (i >= writers_.size() || size == 0 || !writers_[i] ||
      writers_[i]->append(static_cast<std::uint16_t>(msg.hdr.type), flags, ts, &msg,
                          static_cast<std::uint32_t>(size)) != AppendStatus::kOk) {
    failed_.fetch_add(1, std::memory_order_relaxed);
  }
}

// Record timestamps stay on the live clock for every record: a consumed message is stamped with its producer's
// ts_produced (live), not with ts_consumed, which is the stage's event time and may be data time in a recorded
// run. The message bytes keep both.
void JournalRecorder::on_consumed(Stage stage, const Envelope& in) noexcept {
  record(stage, record_flag::kConsumed, in.hdr.ts_produced != 0 ? in.hdr.ts_produced : in.hdr.ts_consumed, in);
}

void JournalRecorder::on_produced(Stage stage, const Envelope& out) noexcept {
  record(stage, record_flag::kProduced, out.hdr.ts_produced, out);
}

void JournalRecorder::on_raw_frame(Stage stage, std::int64_t ts_recv, const void* data, std::uint32_t size) noexcept {
  const auto i = static_cast<std::size_t>(stage);
  if (i >= writers_.size() || !writers_[i] ||
      writers_[i]->append(kTypeRawFrame, record_flag::kConsumed, ts_recv, data, size) != AppendStatus::kOk) {
    failed_.fetch_add(1, std::memory_order_relaxed);
  }
}

void JournalRecorder::close() noexcept {
  for (auto& w : writers_) {
    if (w) w->close();
  }
}

}  // namespace polybot::journal
