#include "feed/book_replay.hpp"

#include "core/decimal.hpp"

namespace polybot::feed {

namespace {

bool contains(std::string_view s, std::string_view what) { return s.find(what) != std::string_view::npos; }

// The value of "key":"VALUE" found by substring, for routing only (the parsers do the real decoding).
std::string_view string_field(std::string_view json, std::string_view key) {
  std::string pat = "\"" + std::string(key) + "\"";
  auto p = json.find(pat);
  if (p == std::string_view::npos) return {};
  p = json.find('"', p + pat.size());
  if (p == std::string_view::npos) return {};
  const auto e = json.find('"', p + 1);
  if (e == std::string_view::npos) return {};
  return json.substr(p + 1, e - p - 1);
}

void put_decimal(std::FILE* out, std::int64_t raw, int decimals) {
  char buf[32];
  const std::size_t n = format_decimal(raw, decimals, buf);
  std::fputc('"', out);
  std::fwrite(buf, 1, n, out);
  std::fputc('"', out);
}

void put_json_string(std::FILE* out, std::string_view s) {
  std::fputc('"', out);
  for (char c : s) {
    if (c == '"' || c == '\\') std::fputc('\\', out);
    std::fputc(c, out);
  }
  std::fputc('"', out);
}

}  // namespace

BookSetConfig BookReplay::default_config() {
  BookSetConfig c;
  c.create_on_sight = true;
  c.book.stale_after_ns = 0;   // a replay has no clock to be silent against
  c.depth.stale_after_ns = 0;
  return c;
}

BookReplay::BookReplay(BookSetConfig config)
    : tokens_(1u << 16), symbols_(256), books_(config), pm_(tokens_), bn_(symbols_), hash_(config.rest_hash) {
  tokens_.set_auto_add(true);
  symbols_.set_auto_add(true);
}

void BookReplay::feed_binance_snapshot(std::string_view json, std::int64_t recv_ns) {
  std::string symbol(string_field(json, "symbol"));
  if (symbol.empty()) symbol = last_symbol_;
  if (symbol.empty()) {
    pending_snapshot_.assign(json);
    pending_snapshot_ns_ = recv_ns;
    return;
  }
  ++counters_.rest_snapshots;
  const InstrumentId id = symbols_.add(symbol);
  if (bn_.parse_rest_depth(json, id, recv_ns, books_) != ParseStatus::kOk) ++counters_.parse_errors;
}

void BookReplay::feed(const CaptureFrame& frame) {
  ++counters_.frames;
  const std::string_view json = frame.json;
  const std::string_view head = json.substr(0, 16);
  if (contains(head, "\"stream\"")) {
    ++counters_.binance_frames;
    const std::string_view stream = string_field(json.substr(0, 64), "stream");
    const std::string_view lower = stream.substr(0, stream.find('@'));
    std::string upper;
    for (char c : lower) upper += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    if (!upper.empty() && upper != last_symbol_) last_symbol_ = upper;
    if (!pending_snapshot_.empty() && !last_symbol_.empty()) {
      const std::string snap = std::move(pending_snapshot_);
      pending_snapshot_.clear();
      feed_binance_snapshot(snap, pending_snapshot_ns_);
    }
    const ParseStatus st = bn_.parse(json, frame.recv_ns, books_);
    if (st != ParseStatus::kOk && st != ParseStatus::kIgnored) ++counters_.parse_errors;
    return;
  }
  if (contains(json.substr(0, 64), "\"lastUpdateId\"")) {
    ++counters_.binance_frames;
    feed_binance_snapshot(json, frame.recv_ns);
    return;
  }
  ++counters_.polymarket_frames;
  ParseStatus st;
  if (!contains(json, "\"event_type\"") && contains(json, "\"asset_id\"") && contains(json, "\"bids\"")) {
    ++counters_.rest_snapshots;
    st = pm_.parse_rest_book(json, frame.recv_ns, books_, hash_);
  } else {
    st = pm_.parse(json, frame.recv_ns, books_);
  }
  if (st != ParseStatus::kOk && st != ParseStatus::kIgnored) ++counters_.parse_errors;
}

void BookReplay::print(std::FILE* out, std::string_view asset, std::size_t depth) const {
  for (InstrumentId id : books_.book_ids()) {
    const std::string_view key = tokens_.key_of(id);
    if (!asset.empty() && key != asset) continue;
    const book::Book& b = *books_.book(id);
    std::fputs("{\"asset_id\":", out);
    put_json_string(out, key);
    std::fprintf(out, ",\"valid\":%s", b.valid() ? "true" : "false");
    for (const BookSide side : {BookSide::kBid, BookSide::kAsk}) {
      std::fputs(side == BookSide::kBid ? ",\"bids\":[" : ",\"asks\":[", out);
      std::size_t n = 0;
      b.for_each_level(side, [&](Price p, Qty q) {
        if (depth != 0 && n >= depth) return false;
        if (n++) std::fputc(',', out);
        std::fputc('[', out);
        put_decimal(out, p.raw, Price::kDecimals);
        std::fputc(',', out);
        put_decimal(out, q.raw, Qty::kDecimals);
        std::fputc(']', out);
        return true;
      });
      std::fputc(']', out);
    }
    std::fputs("}\n", out);
  }
  for (InstrumentId id : books_.depth_ids()) {
    const std::string_view key = symbols_.key_of(id);
    if (!asset.empty() && key != asset) continue;
    const book::DepthBook& b = *books_.depth(id);
    std::fputs("{\"asset_id\":", out);
    put_json_string(out, key);
    std::fprintf(out, ",\"valid\":%s", b.valid() ? "true" : "false");
    for (const bool bid : {true, false}) {
      std::fputs(bid ? ",\"bids\":[" : ",\"asks\":[", out);
      const std::size_t count = b.level_count(bid);
      const std::size_t n = depth != 0 && depth < count ? depth : count;
      for (std::size_t i = 0; i < n; ++i) {
        if (i) std::fputc(',', out);
        const book::DepthLevel l = b.level(bid, i);
        std::fputc('[', out);
        put_decimal(out, l.price, UsdPrice::kDecimals);
        std::fputc(',', out);
        put_decimal(out, l.qty, BtcQty::kDecimals);
        std::fputc(']', out);
      }
      std::fputc(']', out);
    }
    std::fputs("}\n", out);
  }
}

void BookReplay::print_stats(std::FILE* out) const {
  std::fprintf(out, "frames %llu (polymarket %llu, binance %llu), rest snapshots %llu, parse errors %llu\n",
               static_cast<unsigned long long>(counters_.frames),
               static_cast<unsigned long long>(counters_.polymarket_frames),
               static_cast<unsigned long long>(counters_.binance_frames),
               static_cast<unsigned long long>(counters_.rest_snapshots),
               static_cast<unsigned long long>(counters_.parse_errors));
  for (const ParseStats* s : {&pm_.stats(), &bn_.stats()}) {
    for (std::size_t k = 0; k < ParseStats::kKinds; ++k) {
      if (s->ok[k] == 0 && s->errors[k] == 0) continue;
      std::fprintf(out, "  %-18s ok %llu errors %llu\n", to_string(static_cast<FrameKind>(k)),
                   static_cast<unsigned long long>(s->ok[k]), static_cast<unsigned long long>(s->errors[k]));
    }
  }
  for (InstrumentId id : books_.book_ids()) {
    const book::Book& b = *books_.book(id);
    std::fprintf(out, "  book %s: %s, %llu changes, %llu snapshots\n", std::string(tokens_.key_of(id)).c_str(),
                 book::to_string(b.reason()), static_cast<unsigned long long>(b.counters().changes_applied),
                 static_cast<unsigned long long>(b.counters().snapshots));
  }
  for (InstrumentId id : books_.depth_ids()) {
    const book::DepthBook& b = *books_.depth(id);
    const auto& c = b.counters();
    std::fprintf(out, "  depth %s: %s, applied %llu, buffered %llu, dropped %llu, gaps %llu, last id %llu\n",
                 std::string(symbols_.key_of(id)).c_str(), book::to_string(b.reason()),
                 static_cast<unsigned long long>(c.applied), static_cast<unsigned long long>(c.buffered),
                 static_cast<unsigned long long>(c.dropped_stale), static_cast<unsigned long long>(c.gaps),
                 static_cast<unsigned long long>(b.last_update_id()));
  }
}

}  // namespace polybot::feed
