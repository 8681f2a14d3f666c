#include "sim/backtest/data_set.hpp"
#include "sim/backtest/journal_data.hpp"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <map>

#include "sim/backtest/data_file.hpp"

namespace polybot::sim::backtest {

namespace fs = std::filesystem;

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string strip_gz(const std::string& name) { return ends_with(name, ".gz") ? name.substr(0, name.size() - 3) : name; }

bool looks_like_capture(const std::string& text) {
  std::size_t i = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  return i >= 10 && i + 1 < text.size() && text[i] == ' ' && text[i + 1] == '{';
}

bool same_window(const MarketWindow& a, const MarketWindow& b) {
  return a.start_s == b.start_s && a.end_s == b.end_s && a.strike == b.strike && a.venue_outcome == b.venue_outcome &&
         a.up_token == b.up_token && a.down_token == b.down_token;
}

}  // namespace

Result<std::vector<BinanceEvent>, std::string> parse_hftbacktest_capture(std::string_view text, std::size_t& skipped) {
  namespace od = simdjson::ondemand;
  std::vector<BinanceEvent> out;
  od::parser parser;
  std::size_t pos = 0;
  std::size_t line_no = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    const std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (line.empty()) continue;
    const std::size_t sp = line.find(' ');
    std::int64_t recv_ns = 0;
    if (sp == std::string_view::npos ||
        std::from_chars(line.data(), line.data() + sp, recv_ns).ec != std::errc{}) {
      return Err{"line " + std::to_string(line_no) + ": expected \"<ns> <json>\""};
    }
    simdjson::padded_string json(line.substr(sp + 1));
    od::document doc;
    od::object obj;
    if (parser.iterate(json).get(doc) || doc.get_object().get(obj)) {
      return Err{"line " + std::to_string(line_no) + ": frame is not a JSON object"};
    }
    std::string_view stream;
    if (obj["stream"].get_string().get(stream)) {
      ++skipped;  // the REST depth snapshot that initialises the book
      continue;
    }
    const bool ticker = stream.find("@bookTicker") != std::string_view::npos;
    const bool trade = stream.find("@trade") != std::string_view::npos || stream.find("@aggTrade") != std::string_view::npos;
    if (!ticker && !trade) {
      ++skipped;
      continue;
    }
    od::object data;
    if (obj["data"].get_object().get(data)) return Err{"line " + std::to_string(line_no) + ": field data missing"};
    BinanceEvent ev;
    ev.recv_ns = recv_ns;
    std::string_view s;
    auto dec = [&](const char* key, auto& dst) -> bool {
      std::string_view v;
      if (data[key].get_string().get(v)) return false;
      auto r = std::remove_reference_t<decltype(dst)>::parse(v);
      if (!r) return false;
      dst = *r;
      return true;
    };
    if (!data["s"].get_string().get(s)) ev.symbol = std::string(s);
    if (ticker) {
      ev.kind = BinanceEvent::Kind::kBookTicker;
      std::uint64_t u = 0;
      if (!data["u"].get_uint64().get(u)) ev.id = u;
      if (!dec("b", ev.bid) || !dec("B", ev.bid_qty) || !dec("a", ev.ask) || !dec("A", ev.ask_qty)) {
        return Err{"line " + std::to_string(line_no) + ": bookTicker field b/B/a/A missing or not a decimal"};
      }
      std::int64_t e = 0;
      if (!data["E"].get_int64().get(e)) ev.exch_ms = e;
    } else {
      ev.kind = BinanceEvent::Kind::kTrade;
      std::int64_t e = 0;
      if (!data["E"].get_int64().get(e)) ev.exch_ms = e;
      std::uint64_t t = 0;
      if (!data["t"].get_uint64().get(t)) ev.id = t;
      if (!data["a"].get_uint64().get(t)) ev.id = t;
      if (!dec("p", ev.bid) || !dec("q", ev.bid_qty)) {
        return Err{"line " + std::to_string(line_no) + ": trade field p/q missing or not a decimal"};
      }
      ev.ask = ev.bid;
      bool m = false;
      if (!data["m"].get_bool().get(m)) ev.buyer_is_maker = m;
      if (!data["T"].get_int64().get(e)) ev.exch_ms = e;
    }
    out.push_back(std::move(ev));
  }
  return out;
}

