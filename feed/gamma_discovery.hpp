// GammaDiscovery: finds the BTC Up/Down market of a window on the Gamma API, off the hot path but on the feed
// thread's IoLoop: GET /markets/slug/<slug> first; if that fails (404, empty, not yet hydrated) the fallback
// GET /events?slug=<slug>&closed=... and then the documented listing
// GET /events?tag_slug=up-or-down&closed=false&end_date_min=..&end_date_max=.. filtered by series and start time.
// The result (or the last error) is handed to a callback. Allocates (strings, JSON) — roll-over only.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/net/http_client.hpp"
#include "core/net/io_loop.hpp"
#include "core/result.hpp"
#include "feed/parse/gamma_parser.hpp"
#include "feed/raw_frame_sink.hpp"

namespace polybot::feed {

struct GammaDiscoveryConfig {
  std::string base_url = "https://gamma-api.polymarket.com";
  std::string series_slug_5m = "btc-up-or-down-5m";
  std::string series_slug_15m = "btc-up-or-down-15m";
  const Clock* clock = nullptr;
};

struct DiscoveryResult {
  std::string slug;
  std::int64_t window_start_s = 0;
  bool found = false;
  GammaMarket market;
  std::string error;  // why not found: names the request and status/field
};

class GammaDiscovery final : public net::HttpHandler {
 public:
  using Callback = std::function<void(const DiscoveryResult&)>;

  static Result<std::unique_ptr<GammaDiscovery>, net::NetError> create(net::IoLoop& loop,
                                                                        const net::TlsClientContext* tls,
                                                                        GammaDiscoveryConfig config, Callback cb,
                                                                        RawFrameSink* raw = nullptr);
  // Looks up the window that opens at start_s (interval 300 or 900). False if the request could not be queued.
  bool lookup(std::int64_t start_s, std::uint32_t interval_s);

  void on_response(net::HttpClient& client, std::uint64_t tag, const net::HttpResponse& response) noexcept override;

 private:
  enum class Step : std::uint8_t { kMarketSlug = 0, kEventSlug = 1, kListing = 2 };
  struct Pending {
    std::string slug;
    std::int64_t start_s;
    std::uint32_t interval_s;
    Step step;
  };
  GammaDiscovery(GammaDiscoveryConfig config, Callback cb, RawFrameSink* raw)
      : config_(std::move(config)), cb_(std::move(cb)), raw_(raw) {}
  bool submit(std::size_t index);
  void finish(std::size_t index, DiscoveryResult r);

  GammaDiscoveryConfig config_;
  Callback cb_;
  RawFrameSink* raw_;
  std::unique_ptr<net::HttpClient> http_;
  GammaParser parser_;
  std::vector<Pending> pending_;
  std::vector<std::string> targets_;
};

// ISO-8601 UTC ("2026-03-12T09:20:00Z") for a unix time.
std::string iso8601_utc(std::int64_t unix_s);

}  // namespace polybot::feed
