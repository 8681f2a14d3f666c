#include "feed/binance_session.hpp"

#include "core/net/io_loop.hpp"

namespace polybot::feed {

namespace {
constexpr std::uint64_t kKlineTag = 1ull << 32;
}

BinanceSession::BinanceSession(BinanceSessionConfig config, InstrumentTable& symbols, BinanceParser& parser,
                               BookSet& books, MarketSink& sink, RawFrameSink* raw)
    : config_(std::move(config)), table_(symbols), parser_(parser), books_(books), sink_(sink), raw_(raw) {}

std::string BinanceSession::stream_url() const {
  std::string url = config_.ws_base + "/stream?streams=";
  bool first = true;
  for (const auto& sym : config_.symbols) {
    for (const auto& st : config_.streams) {
      if (!first) url += '/';
      url += sym + "@" + st;
      first = false;
    }
  }
  return url;
}

Result<std::unique_ptr<BinanceSession>, net::NetError> BinanceSession::create(
    net::IoLoop& loop, const net::TlsClientContext* tls, BinanceSessionConfig config, InstrumentTable& symbols,
    BinanceParser& parser, BookSet& books, MarketSink& sink, RawFrameSink* raw) {
  std::unique_ptr<BinanceSession> s(new BinanceSession(std::move(config), symbols, parser, books, sink, raw));
  bool diff = false;
  for (const auto& st : s->config_.streams) {
    if (st == "depth" || st.rfind("depth@", 0) == 0) diff = true;
  }
  for (const auto& lower : s->config_.symbols) {
    Symbol sym;
    for (char c : lower) sym.upper += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    sym.id = symbols.add(sym.upper);
    if (!sym.id.valid()) return Err{net::NetError::kBadConfig};
    sym.diff_depth = diff;
    sym.depth_target = "/api/v3/depth?symbol=" + sym.upper + "&limit=" + std::to_string(s->config_.depth_limit);
    sym.klines_target = "/api/v3/klines?symbol=" + sym.upper + "&interval=1m&limit=" +
                        std::to_string(s->config_.kline_backfill);
    if (diff) books.prepare_depth(sym.id);
    s->symbols_.push_back(std::move(sym));
  }
  net::WsClientConfig wc;
  wc.url = s->stream_url();
  wc.keepalive.dead_after_ms = s->config_.dead_after_ms;
  wc.backoff = s->config_.backoff;
  wc.clock = s->config_.clock;
  auto ws = net::WsClient::create(loop, tls, std::move(wc), *s);
  if (!ws) return Err{ws.error()};
  s->ws_ = std::move(*ws);
  net::HttpClientConfig hc;
  hc.base_url = s->config_.rest_base;
  hc.clock = s->config_.clock;
  auto http = net::HttpClient::create(loop, tls, std::move(hc), *s);
  if (!http) return Err{http.error()};
  s->http_ = std::move(*http);
  return s;
}

void BinanceSession::start() noexcept {
  http_->start();
  ws_->start();
}

void BinanceSession::stop() noexcept {
  ws_->stop();
  http_->close();
}

std::int64_t BinanceSession::now_ms() const noexcept {
  return config_.clock != nullptr ? config_.clock->now_ns() / 1'000'000 : net::io_loop_now_ms();
}

void BinanceSession::request_snapshot(std::size_t i) noexcept {
  Symbol& s = symbols_[i];
  net::HttpRequest req;
  req.target = s.depth_target;
  req.tag = i;
  if (http_->submit(req) == net::NetError::kOk) {
    s.request_in_flight = true;
    s.last_request_ms = now_ms();
    ++counters_.snapshot_requests;
  }
}

int BinanceSession::poll_resync() noexcept {
  int work = 0;
  const std::int64_t now = now_ms();
  for (std::size_t i = 0; i < symbols_.size(); ++i) {
    Symbol& s = symbols_[i];
    if (!s.diff_depth || s.request_in_flight || ws_->state() != net::WsState::kOpen) continue;
    const book::DepthBook* d = books_.depth(s.id);
    if (d == nullptr || d->valid() || d->buffered_events() == 0) continue;  // synced, or nothing to sync with yet
    if (now - s.last_request_ms < static_cast<std::int64_t>(config_.resync_min_interval_ms)) continue;
    request_snapshot(i);
    ++work;
  }
  return work;
}

void BinanceSession::on_open(net::WsClient&, bool) noexcept {
  // Diff events buffer in the depth book from now on; the snapshot requested by poll_resync() syncs them.
  if (!klines_done_ && config_.kline_backfill > 0) {
    for (std::size_t i = 0; i < symbols_.size(); ++i) {
      net::HttpRequest req;
      req.target = symbols_[i].klines_target;
      req.tag = kKlineTag | i;
      (void)http_->submit(req);
    }
    klines_done_ = true;
  }
}

void BinanceSession::on_frame(net::WsClient&, const net::WsFrame& frame) noexcept {
  ++counters_.frames;
  if (raw_ != nullptr) raw_->on_raw_frame(FeedChannel::kBinanceStream, frame.data, frame.recv_ns);
  const ParseStatus st = parser_.parse_in_place(frame.data, net::kFramePadding, frame.recv_ns, sink_);
  if (st != ParseStatus::kOk && st != ParseStatus::kIgnored && st != ParseStatus::kUnknownInstrument) {
    ++counters_.parse_errors;
  }
}

void BinanceSession::on_disconnect(net::WsClient&, const net::WsDisconnect&) noexcept {
  ++counters_.disconnects;
  books_.on_reconnect_binance();
}

void BinanceSession::on_response(net::HttpClient&, std::uint64_t tag, const net::HttpResponse& r) noexcept {
  const std::size_t i = static_cast<std::size_t>(tag & 0xffffffffull);
  if (i >= symbols_.size()) return;
  if (raw_ != nullptr && r.error == net::NetError::kOk) raw_->on_raw_frame(FeedChannel::kBinanceRest, r.body, r.recv_ns);
  if ((tag & kKlineTag) != 0) {
    if (r.error == net::NetError::kOk && r.status == 200 &&
        parser_.parse_rest_klines(r.body, symbols_[i].id, now_ms(), r.recv_ns, sink_) == ParseStatus::kOk) {
      ++counters_.klines_backfilled;
    }
    return;
  }
  symbols_[i].request_in_flight = false;
  if (r.error != net::NetError::kOk || r.status != 200 ||
      parser_.parse_rest_depth(r.body, symbols_[i].id, r.recv_ns, sink_) != ParseStatus::kOk) {
    ++counters_.snapshot_failures;
  }
}

}  // namespace polybot::feed
