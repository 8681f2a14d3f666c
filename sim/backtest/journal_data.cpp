#include "sim/backtest/journal_data.hpp"

#include <cctype>
#include <cstring>
#include <filesystem>
#include <map>
#include <string_view>

#include "core/msg/envelope.hpp"
#include "feed/instrument_table.hpp"
#include "feed/parse/binance_parser.hpp"
#include "feed/parse/gamma_parser.hpp"
#include "feed/parse/polymarket_parser.hpp"
#include "feed/parse/ref_price_parser.hpp"
#include "journal/format.hpp"
#include "journal/stream_reader.hpp"

namespace polybot::sim::backtest {

namespace fs = std::filesystem;

namespace {

constexpr std::int64_t kNsPerMs = 1'000'000;

std::string_view skip_ws(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  return s;
}

bool has(std::string_view s, std::string_view needle) { return s.find(needle) != std::string_view::npos; }

// Which parser a raw frame belongs to. The feed stream does not tag frames with their session, so the frame's
// own shape decides; every venue's frames carry a distinguishing key.
enum class FrameSource : std::uint8_t { kPolymarket, kPolymarketRestBook, kBinanceStream, kBinanceRestKlines,
                                        kRefPrice, kGamma, kOther };

FrameSource classify(std::string_view frame) {
  const std::string_view s = skip_ws(frame);
  if (s.empty() || (s.front() != '{' && s.front() != '[')) return FrameSource::kOther;  // PONG, NO NEW ASSETS
  if (s.size() > 1 && s.front() == '[' && skip_ws(s.substr(1)).starts_with("[")) return FrameSource::kBinanceRestKlines;
  if (has(s, "\"clobTokenIds\"")) return FrameSource::kGamma;
  if (has(s, "\"event_type\"")) return FrameSource::kPolymarket;
  if (has(s, "\"stream\"")) return FrameSource::kBinanceStream;
  if (has(s, "\"topic\"") || has(s, "\"channel\"")) return FrameSource::kRefPrice;
  if (has(s, "\"asset_id\"") && has(s, "\"bids\"")) return FrameSource::kPolymarketRestBook;
  return FrameSource::kOther;
}

// btc-updown-5m-<start> / btc-updown-15m-<start>: the interval and start the slug names, or false.
bool window_from_slug(std::string_view slug, std::int64_t& start_s, std::int64_t& interval_s) {
  const std::size_t dash = slug.rfind('-');
  if (dash == std::string_view::npos || dash + 1 >= slug.size()) return false;
  std::int64_t v = 0;
  for (char c : slug.substr(dash + 1)) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  const std::string_view head = slug.substr(0, dash);
  if (head.ends_with("-15m")) interval_s = 900;
  else if (head.ends_with("-5m")) interval_s = 300;
  else if (head.ends_with("-1h")) interval_s = 3600;
  else return false;
  start_s = v;
  return true;
}

// The Up/Down order of a market's tokens: outcomes name them; Gamma lists Up first for these markets.
void assign_tokens(MarketWindow& w, const std::string_view tokens[2], const std::string_view outcomes[2]) {
  const bool swapped = outcomes[0] == "Down" || outcomes[1] == "Up";
  w.up_token = std::string(tokens[swapped ? 1 : 0]);
  w.down_token = std::string(tokens[swapped ? 0 : 1]);
}

MarketWindow window_from_gamma(const feed::GammaMarket& g) {
  MarketWindow w;
  w.slug = g.slug;
  w.condition_id = g.condition_id;
  w.question = g.question;
  const std::string_view tokens[2] = {g.token_ids[0], g.token_ids[1]};
  const std::string_view outcomes[2] = {g.outcomes[0], g.outcomes[1]};
  assign_tokens(w, tokens, outcomes);
  w.start_s = g.start_s;
  w.end_s = g.end_s;
  std::int64_t slug_start = 0, interval = 0;
  if (window_from_slug(g.slug, slug_start, interval)) {
    w.interval_s = interval;
    if (w.start_s == 0) w.start_s = slug_start;
  } else {
    w.interval_s = w.end_s - w.start_s;
  }
  if (w.end_s == 0) w.end_s = w.start_s + w.interval_s;
  w.resolved = g.closed;
  w.fee.known = g.fees.present;
  w.fee.enabled = g.fees_enabled;
  w.fee.rate_e6 = g.fees.rate_e6;
  w.fee.exponent = g.fees.exponent;
  w.fee.taker_only = g.fees.taker_only;
  if (g.tick.raw > 0) w.tick = g.tick;
  if (g.min_order_size.raw > 0) w.min_size = g.min_order_size;
  return w;
}

// Collects what the engine's parsers emit into the backtest's event types.
class Collector final : public feed::MarketSink {
 public:
  Collector(JournalData& out, feed::InstrumentTable& tokens, feed::InstrumentTable& symbols,
            std::map<std::string, MarketWindow>& by_slug)
      : out_(out), tokens_(tokens), symbols_(symbols), by_slug_(by_slug) {}

