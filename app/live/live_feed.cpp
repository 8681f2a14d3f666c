#include "app/live/live_feed.hpp"

#include <atomic>
#include <cstdio>
#include <cstdlib>

#include "journal/journal_recorder.hpp"
#include "signal/param_reader.hpp"

namespace polybot::app {

namespace {

struct Reader {
  const std::string& prefix;
  std::string error;

  bool fail(const std::string& key, const std::string& shown, const std::string& why) {
    error = prefix + "." + key + " = " + shown + ": " + why;
    return false;
  }
  bool string(const toml::table& t, const std::string& path, const char* key, std::string& out) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return true;
    const auto v = n->value<std::string>();
    if (!v || v->empty()) return fail(path + key, signal::show_toml_value(*n), "expected a non-empty string");
    out = *v;
    return true;
  }
  bool strings(const toml::table& t, const std::string& path, const char* key, std::vector<std::string>& out) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return true;
    const toml::array* a = n->as_array();
    if (a == nullptr || a->empty()) return fail(path + key, signal::show_toml_value(*n), "expected a non-empty array of strings");
    std::vector<std::string> v;
    for (const auto& e : *a) {
      const auto s = e.value<std::string>();
      if (!s || s->empty()) return fail(path + key, signal::show_toml_value(e), "expected a non-empty string");
      v.push_back(*s);
    }
    out = std::move(v);
    return true;
  }
  bool count(const toml::table& t, const std::string& path, const char* key, std::int64_t lo, std::int64_t hi,
             std::uint32_t& out) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return true;
    const auto v = n->value<std::int64_t>();
    if (!v || *v < lo || *v > hi) {
      return fail(path + key, signal::show_toml_value(*n),
                  "expected an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    }
    out = static_cast<std::uint32_t>(*v);
    return true;
  }
  bool flag(const toml::table& t, const std::string& path, const char* key, bool& out) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return true;
    const auto v = n->value<bool>();
    if (!v) return fail(path + key, signal::show_toml_value(*n), "expected true or false");
    out = *v;
    return true;
  }
  bool known(const toml::table& t, const std::string& path, std::initializer_list<const char*> keys) {
    for (const auto& [k, v] : t) {
      bool ok = false;
      for (const char* key : keys) ok = ok || k.str() == key;
      if (!ok) return fail(path + std::string(k.str()), signal::show_toml_value(v), "unknown key");
    }
    return true;
  }
};

}  // namespace

