#include "feed/market_roller.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>

namespace polybot::feed {

namespace {

constexpr std::int64_t kNsPerMs = 1'000'000;
constexpr std::int64_t kNsPerS = 1'000'000'000;

// Forwards one REST /book snapshot to the BookSet only if it is for the token asked and not older than the
// book's last trusted state; everything else in the body is dropped.
class ResyncFilter final : public MarketSink {
 public:
  ResyncFilter(BookSet& books, InstrumentId expect, std::int64_t min_ts_ms, bool accept_equal)
      : books_(books), expect_(expect), min_ts_ms_(min_ts_ms), accept_equal_(accept_equal) {}

  void on_book_snapshot(const BookSnapshot& m) noexcept override {
    if (m.phase == SnapshotPhase::kBegin) {
      pass_ = false;
      if (m.hdr.instrument != expect_) {
        wrong_asset_ = true;
        return;
      }
      const std::int64_t ts_ms = m.hdr.ts_exch / kNsPerMs;
      ts_ms_ = ts_ms;
      if (accept_equal_ ? ts_ms < min_ts_ms_ : ts_ms <= min_ts_ms_) {
        too_old_ = true;
        return;
      }
      pass_ = true;
      books_.on_book_snapshot(m);
      return;
    }
    if (pass_) {
      books_.on_book_snapshot(m);
      applied_ = true;
    }
    pass_ = false;
  }
  void on_book_level(const BookLevel& m) noexcept override {
    if (pass_) books_.on_book_level(m);
  }
  void on_book_snapshot_side(const BookLevel& proto, std::span<const SnapshotLevel> levels) noexcept override {
    if (pass_) books_.on_book_snapshot_side(proto, levels);
  }

  bool applied_ = false, too_old_ = false, wrong_asset_ = false;
  std::int64_t ts_ms_ = 0;

