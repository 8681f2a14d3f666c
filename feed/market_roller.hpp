// MarketRoller: follows the BTC Up/Down 5m and 15m markets across roll-overs. For each series it resolves the
// current window and the next N through Gamma (retrying with backoff while the next market is not hydrated; a
// window never found is counted and logged, never guessed), registers the tokens (InstrumentTable, BookSet,
// FeedAgent::track with Gamma's fee/min size/tick/neg-risk), subscribes the market session `lead` seconds before
// the window opens, unsubscribes and frees the books `grace` seconds after it closes, and registers one
// WindowSchedule per series with the FeedAgent so Timers are emitted. It also resyncs any tracked book that
// stays invalid with REST GET /book (rate-limited per token; applied only if not older than the book's last
// trusted state). An Agent for the feed thread (fused with the FeedAgent, same IoLoop); do_work() reads the
// clock and returns at once between housekeeping ticks; a tick allocates only when a window is added or ends.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/agent.hpp"
#include "core/clock.hpp"
#include "core/net/backoff.hpp"
#include "core/net/http_client.hpp"
#include "core/net/io_loop.hpp"
#include "core/result.hpp"
#include "feed/book_set.hpp"
#include "feed/feed_agent.hpp"
#include "feed/gamma_discovery.hpp"
#include "feed/instrument_table.hpp"
#include "feed/parse/polymarket_parser.hpp"
#include "feed/polymarket_market_session.hpp"
#include "feed/raw_frame_sink.hpp"
#include "feed/window_schedule.hpp"

namespace polybot::feed {

struct BookResyncConfig {
  bool enabled = true;
  std::string rest_base_url = "https://clob.polymarket.com";  // GET /book?token_id=...
  // A book must have been invalid this long (clock ms) before REST is asked: after a reconnect the WebSocket's
  // initial dump usually rebuilds it first.
  std::uint32_t delay_ms = 500;
  // At most one GET /book per token per interval (clock ms); the venue allows 1,500 /book per 10 s in all.
  std::uint32_t min_interval_ms = 2'000;
  // Passed to the parser: off skips the sha1, diagnostic/enforce recompute it. Whether a mismatch invalidates
  // the book is BookSetConfig::rest_hash (docs/UNVERIFIED.md: the rule does not reproduce real captures).
  HashCheckMode hash = HashCheckMode::kDiagnostic;
  // The snapshot's timestamp must be >= the newest venue time the book had when last trusted; with false it
  // must be strictly newer (docs/UNVERIFIED.md: whether /book's timestamp is the last change or the serve time).
  bool accept_equal_timestamp = true;
};

struct MarketRollerConfig {
  std::vector<std::uint32_t> intervals{300, 900};  // series: 300 = btc-updown-5m-*, 900 = btc-updown-15m-*
  std::uint32_t lookahead = 2;                     // windows resolved after the current one
  std::uint32_t subscribe_lead_s = 60;             // subscribe this long before the window opens
  std::uint32_t unsubscribe_grace_s = 30;          // keep the books this long after the window closes
  std::array<std::int32_t, 4> t_minus_s{60, 10, 0, 0};  // Timer deadlines before the close (0 = unused)
  std::uint32_t retry_base_ms = 2'000;             // discovery retry backoff (clock ms), doubling...
  std::uint32_t retry_cap_ms = 30'000;             // ...up to this
  std::uint32_t tick_ms = 50;                      // housekeeping period (clock ms)
  // A Gamma market with enableOrderBook=false is not hydrated yet: retry instead of subscribing.
  bool require_order_book = true;
  bool emit_timers = true;                         // register the schedules with the FeedAgent
  GammaDiscoveryConfig gamma{};                    // base_url, series slugs (clock is set by the roller)
  BookResyncConfig resync{};
  // One line per roll-over event (found, subscribed, missed, resynced...). Default: stderr.
  std::function<void(std::string_view)> log{};
};

struct RollerCounters {
  std::uint64_t lookups = 0;          // discovery requests started
  std::uint64_t found = 0;            // windows resolved and registered
  std::uint64_t not_found = 0;        // lookups that came back empty (then retried)
  std::uint64_t rejected = 0;         // Gamma answers refused (wrong window, bad tokens, not hydrated)
  std::uint64_t missed = 0;           // windows that closed without ever being found
  std::uint64_t subscribed = 0;
  std::uint64_t unsubscribed = 0;
  std::uint64_t resync_requests = 0;
  std::uint64_t resync_applied = 0;   // REST snapshot made the book valid
  std::uint64_t resync_rejected_old = 0;  // REST snapshot older than the book's last trusted state
  std::uint64_t resync_unneeded = 0;  // the book was valid again when the answer came
  std::uint64_t resync_failed = 0;    // transport error, non-200, malformed, wrong asset
  std::uint64_t resync_still_invalid = 0;  // applied but the book failed a check (crossed, hash enforce)
};

enum class WindowPhase : std::uint8_t { kDiscovering = 0, kFound = 1, kSubscribed = 2, kMissed = 3, kDone = 4 };
[[nodiscard]] const char* to_string(WindowPhase p) noexcept;

// One window the roller follows (a read-only view for tests and tools).
struct RollerWindow {
  std::uint64_t uid = 0;
  std::uint32_t interval_s = 0;
  std::int64_t start_s = 0;
  std::int64_t end_s = 0;
  std::string slug;
  WindowPhase phase = WindowPhase::kDiscovering;
  GammaMarket market;       // when found
  MarketId id{};            // when found
  std::array<InstrumentId, 2> tokens{};  // Up, Down
  std::uint32_t attempts = 0;
  std::string last_error;
  // Discovery retry state.
  bool in_flight = false;
  std::int64_t next_try_ns = 0;
  net::Backoff backoff;
  // Per-token REST resync state.
  struct Sync {
    std::string target;               // "/book?token_id=..." (built once)
    std::int64_t invalid_since_ns = 0;
    std::int64_t last_request_ns = 0;
    std::int64_t trusted_ts_ms = 0;   // newest venue time seen while the book was valid
    std::int64_t min_ts_ms = 0;       // gate of the request in flight
    bool in_flight = false;
  };
  std::array<Sync, 2> sync{};
};

class MarketRoller final : public Agent, private net::HttpHandler {
 public:
  // tls may be null for http:// endpoints. Every reference must outlive the roller; all run on the loop's thread.
  static Result<std::unique_ptr<MarketRoller>, net::NetError> create(
      net::IoLoop& loop, const net::TlsClientContext* tls, const Clock& clock, MarketRollerConfig config,
      InstrumentTable& tokens, BookSet& books, PolymarketParser& parser, PolymarketMarketSession& session,
      FeedAgent& agent, RawFrameSink* raw = nullptr);
  ~MarketRoller() override;

