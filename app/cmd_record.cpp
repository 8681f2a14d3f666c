// `polybot record --config FILE --out DIR [--duration S]`: connects the feed sessions named in the config and
// journals every inbound frame (WebSocket text frames and REST bodies, byte for byte, with receive times) into
// the feed stream of DIR/journal, so live sessions become replayable captures and test data.
//
// Config (TOML): a [record] table laid out like `polybot run`'s [feed] (app/live/live_feed.hpp, docs/FEED.md),
// plus duration_s = 60 (0: until SIGINT/SIGTERM):
//   [record]            duration_s, ca_file = "" (extra trusted CA, e.g. the sim's)
//   [record.polymarket] url = "wss://...", tokens = ["<token id>", ...]  (exactly these tokens), or without
//                       `tokens`: follow the BTC Up/Down windows (feed::MarketRoller) with
//                       series = ["5m","15m"], lookahead = 2, subscribe_lead_s = 60, unsubscribe_grace_s = 30,
//                       gamma_url = "https://gamma-api.polymarket.com", rest_url = "https://clob.polymarket.com",
//                       resync = true, hash_check = "diagnostic" (off|diagnostic|enforce)
//   [record.binance]    ws_base, rest_base, symbols = ["btcusdt"], streams = ["bookTicker","depth@100ms",...]
//   [record.rtds]       url = "wss://ws-live-data.polymarket.com"
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include <toml++/toml.h>

#include "app/cli.hpp"
#include "app/live/live_feed.hpp"
#include "core/clock.hpp"
#include "core/net/io_loop.hpp"
#include "journal/journal_recorder.hpp"
#include "signal/param_reader.hpp"

namespace polybot::app {

namespace {

std::atomic<bool> g_stop{false};
extern "C" void record_on_signal(int) { g_stop.store(true); }

struct RecordArgs {
  std::string config;
  std::string out;
  double duration_s = -1;
};

int run_record(const RecordArgs& args) {
  toml::table root;
  try {
    root = toml::parse_file(args.config);
  } catch (const toml::parse_error& e) {
    std::fprintf(stderr, "polybot record: --config \"%s\": %s\n", args.config.c_str(), e.description().data());
    return 2;
  }
  const toml::table* rec = root["record"].as_table();
  if (rec == nullptr) {
    std::fprintf(stderr, "polybot record: --config \"%s\": missing [record] table\n", args.config.c_str());
    return 2;
  }
  double duration = args.duration_s;
  if (duration < 0) {
    const toml::node* d = rec->get("duration_s");
    const auto v = d != nullptr ? d->value<double>() : std::optional<double>(0.0);
    if (!v || *v < 0) {
      std::fprintf(stderr, "polybot record: record.duration_s = %s: expected a number of seconds >= 0\n",
                   d != nullptr ? signal::show_toml_value(*d).c_str() : "?");
      return 2;
    }
    duration = *v;
  }
  auto cfg = parse_live_feed_config(*rec, "record");
  if (!cfg) {
    std::fprintf(stderr, "polybot record: %s\n", cfg.error().c_str());
    return 2;
  }
  cfg->roll.log = [](std::string_view line) {
    std::fprintf(stderr, "polybot record: %.*s\n", static_cast<int>(line.size()), line.data());
  };

  journal::RecorderOptions ro;
  ro.dir = args.out + "/journal";
  auto recorder = journal::JournalRecorder::open(ro);
  if (!recorder) {
    std::fprintf(stderr, "polybot record: --out \"%s\": cannot open the journal\n", args.out.c_str());
    return 1;
  }
  JournalRawSink raw(**recorder);
  LiveClock clock;
  // The feed's messages (BookTops, Timers, ticks) are not journaled by `record`: only the raw frames are.
  Channel<Envelope> messages(4096);
  Channel<Envelope>::Consumer messages_rx = messages.consumer();
  auto feed = LiveFeed::create(*cfg, clock, messages.producer(), &raw, nullptr);
  if (!feed) {
    std::fprintf(stderr, "polybot record: record.%s\n", feed.error().c_str());
    return 2;
  }

  std::signal(SIGINT, record_on_signal);
  std::signal(SIGTERM, record_on_signal);
  Agent& agent = (*feed)->agent();
  agent.on_start();
  const std::int64_t end_ms = duration > 0 ? net::io_loop_now_ms() + static_cast<std::int64_t>(duration * 1000) : 0;
  while (!g_stop.load() && (end_ms == 0 || net::io_loop_now_ms() < end_ms)) {
    if (agent.do_work() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    Envelope e;
    while (messages_rx.try_pop(e)) {
    }
  }
  if (const feed::MarketRoller* roller = (*feed)->roller()) {
    const auto& c = roller->counters();
    std::fprintf(stderr,
                 "polybot record: windows found %llu, missed %llu, subscribed %llu, unsubscribed %llu; /book resyncs "
                 "%llu applied of %llu\n",
                 static_cast<unsigned long long>(c.found), static_cast<unsigned long long>(c.missed),
                 static_cast<unsigned long long>(c.subscribed), static_cast<unsigned long long>(c.unsubscribed),
                 static_cast<unsigned long long>(c.resync_applied), static_cast<unsigned long long>(c.resync_requests));
  }
  (*feed)->shutdown();
  (*recorder)->close();
  using feed::FeedChannel;
  std::fprintf(stderr,
               "polybot record: %llu polymarket, %llu binance stream, %llu binance rest, %llu reference-price frames "
               "-> %s/journal (%llu not written)\n",
               static_cast<unsigned long long>(raw.frames(FeedChannel::kPolymarketMarket)),
               static_cast<unsigned long long>(raw.frames(FeedChannel::kBinanceStream)),
               static_cast<unsigned long long>(raw.frames(FeedChannel::kBinanceRest)),
               static_cast<unsigned long long>(raw.frames(FeedChannel::kRefPrice)), args.out.c_str(),
               static_cast<unsigned long long>((*recorder)->failed()));
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
