#include "feed/coingecko/coingecko_check.hpp"

#include <algorithm>
#include <ctime>
#include <utility>

#include "core/int128.hpp"
#include "core/net/padding.hpp"

namespace polybot::feed {

namespace {
constexpr std::int64_t kNsPerS = 1'000'000'000;

std::int64_t realtime_ns() noexcept {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * kNsPerS + ts.tv_nsec;
}
}  // namespace

const char* to_string(SanityState s) noexcept {
  switch (s) {
    case SanityState::kUnknown: return "unknown";
    case SanityState::kAgrees: return "agrees";
    case SanityState::kDiverged: return "diverged";
    case SanityState::kStale: return "stale";
  }
  return "unknown";
}

CoinGeckoCheck::CoinGeckoCheck(CoinGeckoConfig config, const BookSet& books, InstrumentId symbol, MarketSink& sink,
                               RawFrameSink* raw)
    : config_(std::move(config)),
      books_(books),
      symbol_(symbol),
      sink_(sink),
      raw_(raw),
      parser_(config_.coin, config_.currency) {
  target_ = "/api/v3/simple/price?ids=" + config_.coin + "&vs_currencies=" + config_.currency +
            "&include_last_updated_at=true";
}

Result<std::unique_ptr<CoinGeckoCheck>, net::NetError> CoinGeckoCheck::create(
    net::IoLoop& loop, const net::TlsClientContext* tls, CoinGeckoConfig config, BookSet& books,
    InstrumentId binance_symbol, MarketSink& sink, RawFrameSink* raw) {
  if (config.interval_s == 0 || config.coin.empty() || config.currency.empty()) return Err{net::NetError::kBadConfig};
  // The BookSet keeps a symbol's last bookTicker only where a slot was made for it (no allocation per tick).
  if (binance_symbol.valid()) books.prepare_ticker(binance_symbol);
  std::unique_ptr<CoinGeckoCheck> c(new CoinGeckoCheck(std::move(config), books, binance_symbol, sink, raw));
  net::HttpClientConfig hc;
  hc.base_url = c->config_.base_url;
  hc.clock = c->config_.clock;
  // One request a minute: no point holding a connection open between them.
  hc.keep_warm = false;
  hc.queue_depth = 2;
  hc.max_response_body_bytes = 64U << 10;
  if (!c->config_.api_key_header.empty() && !c->config_.api_key.empty())
    hc.default_headers.emplace_back(c->config_.api_key_header, c->config_.api_key);
  auto http = net::HttpClient::create(loop, tls, std::move(hc), *c);
  if (!http) return Err{http.error()};
  c->http_ = std::move(*http);
  return c;
}

std::int64_t CoinGeckoCheck::now_ns() const noexcept {
  return config_.clock != nullptr ? config_.clock->now_ns() : realtime_ns();
}

void CoinGeckoCheck::start() noexcept {
  started_ = true;
  next_ns_ = now_ns();  // the first answer right away: the operator sees the check work at start-up
}

void CoinGeckoCheck::stop() noexcept {
  started_ = false;
  http_->close();
}

int CoinGeckoCheck::poll() noexcept {
  if (!started_ || in_flight_) return 0;
  const std::int64_t now = now_ns();
  // An answer that came before any Binance ticker (start-up) is compared as soon as one is there.
  if (pending_ && compare(last_, now)) pending_ = false;
  if (now < next_ns_) return 0;
  net::HttpRequest req;
  req.target = target_;
  if (http_->submit(req) != net::NetError::kOk) {
    back_off(now, 0);
    return 0;
  }
  in_flight_ = true;
  ++counters_.requests;
  next_ns_ = now + static_cast<std::int64_t>(config_.interval_s) * kNsPerS;
  return 1;
}

void CoinGeckoCheck::back_off(std::int64_t now, std::int64_t retry_after_s) noexcept {
  ++failures_;
  const std::int64_t cap = static_cast<std::int64_t>(config_.max_backoff_s);
  std::int64_t wait_s = static_cast<std::int64_t>(config_.interval_s) << std::min<std::uint32_t>(failures_, 10);
  wait_s = std::min(wait_s, cap);
  wait_s = std::max(wait_s, std::min(retry_after_s, cap));
  next_ns_ = now + wait_s * kNsPerS;
}

void CoinGeckoCheck::on_response(net::HttpClient&, std::uint64_t, const net::HttpResponse& r) noexcept {
  in_flight_ = false;
  const std::int64_t now = now_ns();
  if (r.error != net::NetError::kOk) {
    ++counters_.http_errors;
    back_off(now, 0);
    return;
  }
  if (raw_ != nullptr) raw_->on_raw_frame(FeedChannel::kCoinGecko, r.body, r.recv_ns);
  if (r.status == 429) {
    ++counters_.rate_limited;
    std::int64_t retry_after = 0;
    if (auto v = parse_decimal(r.header("Retry-After"), 0, false)) retry_after = *v;
    back_off(now, retry_after);
    return;
  }
  if (r.status != 200) {
    ++counters_.http_errors;
    back_off(now, 0);
    return;
  }
  RefPrice p;
  if (parser_.parse(r.body, net::kFramePadding, r.recv_ns, p) != ParseStatus::kOk) {
    ++counters_.parse_errors;
    back_off(now, 0);
    return;
  }
  failures_ = 0;
  ++counters_.answers;
  p.hdr.seq = ++seq_;
  counters_.last_price = p.value;
  sink_.on_ref_price(p);
  last_ = p;
  if (now - p.hdr.ts_exch > static_cast<std::int64_t>(config_.max_age_s) * kNsPerS) {
    ++counters_.stale;
    counters_.state = SanityState::kStale;
    pending_ = false;
    return;
  }
  pending_ = !compare(p, now);
  if (pending_) ++counters_.unchecked;
}

bool CoinGeckoCheck::compare(const RefPrice& p, std::int64_t now) noexcept {
  if (now - p.hdr.ts_exch > static_cast<std::int64_t>(config_.max_age_s) * kNsPerS) return true;  // too old now
  const BtcTick* t = symbol_.valid() ? books_.last_ticker(symbol_) : nullptr;
  if (t == nullptr || t->bid.raw <= 0 || t->ask.raw <= 0 ||
      now - t->hdr.ts_recv > static_cast<std::int64_t>(config_.max_ticker_age_s) * kNsPerS) {
    return false;
  }
  // Integer maths: prices are ~1e13 in 1e-8 units, times 1e4 stays far below 2^127.
  const i128 mid2 = static_cast<i128>(t->bid.raw) + t->ask.raw;  // twice the mid
  const i128 diff2 = 2 * static_cast<i128>(p.value.raw) - mid2;
  const std::int64_t bps = static_cast<std::int64_t>(diff2 * 10'000 / mid2);
  ++counters_.checks;
  counters_.last_deviation_bps = bps;
  const std::int64_t mag = bps < 0 ? -bps : bps;
  if (mag > static_cast<std::int64_t>(config_.max_deviation_bps)) {
    ++counters_.divergences;
    counters_.state = SanityState::kDiverged;
  } else {
    counters_.state = SanityState::kAgrees;
  }
  return true;
}

}  // namespace polybot::feed