Result<DataSet, std::string> load_data(const std::string& root) {
  std::error_code ec;
  if (!fs::exists(root, ec)) return Err{std::string("data path \"") + root + "\" does not exist"};
  std::vector<std::string> paths;
  if (fs::is_directory(root, ec)) {
    for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::follow_directory_symlink, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      if (it->is_regular_file(ec)) paths.push_back(it->path().string());
    }
  } else {
    paths.push_back(root);
  }
  std::sort(paths.begin(), paths.end());

  DataSet ds;
  std::map<std::string, MarketWindow> by_slug;
  std::map<std::int64_t, feed::KlineRow> by_open;
  for (const auto& p : paths) {
    DataFile df;
    df.path = fs::is_directory(root, ec) ? fs::relative(p, root, ec).string() : fs::path(p).filename().string();
    const std::string name = fs::path(p).filename().string();
    const std::string base = strip_gz(name);
    std::string stream;
    if (is_journal_segment(name, &stream)) {
      // A polybot journal: its feed stream is read once, through its first segment; the rest belong to it.
      if (name != "feed.000000.seg") {
        df.kind = "journal_segment";
        df.note = stream == "feed" ? "read with feed.000000.seg" : "stream " + stream + " is not backtest input";
      } else {
        const std::string dir = fs::path(p).parent_path().string();
        auto r = read_journal_data(dir.empty() ? std::string(".") : dir);
        if (!r) return Err{r.error()};
        df.kind = "journal";
        df.records = r->records;
        df.note = std::to_string(r->raw_frames) + " raw frames, " + std::to_string(r->messages) +
                  " messages; " + std::to_string(r->windows.size()) + " markets, " +
                  std::to_string(r->chainlink.size()) + " Chainlink reports, " + std::to_string(r->klines.size()) +
                  " klines, " + std::to_string(r->binance.size()) + " Binance events, " +
                  std::to_string(r->poly_book.size()) + " Polymarket book events; " +
                  std::to_string(r->malformed) + " malformed frames skipped";
        for (auto& m : r->windows) {
          auto [it, inserted] = by_slug.emplace(m.slug, m);
          if (!inserted && !same_window(it->second, m)) ++ds.market_conflicts;
        }
        ds.chainlink.add(r->chainlink);
        for (const auto& k : r->klines) {
          auto [it, inserted] = by_open.emplace(k.open_time_ms, k);
          if (!inserted && (it->second.close != k.close || it->second.open != k.open)) ++ds.kline_conflicts;
        }
        for (auto& e : r->binance) ds.binance.push_back(std::move(e));
        for (auto& e : r->poly_book) ds.poly_book.push_back(std::move(e));
      }
    } else if (base.find("-markets-") != std::string::npos && ends_with(base, ".jsonl")) {
      auto r = read_market_list(p);
      if (!r) return Err{r.error().message};
      df.kind = "market_list";
      df.records = r->size();
      for (auto& m : *r) {
        auto [it, inserted] = by_slug.emplace(m.slug, m);
        if (!inserted && !same_window(it->second, m)) ++ds.market_conflicts;
      }
    } else if (ends_with(base, ".jsonl") && (base.find("-book-") != std::string::npos ||
                                             base.find("-price_change-") != std::string::npos ||
                                             base.find("-last_trade_price-") != std::string::npos)) {
      const PolyBookFileKind k = base.find("-book-") != std::string::npos ? PolyBookFileKind::kBook
                                 : base.find("-price_change-") != std::string::npos ? PolyBookFileKind::kPriceChange
                                                                                    : PolyBookFileKind::kLastTrade;
      auto text = read_data_file(p);
      if (!text) return Err{text.error().message};
      auto r = parse_polymarket_book_jsonl(*text, k);
      if (!r) return Err{p + ": " + r.error()};
      df.kind = k == PolyBookFileKind::kBook ? "polymarket_book" : (k == PolyBookFileKind::kPriceChange ? "polymarket_price_change" : "polymarket_trades");
      df.records = r->size();
      for (auto& e : *r) ds.poly_book.push_back(std::move(e));
    } else if (base.find("-prices-") != std::string::npos && ends_with(base, ".csv")) {
      auto r = read_chainlink_csv(p);
      if (!r) return Err{r.error().message};
      df.kind = "chainlink";
      df.records = r->size();
      ds.chainlink.add(*r);
    } else if (ends_with(base, ".csv")) {
      auto r = feed::read_kline_csv(p);
      if (!r) {
        df.kind = "ignored";
        df.note = "not a kline CSV: " + r.error().message;
      } else {
        df.kind = "klines";
        df.records = r->size();
        for (const auto& k : *r) {
          auto [it, inserted] = by_open.emplace(k.open_time_ms, k);
          if (!inserted && (it->second.close != k.close || it->second.open != k.open)) ++ds.kline_conflicts;
        }
      }
    } else if (ends_with(name, ".gz")) {
      auto text = read_data_file(p);
      if (!text) return Err{text.error().message};
      if (looks_like_capture(*text)) {
        std::size_t skipped = 0;
        auto r = parse_hftbacktest_capture(*text, skipped);
        if (!r) return Err{p + ": " + r.error()};
        df.kind = "hftbacktest";
        df.records = r->size();
        df.note = std::to_string(skipped) + " depth/snapshot frames not used";
        for (auto& e : *r) ds.binance.push_back(std::move(e));
      } else {
        df.kind = "ignored";
        df.note = "unrecognised gzip content";
      }
    } else {
      df.kind = "ignored";
      df.note = "unrecognised file name";
    }
    ds.files.push_back(std::move(df));
  }
  for (auto& [slug, m] : by_slug) ds.windows.push_back(std::move(m));
  std::sort(ds.windows.begin(), ds.windows.end(), [](const MarketWindow& a, const MarketWindow& b) {
    return a.start_s != b.start_s ? a.start_s < b.start_s : a.slug < b.slug;
  });
  for (auto& [t, k] : by_open) ds.klines.push_back(k);
  std::stable_sort(ds.poly_book.begin(), ds.poly_book.end(),
                   [](const PolyBookEvent& a, const PolyBookEvent& b) { return a.recv_ms < b.recv_ms; });
  std::stable_sort(ds.binance.begin(), ds.binance.end(),
                   [](const BinanceEvent& a, const BinanceEvent& b) { return a.recv_ns < b.recv_ns; });
  return ds;
}

}  // namespace polybot::sim::backtest
