// Journal input for `polybot backtest --data JOURNAL`: real data written into a real journal the way the feed
// records it (raw frames as received, or the feed's produced messages), read back through the engine's parsers,
// must give the backtest exactly what the original files give it.
#include <gtest/gtest.h>

#include <simdjson.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "core/msg/market_event.hpp"
#include "feed/kline_csv.hpp"
#include "journal/format.hpp"
#include "journal/stream_writer.hpp"
#include "signal/strategy_factory.hpp"
#include "sim/backtest/backtest.hpp"
#include "sim/backtest/chainlink_csv.hpp"
#include "sim/backtest/data_file.hpp"
#include "sim/backtest/data_set.hpp"
#include "sim/backtest/journal_data.hpp"

namespace polybot::sim::backtest {
namespace {

namespace fs = std::filesystem;
const std::string kSource = POLYBOT_SOURCE_DIR;

fs::path out_dir(const char* name) {
  const fs::path p = fs::path(POLYBOT_BINARY_DIR) / "test-out" / "journal-input" / name;
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

struct Frame {
  std::int64_t ts_ns;
  std::string bytes;
  std::uint16_t type = journal::kTypeRawFrame;
};

void write_feed_stream(const fs::path& dir, std::vector<Frame>& frames) {
  std::stable_sort(frames.begin(), frames.end(), [](const Frame& a, const Frame& b) { return a.ts_ns < b.ts_ns; });
  journal::WriterOptions w;
  w.dir = dir.string();
  w.stream = "feed";
  w.segment_size = std::size_t{4} << 20;  // several segments: the reader must follow the chain
  auto writer = journal::StreamWriter::open(w);
  ASSERT_TRUE(writer.has_value());
  for (const Frame& f : frames) {
    const std::uint8_t flags = f.type == journal::kTypeRawFrame ? journal::record_flag::kConsumed
                                                                : journal::record_flag::kProduced;
    ASSERT_EQ((*writer)->append(f.type, flags, f.ts_ns, f.bytes.data(), static_cast<std::uint32_t>(f.bytes.size())),
              journal::AppendStatus::kOk);
  }
  (*writer)->close();
}

// The real day's market list line by line: the Gamma market object each line carries as `raw`, as
// GammaDiscovery would have journaled the /markets/slug answer two minutes before the window opened.
std::vector<Frame> gamma_frames(const std::string& market_list_path) {
  auto text = read_data_file(market_list_path);
  EXPECT_TRUE(text.has_value());
  std::vector<Frame> out;
  simdjson::dom::parser parser;
  std::size_t pos = 0;
  while (pos < text->size()) {
    std::size_t end = text->find('\n', pos);
    if (end == std::string::npos) end = text->size();
    const std::string line = text->substr(pos, end - pos);
    pos = end + 1;
    if (line.empty()) continue;
    simdjson::dom::element doc;
    if (parser.parse(line).get(doc) != simdjson::SUCCESS) continue;
    simdjson::dom::element raw;
    if (doc["raw"].get(raw) != simdjson::SUCCESS) continue;
    Frame f;
    f.bytes = simdjson::minify(raw);
    f.ts_ns = 0;  // set below from the parsed window start
    out.push_back(std::move(f));
  }
  return out;
}

// Chainlink reports as the RTDS socket delivers them (topic crypto_prices_chainlink), at their receive time.
std::vector<Frame> rtds_frames(const std::vector<RefReport>& reports) {
  std::vector<Frame> out;
  out.reserve(reports.size());
  char buf[512];
  for (const RefReport& r : reports) {
    const std::string fav = [&] {
      // The legacy relay form: the integer already scaled by 1e18.
      std::string s;
      u128 v = static_cast<u128>(r.value.raw);
      do {
        s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
        v /= 10;
      } while (v != 0);
      return s;
    }();
    std::snprintf(buf, sizeof buf,
                  R"({"topic":"crypto_prices_chainlink","type":"update","timestamp":%lld,"payload":{"symbol":"btc/usd","timestamp":%lld,"value":%s,"full_accuracy_value":"%s"}})",
                  static_cast<long long>(r.server_ts_ms), static_cast<long long>(r.feed_ts_ms),
                  r.value.to_usd_price().to_string().c_str(), fav.c_str());
    out.push_back(Frame{r.recv_ms * 1'000'000, buf});
  }
  return out;
}

TEST(JournalInput, RecordedRealDayGivesTheBacktestWhatTheDatasetFilesGive) {
  const std::string data = kSource + "/tests/data/backtest";
  auto files = load_data(data);
  ASSERT_TRUE(files.has_value()) << files.error();
  ASSERT_EQ(files->windows.size(), 292u);

  auto reports = read_chainlink_csv(data + "/BTCUSD-prices-2026-06-08.csv.gz");
  ASSERT_TRUE(reports.has_value());
  std::vector<Frame> frames = rtds_frames(*reports);
  std::vector<Frame> gamma = gamma_frames(data + "/BTC-5m-markets-2026-06-08.jsonl.gz");
  ASSERT_EQ(gamma.size(), files->windows.size());
  for (std::size_t i = 0; i < gamma.size(); ++i) {
    gamma[i].ts_ns = (files->windows.front().start_s - 120 + static_cast<std::int64_t>(i)) * 1'000'000'000;
    frames.push_back(std::move(gamma[i]));
  }
  frames.push_back(Frame{frames.front().ts_ns, "PONG"});
  frames.push_back(Frame{frames.front().ts_ns, R"({"topic":"crypto_prices_chainlink","payload":{"symbol":)"});
  const fs::path dir = out_dir("real-day");
  write_feed_stream(dir, frames);

  auto raw = read_journal_data(dir.string());
  ASSERT_TRUE(raw.has_value()) << raw.error();
  EXPECT_EQ(raw->raw_frames, frames.size());
  EXPECT_EQ(raw->malformed, 1u);  // the cut-short frame: counted and skipped
  EXPECT_EQ(raw->chainlink.size(), reports->size());

  auto journal = load_data(dir.string());
  ASSERT_TRUE(journal.has_value()) << journal.error();
  ASSERT_EQ(journal->windows.size(), files->windows.size());
  for (std::size_t i = 0; i < files->windows.size(); ++i) {
    const MarketWindow& a = files->windows[i];
    const MarketWindow& b = journal->windows[i];
    SCOPED_TRACE(a.slug);
    EXPECT_EQ(a.slug, b.slug);
    EXPECT_EQ(a.condition_id, b.condition_id);
    EXPECT_EQ(a.up_token, b.up_token);
    EXPECT_EQ(a.down_token, b.down_token);
    EXPECT_EQ(a.start_s, b.start_s);
    EXPECT_EQ(a.end_s, b.end_s);
    EXPECT_EQ(a.interval_s, b.interval_s);
    EXPECT_EQ(a.fee.known, b.fee.known);
    EXPECT_EQ(a.fee.rate_e6, b.fee.rate_e6);
    EXPECT_EQ(a.fee.exponent, b.fee.exponent);
    EXPECT_EQ(a.fee.taker_only, b.fee.taker_only);
    EXPECT_EQ(a.tick, b.tick);
    EXPECT_EQ(a.min_size, b.min_size);
  }
  // Every report survives exactly: value to 1e-18, report time and receive time.
  ASSERT_EQ(journal->chainlink.reports().size(), files->chainlink.reports().size());
  for (const auto& [ts, r] : files->chainlink.reports()) {
    const RefReport* j = journal->chainlink.at(ts);
    ASSERT_NE(j, nullptr) << ts;
    EXPECT_EQ(j->value, r.value) << ts;
    EXPECT_EQ(j->recv_ms, r.recv_ms) << ts;
  }

  // Settlement from the journal alone: the strike is the report at the start second (the recording's Gamma
  // objects carry no strike), and it must agree with Polymarket wherever the dataset files settle a window.
  std::size_t settled = 0, agree = 0;
  for (std::size_t i = 0; i < files->windows.size(); ++i) {
    const Settlement s = settle(journal->windows[i], journal->chainlink);
    const Settlement f = settle(files->windows[i], files->chainlink);
    if (s.status != SettleStatus::kSettled) continue;
    ++settled;
    if (files->windows[i].venue_outcome != Outcome::kNone) {
      EXPECT_EQ(s.outcome, files->windows[i].venue_outcome) << files->windows[i].slug;
    }
    if (f.status == SettleStatus::kSettled && f.outcome == s.outcome) ++agree;
  }
  EXPECT_GE(settled, 270u);
  EXPECT_EQ(agree, settled);
}

TEST(JournalInput, KlineReplayJournalBacktestsExactlyLikeItsKlineFile) {
  const std::string csv = kSource + "/sim/data/klines/BTCUSDT_1m_2026-07-21_binance13.csv";
  auto rows = feed::read_kline_csv(csv);
  ASSERT_TRUE(rows.has_value());
  std::vector<Frame> frames;
  for (const auto& k : *rows) {
    Kline m;
    m.hdr.type = MsgType::kKline;
    m.hdr.ts_recv = k.close_time_ms * 1'000'000;
    m.open_time_ms = k.open_time_ms;
    m.close_time_ms = k.close_time_ms;
    m.open = k.open;
    m.high = k.high;
    m.low = k.low;
    m.close = k.close;
    m.volume = k.volume;
    m.trades = k.trades;
    Frame f{m.hdr.ts_recv, std::string(reinterpret_cast<const char*>(&m), sizeof m), static_cast<std::uint16_t>(MsgType::kKline)};
    frames.push_back(std::move(f));
  }
  const fs::path dir = out_dir("klines");
  write_feed_stream(dir, frames);

  auto from_csv = load_data(csv);
  auto from_journal = load_data(dir.string());
  ASSERT_TRUE(from_csv.has_value());
  ASSERT_TRUE(from_journal.has_value()) << from_journal.error();
  ASSERT_EQ(from_journal->klines.size(), from_csv->klines.size());

  auto run = [](const DataSet& ds) {
    BacktestConfig cfg;
    cfg.synthetic_windows = true;
    std::vector<std::unique_ptr<signal::Strategy>> strategies;
    auto s = signal::make_strategy("directional", toml::table{}, "strategies.directional");
    EXPECT_TRUE(s.has_value());
    strategies.push_back(std::move(*s));
    Backtest bt(cfg, ds, std::move(strategies));
    auto r = bt.run();
    EXPECT_TRUE(r.has_value());
    return std::move(*r);
  };
  const BacktestResult a = run(*from_csv);
  const BacktestResult b = run(*from_journal);
  ASSERT_EQ(a.windows.size(), b.windows.size());
  EXPECT_GT(a.windows.size(), 150u);
  EXPECT_GT(a.decisions.size(), 150u);
  ASSERT_EQ(a.decisions.size(), b.decisions.size());
  for (std::size_t i = 0; i < a.decisions.size(); ++i) {
    EXPECT_EQ(a.decisions[i].time_ns, b.decisions[i].time_ns);
    EXPECT_EQ(a.decisions[i].action, b.decisions[i].action);
    EXPECT_EQ(a.decisions[i].reason, b.decisions[i].reason);
  }
  ASSERT_EQ(a.fills.size(), b.fills.size());
  for (std::size_t i = 0; i < a.fills.size(); ++i) {
    EXPECT_EQ(a.fills[i].price, b.fills[i].price);
    EXPECT_EQ(a.fills[i].shares, b.fills[i].shares);
  }
  ASSERT_EQ(a.stats.size(), 1u);
  EXPECT_EQ(a.stats[0].net_pnl, b.stats[0].net_pnl);
}

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

TEST(JournalInput, RealMarketChannelAndBinanceFramesBecomeBookAndTickEvents) {
  std::vector<Frame> frames;
  const std::string pm = kSource + "/tests/data/polymarket/";
  frames.push_back(Frame{1'000'000'000, slurp(pm + "ws_messages__book.json")});
  frames.push_back(Frame{2'000'000'000, slurp(pm + "ws_messages__price_change_v2.json")});
  frames.push_back(Frame{3'000'000'000, slurp(pm + "ws_messages__last_trade_price.json")});
  frames.push_back(Frame{3'500'000'000, "NO NEW ASSETS"});

  // The first 12,000 lines of the real hftbacktest spot capture, as the Binance session would journal them.
  auto capture = read_data_file(kSource + "/tests/data/binance/btcusdt_20240808_head12000.gz");
  ASSERT_TRUE(capture.has_value());
  std::size_t skipped = 0;
  auto expected = parse_hftbacktest_capture(*capture, skipped);
  ASSERT_TRUE(expected.has_value());
  std::size_t pos = 0, capture_frames = 0;
  while (pos < capture->size()) {
    std::size_t end = capture->find('\n', pos);
    if (end == std::string::npos) end = capture->size();
    const std::string line = capture->substr(pos, end - pos);
    pos = end + 1;
    const std::size_t sp = line.find(' ');
    if (sp == std::string::npos) continue;
    const std::string json = line.substr(sp + 1);
    if (json.find("\"stream\"") == std::string::npos) continue;  // REST snapshots: not stream frames
    frames.push_back(Frame{std::stoll(line.substr(0, sp)), json});
    ++capture_frames;
  }
  const fs::path dir = out_dir("frames");
  write_feed_stream(dir, frames);

  auto r = read_journal_data(dir.string());
  ASSERT_TRUE(r.has_value()) << r.error();
  EXPECT_EQ(r->raw_frames, 4 + capture_frames);
  EXPECT_EQ(r->malformed, 0u);

  // Polymarket: the book snapshot, the batched price_change (one event per token) and the trade print.
  simdjson::dom::parser parser;
  simdjson::dom::element book = parser.parse(slurp(pm + "ws_messages__book.json"));
  if (book.is_array()) book = book.at(0);
  const std::string asset{std::string_view(book["asset_id"])};
  ASSERT_FALSE(r->poly_book.empty());
  const PolyBookEvent& snap = r->poly_book.front();
  EXPECT_EQ(snap.kind, PolyBookEvent::Kind::kSnapshot);
  EXPECT_EQ(snap.asset_id, asset);
  EXPECT_EQ(snap.recv_ms, 1000);
  EXPECT_EQ(snap.levels.size(), simdjson::dom::array(book["bids"]).size() + simdjson::dom::array(book["asks"]).size());
  std::size_t deltas = 0, trades = 0;
  for (const auto& e : r->poly_book) {
    if (e.kind == PolyBookEvent::Kind::kDelta) {
      ++deltas;
      EXPECT_EQ(e.recv_ms, 2000);
      EXPECT_FALSE(e.levels.empty());
    }
    if (e.kind == PolyBookEvent::Kind::kTrade) {
      ++trades;
      EXPECT_EQ(e.recv_ms, 3000);
      EXPECT_GT(e.trade_price.raw, 0);
    }
  }
  EXPECT_GE(deltas, 1u);
  EXPECT_EQ(trades, 1u);

  // Binance: every bookTicker and trade the capture reader finds, with the same values and receive times.
  ASSERT_EQ(r->binance.size(), expected->size());
  for (std::size_t i = 0; i < expected->size(); ++i) {
    const BinanceEvent& a = (*expected)[i];
    const BinanceEvent& b = r->binance[i];
    ASSERT_EQ(a.kind, b.kind) << i;
    EXPECT_EQ(a.recv_ns, b.recv_ns) << i;
    EXPECT_EQ(a.symbol, b.symbol) << i;
    EXPECT_EQ(a.bid, b.bid) << i;
    EXPECT_EQ(a.ask, b.ask) << i;
    EXPECT_EQ(a.bid_qty, b.bid_qty) << i;
    if (a.kind == BinanceEvent::Kind::kBookTicker) {
      EXPECT_EQ(a.ask_qty, b.ask_qty) << i;
    }
    EXPECT_EQ(a.id, b.id) << i;
    if (a.kind == BinanceEvent::Kind::kTrade) {
      EXPECT_EQ(a.buyer_is_maker, b.buyer_is_maker) << i;
      EXPECT_EQ(a.exch_ms, b.exch_ms) << i;
    }
  }
}

TEST(JournalInput, DamagedJournalIsAnErrorNamingTheSegmentAndOffset) {
  std::vector<Frame> frames;
  for (int i = 0; i < 200; ++i) {
    frames.push_back(Frame{1'000'000'000LL + i, R"({"topic":"crypto_prices_chainlink","type":"update","timestamp":1,"payload":{"symbol":"btc/usd","timestamp":1780730269000,"value":61035.8612,"full_accuracy_value":"61035861200000000000000"}})"});
  }
  const fs::path dir = out_dir("damaged");
  write_feed_stream(dir, frames);
  const fs::path seg = dir / "feed.000000.seg";
  {
    std::fstream f(seg, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096);
    char c = 0;
    f.read(&c, 1);
    f.seekp(4096);
    c = static_cast<char>(c ^ 0x5a);
    f.write(&c, 1);
  }
  auto r = load_data(dir.string());
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().find("feed.000000.seg"), std::string::npos) << r.error();
  EXPECT_NE(r.error().find("offset"), std::string::npos) << r.error();
}

TEST(JournalInput, DirectoryWithoutAFeedStreamIsRefusedByName) {
  const fs::path dir = out_dir("no-feed");
  auto r = read_journal_data(dir.string());
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().find("feed"), std::string::npos);
}

}  // namespace
}  // namespace polybot::sim::backtest
