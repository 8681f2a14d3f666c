// How fast does a venue frame become fixed-point messages (and an updated book), and how does that compare with
// a DOM parser (nlohmann::json) producing the same values from the same bytes? Every benchmark checks its output
// once before timing. The Polybot rows parse the frame in place, as the sessions do (net::WsFrame guarantees
// kFramePadding readable bytes after every frame); "Copy" rows use the copying entry (replay, tests).
// Latency rows time every single call with the TSC clock (LiveClock) and report its p50/p99; p50_net_ns subtracts
// the p50 of an empty timed call measured in the same benchmark just before (the clock's own cost).
#include <benchmark/benchmark.h>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/histogram.hpp"
#include "core/net/padding.hpp"
#include "feed/book_set.hpp"
#include "feed/capture_reader.hpp"
#include "feed/parse/binance_parser.hpp"
#include "feed/parse/polymarket_parser.hpp"

namespace {

using namespace polybot;
using namespace polybot::feed;

// A frame as the WebSocket client hands it over: kFramePadding readable bytes follow it.
struct PaddedFrame {
  std::string storage;
  std::string_view frame;
  explicit PaddedFrame(const std::string& f) : storage(f + std::string(net::kFramePadding, ' ')), frame(storage.data(), f.size()) {}
};

constexpr const char* kAsset = "52114319501245915516055106046884209969926127482827954674443846427813813222426";

// A real batched price_change entry (tests/data/polymarket/ws_messages__price_change_v2.json), compact: 370 bytes.
const std::string kPriceChange =
    std::string(R"({"event_type":"price_change","market":"0x5f65177b394277fd294cd75650044e32ba009a95022d88a0c1d565897d72f8f1","timestamp":"1729084877448","price_changes":[{"asset_id":")") +
    kAsset +
    R"(","price":"0.6","size":"3300","side":"BUY","hash":"bf32b3746fff40c76c98021b7f3f07261169dd26","best_bid":"0.6","best_ask":"0.7"}]})";

std::string make_book20() {
  std::string s = std::string(R"({"event_type":"book","asset_id":")") + kAsset +
                  R"(","market":"0x5f65177b394277fd294cd75650044e32ba009a95022d88a0c1d565897d72f8f1","bids":[)";
  // Bids ascending and asks descending, as the venue sends them (best level last).
  for (int i = 0; i < 20; ++i) {
    if (i) s += ',';
    s += R"({"price":"0.)" + std::to_string(41 + i) + R"(","size":")" + std::to_string(1000 + 37 * i) + ".25\"}";
  }
  s += R"(],"asks":[)";
  for (int i = 0; i < 20; ++i) {
    if (i) s += ',';
    s += R"({"price":"0.)" + std::to_string(80 - i) + R"(","size":")" + std::to_string(900 + 41 * i) + ".5\"}";
  }
  s += R"(],"timestamp":"1729084877448","hash":"bf32b3746fff40c76c98021b7f3f07261169dd26"})";
  return s;
}
const std::string kBook20 = make_book20();
const PaddedFrame kPriceChangeIn(kPriceChange);
const PaddedFrame kBook20In(kBook20);

ParseStatus parse_in_place(PolymarketParser& p, const PaddedFrame& f, MarketSink& sink) {
  return p.parse_in_place(f.frame, net::kFramePadding, 1, sink);
}

const std::string kBookTicker =
    R"({"stream":"btcusdt@bookTicker","data":{"u":50093239212,"s":"BTCUSDT","b":"61837.63000000","B":"3.78826000","a":"61837.64000000","A":"1.54698000"}})";