  [[nodiscard]] const char* name() const noexcept override { return "roller"; }
  void on_start() noexcept override;
  int do_work() noexcept override;
  // One housekeeping pass at `now_ns` (do_work calls it every tick_ms; tests may call it directly).
  void tick(std::int64_t now_ns) noexcept;

  [[nodiscard]] const std::vector<std::unique_ptr<RollerWindow>>& windows() const noexcept { return windows_; }
  [[nodiscard]] const RollerCounters& counters() const noexcept { return counters_; }
  [[nodiscard]] const MarketRollerConfig& config() const noexcept { return config_; }
  [[nodiscard]] const WindowSchedule* schedule(std::uint32_t interval_s) const noexcept;

 private:
  MarketRoller(const Clock& clock, MarketRollerConfig config, InstrumentTable& tokens, BookSet& books,
               PolymarketParser& parser, PolymarketMarketSession& session, FeedAgent& agent, RawFrameSink* raw);
  void on_discovered(const DiscoveryResult& r);
  void on_response(net::HttpClient& client, std::uint64_t tag, const net::HttpResponse& response) noexcept override;
  void ensure_window(std::uint32_t interval_s, std::int64_t start_s, std::int64_t now_ns);
  bool register_market(RollerWindow& w, const GammaMarket& m, std::string& why);
  void subscribe(RollerWindow& w);
  void retire(RollerWindow& w);
  void resync_check(RollerWindow& w, std::int64_t now_ns) noexcept;
  void schedule_retry(RollerWindow& w, std::int64_t now_ns);
  void log(const std::string& line) const;

  const Clock& clock_;
  MarketRollerConfig config_;
  InstrumentTable& tokens_;
  BookSet& books_;
  PolymarketParser& parser_;
  PolymarketMarketSession& session_;
  FeedAgent& agent_;
  RawFrameSink* raw_;
  std::unique_ptr<GammaDiscovery> discovery_;
  std::unique_ptr<net::HttpClient> rest_;
  std::vector<std::unique_ptr<WindowSchedule>> schedules_;
  std::vector<std::unique_ptr<RollerWindow>> windows_;
  std::uint64_t next_uid_ = 1;
  std::uint32_t next_market_ = 1;
  std::int64_t next_tick_ns_ = 0;
  RollerCounters counters_;
};

}  // namespace polybot::feed
