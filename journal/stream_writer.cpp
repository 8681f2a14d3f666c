#include "journal/stream_writer.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>

#include "core/assert.hpp"
#include "journal/segment_scan.hpp"

namespace polybot::journal {
namespace {

std::int64_t steady_ms() noexcept {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void write_padding(std::byte* rec, std::uint32_t len, std::uint64_t seq, std::int64_t ts, std::uint8_t flags) noexcept {
  auto* h = reinterpret_cast<RecordHeader*>(rec);
  h->type = kTypePadding;
  h->flags = flags;
  h->reserved = 0;
  h->seq = seq;
  h->ts_ns = ts;
  h->checksum = record_checksum(rec, len);
  store_length(rec, len);
}

}  // namespace

const char* to_string(Durability d) noexcept {
  switch (d) {
    case Durability::kNone: return "none";
    case Durability::kAsync: return "async";
    case Durability::kSync: return "sync";
  }
  return "unknown";
}

std::optional<Durability> parse_durability(std::string_view s) noexcept {
  if (s == "none") return Durability::kNone;
  if (s == "async") return Durability::kAsync;
  if (s == "sync") return Durability::kSync;
  return std::nullopt;
}

std::string RecoveryReport::describe() const {
  if (!existed) return "new stream";
  std::string s = "last_seq=" + std::to_string(last_seq);
  if (was_closed) return s + ", closed cleanly";
  if (torn_tail) return s + ", torn tail truncated in " + segment + " at offset " + std::to_string(offset) + " (" + reason + ")";
  if (uncommitted_bytes) return s + ", uncommitted bytes truncated in " + segment + " at offset " + std::to_string(offset);
  return s + ", not closed (crash); no torn data";
}

StreamWriter::StreamWriter(WriterOptions opts) : opts_(std::move(opts)) {}

StreamWriter::~StreamWriter() { close(); }

std::size_t StreamWriter::max_payload() const noexcept {
  return opts_.segment_size - kSegmentHeaderSize - 2 * kRecordHeaderSize - kRecordAlign;
}

Result<std::unique_ptr<StreamWriter>, JournalError> StreamWriter::open(const WriterOptions& opts) {
  if (!valid_stream_name(opts.stream)) {
    return Err{JournalError{JournalErrc::kBadArgument, "stream name '" + opts.stream + "' (want 1-15 of [a-z0-9_-])"}};
  }
  const long page = ::sysconf(_SC_PAGESIZE);
  if (opts.segment_size < 4096 || opts.segment_size % static_cast<std::size_t>(page) != 0 ||
      opts.segment_size > (std::size_t{1} << 32) - 4096) {
    return Err{JournalError{JournalErrc::kBadArgument,
                            "segment_size " + std::to_string(opts.segment_size) + " (want a page multiple, < 4 GiB)"}};
  }
  std::error_code ec;
  std::filesystem::create_directories(opts.dir, ec);
  if (ec) return Err{JournalError{JournalErrc::kIo, "create directory " + opts.dir + ": " + ec.message()}};

  std::unique_ptr<StreamWriter> w(new StreamWriter(opts));
  if (auto r = w->recover(); !r) return Err{r.error()};
  auto seg = prepare_segment(opts.dir, opts.stream, w->next_index_, opts.segment_size);
  if (!seg) return Err{seg.error()};
  MappedSegment* s = seg->release();
  w->activate(*s);
  w->prepare_index_ = s->index();
  w->last_sync_ms_ = steady_ms();
  w->helper_ = std::thread([raw = w.get()] { raw->helper_loop(); });
  return w;
}

Status<JournalError> StreamWriter::recover() {
  const std::string prefix = opts_.stream + ".";
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(opts_.dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind(prefix, 0) == 0 && name.size() > 4 && name.compare(name.size() - 4, 4, ".tmp") == 0) {
      std::filesystem::remove(e.path(), ec);
    }
  }
  auto segs = list_segments(opts_.dir, opts_.stream);
  // A prepared segment was never activated: nothing was written to it.
  while (!segs.empty()) {
    auto seg = open_segment(segs.back().path, segs.back().index, false);
    if (!seg) return Err{seg.error()};
    if (!never_activated(**seg)) break;
    std::filesystem::remove(segs.back().path, ec);
    ++recovery_.removed_prepared;
    segs.pop_back();
  }
  if (segs.empty()) {
    next_index_ = 0;
    seq_ = 0;
    return Ok{};
  }
  recovery_.existed = true;
  auto opened = open_segment(segs.back().path, segs.back().index, true);
  if (!opened) return Err{opened.error()};
  MappedSegment& seg = **opened;
  recovery_.segment = seg.path();
  const std::string bad = check_segment_header(*seg.header(), opts_.stream, seg.index(), seg.size());
  if (!bad.empty()) return Err{JournalError{JournalErrc::kBadHeader, seg.path() + ": " + bad}};

