// `polybot record --config FILE --out DIR [--duration S]`: connects the feed sessions named in the config and
// journals every inbound frame (WebSocket text frames and REST bodies, byte for byte, with receive times) into
// the feed stream of DIR/journal, so live sessions become replayable captures and test data.
//
// Config (TOML; a section present = that feed recorded):
//   [record]            duration_s = 60 (0: until SIGINT/SIGTERM), ca_file = "" (extra trusted CA, e.g. the sim's)
//   [record.polymarket] url = "wss://...", tokens = ["<token id>", ...]
//   [record.binance]    ws_base, rest_base, symbols = ["btcusdt"], streams = ["bookTicker","depth@100ms",...]
//   [record.rtds]       url = "wss://ws-live-data.polymarket.com"
#include <array>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "app/cli.hpp"
#include "core/clock.hpp"
#include "core/net/io_loop.hpp"
#include "core/net/tls_context.hpp"
#include "feed/binance_session.hpp"
#include "feed/book_set.hpp"
#include "feed/polymarket_market_session.hpp"
#include "feed/ref_price_session.hpp"
#include "journal/journal_recorder.hpp"

namespace polybot::app {

namespace {

std::atomic<bool> g_stop{false};
extern "C" void record_on_signal(int) { g_stop.store(true); }

struct RecordArgs {
  std::string config;
  std::string out;
  double duration_s = -1;
};

class JournalRawSink final : public feed::RawFrameSink {
 public:
  explicit JournalRawSink(journal::JournalRecorder& rec) : rec_(rec) {}
  void on_raw_frame(feed::FeedChannel channel, std::string_view bytes, std::int64_t recv_ns) noexcept override {
    ++frames_[static_cast<std::size_t>(channel) % frames_.size()];
    rec_.on_raw_frame(Stage::kFeed, recv_ns, bytes.data(), static_cast<std::uint32_t>(bytes.size()));
  }
  std::array<std::uint64_t, 8> frames_{};