  void on_book_snapshot(const BookSnapshot& m) noexcept override {
    if (m.phase == SnapshotPhase::kBegin) {
      flush();
      open_ = PolyBookEvent{};
      open_.kind = PolyBookEvent::Kind::kSnapshot;
      open_.asset_id = std::string(tokens_.key_of(m.hdr.instrument));
      open_.recv_ms = m.hdr.ts_recv / kNsPerMs;
      open_.event_ms = m.hdr.ts_exch / kNsPerMs;
      has_open_ = true;
      in_snapshot_ = true;
    } else {
      in_snapshot_ = false;
      flush();
    }
  }

  void on_book_level(const BookLevel& m) noexcept override {
    const std::string_view asset = tokens_.key_of(m.hdr.instrument);
    if (!in_snapshot_) {
      // Deltas of one token in one message become one event, as the dataset files split a batch per token.
      if (!has_open_ || open_.kind != PolyBookEvent::Kind::kDelta || open_.asset_id != asset ||
          open_.recv_ms != m.hdr.ts_recv / kNsPerMs || open_.event_ms != m.hdr.ts_exch / kNsPerMs) {
        flush();
        open_ = PolyBookEvent{};
        open_.kind = PolyBookEvent::Kind::kDelta;
        open_.asset_id = std::string(asset);
        open_.recv_ms = m.hdr.ts_recv / kNsPerMs;
        open_.event_ms = m.hdr.ts_exch / kNsPerMs;
        has_open_ = true;
      }
    }
    open_.levels.push_back(BookLevelUpdate{m.side == BookSide::kBid ? Side::kBuy : Side::kSell, m.price, m.size});
  }

  void on_trade(const Trade& m) noexcept override {
    flush();
    if (m.venue == Venue::kPolymarket) {
      PolyBookEvent e;
      e.kind = PolyBookEvent::Kind::kTrade;
      e.asset_id = std::string(tokens_.key_of(m.hdr.instrument));
      e.recv_ms = m.hdr.ts_recv / kNsPerMs;
      e.event_ms = m.hdr.ts_exch / kNsPerMs;
      e.trade_price = Price::from_raw(m.price_raw);
      e.trade_size = Qty::from_raw(m.size_raw);
      e.aggressor = m.aggressor;
      out_.poly_book.push_back(std::move(e));
    } else {
      add_binance_trade(m, std::string(symbols_.key_of(m.hdr.instrument)));
    }
  }

  void on_market_status(const MarketStatus& /*m*/, const feed::MarketInfo& info) noexcept override {
    if (info.slug.empty() || info.token_ids[0].empty() || info.token_ids[1].empty()) return;
    MarketWindow w;
    if (!window_from_slug(info.slug, w.start_s, w.interval_s)) return;
    w.slug = std::string(info.slug);
    w.condition_id = std::string(info.condition_id);
    w.end_s = w.start_s + w.interval_s;
    assign_tokens(w, info.token_ids, info.outcomes);
    if (info.tick.raw > 0) w.tick = info.tick;
    by_slug_.emplace(w.slug, std::move(w));  // a Gamma body for the same slug (richer: fees) wins if first
  }

  void on_btc_tick(const BtcTick& m) noexcept override {
    add_btc_tick(m, std::string(symbols_.key_of(m.hdr.instrument)));
  }
  void on_kline(const Kline& m) noexcept override { add_kline(m); }
  void on_ref_price(const RefPrice& m) noexcept override { add_ref_price(m, symbols_.key_of(m.hdr.instrument)); }