Result<LiveFeedConfig, std::string> parse_live_feed_config(const toml::table& table, const std::string& prefix) {
  LiveFeedConfig c;
  Reader r{prefix, {}};
  if (!r.known(table, "", {"ca_file", "duration_s", "polymarket", "binance", "rtds", "coingecko", "depth_levels"}) ||
      !r.string(table, "", "ca_file", c.ca_file)) {
    return Err{r.error};
  }
  std::uint32_t depth = static_cast<std::uint32_t>(c.agent.depth_levels);
  if (!r.count(table, "", "depth_levels", 1, 100, depth)) return Err{r.error};
  c.agent.depth_levels = static_cast<std::int32_t>(depth);

  if (const toml::table* pm = table["polymarket"].as_table()) {
    const std::string p = "polymarket.";
    c.polymarket = true;
    if (!r.known(*pm, p, {"url", "tokens", "series", "lookahead", "subscribe_lead_s", "unsubscribe_grace_s",
                          "gamma_url", "rest_url", "resync", "hash_check", "ping_interval_ms", "dead_after_ms",
                          "recycle_after_s"}) ||
        !r.string(*pm, p, "url", c.pm.url) || !r.strings(*pm, p, "tokens", c.tokens) ||
        !r.count(*pm, p, "ping_interval_ms", 1000, 60'000, c.pm.ping_interval_ms) ||
        !r.count(*pm, p, "dead_after_ms", 2000, 600'000, c.pm.dead_after_ms)) {
      return Err{r.error};
    }
    c.follow = c.tokens.empty();
    std::vector<std::string> series{"5m", "15m"};
    if (!r.strings(*pm, p, "series", series)) return Err{r.error};
    c.roll.intervals.clear();
    for (const auto& s : series) {
      if (s == "5m") {
        c.roll.intervals.push_back(300);
      } else if (s == "15m") {
        c.roll.intervals.push_back(900);
      } else {
        r.fail(p + "series", "\"" + s + "\"", "expected \"5m\" or \"15m\"");
        return Err{r.error};
      }
    }
    std::string hash = "diagnostic";
    if (!r.count(*pm, p, "lookahead", 0, 16, c.roll.lookahead) ||
        !r.count(*pm, p, "subscribe_lead_s", 0, 3600, c.roll.subscribe_lead_s) ||
        !r.count(*pm, p, "unsubscribe_grace_s", 0, 3600, c.roll.unsubscribe_grace_s) ||
        !r.string(*pm, p, "gamma_url", c.roll.gamma.base_url) ||
        !r.string(*pm, p, "rest_url", c.roll.resync.rest_base_url) ||
        !r.flag(*pm, p, "resync", c.roll.resync.enabled) || !r.string(*pm, p, "hash_check", hash) ||
        !r.count(*pm, p, "recycle_after_s", 0, 7 * 86'400, c.recycle_after_s)) {
      return Err{r.error};
    }
    if (hash == "off") {
      c.roll.resync.hash = feed::HashCheckMode::kOff;
    } else if (hash == "diagnostic") {
      c.roll.resync.hash = feed::HashCheckMode::kDiagnostic;
    } else if (hash == "enforce") {
      c.roll.resync.hash = feed::HashCheckMode::kEnforce;
    } else {
      r.fail(p + "hash_check", "\"" + hash + "\"", "expected \"off\", \"diagnostic\" or \"enforce\"");
      return Err{r.error};
    }
  } else if (table.get("polymarket") != nullptr) {
    r.fail("polymarket", signal::show_toml_value(*table.get("polymarket")), "expected a table");
    return Err{r.error};
  }

  if (const toml::table* bn = table["binance"].as_table()) {
    const std::string p = "binance.";
    c.binance = true;
    if (!r.known(*bn, p, {"ws_base", "rest_base", "symbols", "streams", "kline_backfill", "depth_limit",
                          "dead_after_ms"}) ||
        !r.string(*bn, p, "ws_base", c.bn.ws_base) || !r.string(*bn, p, "rest_base", c.bn.rest_base) ||
        !r.strings(*bn, p, "symbols", c.bn.symbols) || !r.strings(*bn, p, "streams", c.bn.streams) ||
        !r.count(*bn, p, "kline_backfill", 0, 1000, c.bn.kline_backfill) ||
        !r.count(*bn, p, "depth_limit", 5, 5000, c.bn.depth_limit) ||
        !r.count(*bn, p, "dead_after_ms", 2000, 600'000, c.bn.dead_after_ms)) {
      return Err{r.error};
    }
    static constexpr const char* kStreams[] = {"bookTicker", "aggTrade", "trade", "kline_1m", "depth@100ms",
                                               "depth", "depth20@100ms", "depth20", "depth5@100ms", "depth10@100ms"};
    for (const auto& s : c.bn.streams) {
      bool ok = false;
      for (const char* k : kStreams) ok = ok || s == k;
      if (!ok) {
        r.fail(p + "streams", "\"" + s + "\"",
               "expected bookTicker, aggTrade, trade, kline_1m, depth@100ms, depth or depth<N>[@100ms]");
        return Err{r.error};
      }
    }
    for (const auto& s : c.bn.symbols) {
      for (const char ch : s) {
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))) {
          r.fail(p + "symbols", "\"" + s + "\"", "expected a lower-case symbol as in stream names (btcusdt)");
          return Err{r.error};
        }
      }
    }
  } else if (table.get("binance") != nullptr) {
    r.fail("binance", signal::show_toml_value(*table.get("binance")), "expected a table");
    return Err{r.error};
  }

  if (const toml::table* rt = table["rtds"].as_table()) {
    c.rtds = true;
    if (!r.known(*rt, "rtds.", {"url"}) || !r.string(*rt, "rtds.", "url", c.rt.url)) return Err{r.error};
  } else if (table.get("rtds") != nullptr) {
    r.fail("rtds", signal::show_toml_value(*table.get("rtds")), "expected a table");
    return Err{r.error};
  }
  if (const toml::table* cg = table["coingecko"].as_table()) {
    const std::string p = "coingecko.";
    c.coingecko = true;
    std::string plan = "none";
    if (!r.known(*cg, p, {"base_url", "coin", "currency", "interval_s", "max_deviation_bps", "max_age_s",
                          "max_ticker_age_s", "plan"}) ||
        !r.string(*cg, p, "base_url", c.cg.base_url) || !r.string(*cg, p, "coin", c.cg.coin) ||
        !r.string(*cg, p, "currency", c.cg.currency) || !r.string(*cg, p, "plan", plan) ||
        !r.count(*cg, p, "interval_s", 10, 86'400, c.cg.interval_s) ||
        !r.count(*cg, p, "max_deviation_bps", 1, 10'000, c.cg.max_deviation_bps) ||
        !r.count(*cg, p, "max_age_s", 30, 86'400, c.cg.max_age_s) ||
        !r.count(*cg, p, "max_ticker_age_s", 1, 3'600, c.cg.max_ticker_age_s)) {
      return Err{r.error};
    }
    for (const std::string* id : {&c.cg.coin, &c.cg.currency}) {
      bool ok = !id->empty();
      for (const char ch : *id) ok = ok && ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-');
      if (!ok) {
        r.fail(p + (id == &c.cg.coin ? "coin" : "currency"), "\"" + *id + "\"",
               "expected a lower-case CoinGecko id (bitcoin, usd)");
        return Err{r.error};
      }
    }
    if (plan == "demo" || plan == "pro") {
      // The key is a credential: from the environment only, never from a config file that gets shared.
      const char* key = std::getenv("POLYBOT_COINGECKO_API_KEY");
      if (key == nullptr || *key == '\0') {
        r.fail(p + "plan", "\"" + plan + "\"", "needs the API key in POLYBOT_COINGECKO_API_KEY");
        return Err{r.error};
      }
      c.cg.api_key = key;
      c.cg.api_key_header = plan == "demo" ? "x-cg-demo-api-key" : "x-cg-pro-api-key";
    } else if (plan != "none") {
      r.fail(p + "plan", "\"" + plan + "\"", "expected \"none\", \"demo\" or \"pro\"");
      return Err{r.error};
    }
  } else if (table.get("coingecko") != nullptr) {
    r.fail("coingecko", signal::show_toml_value(*table.get("coingecko")), "expected a table");
    return Err{r.error};
  }
  if (!c.polymarket && !c.binance && !c.rtds) {
    return Err{prefix + ": no feed configured: add [" + prefix + ".polymarket], [" + prefix + ".binance] or [" +
               prefix + ".rtds]"};
  }
  return c;
}

void JournalRawSink::on_raw_frame(feed::FeedChannel channel, std::string_view bytes, std::int64_t recv_ns) noexcept {
  ++frames_[static_cast<std::size_t>(channel) % frames_.size()];
  rec_.on_raw_frame(Stage::kFeed, recv_ns, bytes.data(), static_cast<std::uint32_t>(bytes.size()));
}

// The feed thread's agent: the FeedAgent (which polls the loop), the roller's housekeeping and the Binance
// snapshot resyncs, as one "feed" agent.
class LiveFeed::Driver final : public Agent {
 public:
  explicit Driver(LiveFeed& f) : f_(f) {}
  [[nodiscard]] const char* name() const noexcept override { return "feed"; }
  void on_start() noexcept override {
    if (f_.pm_session_) f_.pm_session_->start();
    if (f_.bn_session_) f_.bn_session_->start();
    if (f_.rt_session_) f_.rt_session_->start();
    if (f_.cg_check_) f_.cg_check_->start();
    f_.feed_agent_->on_start();
    if (f_.roller_) f_.roller_->on_start();
  }
  int do_work() noexcept override {
    int work = f_.feed_agent_->do_work();
    if (f_.roller_) work += f_.roller_->do_work();
    if (f_.bn_session_) work += f_.bn_session_->poll_resync();
    if (f_.cg_check_) work += f_.cg_check_->poll();
    return work;
  }
  [[nodiscard]] bool done() const noexcept override { return stop_.load(std::memory_order_acquire); }
  void request_stop() noexcept { stop_.store(true, std::memory_order_release); }

 private:
  LiveFeed& f_;
  std::atomic<bool> stop_{false};
};

LiveFeed::LiveFeed(const LiveFeedConfig& cfg)
    : cfg_(cfg),
      tokens_(cfg.token_capacity),
      symbols_(256),
      books_([&] {
        feed::BookSetConfig c;
        c.rest_hash = cfg.roll.resync.hash;
        return c;
      }()),
      pm_parser_(tokens_),
      bn_parser_(symbols_),
      rt_parser_(symbols_) {
  symbols_.set_auto_add(true);
  tokens_.set_recycling(static_cast<std::int64_t>(cfg.recycle_after_s) * 1'000'000'000);
}

LiveFeed::~LiveFeed() { shutdown(); }

Result<std::unique_ptr<LiveFeed>, std::string> LiveFeed::create(const LiveFeedConfig& cfg, const Clock& clock,
                                                                Channel<Envelope>::Producer out,
                                                                feed::RawFrameSink* raw, StageRecorder* recorder) {
  std::unique_ptr<LiveFeed> f(new LiveFeed(cfg));
  net::TlsClientOptions tls_opts;
  tls_opts.extra_ca_file = cfg.ca_file;
  auto tls = net::TlsClientContext::create(tls_opts);
  if (!tls) return Err{"ca_file \"" + cfg.ca_file + "\": " + tls.error().detail};
  f->tls_ = std::make_unique<net::TlsClientContext>(std::move(*tls));

  f->feed_agent_ = std::make_unique<feed::FeedAgent>(&f->loop_, f->books_, clock, out, cfg.agent);
  f->feed_agent_->set_recorder(recorder);
  f->books_.set_downstream(f->feed_agent_.get());
  for (const auto& t : cfg.tokens) f->books_.prepare_book(f->tokens_.add(t));

  if (cfg.polymarket) {
    feed::PolymarketSessionConfig c = cfg.pm;
    c.clock = &clock;
    auto s = feed::PolymarketMarketSession::create(f->loop_, f->tls_.get(), c, f->pm_parser_, f->books_, &f->books_,
                                                   raw);
    if (!s) return Err{"polymarket.url \"" + c.url + "\" is not usable"};
    f->pm_session_ = std::move(*s);
    if (!cfg.tokens.empty()) f->pm_session_->subscribe(cfg.tokens);
    if (cfg.follow) {
      auto r = feed::MarketRoller::create(f->loop_, f->tls_.get(), clock, cfg.roll, f->tokens_, f->books_,
                                          f->pm_parser_, *f->pm_session_, *f->feed_agent_, raw);
      if (!r) {
        return Err{"polymarket.gamma_url \"" + cfg.roll.gamma.base_url + "\" / rest_url \"" +
                   cfg.roll.resync.rest_base_url + "\" are not usable"};
      }
      f->roller_ = std::move(*r);
    }
  }
  if (cfg.binance) {
    feed::BinanceSessionConfig c = cfg.bn;
    c.clock = &clock;
    auto s = feed::BinanceSession::create(f->loop_, f->tls_.get(), c, f->symbols_, f->bn_parser_, f->books_, f->books_,
                                          raw);
    if (!s) return Err{"binance.ws_base \"" + c.ws_base + "\" / rest_base \"" + c.rest_base + "\" are not usable"};
    f->bn_session_ = std::move(*s);
  }
  if (cfg.rtds) {
    feed::RefPriceSessionConfig c = cfg.rt;
    c.clock = &clock;
    auto s = feed::RefPriceSession::create(f->loop_, f->tls_.get(), c, f->rt_parser_, f->books_, raw);
    if (!s) return Err{"rtds.url \"" + c.url + "\" is not usable"};
    f->rt_session_ = std::move(*s);
  }
  if (cfg.coingecko) {
    feed::CoinGeckoConfig c = cfg.cg;
    c.clock = &clock;
    // Compared with the first Binance symbol's bookTicker (btcusdt), when Binance is configured.
    InstrumentId symbol{};
    if (cfg.binance && !cfg.bn.symbols.empty()) {
      std::string upper = cfg.bn.symbols.front();
      for (char& ch : upper) ch = static_cast<char>(ch >= 'a' && ch <= 'z' ? ch - 'a' + 'A' : ch);
      symbol = f->symbols_.add(upper);
    }
    auto s = feed::CoinGeckoCheck::create(f->loop_, f->tls_.get(), c, f->books_, symbol, f->books_, raw);
    if (!s) return Err{"coingecko.base_url \"" + c.base_url + "\" is not usable"};
    f->cg_check_ = std::move(*s);
  }
  f->driver_ = std::make_unique<Driver>(*f);
  return f;
}

Agent& LiveFeed::agent() noexcept { return *driver_; }

void LiveFeed::request_stop() noexcept {
  if (driver_) driver_->request_stop();
}

void LiveFeed::shutdown() noexcept {
  if (shut_) return;
  shut_ = true;
  roller_.reset();
  if (pm_session_) pm_session_->stop();
  if (bn_session_) bn_session_->stop();
  if (rt_session_) rt_session_->stop();
  if (cg_check_) cg_check_->stop();
  loop_.run_for_ms(20);
}

std::uint64_t LiveFeed::parse_errors() const noexcept {
  std::uint64_t n = 0;
  if (pm_session_) n += pm_session_->counters().parse_errors;
  if (bn_session_) n += bn_session_->counters().parse_errors;
  if (rt_session_) n += rt_session_->parse_errors();
  if (cg_check_) n += cg_check_->counters().parse_errors;
  return n;
}

}  // namespace polybot::app