 private:
  journal::JournalRecorder& rec_;
};

template <class View>
std::vector<std::string> strings(View n, const char* field, bool& ok) {
  std::vector<std::string> out;
  if (!n) return out;
  const toml::array* a = n.as_array();
  if (a == nullptr) {
    std::fprintf(stderr, "polybot record: %s must be an array of strings\n", field);
    ok = false;
    return out;
  }
  for (const auto& e : *a) {
    if (auto s = e.value<std::string>()) {
      out.push_back(*s);
    } else {
      std::fprintf(stderr, "polybot record: %s must contain only strings\n", field);
      ok = false;
    }
  }
  return out;
}

int run_record(const RecordArgs& args) {
  toml::table root;
  try {
    root = toml::parse_file(args.config);
  } catch (const toml::parse_error& e) {
    std::fprintf(stderr, "polybot record: --config \"%s\": %s\n", args.config.c_str(), e.description().data());
    return 2;
  }
  const auto rec = root["record"];
  if (!rec.as_table()) {
    std::fprintf(stderr, "polybot record: --config \"%s\": missing [record] table\n", args.config.c_str());
    return 2;
  }
  double duration = args.duration_s >= 0 ? args.duration_s : rec["duration_s"].value_or(0.0);
  if (duration < 0) {
    std::fprintf(stderr, "polybot record: record.duration_s must be >= 0, got %g\n", duration);
    return 2;
  }
  bool ok = true;
  const auto pm = rec["polymarket"];
  const auto bn = rec["binance"];
  const auto rt = rec["rtds"];
  const std::vector<std::string> tokens = strings(pm["tokens"], "record.polymarket.tokens", ok);
  if (!ok) return 2;
  if (pm && tokens.empty()) {
    std::fprintf(stderr, "polybot record: record.polymarket.tokens is empty\n");
    return 2;
  }
  if (!pm && !bn && !rt) {
    std::fprintf(stderr, "polybot record: nothing to record: add [record.polymarket], [record.binance] or "
                         "[record.rtds]\n");
    return 2;
  }

  net::TlsClientOptions tls_opts;
  tls_opts.extra_ca_file = rec["ca_file"].value_or(std::string{});
  auto tls = net::TlsClientContext::create(tls_opts);
  if (!tls) {
    std::fprintf(stderr, "polybot record: record.ca_file: %s\n", tls.error().detail.c_str());
    return 2;
  }
  journal::RecorderOptions ro;
  ro.dir = args.out + "/journal";
  auto recorder = journal::JournalRecorder::open(ro);
  if (!recorder) {
    std::fprintf(stderr, "polybot record: --out \"%s\": cannot open the journal\n", args.out.c_str());
    return 1;
  }
  JournalRawSink raw(**recorder);
  LiveClock clock;
  net::IoLoop loop;
  feed::InstrumentTable tokens_table(4096), symbols_table(256);
  for (const auto& t : tokens) tokens_table.add(t);
  feed::BookSet books;
  for (const auto& t : tokens) books.prepare_book(tokens_table.find(t));
  feed::PolymarketParser pm_parser(tokens_table);
  feed::BinanceParser bn_parser(symbols_table);
  symbols_table.set_auto_add(true);
  feed::RefPriceParser rt_parser(symbols_table);

  std::unique_ptr<feed::PolymarketMarketSession> pm_session;
  std::unique_ptr<feed::BinanceSession> bn_session;
  std::unique_ptr<feed::RefPriceSession> rt_session;
  if (pm) {
    feed::PolymarketSessionConfig c;
    c.url = pm["url"].value_or(c.url);
    c.clock = &clock;
    auto s = feed::PolymarketMarketSession::create(loop, &*tls, c, pm_parser, books, &books, &raw);
    if (!s) {
      std::fprintf(stderr, "polybot record: record.polymarket.url \"%s\" is not usable\n", c.url.c_str());
      return 2;
    }
    pm_session = std::move(*s);
    pm_session->subscribe(tokens);
    pm_session->start();
  }
  if (bn) {
    feed::BinanceSessionConfig c;
    c.ws_base = bn["ws_base"].value_or(c.ws_base);
    c.rest_base = bn["rest_base"].value_or(c.rest_base);
    if (auto v = strings(bn["symbols"], "record.binance.symbols", ok); !v.empty()) c.symbols = v;
    if (auto v = strings(bn["streams"], "record.binance.streams", ok); !v.empty()) c.streams = v;
    if (!ok) return 2;
    c.clock = &clock;
    auto s = feed::BinanceSession::create(loop, &*tls, c, symbols_table, bn_parser, books, books, &raw);
    if (!s) {
      std::fprintf(stderr, "polybot record: record.binance.ws_base/rest_base are not usable\n");
      return 2;
    }
    bn_session = std::move(*s);
    bn_session->start();
  }
  if (rt) {
    feed::RefPriceSessionConfig c;
    c.url = rt["url"].value_or(c.url);
    c.clock = &clock;
    auto s = feed::RefPriceSession::create(loop, &*tls, c, rt_parser, books, &raw);
    if (!s) {
      std::fprintf(stderr, "polybot record: record.rtds.url \"%s\" is not usable\n", c.url.c_str());
      return 2;
    }
    rt_session = std::move(*s);
    rt_session->start();
  }

  std::signal(SIGINT, record_on_signal);
  std::signal(SIGTERM, record_on_signal);
  const std::int64_t end_ms = duration > 0 ? net::io_loop_now_ms() + static_cast<std::int64_t>(duration * 1000) : 0;
  while (!g_stop.load() && (end_ms == 0 || net::io_loop_now_ms() < end_ms)) {
    loop.run_for_ms(10);
    if (bn_session) bn_session->poll_resync();
  }
  if (pm_session) pm_session->stop();
  if (bn_session) bn_session->stop();
  if (rt_session) rt_session->stop();
  loop.run_for_ms(50);
  (*recorder)->close();
  std::fprintf(stderr,
               "polybot record: %llu polymarket, %llu binance stream, %llu binance rest, %llu reference-price frames "
               "-> %s/journal (%llu not written)\n",
               static_cast<unsigned long long>(raw.frames_[0]), static_cast<unsigned long long>(raw.frames_[2]),
               static_cast<unsigned long long>(raw.frames_[3]), static_cast<unsigned long long>(raw.frames_[4]),
               args.out.c_str(), static_cast<unsigned long long>((*recorder)->failed()));
  return (*recorder)->failed() == 0 ? 0 : 1;
}

}  // namespace

void add_record_command(CLI::App& root, CliContext& ctx) {
  auto* cmd = root.add_subcommand("record", "Capture venue feeds to a journal (--config FILE --out DIR)");
  auto args = std::make_shared<RecordArgs>();
  cmd->add_option("--config", args->config, "TOML file with a [record] table (see docs/FEED.md)")->required();
  cmd->add_option("--out", args->out, "output directory; the journal goes to OUT/journal")->required();
  cmd->add_option("--duration", args->duration_s, "seconds to record (overrides record.duration_s; 0 = until Ctrl-C)");
  cmd->callback([&ctx, args] { ctx.exit_code = run_record(*args); });
}

}  // namespace polybot::app