  void add_btc_tick(const BtcTick& m, std::string symbol) {
    BinanceEvent ev;
    ev.kind = BinanceEvent::Kind::kBookTicker;
    ev.recv_ns = m.hdr.ts_recv;
    ev.exch_ms = m.hdr.ts_exch / kNsPerMs;
    ev.symbol = std::move(symbol);
    ev.bid = m.bid;
    ev.ask = m.ask;
    ev.bid_qty = m.bid_qty;
    ev.ask_qty = m.ask_qty;
    ev.id = m.update_id;
    out_.binance.push_back(std::move(ev));
  }

  void add_binance_trade(const Trade& m, std::string symbol) {
    BinanceEvent ev;
    ev.kind = BinanceEvent::Kind::kTrade;
    ev.recv_ns = m.hdr.ts_recv;
    ev.exch_ms = m.hdr.ts_exch / kNsPerMs;
    ev.symbol = std::move(symbol);
    ev.bid = ev.ask = UsdPrice::from_raw(m.price_raw);
    ev.bid_qty = BtcQty::from_raw(m.size_raw);
    // The aggressor is the taker: a buyer-maker trade is a taker sell.
    ev.buyer_is_maker = m.aggressor == Side::kSell;
    ev.id = m.trade_id;
    out_.binance.push_back(std::move(ev));
  }

  void add_kline(const Kline& m) {
    if (m.closed == 0) return;  // an in-progress bar: the closed one follows
    feed::KlineRow k;
    k.open_time_ms = m.open_time_ms;
    k.close_time_ms = m.close_time_ms;
    k.open = m.open;
    k.high = m.high;
    k.low = m.low;
    k.close = m.close;
    k.volume = m.volume;
    k.trades = m.trades;
    out_.klines.push_back(k);
  }

  void add_ref_price(const RefPrice& m, std::string_view symbol) {
    if (m.venue != Venue::kChainlink || m.is_twap != 0) return;
    if (!symbol.empty() && symbol.find("btc") == std::string_view::npos && symbol.find("BTC") == std::string_view::npos) {
      return;
    }
    RefReport r;
    r.feed_ts_ms = m.feed_ts_ms;
    r.value.raw = static_cast<i128>((static_cast<u128>(m.value_e18_hi) << 64) | m.value_e18_lo);
    r.recv_ms = m.hdr.ts_recv / kNsPerMs;
    out_.chainlink.push_back(r);
  }

  void flush() {
    if (has_open_) out_.poly_book.push_back(std::move(open_));
    has_open_ = false;
    open_ = PolyBookEvent{};
  }

