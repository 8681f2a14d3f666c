#include "feed/gamma_discovery.hpp"

#include <cstdio>
#include <ctime>

namespace polybot::feed {

std::string iso8601_utc(std::int64_t unix_s) {
  const std::time_t t = static_cast<std::time_t>(unix_s);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];  // the bound the compiler can prove for six ints
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

Result<std::unique_ptr<GammaDiscovery>, net::NetError> GammaDiscovery::create(net::IoLoop& loop,
                                                                              const net::TlsClientContext* tls,
                                                                              GammaDiscoveryConfig config,
                                                                              Callback cb, RawFrameSink* raw) {
  std::unique_ptr<GammaDiscovery> d(new GammaDiscovery(std::move(config), std::move(cb), raw));
  net::HttpClientConfig hc;
  hc.base_url = d->config_.base_url;
  hc.keep_warm = false;
  hc.clock = d->config_.clock;
  auto http = net::HttpClient::create(loop, tls, std::move(hc), *d);
  if (!http) return Err{http.error()};
  d->http_ = std::move(*http);
  return d;
}

bool GammaDiscovery::lookup(std::int64_t start_s, std::uint32_t interval_s) {
  std::string slug = std::string("btc-updown-") + (interval_s == 900 ? "15m-" : "5m-") + std::to_string(start_s);
  // Reuse a finished slot (its slug was cleared and no request of it is in flight) so a long run stays bounded.
  std::size_t i = 0;
  while (i < pending_.size() && !pending_[i].slug.empty()) ++i;
  if (i == pending_.size()) {
    pending_.emplace_back();
    targets_.emplace_back();
  }
  pending_[i] = Pending{std::move(slug), start_s, interval_s, Step::kMarketSlug};
  if (submit(i)) return true;
  pending_[i].slug.clear();  // not queued: no callback will come
  return false;
}

bool GammaDiscovery::submit(std::size_t i) {
  const Pending& p = pending_[i];
  std::string& target = targets_[i];
  switch (p.step) {
    case Step::kMarketSlug: target = "/markets/slug/" + p.slug; break;
    case Step::kEventSlug: target = "/events?slug=" + p.slug; break;
    case Step::kListing:
      target = "/events?tag_slug=up-or-down&closed=false&end_date_min=" + iso8601_utc(p.start_s) +
               "&end_date_max=" + iso8601_utc(p.start_s + p.interval_s + 60) + "&limit=100";
      break;
  }
  net::HttpRequest req;
  req.target = target;
  req.tag = i;
  return http_->submit(req) == net::NetError::kOk;
}

void GammaDiscovery::finish(std::size_t i, DiscoveryResult r) {
  if (cb_) cb_(r);
  pending_[i].slug.clear();  // slot done (indices stay stable while requests are in flight)
}

void GammaDiscovery::on_response(net::HttpClient&, std::uint64_t tag, const net::HttpResponse& resp) noexcept {
  const std::size_t i = static_cast<std::size_t>(tag);
  if (i >= pending_.size() || pending_[i].slug.empty()) return;
  Pending& p = pending_[i];
  if (raw_ != nullptr && resp.error == net::NetError::kOk) raw_->on_raw_frame(FeedChannel::kGamma, resp.body, resp.recv_ns);
  DiscoveryResult r;
  r.slug = p.slug;
  r.window_start_s = p.start_s;
  const std::string series = p.interval_s == 900 ? config_.series_slug_15m : config_.series_slug_5m;
  if (resp.error == net::NetError::kOk && resp.status == 200) {
    auto markets = parser_.parse_any(resp.body);
    if (markets) {
      for (auto& m : *markets) {
        // The slug lookups must name our window; the listing is filtered by series and start time.
        const bool ours = p.step == Step::kListing ? (m.start_s == p.start_s && m.end_s == p.start_s + p.interval_s &&
                                                      (m.series_slug.empty() || m.series_slug == series))
                                                   : m.slug == p.slug;
        if (ours) {
          r.found = true;
          r.market = std::move(m);
          finish(i, std::move(r));
          return;
        }
      }
      r.error = "no market for " + p.slug + " in " + targets_[i];
    } else {
      r.error = targets_[i] + ": " + markets.error().field + ": " + markets.error().message;
    }
  } else {
    r.error = targets_[i] + ": status " + std::to_string(resp.status) + " " + std::string(resp.detail);
  }
  if (p.step != Step::kListing) {
    p.step = p.step == Step::kMarketSlug ? Step::kEventSlug : Step::kListing;
    if (submit(i)) return;
  }
  finish(i, std::move(r));
}

}  // namespace polybot::feed