 private:
  BookSet& books_;
  InstrumentId expect_;
  std::int64_t min_ts_ms_;
  bool accept_equal_;
  bool pass_ = false;
};

bool all_digits(std::string_view s) noexcept {
  if (s.empty() || s.size() > InstrumentTable::kMaxKey) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

const char* to_string(WindowPhase p) noexcept {
  switch (p) {
    case WindowPhase::kDiscovering: return "discovering";
    case WindowPhase::kFound: return "found";
    case WindowPhase::kSubscribed: return "subscribed";
    case WindowPhase::kMissed: return "missed";
    case WindowPhase::kDone: return "done";
  }
  return "unknown";
}

MarketRoller::MarketRoller(const Clock& clock, MarketRollerConfig config, InstrumentTable& tokens, BookSet& books,
                           PolymarketParser& parser, PolymarketMarketSession& session, FeedAgent& agent,
                           RawFrameSink* raw)
    : clock_(clock),
      config_(std::move(config)),
      tokens_(tokens),
      books_(books),
      parser_(parser),
      session_(session),
      agent_(agent),
      raw_(raw) {}

MarketRoller::~MarketRoller() {
  for (const auto& s : schedules_) agent_.remove_schedule(s.get());
}

Result<std::unique_ptr<MarketRoller>, net::NetError> MarketRoller::create(
    net::IoLoop& loop, const net::TlsClientContext* tls, const Clock& clock, MarketRollerConfig config,
    InstrumentTable& tokens, BookSet& books, PolymarketParser& parser, PolymarketMarketSession& session,
    FeedAgent& agent, RawFrameSink* raw) {
  for (std::uint32_t i : config.intervals) {
    if (i != 300 && i != 900) return Err{net::NetError::kBadConfig};  // only these slug families exist
  }
  if (config.intervals.empty() || config.intervals.size() > FeedAgent::kMaxSchedules) {
    return Err{net::NetError::kBadConfig};
  }
  std::unique_ptr<MarketRoller> r(new MarketRoller(clock, std::move(config), tokens, books, parser, session, agent, raw));
  GammaDiscoveryConfig gc = r->config_.gamma;
  gc.clock = &clock;
  MarketRoller* self = r.get();
  auto d = GammaDiscovery::create(
      loop, tls, std::move(gc),
      [self](const DiscoveryResult& res) {
        try {
          self->on_discovered(res);
        } catch (const std::exception&) {
          // Allocation failed while registering: the window stays in discovery and is retried.
          for (auto& w : self->windows_) {
            if (w->slug == res.slug) w->in_flight = false;
          }
        }
      },
      raw);
  if (!d) return Err{d.error()};
  r->discovery_ = std::move(*d);
  if (r->config_.resync.enabled) {
    net::HttpClientConfig hc;
    hc.base_url = r->config_.resync.rest_base_url;
    hc.clock = &clock;
    hc.keep_warm = true;  // a resync must not wait for a handshake
    auto http = net::HttpClient::create(loop, tls, std::move(hc), *r);
    if (!http) return Err{http.error()};
    r->rest_ = std::move(*http);
  }
  for (std::uint32_t i : r->config_.intervals) {
    WindowScheduleConfig sc;
    sc.interval_s = i;
    sc.subscribe_lead_s = r->config_.subscribe_lead_s;
    sc.unsubscribe_lag_s = r->config_.unsubscribe_grace_s;
    sc.t_minus_s = r->config_.t_minus_s;
    r->schedules_.push_back(std::make_unique<WindowSchedule>(sc));
    if (r->config_.emit_timers) agent.add_schedule(r->schedules_.back().get());
  }
  r->windows_.reserve(16);
  return r;
}

const WindowSchedule* MarketRoller::schedule(std::uint32_t interval_s) const noexcept {
  for (const auto& s : schedules_) {
    if (s->config().interval_s == interval_s) return s.get();
  }
  return nullptr;
}

void MarketRoller::log(const std::string& line) const {
  if (config_.log) {
    config_.log(line);
  } else {
    std::fprintf(stderr, "roller: %s\n", line.c_str());
  }
}

void MarketRoller::on_start() noexcept {
  if (rest_) rest_->start();
  tick(clock_.now_ns());
}

int MarketRoller::do_work() noexcept {
  const std::int64_t now_ns = clock_.now_ns();
  if (now_ns < next_tick_ns_) return 0;
  next_tick_ns_ = now_ns + static_cast<std::int64_t>(config_.tick_ms) * kNsPerMs;
  tick(now_ns);
  return 1;
}

void MarketRoller::ensure_window(std::uint32_t interval_s, std::int64_t start_s, std::int64_t now_ns) {
  for (const auto& w : windows_) {
    if (w->interval_s == interval_s && w->start_s == start_s) return;
  }
  auto w = std::make_unique<RollerWindow>();
  w->uid = next_uid_++;
  w->interval_s = interval_s;
  w->start_s = start_s;
  w->end_s = start_s + interval_s;
  w->slug = schedule(interval_s)->slug(start_s);
  w->next_try_ns = now_ns;
  net::BackoffConfig bc;
  bc.base_ms = config_.retry_base_ms;
  bc.cap_ms = config_.retry_cap_ms;
  bc.jitter = 0.2;
  bc.seed = static_cast<std::uint64_t>(start_s) * 31 + interval_s;
  w->backoff = net::Backoff(bc);
  windows_.push_back(std::move(w));
}

void MarketRoller::schedule_retry(RollerWindow& w, std::int64_t now_ns) {
  w.next_try_ns = now_ns + static_cast<std::int64_t>(w.backoff.next_delay_ms()) * kNsPerMs;
}

void MarketRoller::tick(std::int64_t now_ns) noexcept {
  const std::int64_t now_s = now_ns / kNsPerS;
  try {
    for (const auto& s : schedules_) {
      const std::int64_t cur = s->window_start(now_s);
      const std::uint32_t i = s->config().interval_s;
      for (std::uint32_t k = 0; k <= config_.lookahead; ++k) ensure_window(i, cur + static_cast<std::int64_t>(k) * i, now_ns);
    }
    for (auto& wp : windows_) {
      RollerWindow& w = *wp;
      const std::int64_t retire_at = w.end_s + static_cast<std::int64_t>(config_.unsubscribe_grace_s);
      switch (w.phase) {
        case WindowPhase::kDiscovering:
          if (now_s >= w.end_s) {
            w.phase = WindowPhase::kMissed;
            ++counters_.missed;
            log("MISSED " + w.slug + ": never found before it closed after " + std::to_string(w.attempts) +
                " lookups (last: " + (w.last_error.empty() ? std::string("none answered") : w.last_error) + ")");
          } else if (!w.in_flight && now_ns >= w.next_try_ns) {
            ++w.attempts;
            ++counters_.lookups;
            w.in_flight = discovery_->lookup(w.start_s, w.interval_s);
            if (!w.in_flight) {
              w.last_error = "discovery queue full";
              schedule_retry(w, now_ns);
            }
          }
          break;
        case WindowPhase::kFound:
          if (now_s >= retire_at) {
            retire(w);
          } else if (now_s >= w.start_s - static_cast<std::int64_t>(config_.subscribe_lead_s) && now_s < w.end_s) {
            subscribe(w);
          }
          break;
        case WindowPhase::kSubscribed:
          if (now_s >= retire_at) {
            retire(w);
          } else {
            resync_check(w, now_ns);
          }
          break;
        case WindowPhase::kMissed:
        case WindowPhase::kDone: break;
      }
    }
    windows_.erase(std::remove_if(windows_.begin(), windows_.end(),
                                  [](const auto& w) {
                                    return w->phase == WindowPhase::kMissed || w->phase == WindowPhase::kDone;
                                  }),
                   windows_.end());
  } catch (const std::exception& e) {
    // Only allocation can throw here; the roller keeps its state and tries again on the next tick.
    log(std::string("tick failed: ") + e.what());
  }
}

void MarketRoller::on_discovered(const DiscoveryResult& r) {
  RollerWindow* w = nullptr;
  for (auto& wp : windows_) {
    if (wp->phase == WindowPhase::kDiscovering && wp->slug == r.slug) w = wp.get();
  }
  if (w == nullptr) return;  // the window ended meanwhile
  w->in_flight = false;
  const std::int64_t now_ns = clock_.now_ns();
  if (!r.found) {
    ++counters_.not_found;
    if (w->last_error.empty()) log("not yet on Gamma: " + r.slug + " (" + r.error + "), retrying");
    w->last_error = r.error;
    schedule_retry(*w, now_ns);
    return;
  }
  std::string why;
  if (!register_market(*w, r.market, why)) {
    ++counters_.rejected;
    if (w->last_error != why) log("refused Gamma answer for " + r.slug + ": " + why + ", retrying");
    w->last_error = why;
    schedule_retry(*w, now_ns);
    return;
  }
  ++counters_.found;
  log("found " + w->slug + " market " + std::to_string(w->id.value) + " " + w->market.condition_id + " up " +
      w->market.token_ids[0] + " down " + w->market.token_ids[1] + " after " + std::to_string(w->attempts) +
      " lookup(s)");
  next_tick_ns_ = 0;  // subscribe now if the window is already within its lead
}

bool MarketRoller::register_market(RollerWindow& w, const GammaMarket& m0, std::string& why) {
  GammaMarket m = m0;
  if (m.start_s != w.start_s || m.end_s != w.end_s) {
    why = "window " + std::to_string(m.start_s) + ".." + std::to_string(m.end_s) + " is not " +
          std::to_string(w.start_s) + ".." + std::to_string(w.end_s);
    return false;
  }
  if (!all_digits(m.token_ids[0]) || !all_digits(m.token_ids[1]) || m.token_ids[0] == m.token_ids[1]) {
    why = "clobTokenIds not two distinct token ids (not hydrated?)";
    return false;
  }
  // Index 0 must be Up: never guess which token is which.
  if (m.outcomes[0] == "Down" && m.outcomes[1] == "Up") {
    std::swap(m.token_ids[0], m.token_ids[1]);
    std::swap(m.outcomes[0], m.outcomes[1]);
  } else if (!(m.outcomes[0] == "Up" && m.outcomes[1] == "Down")) {
    why = "outcomes \"" + m.outcomes[0] + "\",\"" + m.outcomes[1] + "\" are not Up/Down";
    return false;
  }
  if (config_.require_order_book && !m.enable_order_book) {
    why = "enableOrderBook is false (not hydrated yet)";
    return false;
  }
  const std::int64_t now_ns = clock_.now_ns();
  const InstrumentId up = tokens_.add(m.token_ids[0], now_ns);
  const InstrumentId down = tokens_.add(m.token_ids[1], now_ns);
  if (!up.valid() || !down.valid()) {
    why = "instrument table full";
    return false;
  }
  for (InstrumentId id : {up, down}) {
    book::Book& b = books_.prepare_book(id);
    if (m.tick.raw > 0) b.set_tick(m.tick);
  }
  w.market = std::move(m);
  w.tokens = {up, down};
  w.id = MarketId{next_market_++};
  for (std::size_t i = 0; i < 2; ++i) {
    w.sync[i] = RollerWindow::Sync{};
    w.sync[i].target = "/book?token_id=" + w.market.token_ids[i];
  }
  TrackedMarket t;
  t.market = w.id;
  t.up = up;
  t.down = down;
  t.window_start_s = w.start_s;
  t.window_end_s = w.end_s;
  // feeSchedule.rate is a fraction (0.07): in basis points that is rate_e6 / 100.
  t.fee_rate_bps = w.market.fees.present ? static_cast<std::uint32_t>(w.market.fees.rate_e6 / 100) : 0;
  t.min_order_size = w.market.min_order_size;
  t.tick = w.market.tick;
  t.neg_risk = w.market.neg_risk;
  t.interval_s = w.interval_s;
  // Already checked as digits above; a value >= 2^256 leaves the word zero and the def is not sent.
  (void)word256_from_decimal(w.market.token_ids[0], t.up_token);
  (void)word256_from_decimal(w.market.token_ids[1], t.down_token);
  (void)word256_from_hex(w.market.condition_id, t.condition_id);
  agent_.track(t);
  w.phase = WindowPhase::kFound;
  return true;
}

void MarketRoller::subscribe(RollerWindow& w) {
  const std::array<std::string, 2> ids{w.market.token_ids[0], w.market.token_ids[1]};
  session_.subscribe(ids);
  w.phase = WindowPhase::kSubscribed;
  ++counters_.subscribed;
  log("subscribed " + w.slug + " (opens in " + std::to_string(w.start_s - clock_.now_ns() / kNsPerS) + " s)");
}

void MarketRoller::retire(RollerWindow& w) {
  if (w.phase == WindowPhase::kSubscribed) {
    const std::array<std::string, 2> ids{w.market.token_ids[0], w.market.token_ids[1]};
    session_.unsubscribe(ids);
    ++counters_.unsubscribed;
  }
  agent_.untrack(w.id);
  for (InstrumentId id : w.tokens) {
    books_.release_book(id);
    // Handed out again only after the table's quarantine (if recycling is on): ids stay small forever.
    tokens_.release(id, clock_.now_ns());
  }
  w.phase = WindowPhase::kDone;
  log("retired " + w.slug);
}

void MarketRoller::resync_check(RollerWindow& w, std::int64_t now_ns) noexcept {
  for (std::size_t i = 0; i < 2; ++i) {
    RollerWindow::Sync& s = w.sync[i];
    const book::Book* b = books_.book(w.tokens[i]);
    if (b == nullptr) continue;
    if (b->valid()) {
      s.invalid_since_ns = 0;
      s.trusted_ts_ms = std::max(s.trusted_ts_ms, b->last_ts_ms());
      continue;
    }
    if (s.invalid_since_ns == 0) s.invalid_since_ns = now_ns;
    if (!rest_ || s.in_flight) continue;
    if (now_ns - s.invalid_since_ns < static_cast<std::int64_t>(config_.resync.delay_ms) * kNsPerMs) continue;
    if (s.last_request_ns != 0 &&
        now_ns - s.last_request_ns < static_cast<std::int64_t>(config_.resync.min_interval_ms) * kNsPerMs) {
      continue;
    }
    net::HttpRequest req;
    req.target = s.target;
    req.tag = (w.uid << 1) | i;
    if (rest_->submit(req) != net::NetError::kOk) continue;  // queue full: the next tick tries again
    s.in_flight = true;
    s.last_request_ns = now_ns;
    // Never go back before what the book already showed while it was trusted (a reconnect resets the book's
    // own timestamp, so the gate is kept here).
    s.min_ts_ms = std::max(s.trusted_ts_ms, b->last_ts_ms());
    ++counters_.resync_requests;
  }
}

void MarketRoller::on_response(net::HttpClient&, std::uint64_t tag, const net::HttpResponse& resp) noexcept {
  const std::uint64_t uid = tag >> 1;
  const std::size_t side = static_cast<std::size_t>(tag & 1);
  RollerWindow* w = nullptr;
  for (auto& wp : windows_) {
    if (wp->uid == uid) w = wp.get();
  }
  if (resp.error == net::NetError::kOk && raw_ != nullptr) {
    raw_->on_raw_frame(FeedChannel::kPolymarketRest, resp.body, resp.recv_ns);
  }
  if (w == nullptr || w->phase != WindowPhase::kSubscribed) return;  // retired meanwhile
  RollerWindow::Sync& s = w->sync[side];
  s.in_flight = false;
  const InstrumentId id = w->tokens[side];
  const book::Book* b = books_.book(id);
  if (b == nullptr) return;
  try {
    if (resp.error != net::NetError::kOk || resp.status != 200) {
      ++counters_.resync_failed;
      log("resync " + w->slug + " token " + std::to_string(side) + ": GET " + s.target + " -> " +
          (resp.error != net::NetError::kOk ? std::string(resp.detail) : "status " + std::to_string(resp.status)));
      return;
    }
    if (b->valid()) {
      ++counters_.resync_unneeded;
      return;
    }
    ResyncFilter f(books_, id, s.min_ts_ms, config_.resync.accept_equal_timestamp);
    const ParseStatus st = parser_.parse_rest_book(resp.body, resp.recv_ns, f, config_.resync.hash);
    if (st != ParseStatus::kOk || f.wrong_asset_ || (!f.applied_ && !f.too_old_)) {
      ++counters_.resync_failed;
      log("resync " + w->slug + ": unusable /book body for token " + std::to_string(side));
    } else if (f.too_old_) {
      ++counters_.resync_rejected_old;
      log("resync " + w->slug + ": /book timestamp " + std::to_string(f.ts_ms_) + " older than the book's " +
          std::to_string(s.min_ts_ms) + ", not applied");
    } else if (books_.book(id)->valid()) {
      ++counters_.resync_applied;
      s.invalid_since_ns = 0;
      s.trusted_ts_ms = std::max(s.trusted_ts_ms, books_.book(id)->last_ts_ms());
    } else {
      ++counters_.resync_still_invalid;
      log("resync " + w->slug + ": book still invalid after /book (" +
          std::string(book::to_string(books_.book(id)->reason())) + ")");
    }
  } catch (const std::exception&) {
    ++counters_.resync_failed;  // log line allocation failed; nothing else can throw
  }
}

}  // namespace polybot::feed