 private:
  JournalData& out_;
  feed::InstrumentTable& tokens_;
  feed::InstrumentTable& symbols_;
  std::map<std::string, MarketWindow>& by_slug_;
  PolyBookEvent open_;
  bool has_open_ = false;
  bool in_snapshot_ = false;
};

template <class T>
bool load_message(const journal::RecordView& r, T& out) {
  if (r.size < sizeof(T)) return false;
  std::memcpy(&out, r.payload, sizeof(T));
  return true;
}

}  // namespace

bool is_journal_segment(const std::string& name, std::string* stream) {
  // <stream>.<6 digits>.seg
  if (name.size() < 12 || !name.ends_with(".seg")) return false;
  const std::size_t dot = name.size() - 11;
  if (name[dot] != '.') return false;
  for (std::size_t i = dot + 1; i < dot + 7; ++i) {
    if (name[i] < '0' || name[i] > '9') return false;
  }
  if (dot == 0 || dot > journal::kMaxStreamName) return false;
  if (stream != nullptr) *stream = name.substr(0, dot);
  return true;
}

Result<JournalData, std::string> read_journal_data(const std::string& dir, const JournalReadOptions& options) {
  std::error_code ec;
  if (!fs::exists(fs::path(dir) / "feed.000000.seg", ec)) {
    return Err{"journal \"" + dir + "\": no feed stream (feed.000000.seg); the backtest reads the feed stream"};
  }
  JournalData out;
  feed::InstrumentTable tokens(1 << 16);
  feed::InstrumentTable symbols(1024);
  tokens.set_auto_add(true);
  symbols.set_auto_add(true);
  std::map<std::string, MarketWindow> by_slug;
  Collector sink(out, tokens, symbols, by_slug);
  // The feed's own produced messages repeat what its raw frames already say (a live feed journals both), so they
  // are used only for a kind of data no raw frame supplied (e.g. a kline-replay run journals no frames).
  JournalData from_messages;
  Collector msg_sink(from_messages, tokens, symbols, by_slug);
  auto poly = std::make_unique<feed::PolymarketParser>(tokens, std::size_t{16} << 20);
  auto binance = std::make_unique<feed::BinanceParser>(symbols, std::size_t{16} << 20);
  auto ref = std::make_unique<feed::RefPriceParser>(symbols, std::size_t{16} << 20);
  feed::GammaParser gamma;
  const InstrumentId rest_symbol = symbols.add(options.binance_symbol);

  journal::StreamReader reader(dir, "feed");
  journal::RecordView r;
  for (;;) {
    const journal::ReadStatus st = reader.next(r);
    if (st == journal::ReadStatus::kEnd) break;
    if (st == journal::ReadStatus::kFault) {
      return Err{"journal \"" + dir + "\": stream feed: " + reader.fault().describe()};
    }
    if (st != journal::ReadStatus::kRecord) break;
    ++out.records;
    if (r.type == journal::kTypeRawFrame) {
      ++out.raw_frames;
      const std::string_view frame(reinterpret_cast<const char*>(r.payload), r.size);
      feed::ParseStatus ps = feed::ParseStatus::kIgnored;
      switch (classify(frame)) {
        case FrameSource::kPolymarket: ps = poly->parse(frame, r.ts_ns, sink); break;
        case FrameSource::kPolymarketRestBook:
          ps = poly->parse_rest_book(frame, r.ts_ns, sink, feed::HashCheckMode::kOff);
          break;
        case FrameSource::kBinanceStream: ps = binance->parse(frame, r.ts_ns, sink); break;
        case FrameSource::kBinanceRestKlines:
          ps = binance->parse_rest_klines(frame, rest_symbol, r.ts_ns / kNsPerMs, r.ts_ns, sink);
          break;
        case FrameSource::kRefPrice: ps = ref->parse(frame, r.ts_ns, sink); break;
        case FrameSource::kGamma: {
          auto markets = gamma.parse_any(frame);
          if (markets) {
            ps = feed::ParseStatus::kOk;
            for (const auto& g : *markets) {
              if (g.slug.empty() || g.token_ids[0].empty()) continue;
              by_slug.emplace(g.slug, window_from_gamma(g));
            }
          } else {
            ps = feed::ParseStatus::kMalformed;
          }
          break;
        }
        case FrameSource::kOther: ps = feed::ParseStatus::kIgnored; break;
      }
      sink.flush();
      if (ps == feed::ParseStatus::kIgnored) ++out.unused;
      else if (ps != feed::ParseStatus::kOk) ++out.malformed;
      continue;
    }
    if ((r.flags & journal::record_flag::kProduced) == 0 || r.type >= 0x8000) {
      ++out.unused;
      continue;
    }
    ++out.messages;
    switch (static_cast<MsgType>(r.type)) {
      case MsgType::kKline: {
        Kline k;
        if (load_message(r, k) && k.venue == Venue::kBinance) msg_sink.add_kline(k);
        break;
      }
      case MsgType::kBtcTick: {
        BtcTick t;
        if (load_message(r, t) && t.venue == Venue::kBinance) msg_sink.add_btc_tick(t, options.binance_symbol);
        break;
      }
      case MsgType::kTrade: {
        Trade t;
        if (load_message(r, t) && t.venue == Venue::kBinance) msg_sink.add_binance_trade(t, options.binance_symbol);
        break;
      }
      case MsgType::kRefPrice: {
        RefPrice p;
        if (load_message(r, p)) msg_sink.add_ref_price(p, {});
        break;
      }
      default: ++out.unused; break;
    }
  }
  if (out.klines.empty()) out.klines = std::move(from_messages.klines);
  if (out.binance.empty()) out.binance = std::move(from_messages.binance);
  if (out.chainlink.empty()) out.chainlink = std::move(from_messages.chainlink);
  for (auto& [slug, w] : by_slug) out.windows.push_back(std::move(w));
  return out;
}

}  // namespace polybot::sim::backtest
