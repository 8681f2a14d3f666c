#include "sim/market_data/binance_sim.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "core/int128.hpp"

namespace polybot::sim {

namespace {

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Binance prints prices and quantities with all 8 decimals ("94098.90000000").
std::string e8(std::int64_t raw) {
  char buf[40];
  const std::int64_t whole = raw / 100'000'000;
  const std::int64_t frac = raw % 100'000'000;
  std::snprintf(buf, sizeof buf, "%lld.%08lld", static_cast<long long>(whole), static_cast<long long>(frac));
  return buf;
}


}  // namespace

Result<std::unique_ptr<BinanceSim>, std::string> BinanceSim::create(BinanceSimConfig config) {
  if (config.rows.size() < 2) return Err{std::string("binance sim: need at least two kline rows")};
  if (config.push_ms == 0) return Err{std::string("binance sim: push_ms must be positive")};
  return std::unique_ptr<BinanceSim>(new BinanceSim(std::move(config)));
}

BinanceSim::BinanceSim(BinanceSimConfig config) : config_(std::move(config)) {
  lower_ = config_.symbol;
  std::transform(lower_.begin(), lower_.end(), lower_.begin(), [](unsigned char c) { return std::tolower(c); });
  const std::int64_t now_minute = wall_ms() / 60'000 * 60'000;
  first_minute_ms_ = now_minute - static_cast<std::int64_t>(config_.history_minutes) * 60'000;
  last_closed_minute_ms_ = now_minute - 60'000;

  net::ServerConfig sc;
  sc.tls = true;
  sc.tls_options = config_.tls;
  server_ = std::make_unique<net::Server>(sc);
  net::WsRoute route;
  route.on_open = [this](const net::WsSessionPtr&) { ++sessions_; };
  server_->websocket("/stream", route);
  server_->route("GET", "/api/v3/ping", [](const net::ServerRequest&, net::ServerResponse& resp) { resp.body = "{}"; });
  server_->route("GET", "/api/v3/time", [](const net::ServerRequest&, net::ServerResponse& resp) {
    resp.body = "{\"serverTime\":" + std::to_string(wall_ms()) + "}";
  });
  server_->route("GET", "/api/v3/klines", [this](const net::ServerRequest& req, net::ServerResponse& resp) {
    const std::string symbol(net::query_param(req.query, "symbol"));
    if (symbol != config_.symbol || net::query_param(req.query, "interval") != "1m") {
      resp.status = 400;
      resp.body = R"({"code":-1121,"msg":"Invalid symbol."})";
      return;
    }
    std::uint32_t limit = 500;
    if (const std::string l(net::query_param(req.query, "limit")); !l.empty()) {
      limit = static_cast<std::uint32_t>(std::clamp(std::atol(l.c_str()), 1L, 1000L));
    }
    ++rest_klines_;
    resp.body = klines_body(limit, wall_ms());
  });
  server_->route("GET", "/api/v3/simple/price", [this](const net::ServerRequest& req, net::ServerResponse& resp) {
    ++coingecko_requests_;
    const std::string_view ids = net::query_param(req.query, "ids");
    const std::string_view vs = net::query_param(req.query, "vs_currencies");
    if (ids.empty() || vs.empty()) {
      resp.status = 400;
      resp.body = R"({"error":"Missing parameter ids or vs_currencies"})";
      return;
    }
    resp.body = simple_price_body(ids, vs, wall_ms());
  });
}

std::string BinanceSim::simple_price_body(std::string_view ids, std::string_view currencies,
                                          std::int64_t now_ms) const {
  // CoinGecko answers {} for ids (and currencies) it does not know.
  if (ids != "bitcoin" || currencies != "usd") return "{}";
  const std::int64_t minute = now_ms / 60'000 * 60'000;
  const Bar b = bar_at(minute, now_ms);
  // Its cache: the price as of the minute's start would do, but the forming close is what Binance shows now;
  // cents, as CoinGecko prints USD prices.
  const i128 shifted = static_cast<i128>(b.close.raw) * (10'000 + config_.coingecko_offset_bps) / 10'000;
  const std::int64_t cents = static_cast<std::int64_t>(shifted / 1'000'000);
  char buf[128];
  std::snprintf(buf, sizeof buf, R"({"bitcoin":{"usd":%lld.%02lld,"last_updated_at":%lld}})",
                static_cast<long long>(cents / 100), static_cast<long long>(cents % 100),
                static_cast<long long>(minute / 1000));
  return buf;
}

BinanceSim::~BinanceSim() { stop(); }

Result<std::uint16_t, net::NetError> BinanceSim::start() {
  auto port = server_->start();
  if (!port) return port;
  pusher_ = std::thread([this] { push_loop(); });
  return port;
}

void BinanceSim::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (pusher_.joinable()) pusher_.join();
  server_->stop();
}

std::string BinanceSim::ws_base() const { return "wss://127.0.0.1:" + std::to_string(server_->port()); }
std::string BinanceSim::rest_base() const { return "https://127.0.0.1:" + std::to_string(server_->port()); }

BinanceSimCounters BinanceSim::counters() const {
  return BinanceSimCounters{frames_sent_.load(), klines_closed_.load(), rest_klines_.load(), sessions_.load(),
                            coingecko_requests_.load()};
}

const feed::KlineRow& BinanceSim::row_of(std::int64_t minute_ms) const {
  const std::int64_t k = (minute_ms - first_minute_ms_) / 60'000;
  const auto n = static_cast<std::int64_t>(config_.rows.size());
  return config_.rows[static_cast<std::size_t>(((k % n) + n) % n)];
}

BinanceSim::Bar BinanceSim::bar_at(std::int64_t minute_ms, std::int64_t now_ms) const {
  const feed::KlineRow& r = row_of(minute_ms);
  Bar b;
  b.open_ms = minute_ms;
  b.open = r.open;
  b.volume = r.volume;
  b.trades = r.trades;
  const std::int64_t elapsed = now_ms - minute_ms;
  if (elapsed >= 60'000) {
    b.closed = true;
    b.high = r.high;
    b.low = r.low;
    b.close = r.close;
    return b;
  }
  // The forming minute: the close walks from open to the row's close; high/low cover the path so far.
  const std::int64_t frac = std::max<std::int64_t>(elapsed, 0);
  b.close = UsdPrice::from_raw(r.open.raw + (r.close.raw - r.open.raw) * frac / 60'000);
  b.high = std::max(r.open, b.close);
  b.low = std::min(r.open, b.close);
  b.volume = BtcQty::from_raw(r.volume.raw * frac / 60'000);
  b.trades = static_cast<std::uint32_t>(static_cast<std::int64_t>(r.trades) * frac / 60'000);
  return b;
}

std::string BinanceSim::kline_frame(const std::string& stream, const Bar& b, std::int64_t event_ms) const {
  std::string s;
  s.reserve(512);
  s += "{\"stream\":\"" + stream + "\",\"data\":{\"e\":\"kline\",\"E\":" + std::to_string(event_ms) + ",\"s\":\"" +
       config_.symbol + "\",\"k\":{\"t\":" + std::to_string(b.open_ms) + ",\"T\":" +
       std::to_string(b.open_ms + 59'999) + ",\"s\":\"" + config_.symbol +
       "\",\"i\":\"1m\",\"f\":100,\"L\":200,\"o\":\"" + e8(b.open.raw) + "\",\"c\":\"" + e8(b.close.raw) +
       "\",\"h\":\"" + e8(b.high.raw) + "\",\"l\":\"" + e8(b.low.raw) + "\",\"v\":\"" + e8(b.volume.raw) +
       "\",\"n\":" + std::to_string(b.trades) + ",\"x\":" + (b.closed ? "true" : "false") +
       ",\"q\":\"0.00000000\",\"V\":\"0.00000000\",\"Q\":\"0.00000000\",\"B\":\"0\"}}}";
  return s;
}

std::string BinanceSim::klines_body(std::uint32_t limit, std::int64_t now_ms) const {
  // The last `limit` minutes up to and including the forming one, oldest first, as /api/v3/klines lists them.
  const std::int64_t current = now_ms / 60'000 * 60'000;
  std::string s = "[";
  for (std::int64_t i = static_cast<std::int64_t>(limit) - 1; i >= 0; --i) {
    const std::int64_t minute = current - i * 60'000;
    const Bar b = bar_at(minute, now_ms);
    if (s.size() > 1) s += ',';
    s += "[" + std::to_string(b.open_ms) + ",\"" + e8(b.open.raw) + "\",\"" + e8(b.high.raw) + "\",\"" +
         e8(b.low.raw) + "\",\"" + e8(b.close.raw) + "\",\"" + e8(b.volume.raw) + "\"," +
         std::to_string(b.open_ms + 59'999) + ",\"0.00000000\"," + std::to_string(b.trades) +
         ",\"0.00000000\",\"0.00000000\",\"0\"]";
  }
  s += "]";
  return s;
}

void BinanceSim::push_once(std::int64_t now_ms) {
  const std::int64_t current = now_ms / 60'000 * 60'000;
  std::vector<std::string> kline_frames;
  const std::string kline_stream = lower_ + "@kline_1m";
  // Close every minute that ended since the last push (normally one), then the forming minute.
  while (last_closed_minute_ms_ + 60'000 < current) {
    last_closed_minute_ms_ += 60'000;
    kline_frames.push_back(kline_frame(kline_stream, bar_at(last_closed_minute_ms_, now_ms), now_ms));
    ++klines_closed_;
  }
  const Bar forming = bar_at(current, now_ms);
  kline_frames.push_back(kline_frame(kline_stream, forming, now_ms));

  // Top of book a cent either side of the forming close; a trade at the close.
  const std::int64_t cent = 1'000'000;
  const std::string ticker = "{\"stream\":\"" + lower_ + "@bookTicker\",\"data\":{\"u\":" +
                             std::to_string(update_id_++) + ",\"s\":\"" + config_.symbol + "\",\"b\":\"" +
                             e8(forming.close.raw - cent) + "\",\"B\":\"1.50000000\",\"a\":\"" +
                             e8(forming.close.raw + cent) + "\",\"A\":\"2.00000000\"}}";
  const std::string trade = "{\"stream\":\"" + lower_ + "@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"E\":" +
                            std::to_string(now_ms) + ",\"s\":\"" + config_.symbol + "\",\"a\":" +
                            std::to_string(trade_id_) + ",\"p\":\"" + e8(forming.close.raw) +
                            "\",\"q\":\"0.01000000\",\"f\":" + std::to_string(trade_id_) + ",\"l\":" +
                            std::to_string(trade_id_) + ",\"T\":" + std::to_string(now_ms) + ",\"m\":false,\"M\":true}}";
  ++trade_id_;

  for (const auto& s : server_->sessions()) {
    const std::string_view path = s->path();
    const auto q = path.find('?');
    const std::string_view streams =
        q == std::string_view::npos ? std::string_view() : net::query_param(path.substr(q + 1), "streams");
    const auto wants = [&](const std::string& name) {
      // Stream names are separated by '/'.
      std::size_t p = 0;
      while (p <= streams.size()) {
        std::size_t e = streams.find('/', p);
        if (e == std::string_view::npos) e = streams.size();
        if (streams.compare(p, e - p, name) == 0) return true;
        p = e + 1;
      }
      return false;
    };
    if (wants(kline_stream)) {
      for (const auto& f : kline_frames) {
        s->send_text(f);
        ++frames_sent_;
      }
    }
    if (wants(lower_ + "@bookTicker")) {
      s->send_text(ticker);
      ++frames_sent_;
    }
    if (wants(lower_ + "@aggTrade")) {
      s->send_text(trade);
      ++frames_sent_;
    }
  }
}

void BinanceSim::push_loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    cv_.wait_for(lock, std::chrono::milliseconds(config_.push_ms), [this] { return stopping_; });
    if (stopping_) break;
    lock.unlock();
    push_once(wall_ms());
    lock.lock();
  }
}

}  // namespace polybot::sim
