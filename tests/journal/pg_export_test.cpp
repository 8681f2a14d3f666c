// Export into a real PostgreSQL server started from Debian's binaries on loopback (initdb + pg_ctl into a temp
// dir, as the `postgres` user when running as root). Without a server the test skips — unless
// POLYBOT_REQUIRE_POSTGRES=1 (CI), where not being able to start one is a failure.
#include "journal/pg_export.hpp"

#include <arpa/inet.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "journal/journal_recorder.hpp"
#include "tests/journal/temp_dir.hpp"

namespace polybot::journal {
namespace {

constexpr const char* kPgBin = "/usr/lib/postgresql/15/bin";

bool postgres_required() {
  const char* v = std::getenv("POLYBOT_REQUIRE_POSTGRES");
  return v != nullptr && std::string(v) == "1";
}

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

class PgServer {
 public:
  PgServer() {
    char tmpl[] = "/tmp/polybot-pg-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    port_ = free_port();
    if (::geteuid() == 0) {
      const passwd* pw = ::getpwnam("postgres");
      if (pw == nullptr) {
        error_ = "running as root and there is no `postgres` user to run the server as";
        return;
      }
      if (::chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
        error_ = "chown " + dir_;
        return;
      }
      as_ = "runuser -u postgres -- ";
    }
    if (!run(std::string(kPgBin) + "/initdb -D " + dir_ + "/data -A trust -U polybot -E UTF8 --no-sync")) return;
    const std::string opts = "-c listen_addresses=127.0.0.1 -p " + std::to_string(port_) + " -k " + dir_ +
                             " -c fsync=off -c max_connections=10";
    if (!run(std::string(kPgBin) + "/pg_ctl -D " + dir_ + "/data -l " + dir_ + "/server.log -w -t 60 -o \"" + opts +
             "\" start")) {
      return;
    }
    started_ = true;
  }
  ~PgServer() {
    if (started_) run(std::string(kPgBin) + "/pg_ctl -D " + dir_ + "/data -m immediate -w stop");
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  [[nodiscard]] bool started() const { return started_; }
  [[nodiscard]] std::string url() const {
    return "postgresql://polybot@127.0.0.1:" + std::to_string(port_) + "/postgres";
  }
  [[nodiscard]] std::string error() const { return error_; }

 private:
  bool run(const std::string& cmd) {
    const std::string full = as_ + cmd + " >> " + dir_ + "/setup.log 2>&1";
    if (std::system(full.c_str()) == 0) return true;
    std::ifstream log(dir_ + "/setup.log");
    std::stringstream ss;
    ss << log.rdbuf();
    error_ = "`" + cmd + "` failed:\n" + ss.str();
    return false;
  }
  std::string dir_, as_, error_;
  int port_ = 0;
  bool started_ = false;
};

std::string query_one(PGconn* c, const std::string& sql) {
  PGresult* r = PQexec(c, sql.c_str());
  std::string out = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 ? PQgetvalue(r, 0, 0)
                                                                               : "<error: " + std::string(PQresultErrorMessage(r)) + ">";
  PQclear(r);
  return out;
}

void write_journal(const std::string& dir) {
  auto rec = JournalRecorder::open(RecorderOptions{dir, 1 << 20, {}, 200});
  ASSERT_TRUE(rec);
  for (int i = 1; i <= 50; ++i) {
    Kline k;
    k.hdr.type = MsgType::kKline;
    k.hdr.seq = static_cast<std::uint64_t>(i);
    k.hdr.ts_produced = 1'700'000'000'000'000'000 + i;
    k.close = UsdPrice::from_raw(8'712'345'678'901 + i);  // 87123.45678901 + i * 1e-8
    k.volume = BtcQty::from_raw(123'456'789);
    (*rec)->on_produced(Stage::kFeed, Envelope::of(k));
  }
  Intent it;
  it.hdr.type = MsgType::kIntent;
  it.hdr.seq = 1;
  it.limit_price = Price::from_raw(550'000);
  it.notional = Usdc::from_raw(5'000'000);
  it.side = Side::kSell;
  it.inputs[0] = 0.25;
  (*rec)->on_produced(Stage::kSignal, Envelope::of(it));
  const std::string frame = "{\"e\":\"kline\",\t\"note\":\"tab, newline\\n and \\\\ backslash\"}\n";
  (*rec)->on_raw_frame(Stage::kFeed, 1'700'000'000'000'000'100, frame.data(), static_cast<std::uint32_t>(frame.size()));
  (*rec)->close();
}

TEST(PgExport, WritesEveryRecordWithExactValuesIntoARealPostgres) {
  PgServer pg;
  if (!pg.started()) {
    if (postgres_required()) FAIL() << "POLYBOT_REQUIRE_POSTGRES=1 but the server did not start: " << pg.error();
    GTEST_SKIP() << "no PostgreSQL server: " << pg.error();
  }
  testing::TempDir dir;
  write_journal(dir.path());
  for (int round = 0; round < 2; ++round) {  // the second export of the same run replaces the first
    const ExportReport rep = export_postgres(dir.path(), ExportOptions{pg.url(), "run-a"});
    ASSERT_TRUE(rep.error.empty()) << rep.error;
    EXPECT_EQ(rep.rows.at("journal_kline"), 50u);
    EXPECT_EQ(rep.rows.at("journal_record"), 52u);
  }
  PGconn* c = PQconnectdb(pg.url().c_str());
  ASSERT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
  EXPECT_EQ(query_one(c, "SELECT count(*) FROM journal_kline WHERE run = 'run-a'"), "50");
  EXPECT_EQ(query_one(c, "SELECT count(*) FROM journal_record WHERE run = 'run-a'"), "52");
  EXPECT_EQ(query_one(c, "SELECT close::text FROM journal_kline WHERE run = 'run-a' AND rec_seq = 1"),
            "87123.45678902");
  EXPECT_EQ(query_one(c, "SELECT volume::text FROM journal_kline WHERE run = 'run-a' AND rec_seq = 7"), "1.23456789");
  EXPECT_EQ(query_one(c, "SELECT sum(close)::text FROM journal_kline WHERE run = 'run-a'"), "4356172.83946325");
  EXPECT_EQ(query_one(c, "SELECT limit_price::text || ' ' || notional::text || ' ' || side || ' ' || inputs_0 "
                         "FROM journal_intent WHERE run = 'run-a'"),
            "0.55 5 sell 0.25");
  EXPECT_EQ(query_one(c, "SELECT text FROM journal_raw_frame WHERE run = 'run-a'"),
            "{\"e\":\"kline\",\t\"note\":\"tab, newline\\n and \\\\ backslash\"}\n");
  EXPECT_EQ(query_one(c, "SELECT dir || ' ' || stream FROM journal_record WHERE run = 'run-a' AND type = 'intent'"),
            "produced signal");
  PQfinish(c);
}

TEST(PgExport, FailsWithAMessageWhenTheServerIsUnreachable) {
  testing::TempDir dir;
  write_journal(dir.path());
  const ExportReport rep =
      export_postgres(dir.path(), ExportOptions{"postgresql://nobody@127.0.0.1:" + std::to_string(free_port()) + "/x", ""});
  EXPECT_NE(rep.error.find("cannot connect"), std::string::npos) << rep.error;
}

}  // namespace
}  // namespace polybot::journal
