#include "journal/stream_reader.hpp"

#include <cerrno>
#include <filesystem>

#include "journal/segment_scan.hpp"

namespace polybot::journal {

const char* to_string(FaultKind k) noexcept {
  switch (k) {
    case FaultKind::kNone: return "none";
    case FaultKind::kTornTail: return "torn tail";
    case FaultKind::kCorrupt: return "corrupt record";
    case FaultKind::kSequenceGap: return "sequence gap";
    case FaultKind::kBadHeader: return "bad segment header";
    case FaultKind::kChainBroken: return "segment chain broken";
    case FaultKind::kBadPadding: return "bad padding";
    case FaultKind::kIo: return "io error";
  }
  return "unknown";
}

const char* to_string(EndState s) noexcept {
  switch (s) {
    case EndState::kUnknown: return "unknown";
    case EndState::kClosed: return "closed";
    case EndState::kOpen: return "open (writer crashed between records, or still running)";
    case EndState::kUncommitted: return "uncommitted bytes after the last record (writer cut short mid-write)";
  }
  return "unknown";
}

std::string Fault::describe() const {
  return std::string(to_string(kind)) + " in " + segment + " at offset " + std::to_string(offset) +
         " (expected seq " + std::to_string(seq) + "): " + reason;
}

StreamReader::StreamReader(std::string dir, std::string stream, Mode mode)
    : dir_(std::move(dir)), stream_(std::move(stream)), mode_(mode) {}

ReadStatus StreamReader::fail(FaultKind kind, std::string reason) {
  fault_.kind = kind;
  fault_.segment = seg_ ? seg_->path() : dir_ + "/" + segment_file_name(stream_, next_index_);
  fault_.offset = pos_;
  fault_.seq = expect_;
  fault_.reason = std::move(reason);
  return ReadStatus::kFault;
}

// Opens segment `index`. kRecord: opened; kEnd/kIdle: not there (yet); kFault: broken chain or header.
ReadStatus StreamReader::open_segment_at(std::uint64_t index) {
  std::string path;
  bool last_listed = true;
  if (mode_ == Mode::kSequential) {
    std::size_t i = 0;
    while (i < listing_.size() && listing_[i].index < index) ++i;
    if (i == listing_.size()) return ReadStatus::kEnd;
    if (listing_[i].index != index) {
      return fail(FaultKind::kChainBroken, "segment " + std::to_string(index) + " is missing, next is " +
                                               std::to_string(listing_[i].index));
    }
    path = listing_[i].path;
    last_listed = i + 1 == listing_.size();
  } else {
    path = dir_ + "/" + segment_file_name(stream_, index);
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return ReadStatus::kIdle;
  }
  auto opened = open_segment(path, index, false);
  if (!opened) {
    if (mode_ == Mode::kTail) return ReadStatus::kIdle;  // still being created
    return fail(FaultKind::kIo, opened.error().message());
  }
  if (never_activated(**opened) ||
      (mode_ == Mode::kTail && load_state((*opened)->header()) != static_cast<std::uint32_t>(SegmentState::kActive))) {
    if (mode_ == Mode::kTail) return ReadStatus::kIdle;
    if (last_listed) return ReadStatus::kEnd;  // prepared ahead by the helper, never used
    seg_ = std::move(*opened);
    pos_ = 0;
    return fail(FaultKind::kChainBroken, "segment was never activated but later segments exist");
  }
  seg_ = std::move(*opened);
  pos_ = 0;
  const std::string bad = check_segment_header(*seg_->header(), stream_, index, seg_->size());
  if (!bad.empty()) return fail(FaultKind::kBadHeader, bad);
  if (have_expect_ && seg_->header()->first_seq != expect_) {
    return fail(FaultKind::kChainBroken, "first_seq " + std::to_string(seg_->header()->first_seq) +
                                             " does not follow the previous segment's last seq " +
                                             std::to_string(expect_ - 1));
  }
  expect_ = seg_->header()->first_seq;
  have_expect_ = true;
  pos_ = kSegmentHeaderSize;
  next_index_ = index + 1;
  ++segments_read_;
  return ReadStatus::kRecord;
}

ReadStatus StreamReader::at_empty() {
  if (mode_ == Mode::kTail) return ReadStatus::kIdle;
  const bool more = !listing_.empty() && listing_.back().index >= next_index_;
  const std::byte* base = seg_->base();
  const std::size_t size = seg_->size();
  if (more) {
    // Only a clean close or a recovery may end a segment early, and both write a padding record.
    std::string path = dir_ + "/" + segment_file_name(stream_, next_index_);
    auto next = open_segment(path, next_index_, false);
    const bool next_active = next && !never_activated(**next);
    if (next_active) return fail(FaultKind::kCorrupt, "segment ends without a padding record but later segments exist");
  }
  if (any_nonzero(base, pos_, size)) {
    if (const std::size_t later = find_next_valid(base, size, pos_); later != 0) {
      return fail(FaultKind::kCorrupt, "commit marker is zero but a valid record follows at offset " +
                                           std::to_string(later));
    }
    end_ = EndState::kUncommitted;
  } else {
    end_ = EndState::kOpen;
  }
  return ReadStatus::kEnd;
}

ReadStatus StreamReader::at_bad(std::uint32_t len, bool bad_length) {
  const std::string what = bad_length ? "bad length " + std::to_string(len) : "checksum mismatch";
  if (mode_ == Mode::kTail) return fail(FaultKind::kCorrupt, what);
  if (!listing_.empty() && listing_.back().index >= next_index_) {
    std::string path = dir_ + "/" + segment_file_name(stream_, next_index_);
    auto next = open_segment(path, next_index_, false);
    if (next && !never_activated(**next)) {
      return fail(FaultKind::kCorrupt, what + " in a segment that later segments follow");
    }
  }
  if (const std::size_t later = find_next_valid(seg_->base(), seg_->size(), pos_); later != 0) {
    return fail(FaultKind::kCorrupt, what + "; a valid record follows at offset " + std::to_string(later));
  }
  return fail(FaultKind::kTornTail, what + "; nothing valid follows");
}

ReadStatus StreamReader::next(RecordView& out) {
  if (fault_.kind != FaultKind::kNone) return ReadStatus::kFault;
  if (end_ != EndState::kUnknown) return ReadStatus::kEnd;
  if (!seg_) {
    if (!listed_) {
      auto all = list_segments(dir_, stream_);
      if (all.empty()) {
        if (mode_ == Mode::kTail) return ReadStatus::kIdle;
        return fail(FaultKind::kIo, "no segment files for stream '" + stream_ + "' in " + dir_);
      }
      next_index_ = all.front().index;
      if (mode_ == Mode::kSequential) listing_ = std::move(all);
      listed_ = true;
    }
    const ReadStatus s = open_segment_at(next_index_);
    if (s == ReadStatus::kEnd) {
      end_ = EndState::kOpen;
      return s;
    }
    if (s != ReadStatus::kRecord) return s;
  }
  for (;;) {
    std::uint32_t len = 0;
    const RecordCheck c = check_record(seg_->base(), seg_->size(), pos_, len);
    if (c == RecordCheck::kEmpty) return at_empty();
    if (c != RecordCheck::kValid) return at_bad(len, c == RecordCheck::kBadLength);
    const auto* h = reinterpret_cast<const RecordHeader*>(seg_->base() + pos_);
    if (h->type == kTypePadding) {
      if (len > kRecordHeaderSize && any_nonzero(seg_->base(), pos_ + kRecordHeaderSize, pos_ + len)) {
        return fail(FaultKind::kBadPadding, "non-zero bytes inside the padding record");
      }
      if (h->seq != expect_ - 1) {
        return fail(FaultKind::kSequenceGap, "padding carries seq " + std::to_string(h->seq) + ", last record was " +
                                                 std::to_string(expect_ - 1));
      }
      const bool end_of_stream = (h->flags & record_flag::kEndOfStream) != 0;
      const ReadStatus s = open_segment_at(next_index_);
      if (s == ReadStatus::kRecord) continue;
      if (s == ReadStatus::kFault) return s;
      if (mode_ == Mode::kTail) return end_of_stream ? ReadStatus::kEnd : ReadStatus::kIdle;
      end_ = end_of_stream ? EndState::kClosed : EndState::kOpen;
      return ReadStatus::kEnd;
    }
    if (h->seq != expect_) {
      return fail(FaultKind::kSequenceGap, "record carries seq " + std::to_string(h->seq));
    }
    if (align_record(len) != len && any_nonzero(seg_->base(), pos_ + len, pos_ + align_record(len))) {
      return fail(FaultKind::kCorrupt, "non-zero alignment bytes after the record");
    }
    out.type = h->type;
    out.flags = h->flags;
    out.seq = h->seq;
    out.ts_ns = h->ts_ns;
    out.payload = seg_->base() + pos_ + kRecordHeaderSize;
    out.size = len - static_cast<std::uint32_t>(kRecordHeaderSize);
    out.segment = seg_->index();
    out.offset = pos_;
    pos_ += align_record(len);
    ++expect_;
    return ReadStatus::kRecord;
  }
}

}  // namespace polybot::journal
