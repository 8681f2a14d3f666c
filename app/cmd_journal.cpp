// `polybot journal verify|dump|stats|export DIR`: audit tools over a run's journal (DIR or DIR/journal).
#include <cstdio>
#include <memory>
#include <string>

#include "app/cli.hpp"
#include "journal/audit.hpp"
#include "journal/pg_export.hpp"

namespace polybot::app {
namespace {

struct JournalOptions {
  std::string dir;
  std::string stream;
  std::string from, to;
  std::string format = "jsonl";
  std::string url;
  std::string run;
};

bool journal_exists(const std::string& dir) {
  if (journal::list_streams(dir).empty()) {
    std::fprintf(stderr, "polybot journal: DIR \"%s\": no journal streams (*.seg) in it or in its journal/\n",
                 dir.c_str());
    return false;
  }
  return true;
}

int run_verify(const JournalOptions& o) {
  const std::string dir = journal::resolve_journal_dir(o.dir);
  if (!journal_exists(dir)) return 2;
  const auto rep = journal::verify_journal(dir);
  journal::print_verify(stdout, rep);
  return rep.ok() ? 0 : 1;
}

int run_dump(const JournalOptions& o) {
  const std::string dir = journal::resolve_journal_dir(o.dir);
  if (!journal_exists(dir)) return 2;
  journal::DumpOptions d;
  if (o.format == "jsonl") {
    d.format = journal::DumpFormat::kJsonl;
  } else if (o.format == "csv") {
    d.format = journal::DumpFormat::kCsv;
  } else {
    std::fprintf(stderr, "polybot journal dump: --format \"%s\": want jsonl or csv\n", o.format.c_str());
    return 2;
  }
  if (!o.stream.empty()) d.stream = o.stream;
  if (!o.from.empty()) {
    d.from_ns = journal::parse_time(o.from);
    if (!d.from_ns) {
      std::fprintf(stderr, "polybot journal dump: --from \"%s\": want ns since the epoch or YYYY-MM-DDTHH:MM:SSZ\n",
                   o.from.c_str());
      return 2;
    }
  }
  if (!o.to.empty()) {
    d.to_ns = journal::parse_time(o.to);
    if (!d.to_ns) {
      std::fprintf(stderr, "polybot journal dump: --to \"%s\": want ns since the epoch or YYYY-MM-DDTHH:MM:SSZ\n",
                   o.to.c_str());
      return 2;
    }
  }
  const std::string err = journal::dump_journal(dir, d, stdout);
  std::fflush(stdout);
  if (!err.empty()) {
    std::fprintf(stderr, "polybot journal dump: %s\n", err.c_str());
    return err.rfind("no stream", 0) == 0 ? 2 : 1;
  }
  return 0;
}

int run_stats(const JournalOptions& o) {
  const std::string dir = journal::resolve_journal_dir(o.dir);
  if (!journal_exists(dir)) return 2;
  const auto stats = journal::journal_stats(dir);
  journal::print_stats(stdout, stats);
  for (const auto& s : stats) {
    if (!s.fault.empty()) return 1;
  }
  return 0;
}

int run_export(const JournalOptions& o) {
  const std::string dir = journal::resolve_journal_dir(o.dir);
  if (!journal_exists(dir)) return 2;
  const auto rep = journal::export_postgres(dir, journal::ExportOptions{o.url, o.run});
  if (!rep.error.empty()) {
    std::fprintf(stderr, "polybot journal export: %s\n", rep.error.c_str());
    return 1;
  }
  for (const auto& [table, rows] : rep.rows) {
    std::fprintf(stdout, "%-28s %llu rows\n", table.c_str(), static_cast<unsigned long long>(rows));
  }
  return 0;
}

}  // namespace

void add_journal_command(CLI::App& root, CliContext& ctx) {
  auto* cmd = root.add_subcommand("journal", "Journal audit tools: verify|dump|stats|export JOURNAL_DIR");
  cmd->require_subcommand(1);
  auto o = std::make_shared<JournalOptions>();

  auto* verify = cmd->add_subcommand("verify", "Check checksums, sequence continuity and the segment chain (exit 1 on any fault)");
  verify->add_option("DIR", o->dir, "Run directory or its journal/ directory")->required();
  verify->callback([&ctx, o] { ctx.exit_code = run_verify(*o); });

  auto* dump = cmd->add_subcommand("dump", "Every record decoded with field names, exact decimals");
  dump->add_option("DIR", o->dir, "Run directory or its journal/ directory")->required();
  dump->add_option("--stream", o->stream, "Only this stream (feed, signal, risk, oms)");
  dump->add_option("--from", o->from, "First record time: ns since the epoch or 2026-11-22T00:00:00Z");
  dump->add_option("--to", o->to, "Last record time (inclusive)");
  dump->add_option("--format", o->format, "jsonl (default) or csv (one row per field)");
  dump->callback([&ctx, o] { ctx.exit_code = run_dump(*o); });

  auto* stats = cmd->add_subcommand("stats", "Records per type, rates, time span, gaps");
  stats->add_option("DIR", o->dir, "Run directory or its journal/ directory")->required();
  stats->callback([&ctx, o] { ctx.exit_code = run_stats(*o); });

  auto* exp = cmd->add_subcommand("export", "Write decoded records into PostgreSQL tables (COPY)");
  exp->add_option("DIR", o->dir, "Run directory or its journal/ directory")->required();
  exp->add_option("--postgres", o->url, "libpq URL, e.g. postgresql://user@127.0.0.1:5432/db")->required();
  exp->add_option("--run", o->run, "Run label for the rows (default: the journal's absolute path)");
  exp->callback([&ctx, o] { ctx.exit_code = run_export(*o); });
}

}  // namespace polybot::app
