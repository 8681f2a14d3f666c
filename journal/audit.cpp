#include "journal/audit.hpp"

#include <algorithm>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "journal/message_fields.hpp"
#include "journal/segment_file.hpp"

namespace polybot::journal {
namespace {

const char* direction(std::uint8_t flags) {
  if ((flags & record_flag::kConsumed) != 0) return "consumed";
  if ((flags & record_flag::kProduced) != 0) return "produced";
  return "none";
}

void json_escape(const char* p, std::size_t n, std::string& out) {
  out += '"';
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(p[i]);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char b[8];
          std::snprintf(b, sizeof b, "\\u%04x", c);
          out += b;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

void csv_field(const std::string& s, std::string& out) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) {
    out += s;
    return;
  }
  out += '"';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

std::string ts_text(std::int64_t ns) {
  const std::time_t s = static_cast<std::time_t>(ns / 1'000'000'000);
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char frac[16];
  std::snprintf(frac, sizeof frac, ".%09lldZ", static_cast<long long>(ns % 1'000'000'000));
  return std::string(buf) + frac;
}

}  // namespace

std::string resolve_journal_dir(const std::string& dir) {
  if (!list_streams(dir).empty()) return dir;
  const std::string sub = dir + "/journal";
  if (!list_streams(sub).empty()) return sub;
  return dir;
}

bool VerifyReport::ok() const noexcept {
  if (streams.empty()) return false;
  return std::all_of(streams.begin(), streams.end(), [](const StreamVerify& s) { return s.faults.empty(); });
}

VerifyReport verify_journal(const std::string& journal_dir) {
  VerifyReport rep;
  for (const std::string& stream : list_streams(journal_dir)) {
    StreamVerify sv;
    sv.stream = stream;
    StreamReader r(journal_dir, stream);
    RecordView v;
    ReadStatus s;
    std::uint64_t last_msg_seq = 0;
    while ((s = r.next(v)) == ReadStatus::kRecord) {
      if (sv.records == 0) sv.first_seq = v.seq;
      ++sv.records;
      sv.last_seq = v.seq;
      const auto where = [&] {
        return "segment " + std::to_string(v.segment) + " offset " + std::to_string(v.offset) + " seq " +
               std::to_string(v.seq);
      };
      if (v.type == kTypeRawFrame) continue;
      const std::size_t size = message_size(static_cast<MsgType>(v.type));
      if (size == 0 || v.size != size) {
        sv.faults.push_back(where() + ": type " + std::to_string(v.type) + " with " + std::to_string(v.size) +
                            " bytes is not a known message");
        continue;
      }
      MsgHeader h;
      std::memcpy(&h, v.payload, sizeof h);
      if (static_cast<std::uint16_t>(h.type) != v.type) {
        sv.faults.push_back(where() + ": record type " + std::to_string(v.type) + " but message says " +
                            std::to_string(static_cast<unsigned>(h.type)));
      }
      const bool consumed = (v.flags & record_flag::kConsumed) != 0;
      const bool produced = (v.flags & record_flag::kProduced) != 0;
      if (consumed == produced) sv.faults.push_back(where() + ": flags " + std::to_string(v.flags));
      // A stage's own outputs carry its per-producer sequence: gap-free from 1.
      if (produced) {
        if (h.seq != last_msg_seq + 1) {
          sv.faults.push_back(where() + ": produced message seq " + std::to_string(h.seq) + " after " +
                              std::to_string(last_msg_seq));
        }
        last_msg_seq = h.seq;
      }
      if (sv.faults.size() > 20) break;
    }
    if (s == ReadStatus::kFault) sv.faults.push_back(r.fault().describe());
    sv.end = r.end();
    sv.segments = r.segments_read();
    rep.streams.push_back(std::move(sv));
  }
  return rep;
}

void print_verify(std::FILE* out, const VerifyReport& r) {
  if (r.streams.empty()) std::fprintf(out, "no journal streams found\n");
  for (const auto& s : r.streams) {
    std::fprintf(out, "%-8s %s  records %llu (seq %llu..%llu)  segments %llu  end: %s\n", s.stream.c_str(),
                 s.faults.empty() ? "OK   " : "FAULT", static_cast<unsigned long long>(s.records),
                 static_cast<unsigned long long>(s.first_seq), static_cast<unsigned long long>(s.last_seq),
                 static_cast<unsigned long long>(s.segments), to_string(s.end));
    for (const auto& f : s.faults) std::fprintf(out, "  fault: %s\n", f.c_str());
  }
  std::fprintf(out, "%s\n", r.ok() ? "journal OK" : "journal has faults");
}

std::string dump_journal(const std::string& journal_dir, const DumpOptions& opts, std::FILE* out) {
  std::vector<std::string> streams = list_streams(journal_dir);
  if (opts.stream) {
    if (std::find(streams.begin(), streams.end(), *opts.stream) == streams.end()) {
      return "no stream '" + *opts.stream + "' in " + journal_dir;
    }
    streams = {*opts.stream};
  }
  std::string line;
  std::string value;
  const bool json = opts.format == DumpFormat::kJsonl;
  if (!json) std::fputs("stream,rec_seq,ts_ns,dir,type,field,value\n", out);
  for (const auto& stream : streams) {
    StreamReader r(journal_dir, stream);
    RecordView v;
    ReadStatus s;
    while ((s = r.next(v)) == ReadStatus::kRecord) {
      if (opts.from_ns && v.ts_ns < *opts.from_ns) continue;
      if (opts.to_ns && v.ts_ns > *opts.to_ns) continue;
      line.clear();
      const MessageDesc* d = describe(static_cast<MsgType>(v.type));
      const char* type_name = v.type == kTypeRawFrame ? "raw_frame" : (d != nullptr ? d->name : "unknown");
      const std::string prefix = stream + "," + std::to_string(v.seq) + "," + std::to_string(v.ts_ns) + "," +
                                 direction(v.flags) + "," + type_name + ",";
      if (json) {
        line += "{\"stream\":\"" + stream + "\",\"rec_seq\":" + std::to_string(v.seq) +
                ",\"ts_ns\":" + std::to_string(v.ts_ns) + ",\"ts\":\"" + ts_text(v.ts_ns) + "\",\"dir\":\"" +
                direction(v.flags) + "\",\"type\":\"" + type_name + "\"";
      }
      if (v.type == kTypeRawFrame) {
        if (json) {
          line += ",\"text\":";
          json_escape(reinterpret_cast<const char*>(v.payload), v.size, line);
        } else {
          line += prefix + "text,";
          csv_field(std::string(reinterpret_cast<const char*>(v.payload), v.size), line);
          line += '\n';
        }
      } else if (d != nullptr && v.size == d->size) {
        for (const auto& f : d->fields) {
          if (f.kind == FieldKind::kPad || f.size == 0) continue;
          value.clear();
          format_field(f, v.payload, value, json);
          if (json) {
            line += ",\"";
            line += f.name;
            line += "\":";
            line += value;
          } else {
            line += prefix;
            line += f.name;
            line += ',';
            csv_field(value, line);
            line += '\n';
          }
        }
      } else if (json) {
        line += ",\"bytes\":" + std::to_string(v.size);
      } else {
        line += prefix + "bytes," + std::to_string(v.size) + "\n";
      }
      if (json) line += "}\n";
      std::fwrite(line.data(), 1, line.size(), out);
    }
    if (s == ReadStatus::kFault) return stream + ": " + r.fault().describe();
  }
  return "";
}

std::vector<StreamStats> journal_stats(const std::string& journal_dir) {
  std::vector<StreamStats> all;
  for (const auto& stream : list_streams(journal_dir)) {
    StreamStats st;
    st.stream = stream;
    StreamReader r(journal_dir, stream);
    RecordView v;
    ReadStatus s;
    std::int64_t prev_ts = 0;
    std::uint64_t last_msg_seq = 0;
    while ((s = r.next(v)) == ReadStatus::kRecord) {
      if (st.records == 0) st.first_ts = v.ts_ns;
      if (st.records > 0 && v.ts_ns - prev_ts > st.max_gap_ns) {
        st.max_gap_ns = v.ts_ns - prev_ts;
        st.max_gap_after_seq = v.seq - 1;
      }
      prev_ts = v.ts_ns;
      st.last_ts = std::max(st.last_ts, v.ts_ns);
      ++st.records;
      if (v.type == kTypeRawFrame) {
        ++st.raw_frames;
        st.raw_bytes += v.size;
        continue;
      }
      const MessageDesc* d = describe(static_cast<MsgType>(v.type));
      auto& ts = st.types[d != nullptr ? d->name : std::to_string(v.type)];
      if ((v.flags & record_flag::kConsumed) != 0) {
        ++ts.consumed;
      } else {
        ++ts.produced;
        MsgHeader h;
        std::memcpy(&h, v.payload, sizeof h);
        if (h.seq != last_msg_seq + 1) ++st.message_seq_gaps;
        last_msg_seq = h.seq;
      }
    }
    if (s == ReadStatus::kFault) st.fault = r.fault().describe();
    all.push_back(std::move(st));
  }
  return all;
}

void print_stats(std::FILE* out, const std::vector<StreamStats>& all) {
  for (const auto& st : all) {
    const double span = static_cast<double>(st.last_ts - st.first_ts) / 1e9;
    std::fprintf(out, "stream %s: %llu records over %.3f s (%s .. %s)", st.stream.c_str(),
                 static_cast<unsigned long long>(st.records), span, st.records ? ts_text(st.first_ts).c_str() : "-",
                 st.records ? ts_text(st.last_ts).c_str() : "-");
    if (span > 0) std::fprintf(out, ", %.0f records/s", static_cast<double>(st.records) / span);
    std::fprintf(out, "\n");
    for (const auto& [name, ts] : st.types) {
      std::fprintf(out, "  %-16s consumed %10llu  produced %10llu\n", name.c_str(),
                   static_cast<unsigned long long>(ts.consumed), static_cast<unsigned long long>(ts.produced));
    }
    if (st.raw_frames) {
      std::fprintf(out, "  %-16s %llu frames, %llu bytes\n", "raw_frame", static_cast<unsigned long long>(st.raw_frames),
                   static_cast<unsigned long long>(st.raw_bytes));
    }
    std::fprintf(out, "  gaps: largest %.6f s after record seq %llu; produced message seq gaps: %llu\n",
                 static_cast<double>(st.max_gap_ns) / 1e9, static_cast<unsigned long long>(st.max_gap_after_seq),
                 static_cast<unsigned long long>(st.message_seq_gaps));
    if (!st.fault.empty()) std::fprintf(out, "  fault: %s\n", st.fault.c_str());
  }
}

std::optional<std::int64_t> parse_time(const std::string& text) {
  if (text.empty()) return std::nullopt;
  if (std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (text.size() > 19) return std::nullopt;
    return static_cast<std::int64_t>(std::stoull(text));
  }
  std::tm tm{};
  const char* rest = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (rest == nullptr) return std::nullopt;
  std::int64_t ns = static_cast<std::int64_t>(timegm(&tm)) * 1'000'000'000;
  if (*rest == '.') {
    ++rest;
    std::int64_t scale = 100'000'000;
    while (*rest >= '0' && *rest <= '9') {
      ns += (*rest - '0') * scale;
      scale /= 10;
      ++rest;
    }
  }
  if (*rest == 'Z') ++rest;
  if (*rest != '\0') return std::nullopt;
  return ns;
}

}  // namespace polybot::journal
