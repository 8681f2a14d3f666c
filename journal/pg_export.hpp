// Export of a journal into PostgreSQL for audits across many engines and days: one table per message type
// (journal_<type>, every field a typed column: numeric for prices and sizes, exact), journal_raw_frame, and
// journal_record (one row per record). Rows are keyed by (run, stream, rec_seq); re-exporting a run replaces
// it. Bulk loads with COPY through libpq. Offline tool; calling thread only; blocks on the network.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace polybot::journal {

struct ExportOptions {
  std::string url;  // libpq connection string or postgresql:// URL
  std::string run;  // run label; default: the journal directory's absolute path
};

struct ExportReport {
  std::map<std::string, std::uint64_t> rows;  // table -> rows written
  std::string error;                          // empty on success
};

ExportReport export_postgres(const std::string& journal_dir, const ExportOptions& opts);

// journal_<type name> for a message type name ("kline" -> "journal_kline").
std::string table_name(const char* type_name);
// The column name of a field ("hdr.seq" -> "hdr_seq", "inputs[2]" -> "inputs_2").
std::string column_name(const char* field_name);

}  // namespace polybot::journal
