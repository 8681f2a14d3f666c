#include "journal/pg_export.hpp"

#include <libpq-fe.h>

#include <filesystem>
#include <memory>
#include <vector>

#include "journal/message_fields.hpp"
#include "journal/segment_file.hpp"
#include "journal/stream_reader.hpp"

namespace polybot::journal {
namespace {

constexpr std::size_t kFlushBytes = std::size_t{8} << 20;

struct ConnDeleter {
  void operator()(PGconn* c) const noexcept { PQfinish(c); }
};
using Conn = std::unique_ptr<PGconn, ConnDeleter>;

std::string exec(PGconn* c, const std::string& sql) {
  PGresult* r = PQexec(c, sql.c_str());
  const auto st = PQresultStatus(r);
  std::string err;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) err = PQresultErrorMessage(r);
  PQclear(r);
  return err;
}

std::string quote_literal(PGconn* c, const std::string& s) {
  char* q = PQescapeLiteral(c, s.data(), s.size());
  std::string out = q != nullptr ? q : "''";
  PQfreemem(q);
  return out;
}

const char* column_type(const FieldDesc& f) {
  switch (f.kind) {
    case FieldKind::kUint: return f.size == 8 ? "numeric(20,0)" : "bigint";
    case FieldKind::kInt: return "bigint";
    case FieldKind::kF64: return "double precision";
    case FieldKind::kFixed:
    case FieldKind::kVenueFixed:
    case FieldKind::kU128E18:
    case FieldKind::kWordDec: return "numeric";
    case FieldKind::kWordHex: return "text";
    case FieldKind::kEnum:
    case FieldKind::kMsgType: return "text";
    case FieldKind::kPad: break;
  }
  return "text";
}

void copy_escape(const char* p, std::size_t n, std::string& out) {
  for (std::size_t i = 0; i < n; ++i) {
    switch (p[i]) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += p[i];
    }
  }
}

struct Table {
  std::string name;
  std::string columns;  // "(run, stream, ...)"
  std::string buffer;   // COPY text rows not yet sent
  std::uint64_t rows = 0;
};

std::string copy_rows(PGconn* c, Table& t) {
  if (t.buffer.empty()) return "";
  const std::string sql = "COPY " + t.name + " " + t.columns + " FROM STDIN";
  PGresult* r = PQexec(c, sql.c_str());
  if (PQresultStatus(r) != PGRES_COPY_IN) {
    std::string e = PQresultErrorMessage(r);
    PQclear(r);
    return e;
  }
  PQclear(r);
  if (PQputCopyData(c, t.buffer.data(), static_cast<int>(t.buffer.size())) != 1 || PQputCopyEnd(c, nullptr) != 1) {
    return PQerrorMessage(c);
  }
  std::string err;
  while ((r = PQgetResult(c)) != nullptr) {
    if (PQresultStatus(r) != PGRES_COMMAND_OK) err = PQresultErrorMessage(r);
    PQclear(r);
  }
  t.buffer.clear();
  return err;
}

}  // namespace

std::string table_name(const char* type_name) { return std::string("journal_") + type_name; }

std::string column_name(const char* field_name) {
  std::string out;
  for (const char* p = field_name; *p != '\0'; ++p) {
    if (*p == '.' || *p == '[') {
      out += '_';
    } else if (*p != ']') {
      out += *p;
    }
  }
  return out;
}

