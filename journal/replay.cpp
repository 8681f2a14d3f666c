#include "journal/replay.hpp"

#include <cstring>
#include <deque>

#include "core/clock.hpp"
#include "journal/message_fields.hpp"
#include "journal/stream_reader.hpp"

namespace polybot::journal {
namespace {

constexpr std::size_t kTsConsumed = offsetof(MsgHeader, ts_consumed);
constexpr std::size_t kTsProduced = offsetof(MsgHeader, ts_produced);

// Stamps like StageAgent::emit (core/stage_agent.cpp): producer, seq, cause/recv/origin/exch inherited from the
// current input when zero, ts_consumed cleared, ts_produced from the replay clock. Replay_test runs the real
// StageAgent against this emitter, so a change to the live stamping that is not mirrored here fails there.
class ReplayEmitter final : public Emitter {
 public:
  ReplayEmitter(Stage stage, const Clock& clock) : stage_(stage), clock_(clock) {}
  bool emit(Envelope& msg) noexcept override {
    auto& h = msg.hdr;
    h.producer = stage_;
    h.seq = ++seq_;
    if (current_ != nullptr) {
      if (h.cause_seq == 0) h.cause_seq = current_->hdr.seq;
      if (h.ts_recv == 0) h.ts_recv = current_->hdr.ts_recv;
      if (h.ts_origin == 0) h.ts_origin = current_->hdr.ts_origin;
      if (h.ts_exch == 0) h.ts_exch = current_->hdr.ts_exch;
    }
    h.ts_consumed = 0;
    h.ts_produced = clock_.now_ns();
    out.push_back(msg);
    return true;
  }
  void set_current(const Envelope* e) noexcept { current_ = e; }
  std::deque<Envelope> out;

 private:
  Stage stage_;
  const Clock& clock_;
  const Envelope* current_ = nullptr;
  std::uint64_t seq_ = 0;
};

std::string describe_message(const Envelope& e) {
  const MessageDesc* d = describe(e.hdr.type);
  return std::string(d != nullptr ? d->name : to_string(e.hdr.type)) + " seq " + std::to_string(e.hdr.seq);
}

}  // namespace

std::string Divergence::describe() const {
  std::string s = "first divergence: stream " + stream + ", record seq " + std::to_string(record_seq) +
                  ", message " + type + " seq " + std::to_string(message_seq) + ", field " + field;
  s += ": journaled " + journaled + ", replayed " + replayed;
  return s;
}

long first_difference(const Envelope& a, const Envelope& b, std::size_t size) noexcept {
  const auto* pa = reinterpret_cast<const unsigned char*>(&a);
  const auto* pb = reinterpret_cast<const unsigned char*>(&b);
  for (std::size_t i = 0; i < size; ++i) {
    if ((i >= kTsConsumed && i < kTsConsumed + 8) || (i >= kTsProduced && i < kTsProduced + 8)) continue;
    if (pa[i] != pb[i]) return static_cast<long>(i);
  }
  return -1;
}

ReplayReport replay_verify(const std::string& journal_dir, Stage stage, StageLogic& logic) {
  ReplayReport rep;
  const std::string stream = stage_name(stage);
  StreamReader reader(journal_dir, stream);
  ManualClock clock;
  ReplayEmitter emitter(stage, clock);
  RecordView v;
  ReadStatus s;
  Envelope in;
  const auto diverge = [&](std::uint64_t rseq, const Envelope* journaled, const Envelope* replayed, std::string field,
                           std::string jtext, std::string rtext) {
    Divergence d;
    d.stream = stream;
    d.record_seq = rseq;
    const Envelope* any = journaled != nullptr ? journaled : replayed;
    d.message_seq = any != nullptr ? any->hdr.seq : 0;
    const MessageDesc* md = any != nullptr ? describe(any->hdr.type) : nullptr;
    d.type = md != nullptr ? md->name : (any != nullptr ? to_string(any->hdr.type) : "?");
    d.field = std::move(field);
    d.journaled = std::move(jtext);
    d.replayed = std::move(rtext);
    rep.divergence = std::move(d);
  };
  while ((s = reader.next(v)) == ReadStatus::kRecord) {
    if (v.type == kTypeRawFrame) {
      ++rep.raw_frames;
      continue;
    }
    const std::size_t size = message_size(static_cast<MsgType>(v.type));
    if (size == 0 || v.size != size || size > sizeof(Envelope)) {
      rep.error = stream + " record seq " + std::to_string(v.seq) + ": type " + std::to_string(v.type) +
                  " with " + std::to_string(v.size) + " bytes is not a known message";
      return rep;
    }
    if ((v.flags & record_flag::kConsumed) != 0) {
      if (!emitter.out.empty()) {
        const Envelope& extra = emitter.out.front();
        diverge(v.seq, nullptr, &extra, "<extra>", "nothing", describe_message(extra));
        return rep;
      }
      std::memset(static_cast<void*>(&in), 0, sizeof in);
      std::memcpy(static_cast<void*>(&in), v.payload, size);
      clock.set(in.hdr.ts_consumed);
      emitter.set_current(&in);
      logic.on_input(in, clock, emitter);
      emitter.set_current(nullptr);
      ++rep.consumed;
      continue;
    }
    Envelope journaled;
    std::memcpy(static_cast<void*>(&journaled), v.payload, size);
    ++rep.produced;
    if (emitter.out.empty()) {
      diverge(v.seq, &journaled, nullptr, "<missing>", describe_message(journaled), "nothing");
      return rep;
    }
    const Envelope replayed = emitter.out.front();
    emitter.out.pop_front();
    if (replayed.hdr.type != journaled.hdr.type) {
      diverge(v.seq, &journaled, &replayed, "hdr.type", to_string(journaled.hdr.type), to_string(replayed.hdr.type));
      return rep;
    }
    if (const long at = first_difference(journaled, replayed, size); at >= 0) {
      const MessageDesc* md = describe(journaled.hdr.type);
      const FieldDesc* f = md != nullptr ? field_at(*md, static_cast<std::size_t>(at)) : nullptr;
      std::string jt, rt;
      if (f != nullptr && f->kind != FieldKind::kPad) {
        format_field(*f, reinterpret_cast<const std::byte*>(&journaled), jt, false);
        format_field(*f, reinterpret_cast<const std::byte*>(&replayed), rt, false);
      } else {
        const auto* pj = reinterpret_cast<const unsigned char*>(&journaled);
        const auto* pr = reinterpret_cast<const unsigned char*>(&replayed);
        jt = "byte " + std::to_string(pj[at]);
        rt = "byte " + std::to_string(pr[at]);
      }
      diverge(v.seq, &journaled, &replayed, f != nullptr ? f->name : "byte " + std::to_string(at), jt, rt);
      return rep;
    }
  }
  if (s == ReadStatus::kFault) {
    rep.error = reader.fault().describe();
    return rep;
  }
  if (!emitter.out.empty()) {
    // A run killed between consuming its last input and journaling all of that input's outputs: the outputs
    // replay produced for that last input are simply not in the journal. Only a cleanly closed stream must
    // account for every one of them.
    if (reader.end() != EndState::kClosed) {
      rep.unjournaled_tail = emitter.out.size();
      return rep;
    }
    const Envelope& extra = emitter.out.front();
    diverge(0, nullptr, &extra, "<extra>", "nothing (end of journal)", describe_message(extra));
  }
  return rep;
}

}  // namespace polybot::journal
