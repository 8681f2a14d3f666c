// Audit tools over a journal directory: verify (checksums, sequence continuity, segment chain, message sizes),
// dump (every record decoded with field names and exact decimals, as JSON lines or CSV) and stats (records per
// type, rates, time span, gaps). Offline tools: they allocate and write to a FILE*. Calling thread only.
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "journal/stream_reader.hpp"

namespace polybot::journal {

// DIR itself when it holds segment files, else DIR/journal when that does (a run directory).
std::string resolve_journal_dir(const std::string& dir);

struct StreamVerify {
  std::string stream;
  std::uint64_t records = 0;
  std::uint64_t segments = 0;
  std::uint64_t first_seq = 0, last_seq = 0;
  EndState end = EndState::kUnknown;
  std::vector<std::string> faults;  // empty: clean
};
struct VerifyReport {
  std::vector<StreamVerify> streams;
  [[nodiscard]] bool ok() const noexcept;
};
VerifyReport verify_journal(const std::string& journal_dir);
void print_verify(std::FILE* out, const VerifyReport& r);

enum class DumpFormat : std::uint8_t { kJsonl, kCsv };
struct DumpOptions {
  std::optional<std::string> stream;
  std::optional<std::int64_t> from_ns, to_ns;  // inclusive bounds on the record timestamp
  DumpFormat format = DumpFormat::kJsonl;
};
// Returns "" on success, else the fault that stopped the dump (records before it were written).
std::string dump_journal(const std::string& journal_dir, const DumpOptions& opts, std::FILE* out);

struct TypeStats {
  std::uint64_t consumed = 0, produced = 0;
};
struct StreamStats {
  std::string stream;
  std::uint64_t records = 0, raw_frames = 0, raw_bytes = 0;
  std::int64_t first_ts = 0, last_ts = 0;
  std::int64_t max_gap_ns = 0;        // largest time between consecutive records
  std::uint64_t max_gap_after_seq = 0;
  std::uint64_t message_seq_gaps = 0; // produced messages whose hdr.seq did not follow the previous one
  std::map<std::string, TypeStats> types;
  std::string fault;
};
std::vector<StreamStats> journal_stats(const std::string& journal_dir);
void print_stats(std::FILE* out, const std::vector<StreamStats>& s);

// "1732233600000000000" (ns since the epoch) or "2026-11-22T00:00:00[.fff]Z"; nullopt when neither.
std::optional<std::int64_t> parse_time(const std::string& text);

}  // namespace polybot::journal