ExportReport export_postgres(const std::string& journal_dir, const ExportOptions& opts) {
  ExportReport rep;
  Conn conn(PQconnectdb(opts.url.c_str()));
  if (!conn || PQstatus(conn.get()) != CONNECTION_OK) {
    rep.error = "cannot connect: " + std::string(conn ? PQerrorMessage(conn.get()) : "out of memory");
    return rep;
  }
  PGconn* c = conn.get();
  std::error_code ec;
  const std::string run = opts.run.empty() ? std::filesystem::absolute(journal_dir, ec).lexically_normal().string()
                                           : opts.run;
  const std::string run_lit = quote_literal(c, run);

  exec(c, "SET client_min_messages = warning");  // no NOTICE per CREATE TABLE IF NOT EXISTS
  if (auto e = exec(c, "BEGIN"); !e.empty()) {
    rep.error = e;
    return rep;
  }
  const std::string key_cols = "run text NOT NULL, stream text NOT NULL, rec_seq bigint NOT NULL, ts_ns bigint "
                               "NOT NULL, dir text NOT NULL";
  std::vector<Table> tables;
  std::vector<std::string> ddl;
  ddl.push_back("CREATE TABLE IF NOT EXISTS journal_record (" + key_cols +
                ", type text NOT NULL, bytes integer NOT NULL, PRIMARY KEY (run, stream, rec_seq))");
  ddl.push_back("CREATE TABLE IF NOT EXISTS journal_raw_frame (" + key_cols +
                ", text text NOT NULL, PRIMARY KEY (run, stream, rec_seq))");
  tables.push_back({"journal_record", "(run, stream, rec_seq, ts_ns, dir, type, bytes)", {}, 0});
  tables.push_back({"journal_raw_frame", "(run, stream, rec_seq, ts_ns, dir, text)", {}, 0});
  const auto messages = all_messages();
  for (const auto& m : messages) {
    std::string cols = "(run, stream, rec_seq, ts_ns, dir";
    std::string sql = "CREATE TABLE IF NOT EXISTS " + table_name(m.name) + " (" + key_cols;
    for (const auto& f : m.fields) {
      if (f.kind == FieldKind::kPad || f.size == 0) continue;
      sql += ", " + column_name(f.name) + " " + column_type(f);
      cols += ", " + column_name(f.name);
    }
    sql += ", PRIMARY KEY (run, stream, rec_seq))";
    ddl.push_back(sql);
    tables.push_back({table_name(m.name), cols + ")", {}, 0});
  }
  for (const auto& sql : ddl) {
    if (auto e = exec(c, sql); !e.empty()) {
      rep.error = e;
      return rep;
    }
  }
  for (const auto& t : tables) {
    if (auto e = exec(c, "DELETE FROM " + t.name + " WHERE run = " + run_lit); !e.empty()) {
      rep.error = e;
      return rep;
    }
  }

  std::string value;
  for (const auto& stream : list_streams(journal_dir)) {
    StreamReader r(journal_dir, stream);
    RecordView v;
    ReadStatus s;
    while ((s = r.next(v)) == ReadStatus::kRecord) {
      const MessageDesc* d = describe(static_cast<MsgType>(v.type));
      const char* dir = (v.flags & record_flag::kConsumed) != 0 ? "consumed" : "produced";
      std::string key;
      copy_escape(run.data(), run.size(), key);
      key += '\t' + stream + '\t' + std::to_string(v.seq) + '\t' + std::to_string(v.ts_ns) + '\t' + dir;
      const char* type_name = v.type == kTypeRawFrame ? "raw_frame" : (d != nullptr ? d->name : "unknown");
      tables[0].buffer += key + '\t' + type_name + '\t' + std::to_string(v.size) + '\n';
      ++tables[0].rows;
      Table* t = nullptr;
      if (v.type == kTypeRawFrame) {
        t = &tables[1];
        t->buffer += key + '\t';
        copy_escape(reinterpret_cast<const char*>(v.payload), v.size, t->buffer);
        t->buffer += '\n';
      } else if (d != nullptr && v.size == d->size) {
        t = &tables[2 + static_cast<std::size_t>(d - messages.data())];
        t->buffer += key;
        for (const auto& f : d->fields) {
          if (f.kind == FieldKind::kPad || f.size == 0) continue;
          value.clear();
          format_field(f, v.payload, value, false);
          if (value == "nan") value = "NaN";
          if (value == "inf") value = "Infinity";
          if (value == "-inf") value = "-Infinity";
          t->buffer += '\t';
          copy_escape(value.data(), value.size(), t->buffer);
        }
        t->buffer += '\n';
      }
      if (t != nullptr) ++t->rows;
      for (Table* flush : {&tables[0], t}) {
        if (flush != nullptr && flush->buffer.size() > kFlushBytes) {
          if (auto e = copy_rows(c, *flush); !e.empty()) {
            rep.error = flush->name + ": " + e;
            return rep;
          }
        }
      }
    }
    if (s == ReadStatus::kFault) {
      rep.error = stream + ": " + r.fault().describe() + " (nothing committed)";
      return rep;
    }
  }
  for (auto& t : tables) {
    if (auto e = copy_rows(c, t); !e.empty()) {
      rep.error = t.name + ": " + e;
      return rep;
    }
    if (t.rows > 0) rep.rows[t.name] = t.rows;
  }
  if (auto e = exec(c, "COMMIT"); !e.empty()) rep.error = e;
  return rep;
}

}  // namespace polybot::journal