  const std::byte* base = seg.base();
  const std::size_t size = seg.size();
  std::uint64_t expect = seg.header()->first_seq;
  std::size_t pos = kSegmentHeaderSize;
  std::int64_t last_ts = 0;
  for (;;) {
    std::uint32_t len = 0;
    const RecordCheck c = check_record(base, size, pos, len);
    if (c == RecordCheck::kValid) {
      const auto* h = reinterpret_cast<const RecordHeader*>(base + pos);
      if (h->type == kTypePadding) {
        recovery_.was_closed = true;
        next_index_ = seg.index() + 1;
        seq_ = expect - 1;
        recovery_.last_seq = seq_;
        return Ok{};
      }
      if (h->seq != expect) {
        return Err{JournalError{JournalErrc::kSequenceGap, seg.path() + " offset " + std::to_string(pos) + ": seq " +
                                                               std::to_string(h->seq) + ", expected " +
                                                               std::to_string(expect)}};
      }
      ++expect;
      last_ts = h->ts_ns;
      pos += align_record(len);
      continue;
    }
    recovery_.was_closed = false;
    recovery_.offset = pos;
    if (c == RecordCheck::kEmpty) {
      recovery_.uncommitted_bytes = any_nonzero(base, pos, size);
      if (recovery_.uncommitted_bytes) recovery_.reason = "bytes without a commit marker";
    } else {
      if (const std::size_t later = find_next_valid(base, size, pos); later != 0) {
        return Err{JournalError{JournalErrc::kCorrupt,
                                seg.path() + " offset " + std::to_string(pos) + ": " +
                                    (c == RecordCheck::kBadLength ? "bad length " : "checksum mismatch, length ") +
                                    std::to_string(len) + ", but a valid record follows at offset " +
                                    std::to_string(later) + " (not a torn tail; refusing to truncate)"}};
      }
      recovery_.torn_tail = true;
      recovery_.reason = c == RecordCheck::kBadLength ? "bad length " + std::to_string(len) : "checksum mismatch";
    }
    break;
  }
  // Truncate: zero what follows the last good record, close the segment with an end padding, cut the file.
  std::memset(seg.base() + pos, 0, size - pos);
  write_padding(seg.base() + pos, static_cast<std::uint32_t>(kRecordHeaderSize), expect - 1, last_ts,
                record_flag::kEndOfStream);
  // The repair reaches stable storage only when the stream promises durability at all.
  const bool durable = opts_.durability.mode != Durability::kNone;
  if ((durable && ::msync(seg.base(), size, MS_SYNC) != 0) ||
      ::ftruncate(seg.fd(), static_cast<off_t>(pos + kRecordHeaderSize)) != 0 || (durable && ::fdatasync(seg.fd()) != 0)) {
    return Err{JournalError{JournalErrc::kIo, "truncate " + seg.path() + ": " + std::strerror(errno)}};
  }
  seq_ = expect - 1;
  recovery_.last_seq = seq_;
  next_index_ = seg.index() + 1;
  return Ok{};
}

void StreamWriter::activate(MappedSegment& seg) noexcept {
  SegmentHeader* h = seg.header();
  h->first_seq = seq_ + 1;
  h->checksum = segment_header_checksum(*h);
  std::atomic_ref<std::uint32_t>(h->state).store(static_cast<std::uint32_t>(SegmentState::kActive),
                                                 std::memory_order_release);
  active_seg_ = &seg;
  base_ = seg.base();
  cap_ = seg.size();
  pos_ = kSegmentHeaderSize;
  next_index_ = seg.index() + 1;
  committed_pos_.store(pos_, std::memory_order_release);
  active_.store(&seg, std::memory_order_release);
  segments_.fetch_add(1, std::memory_order_relaxed);
}

AppendStatus StreamWriter::append(std::uint16_t type, std::uint8_t flags, std::int64_t ts_ns, const void* payload,
                                  std::uint32_t size) noexcept {
  const std::uint32_t len = static_cast<std::uint32_t>(kRecordHeaderSize) + size;
  const std::size_t need = align_record(len);
  if (POLYBOT_UNLIKELY(closed_)) return AppendStatus::kFailed;
  if (POLYBOT_UNLIKELY(size > max_payload())) return AppendStatus::kTooLarge;
  // Always leave room for the padding record that closes the segment.
  if (POLYBOT_UNLIKELY(pos_ + need + kRecordHeaderSize > cap_)) {
    if (!roll()) return AppendStatus::kFailed;
  }
  std::byte* rec = base_ + pos_;
  auto* h = reinterpret_cast<RecordHeader*>(rec);
  h->type = type;
  h->flags = flags;
  h->reserved = 0;
  h->seq = seq_ + 1;
  h->ts_ns = ts_ns;
  std::memcpy(rec + kRecordHeaderSize, payload, size);
  h->checksum = record_checksum(rec, len);
  store_length(rec, len);  // commit
  ++seq_;
  last_ts_ = ts_ns;
  pos_ += need;
  committed_pos_.store(pos_, std::memory_order_release);
  committed_seq_.store(seq_, std::memory_order_release);
  return AppendStatus::kOk;
}

bool StreamWriter::roll() noexcept {
  MappedSegment* next = next_.exchange(nullptr, std::memory_order_acq_rel);
  while (next == nullptr) {
    if (helper_failed_.load(std::memory_order_acquire)) return false;
    stalls_.fetch_add(1, std::memory_order_relaxed);
    std::this_thread::yield();
    next = next_.exchange(nullptr, std::memory_order_acq_rel);
  }
  write_padding(base_ + pos_, static_cast<std::uint32_t>(cap_ - pos_), seq_, last_ts_, 0);
  MappedSegment* old = active_seg_;
  // Hand the finished segment to the helper before publishing the new one (the durability tick relies on it).
  for (bool placed = false; !placed;) {
    for (auto& slot : retire_) {
      MappedSegment* expected = nullptr;
      if (slot.compare_exchange_strong(expected, old, std::memory_order_acq_rel)) {
        placed = true;
        break;
      }
    }
    if (!placed) {
      stalls_.fetch_add(1, std::memory_order_relaxed);
      std::this_thread::yield();
    }
  }
  activate(*next);
  return true;
}

void StreamWriter::retire(MappedSegment* seg) noexcept {
  if (opts_.durability.mode == Durability::kSync) {
    if (::fdatasync(seg->fd()) == 0) syncs_.fetch_add(1, std::memory_order_relaxed);
  } else if (opts_.durability.mode == Durability::kAsync) {
    ::sync_file_range(seg->fd(), 0, 0, SYNC_FILE_RANGE_WRITE);
  }
  if (async_seg_ == seg) async_seg_ = nullptr;
  delete seg;
}

void StreamWriter::durability_tick(std::int64_t now_ms) noexcept {
  const DurabilityOptions& d = opts_.durability;
  if (d.mode == Durability::kNone) return;
  MappedSegment* seg = active_.load(std::memory_order_acquire);
  if (d.mode == Durability::kAsync) {
    if (seg != async_seg_) {
      async_seg_ = seg;
      async_flushed_ = 0;
    }
    const std::size_t page = 4096;
    const std::size_t upto = committed_pos_.load(std::memory_order_acquire) & ~(page - 1);
    if (upto > async_flushed_ && active_.load(std::memory_order_acquire) == seg) {
      ::msync(seg->base() + async_flushed_, upto - async_flushed_, MS_ASYNC);
      ::sync_file_range(seg->fd(), static_cast<off_t>(async_flushed_), static_cast<off_t>(upto - async_flushed_),
                        SYNC_FILE_RANGE_WRITE);
      async_flushed_ = upto;
    }
    return;
  }
  const std::uint64_t seq = committed_seq_.load(std::memory_order_acquire);
  const std::uint64_t durable = durable_seq_.load(std::memory_order_relaxed);
  if (seq == durable) {
    last_sync_ms_ = now_ms;
    return;
  }
  const bool by_time = now_ms - last_sync_ms_ >= static_cast<std::int64_t>(d.sync_every_ms);
  const bool by_count = d.sync_every_records != 0 && seq - durable >= d.sync_every_records;
  if (!by_time && !by_count) return;
  seg = active_.load(std::memory_order_acquire);
  for (auto& slot : retire_) {
    if (slot.load(std::memory_order_acquire) != nullptr) return;  // a roll in flight: retire it first
  }
  if (::fdatasync(seg->fd()) != 0) return;
  syncs_.fetch_add(1, std::memory_order_relaxed);
  last_sync_ms_ = now_ms;
  durable_seq_.store(seq, std::memory_order_release);
}

void StreamWriter::helper_loop() noexcept {
  const auto poll = std::chrono::microseconds(opts_.helper_poll_us);
  for (;;) {
    const bool stopping = stop_.load(std::memory_order_acquire);
    for (auto& slot : retire_) {
      if (MappedSegment* s = slot.exchange(nullptr, std::memory_order_acq_rel); s != nullptr) retire(s);
    }
    if (stopping) break;
    if (next_.load(std::memory_order_acquire) == nullptr && !helper_failed_.load(std::memory_order_relaxed)) {
      ++prepare_index_;
      auto seg = prepare_segment(opts_.dir, opts_.stream, prepare_index_, opts_.segment_size);
      if (seg) {
        next_.store(seg->release(), std::memory_order_release);
      } else {
        helper_error_ = seg.error().message();
        helper_failed_.store(true, std::memory_order_release);
      }
    }
    durability_tick(steady_ms());
    std::this_thread::sleep_for(poll);
  }
}

void StreamWriter::close() noexcept {
  if (closed_) return;
  closed_ = true;
  stop_.store(true, std::memory_order_release);
  if (helper_.joinable()) helper_.join();
  if (MappedSegment* next = next_.exchange(nullptr); next != nullptr) {
    const std::string path = next->path();
    delete next;
    ::unlink(path.c_str());
  }
  if (active_seg_ == nullptr) return;
  write_padding(base_ + pos_, static_cast<std::uint32_t>(kRecordHeaderSize), seq_, last_ts_, record_flag::kEndOfStream);
  const std::size_t used = pos_ + kRecordHeaderSize;
  if (opts_.durability.mode != Durability::kNone) ::msync(base_, used, MS_SYNC);
  ::ftruncate(active_seg_->fd(), static_cast<off_t>(used));
  if (opts_.durability.mode != Durability::kNone) {
    ::fdatasync(active_seg_->fd());
    durable_seq_.store(seq_, std::memory_order_release);
  }
  delete active_seg_;
  active_seg_ = nullptr;
  active_.store(nullptr, std::memory_order_release);
  base_ = nullptr;
}

}  // namespace polybot::journal