struct NullSink : MarketSink {
  std::int64_t acc = 0;
  void on_book_level(const BookLevel& m) noexcept override { acc += m.price.raw + m.size.raw; }
  void on_book_snapshot(const BookSnapshot& m) noexcept override { acc += m.bid_levels; }
  void on_btc_tick(const BtcTick& m) noexcept override { acc += m.bid.raw + m.ask.raw; }
  void on_depth_diff(InstrumentId, const book::DepthDiff& d, std::span<const book::DepthLevel> b,
                     std::span<const book::DepthLevel> a) noexcept override {
    acc += static_cast<std::int64_t>(d.last_id + b.size() + a.size());
  }
};

std::int64_t fixed(const std::string& s, int decimals) {
  auto r = parse_decimal(s, decimals, false);
  return r ? *r : -1;
}

// ---- Polymarket price_change -------------------------------------------------------------------------------

// Rows registered with ->Apply(both_stage1s) run twice: library_stage1:0 with polybot's stage 1 (what the
// engine uses), library_stage1:1 with simdjson's own, for an A/B in one process.
json::Stage1 stage1_of(const benchmark::State& state) {
  return state.range(0) != 0 ? json::Stage1::kLibrary : json::Stage1::kPolybot;
}
void both_stage1s(benchmark::internal::Benchmark* b) { b->ArgName("library_stage1")->Arg(0)->Arg(1); }

struct PmWorld {
  InstrumentTable tokens{16};
  InstrumentId id = tokens.add(kAsset);
  PolymarketParser parser;
  BookSet books;
  explicit PmWorld(json::Stage1 stage1 = json::Stage1::kPolybot) : parser(tokens, 1u << 20, stage1) {
    book::Book& b = books.prepare_book(id);
    b.begin_snapshot(1729084877000, 0);
    b.snapshot_level(BookSide::kBid, *Price::parse("0.6"), *Qty::parse("10"));
    b.snapshot_level(BookSide::kAsk, *Price::parse("0.7"), *Qty::parse("10"));
    b.end_snapshot();
  }
};

