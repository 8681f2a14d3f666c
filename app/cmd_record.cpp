// `polybot record --config FILE --out DIR [--duration S]`: connects the feed sessions named in the config and
// journals every inbound frame (WebSocket text frames and REST bodies, byte for byte, with receive times) into
// the feed stream of DIR/journal, so live sessions become replayable captures and test data.
//
// Config (TOML; a section present = that feed recorded):
//   [record]            duration_s = 60 (0: until SIGINT/SIGTERM), ca_file = "" (extra trusted CA, e.g. the sim's)
//   [record.polymarket] url = "wss://...", tokens = ["<token id>", ...]  (exactly these tokens), or without
//                       `tokens`: follow the BTC Up/Down windows (feed::MarketRoller) with
//                       series = ["5m","15m"], lookahead = 2, subscribe_lead_s = 60, unsubscribe_grace_s = 30,
//                       gamma_url = "https://gamma-api.polymarket.com", rest_url = "https://clob.polymarket.com",
//                       resync = true, hash_check = "diagnostic" (off|diagnostic|enforce)
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
#include "core/channel.hpp"
#include "core/msg/envelope.hpp"
#include "feed/book_set.hpp"
#include "feed/feed_agent.hpp"
#include "feed/market_roller.hpp"
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
  if (pm && pm["tokens"] && tokens.empty()) {
    std::fprintf(stderr, "polybot record: record.polymarket.tokens is empty (give token ids, or remove the key to "
                         "follow the BTC Up/Down windows)\n");
    return 2;
  }
  // Without token ids the roller discovers and follows the current and next windows of each series.
  const bool follow = pm && !pm["tokens"];
  feed::MarketRollerConfig roll;
  if (follow) {
    roll.intervals.clear();
    std::vector<std::string> series = strings(pm["series"], "record.polymarket.series", ok);
    if (!ok) return 2;
    if (series.empty()) series = {"5m", "15m"};
    for (const auto& x : series) {
      if (x == "5m") {
        roll.intervals.push_back(300);
      } else if (x == "15m") {
        roll.intervals.push_back(900);
      } else {
        std::fprintf(stderr, "polybot record: record.polymarket.series: \"%s\" is not 5m or 15m\n", x.c_str());
        return 2;
      }
    }
    const auto count = [&](const char* key, std::uint32_t& out, std::int64_t lo, std::int64_t hi) {
      const auto v = pm[key].value<std::int64_t>();
      if (!pm[key]) return true;
      if (!v || *v < lo || *v > hi) {
        std::fprintf(stderr, "polybot record: record.polymarket.%s must be an integer in [%lld, %lld]\n", key,
                     static_cast<long long>(lo), static_cast<long long>(hi));
        return false;
      }
      out = static_cast<std::uint32_t>(*v);
      return true;
    };
    if (!count("lookahead", roll.lookahead, 0, 16) || !count("subscribe_lead_s", roll.subscribe_lead_s, 0, 3600) ||
        !count("unsubscribe_grace_s", roll.unsubscribe_grace_s, 0, 3600)) {
      return 2;
    }
    roll.gamma.base_url = pm["gamma_url"].value_or(roll.gamma.base_url);
    roll.resync.rest_base_url = pm["rest_url"].value_or(roll.resync.rest_base_url);
    roll.resync.enabled = pm["resync"].value_or(true);
    const std::string hash = pm["hash_check"].value_or(std::string("diagnostic"));
    if (hash == "off") {
      roll.resync.hash = feed::HashCheckMode::kOff;
    } else if (hash == "diagnostic") {
      roll.resync.hash = feed::HashCheckMode::kDiagnostic;
    } else if (hash == "enforce") {
      roll.resync.hash = feed::HashCheckMode::kEnforce;
    } else {
      std::fprintf(stderr, "polybot record: record.polymarket.hash_check: \"%s\" is not off, diagnostic or enforce\n",
                   hash.c_str());
      return 2;
    }
    roll.log = [](std::string_view line) {
      std::fprintf(stderr, "polybot record: %.*s\n", static_cast<int>(line.size()), line.data());
    };
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
  // Token ids are not recycled when a window retires (docs/FEED.md): following 5m + 15m uses 768 a day, so 65,536
  // slots (~6.5 MB) last about 85 days of continuous recording.
  feed::InstrumentTable tokens_table(65536), symbols_table(256);
  for (const auto& t : tokens) tokens_table.add(t);
  feed::BookSet books([&] {
    feed::BookSetConfig c;
    c.rest_hash = roll.resync.hash;
    return c;
  }());
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
  // Follow mode: the feed agent (silence rule, books' validity; its BookTops/Timers are discarded here) and the
  // roller, polled from this loop.
  Channel<Envelope> tops(4096);
  Channel<Envelope>::Consumer tops_rx = tops.consumer();
  std::unique_ptr<feed::FeedAgent> agent;
  std::unique_ptr<feed::MarketRoller> roller;
  if (follow) {
    agent = std::make_unique<feed::FeedAgent>(nullptr, books, clock, tops.producer());
    auto r = feed::MarketRoller::create(loop, &*tls, clock, roll, tokens_table, books, pm_parser, *pm_session, *agent,
                                        &raw);
    if (!r) {
      std::fprintf(stderr, "polybot record: record.polymarket.gamma_url \"%s\" / rest_url \"%s\" are not usable\n",
                   roll.gamma.base_url.c_str(), roll.resync.rest_base_url.c_str());
      return 2;
    }
    roller = std::move(*r);
    agent->on_start();
    roller->on_start();
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
    if (roller) {
      agent->do_work();
      roller->do_work();
      Envelope e;
      while (tops_rx.try_pop(e)) {
      }
    }
  }
  if (roller) {
    const auto& c = roller->counters();
    std::fprintf(stderr,
                 "polybot record: windows found %llu, missed %llu, subscribed %llu, unsubscribed %llu; /book resyncs "
                 "%llu applied of %llu\n",
                 static_cast<unsigned long long>(c.found), static_cast<unsigned long long>(c.missed),
                 static_cast<unsigned long long>(c.subscribed), static_cast<unsigned long long>(c.unsubscribed),
                 static_cast<unsigned long long>(c.resync_applied), static_cast<unsigned long long>(c.resync_requests));
  }
  roller.reset();
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