void BM_PriceChange_Parse_Polybot(benchmark::State& state) {
  PmWorld w;
  NullSink sink;
  if (parse_in_place(w.parser, kPriceChangeIn, sink) != ParseStatus::kOk || sink.acc != 600000 + 3300000000) {
    state.SkipWithError("price_change output check failed");
    return;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(parse_in_place(w.parser, kPriceChangeIn, sink));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kPriceChange.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_PriceChange_Parse_Polybot);

void BM_PriceChange_ParseCopy_Polybot(benchmark::State& state) {
  PmWorld w;
  NullSink sink;
  if (w.parser.parse(kPriceChange, 1, sink) != ParseStatus::kOk || sink.acc != 600000 + 3300000000) {
    state.SkipWithError("price_change output check failed");
    return;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(w.parser.parse(kPriceChange, 1, sink));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kPriceChange.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_PriceChange_ParseCopy_Polybot);

void BM_PriceChange_ParseApply_Polybot(benchmark::State& state) {
  PmWorld w;
  if (parse_in_place(w.parser, kPriceChangeIn, w.books) != ParseStatus::kOk || !w.books.book(w.id)->valid() ||
      w.books.book(w.id)->best_bid_size() != *Qty::parse("3300")) {
    state.SkipWithError("price_change apply check failed");
    return;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(parse_in_place(w.parser, kPriceChangeIn, w.books));
  }
  if (!w.books.book(w.id)->valid()) state.SkipWithError("book went invalid");
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kPriceChange.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_PriceChange_ParseApply_Polybot);

std::int64_t nlohmann_price_change(const std::string& frame) {
  const auto j = nlohmann::json::parse(frame);
  std::int64_t acc = 0;
  const std::int64_t ts = fixed(j["timestamp"].get<std::string>(), 0);
  for (const auto& c : j["price_changes"]) {
    acc += fixed(c["price"].get<std::string>(), 6) + fixed(c["size"].get<std::string>(), 6);
    acc += fixed(c["best_bid"].get<std::string>(), 6) - fixed(c["best_bid"].get<std::string>(), 6);
    acc += c["side"].get<std::string>() == "BUY" ? 0 : 1;
    acc += static_cast<std::int64_t>(c["asset_id"].get<std::string>().size()) * 0;
  }
  return acc + ts * 0;
}

void BM_PriceChange_Parse_Nlohmann(benchmark::State& state) {
  if (nlohmann_price_change(kPriceChange) != 600000 + 3300000000) {
    state.SkipWithError("nlohmann output check failed");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(nlohmann_price_change(kPriceChange));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kPriceChange.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_PriceChange_Parse_Nlohmann);

// The clock the latency rows read: the engine's TSC clock (a virtual call and an rdtsc, ~10 ns), calibrated once.
const Clock& bench_clock() {
  static const LiveClock clock;
  return clock;
}

// Per-call latency: every call is timed on its own, so p50/p99 are per-message percentiles, not means.
template <class F>
void latency(benchmark::State& state, F&& call) {
  const Clock& clock = bench_clock();
  LatencyHistogram empty;
  for (int i = 0; i < 100000; ++i) {
    const std::int64_t t0 = clock.now_ns();
    benchmark::ClobberMemory();
    empty.record(clock.now_ns() - t0);
  }
  LatencyHistogram h;
  for (auto _ : state) {
    const std::int64_t t0 = clock.now_ns();
    call();
    h.record(clock.now_ns() - t0);
  }
  const auto p50 = static_cast<double>(h.percentile(0.50));
  const auto clock_p50 = static_cast<double>(empty.percentile(0.50));
  state.counters["p50_ns"] = p50;
  state.counters["p50_net_ns"] = p50 > clock_p50 ? p50 - clock_p50 : 0.0;
  state.counters["p99_ns"] = static_cast<double>(h.percentile(0.99));
  state.counters["max_ns"] = static_cast<double>(h.max());
}

void BM_ClockOverhead(benchmark::State& state) {
  latency(state, [] {});
}
BENCHMARK(BM_ClockOverhead);

void BM_PriceChange_ParseLatency_Polybot(benchmark::State& state) {
  PmWorld w(stage1_of(state));
  NullSink sink;
  latency(state, [&] { benchmark::DoNotOptimize(parse_in_place(w.parser, kPriceChangeIn, sink)); });
}
BENCHMARK(BM_PriceChange_ParseLatency_Polybot)->Apply(both_stage1s);

void BM_PriceChange_ParseLatency_Nlohmann(benchmark::State& state) {
  latency(state, [&] { benchmark::DoNotOptimize(nlohmann_price_change(kPriceChange)); });
}
BENCHMARK(BM_PriceChange_ParseLatency_Nlohmann);

// ---- Floor of the price_change parse with simdjson On-Demand on this machine --------------------------------
// Not parsers: references that show how much of the Polybot row is simdjson itself. Stage 1 only (the structural
// index of the 370 bytes: what any On-Demand parser pays before reading a field); stage 1 plus visiting every key
// and value token with no value decoded; and a schema-specific reader that decodes exactly the fields the engine
// uses into a struct (no escapes, no validation beyond the types, no token lookup, no sink) — the least a
// price_change reader built on On-Demand can do.

namespace od = simdjson::ondemand;

struct FloorParser {
  od::parser parser;
  explicit FloorParser(json::Stage1 stage1) {
    if (json::allocate_parser(parser, 1u << 16, stage1)) std::abort();
  }
  bool stage1(const PaddedFrame& f, od::document& doc) {
    return !parser.iterate(f.frame.data(), f.frame.size(), f.frame.size() + net::kFramePadding).get(doc);
  }
};

std::size_t walk_tokens(od::document& doc) {
  std::size_t n = 0;
  od::object obj;
  if (doc.get_object().get(obj)) return 0;
  for (auto f : obj) {
    od::field& fld = f.value_unsafe();
    const char* k = fld.key().raw();
    n += static_cast<unsigned char>(k[0]);
    if (k[0] == 'p' && k[5] == '_') {  // price_changes
      od::array arr;
      if (fld.value().get_array().get(arr)) return 0;
      for (auto el : arr) {
        od::object o;
        if (el.get_object().get(o)) return 0;
        for (auto g : o) {
          od::field& f2 = g.value_unsafe();
          n += static_cast<unsigned char>(f2.key().raw()[0]) + f2.value().raw_json_token().size();
        }
      }
    } else {
      n += fld.value().raw_json_token().size();
    }
  }
  return n;
}

struct LeanChange {
  std::int64_t ts = 0, price = 0, size = 0, best_bid = 0, best_ask = 0;
  std::string_view asset;
  bool buy = false, is_price_change = false;
};

bool lean_price_change(od::document& doc, LeanChange& o) {
  using namespace polybot::feed::detail;
  od::object obj;
  if (doc.get_object().get(obj)) return false;
  std::string_view text;
  for (auto f : obj) {
    od::field& fld = f.value_unsafe();
    const char* k = fld.key().raw();
    const std::string_view t = token(fld.value());
    if (k[0] == 'e') {
      o.is_price_change = t == "\"price_change\"";
    } else if (k[0] == 't') {
      if (!plain_fixed_token(t, 0, false, text, o.ts)) return false;
    } else if (raw_key_is(k, "price_changes")) {
      od::array arr;
      if (fld.value().get_array().get(arr)) return false;
      for (auto el : arr) {
        od::object c;
        if (el.get_object().get(c)) return false;
        for (auto g : c) {
          od::field& f2 = g.value_unsafe();
          const char* k2 = f2.key().raw();
          const std::string_view v = token(f2.value());
          bool ok = true;
          switch (k2[0]) {
            case 'a': ok = raw_string(v, o.asset); break;
            case 'p': ok = plain_fixed_token(v, 6, false, text, o.price); break;
            case 's':
              if (k2[1] == 'i' && k2[2] == 'z') ok = plain_fixed_token(v, 6, false, text, o.size);
              else o.buy = v == "\"BUY\"";
              break;
            case 'b':
              ok = plain_fixed_token(v, 6, false, text, k2[6] == 'i' ? o.best_bid : o.best_ask);
              break;
            default: break;
          }
          if (!ok) return false;
        }
      }
    }
  }
  return true;
}

void BM_PriceChange_FloorStage1Latency(benchmark::State& state) {
  FloorParser fp(stage1_of(state));
  od::document doc;
  if (!fp.stage1(kPriceChangeIn, doc)) {
    state.SkipWithError("stage 1 failed");
    return;
  }
  latency(state, [&] {
    od::document d;
    benchmark::DoNotOptimize(fp.stage1(kPriceChangeIn, d));
  });
}
BENCHMARK(BM_PriceChange_FloorStage1Latency)->Apply(both_stage1s);

void BM_PriceChange_FloorWalkLatency(benchmark::State& state) {
  FloorParser fp(stage1_of(state));
  od::document doc;
  if (!fp.stage1(kPriceChangeIn, doc) || walk_tokens(doc) == 0) {
    state.SkipWithError("walk failed");
    return;
  }
  latency(state, [&] {
    od::document d;
    benchmark::DoNotOptimize(fp.stage1(kPriceChangeIn, d) ? walk_tokens(d) : 0);
  });
}
BENCHMARK(BM_PriceChange_FloorWalkLatency)->Apply(both_stage1s);

void BM_PriceChange_FloorLeanReaderLatency(benchmark::State& state) {
  FloorParser fp(stage1_of(state));
  od::document doc;
  LeanChange c;
  if (!fp.stage1(kPriceChangeIn, doc) || !lean_price_change(doc, c) || !c.is_price_change || !c.buy ||
      c.ts != 1729084877448 || c.price != 600000 || c.size != 3300000000 || c.best_bid != 600000 ||
      c.best_ask != 700000 || c.asset != kAsset) {
    state.SkipWithError("lean reader check failed");
    return;
  }
  latency(state, [&] {
    od::document d;
    LeanChange out;
    benchmark::DoNotOptimize(fp.stage1(kPriceChangeIn, d) && lean_price_change(d, out));
    benchmark::DoNotOptimize(out);
  });
}
BENCHMARK(BM_PriceChange_FloorLeanReaderLatency)->Apply(both_stage1s);

// ---- Polymarket book 20x20 ---------------------------------------------------------------------------------

void BM_Book20_ParseApply_Polybot(benchmark::State& state) {
  PmWorld w;
  if (parse_in_place(w.parser, kBook20In, w.books) != ParseStatus::kOk || !w.books.book(w.id)->valid() ||
      w.books.book(w.id)->best_bid() != *Price::parse("0.6") || w.books.book(w.id)->best_ask() != *Price::parse("0.61") ||
      w.books.book(w.id)->level_count(BookSide::kAsk) != 20) {
    state.SkipWithError("book output check failed");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(parse_in_place(w.parser, kBook20In, w.books));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kBook20.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Book20_ParseApply_Polybot);

void BM_Book20_ParseApplyLatency_Polybot(benchmark::State& state) {
  PmWorld w(stage1_of(state));
  latency(state, [&] { benchmark::DoNotOptimize(parse_in_place(w.parser, kBook20In, w.books)); });
}
BENCHMARK(BM_Book20_ParseApplyLatency_Polybot)->Apply(both_stage1s);

std::int64_t nlohmann_book(const std::string& frame, book::Book& b) {
  const auto j = nlohmann::json::parse(frame);
  b.begin_snapshot(fixed(j["timestamp"].get<std::string>(), 0), 1);
  for (const auto& l : j["bids"]) {
    b.snapshot_level(BookSide::kBid, Price::from_raw(fixed(l["price"].get<std::string>(), 6)),
                     Qty::from_raw(fixed(l["size"].get<std::string>(), 6)));
  }
  for (const auto& l : j["asks"]) {
    b.snapshot_level(BookSide::kAsk, Price::from_raw(fixed(l["price"].get<std::string>(), 6)),
                     Qty::from_raw(fixed(l["size"].get<std::string>(), 6)));
  }
  b.end_snapshot();
  return b.best_bid().raw;
}

void BM_Book20_ParseApply_Nlohmann(benchmark::State& state) {
  book::Book b;
  if (nlohmann_book(kBook20, b) != 600000 || !b.valid()) {
    state.SkipWithError("nlohmann book check failed");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(nlohmann_book(kBook20, b));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kBook20.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Book20_ParseApply_Nlohmann);

// ---- Binance bookTicker ------------------------------------------------------------------------------------

void BM_BookTicker_Parse_Polybot(benchmark::State& state) {
  InstrumentTable symbols(8);
  symbols.add("BTCUSDT");
  BinanceParser parser(symbols, 1u << 20, stage1_of(state));
  NullSink sink;
  if (parser.parse(kBookTicker, 1, sink) != ParseStatus::kOk || sink.acc != 6183763000000 + 6183764000000) {
    state.SkipWithError("bookTicker check failed");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(parser.parse(kBookTicker, 1, sink));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kBookTicker.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_BookTicker_Parse_Polybot)->Apply(both_stage1s);

std::int64_t nlohmann_ticker(const std::string& frame) {
  const auto j = nlohmann::json::parse(frame);
  const auto& d = j["data"];
  return fixed(d["b"].get<std::string>(), 8) + fixed(d["a"].get<std::string>(), 8) +
         0 * (fixed(d["B"].get<std::string>(), 8) + fixed(d["A"].get<std::string>(), 8) + d["u"].get<std::int64_t>());
}

void BM_BookTicker_Parse_Nlohmann(benchmark::State& state) {
  if (nlohmann_ticker(kBookTicker) != 6183763000000 + 6183764000000) {
    state.SkipWithError("nlohmann bookTicker check failed");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(nlohmann_ticker(kBookTicker));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kBookTicker.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_BookTicker_Parse_Nlohmann);

// ---- Binance diff depth (real frames from the spot capture, applied in order) ------------------------------

struct DepthFrames {
  std::string text;
  std::vector<std::string_view> pre;    // diff frames received before the snapshot (buffered, then replayed)
  std::vector<std::string_view> diffs;  // diff frames after it
  std::string_view snapshot;
  std::size_t bytes = 0;
  DepthFrames() {
    auto f = read_capture(std::string(POLYBOT_SOURCE_DIR) + "/tests/data/binance/btcusdt_20240808_head12000.gz");
    if (!f) return;
    text = std::move(f->text);
    bool after_snapshot = false;
    for (const CaptureFrame& fr : split_capture(text)) {
      if (fr.json.find("lastUpdateId") != std::string_view::npos && fr.json.find("stream") == std::string_view::npos) {
        snapshot = fr.json;
        after_snapshot = true;
      } else if (fr.json.find("@depth") != std::string_view::npos) {
        if (after_snapshot) {
          diffs.push_back(fr.json);
          bytes += fr.json.size();
        } else {
          pre.push_back(fr.json);
        }
      }
    }
  }
};

void BM_Depth_ParseApply_Polybot(benchmark::State& state) {
  static const DepthFrames frames;
  if (frames.diffs.empty()) {
    state.SkipWithError("capture missing");
    return;
  }
  InstrumentTable symbols(8);
  const InstrumentId id = symbols.add("BTCUSDT");
  BinanceParser parser(symbols, 1u << 20, stage1_of(state));
  BookSet books;
  books.prepare_depth(id);
  // Resync exactly as the capture did: diffs buffered, then the REST snapshot.
  const auto reset = [&] {
    books.depth(id)->on_reconnect();
    for (auto f : frames.pre) (void)parser.parse(f, 1, books);
    (void)parser.parse_rest_depth(frames.snapshot, id, 1, books);
  };
  reset();
  for (std::size_t i = 0; i < frames.diffs.size(); ++i) (void)parser.parse(frames.diffs[i], 1, books);
  if (!books.depth(id)->valid() || books.depth(id)->counters().gaps != 0) {
    state.SkipWithError("depth replay check failed");
    return;
  }
  std::size_t i = 0;
  std::size_t bytes = 0;
  reset();
  for (auto _ : state) {
    if (i == frames.diffs.size()) {  // wrap: resync from the snapshot (amortised over ~1000 diffs)
      reset();
      i = 0;
    }
    bytes += frames.diffs[i].size();
    benchmark::DoNotOptimize(parser.parse(frames.diffs[i++], 1, books));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Depth_ParseApply_Polybot)->Apply(both_stage1s);

std::int64_t nlohmann_depth(std::string_view frame) {
  const auto j = nlohmann::json::parse(frame);
  const auto& d = j["data"];
  std::int64_t acc = d["u"].get<std::int64_t>() - d["U"].get<std::int64_t>();
  for (const auto& l : d["b"]) acc += fixed(l[0].get<std::string>(), 8) + fixed(l[1].get<std::string>(), 8);
  for (const auto& l : d["a"]) acc += fixed(l[0].get<std::string>(), 8) + fixed(l[1].get<std::string>(), 8);
  return acc;
}

void BM_Depth_Parse_Nlohmann(benchmark::State& state) {
  static const DepthFrames frames;
  if (frames.diffs.empty() || nlohmann_depth(frames.diffs[0]) <= 0) {
    state.SkipWithError("capture missing");
    return;
  }
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    if (i == frames.diffs.size()) i = 0;
    bytes += frames.diffs[i].size();
    benchmark::DoNotOptimize(nlohmann_depth(frames.diffs[i++]));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Depth_Parse_Nlohmann);

}  // namespace

BENCHMARK_MAIN();
