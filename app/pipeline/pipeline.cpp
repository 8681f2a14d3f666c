#include "app/pipeline/pipeline.hpp"

#include <chrono>
#include <string_view>
#include <thread>

#include "signal/strategy_factory.hpp"

namespace polybot::app {

std::unique_ptr<StageLogic> make_stage_logic(Stage stage, const PipelineConfig& cfg) {
  switch (stage) {
    case Stage::kSignal: {
      std::vector<std::unique_ptr<signal::Strategy>> strategies;
      if (cfg.ema_enabled) strategies.push_back(std::make_unique<signal::EmaCross>(StrategyId{1}, cfg.ema));
      for (const auto& [name, table] : cfg.extra_strategies) {
        // Validated when the config was parsed.
        auto made = signal::make_strategy(name, table, "strategies." + name + ".");
        if (made) strategies.push_back(std::move(*made));
      }
      return std::make_unique<signal::SignalLogic>(std::move(strategies));
    }
    case Stage::kRisk: return std::make_unique<oms::risk::RiskLogic>(cfg.risk);
    case Stage::kOms:
      // The clob oms's decisions also depend on venue answers, journaled as raw oms inputs; no replay logic
      // consumes those yet (docs/OMS.md), so replay treats its stream as recorded, not re-run.
      if (cfg.oms.mode == OmsMode::kClob) return nullptr;
      return std::make_unique<oms::CountingOms>();
    case Stage::kFeed:
    case Stage::kCount: break;
  }
  return nullptr;
}

namespace {
void fill_live_report(const LiveFeed& f, PipelineReport::Live& out) {
  const feed::FeedAgent& a = f.feed_agent();
  out.published = a.published();
  out.dropped = a.dropped();
  out.book_tops = a.published(MsgType::kBookTop);
  out.timers = a.published(MsgType::kTimer);
  out.market_defs = a.published(MsgType::kMarketDef);
  out.klines = a.published(MsgType::kKline);
  out.btc_ticks = a.published(MsgType::kBtcTick);
  out.trades = a.published(MsgType::kTrade);
  out.ref_prices = a.published(MsgType::kRefPrice);
  out.parse_errors = f.parse_errors();
  if (const auto* s = f.polymarket()) {
    out.polymarket_frames = s->counters().frames;
    out.disconnects += s->counters().disconnects;
  }
  if (const auto* s = f.binance()) {
    out.binance_frames = s->counters().frames;
    out.disconnects += s->counters().disconnects;
  }
  if (const auto* s = f.rtds()) {
    out.rtds_frames = s->frames();
    out.disconnects += s->disconnects();
  }
  if (const auto* c = f.coingecko()) {
    const auto& n = c->counters();
    out.coingecko_answers = n.answers;
    out.coingecko_checks = n.checks;
    out.coingecko_divergences = n.divergences;
    out.coingecko_errors = n.http_errors + n.rate_limited + n.parse_errors;
    out.coingecko_last_bps = n.last_deviation_bps;
    out.coingecko_state = feed::to_string(n.state);
  }
  if (const auto* r = f.roller()) {
    out.windows_found = r->counters().found;
    out.windows_missed = r->counters().missed;
    out.subscribed = r->counters().subscribed;
    out.unsubscribed = r->counters().unsubscribed;
    out.resyncs_applied = r->counters().resync_applied;
  }
}
}  // namespace

Result<std::vector<feed::KlineRow>, std::string> load_klines(const PipelineConfig& cfg) {
  std::vector<feed::KlineRow> all;
  for (const auto& path : cfg.kline_files) {
    auto rows = feed::read_kline_csv(path);
    if (!rows) {
      return Err{path + (rows.error().line ? ":" + std::to_string(rows.error().line) : std::string()) + ": " +
                 rows.error().message};
    }
    all.insert(all.end(), rows->begin(), rows->end());
  }
  return all;
}

Pipeline::Pipeline(const PipelineConfig& cfg, std::vector<feed::KlineRow> rows, const Clock& clock,
                   StageRecorder* recorder, feed::RawFrameSink* raw)
    : cfg_(cfg), clock_(clock) {
  to_signal_ = std::make_unique<EnvelopeChannel>(cfg.channel_capacity);
  to_risk_ = std::make_unique<EnvelopeChannel>(cfg.channel_capacity);
  to_oms_ = std::make_unique<EnvelopeChannel>(cfg.channel_capacity);
  reports_to_risk_ = std::make_unique<EnvelopeChannel>(cfg.channel_capacity);
  reports_to_signal_ = std::make_unique<EnvelopeChannel>(cfg.channel_capacity);

  signal_.reset(static_cast<signal::SignalLogic*>(make_stage_logic(Stage::kSignal, cfg).release()));
  risk_.reset(static_cast<oms::risk::RiskLogic*>(make_stage_logic(Stage::kRisk, cfg).release()));
  oms_.reset(static_cast<oms::CountingOms*>(make_stage_logic(Stage::kOms, cfg).release()));
  if (cfg.oms.mode == OmsMode::kClob) {
    auto made = ClobOmsStage::create(cfg.oms, clock, recorder);
    if (!made) {
      error_ = made.error();
      return;
    }
    clob_ = std::move(*made);
  }

  if (cfg.live) {
    auto made = LiveFeed::create(cfg.feed, clock, to_signal_->producer(), raw, recorder);
    if (!made) {
      error_ = "feed." + made.error();
      return;
    }
    live_ = std::move(*made);
    source_ = &live_->agent();
  } else {
    feed_agent_ = std::make_unique<feed::KlineSourceAgent>(
        std::move(rows), *to_signal_, clock, recorder,
        feed::KlineSourceAgent::Options{InstrumentId{1}, cfg.rate, cfg.limit});
    source_ = feed_agent_.get();
  }
  // Market definitions and tick changes ride along with the decisions, so the oms learns each market (its
  // venue token ids) from the same journaled stream before any order for it.
  signal_agent_ = std::make_unique<StageAgent>("signal", *signal_, clock, recorder);
  signal_agent_->add_input(*to_signal_);
  signal_agent_->add_input(*reports_to_signal_);
  signal_agent_->add_output(*to_risk_, TypeMask{MsgType::kIntent, MsgType::kMarketDef, MsgType::kTickSizeChange});
  signal_agent_->add_upstream(source_);
  risk_agent_ = std::make_unique<StageAgent>("risk", *risk_, clock, recorder);
  // Two inputs: decisions from signal and the oms's ExecReports (risk is the book of record for capital and
  // positions). The StageAgent journals each input as it consumes it, so replay sees the same interleaving.
  risk_agent_->add_input(*to_risk_);
  risk_agent_->add_input(*reports_to_risk_);
  risk_agent_->add_output(*to_oms_, TypeMask{MsgType::kOrderRequest, MsgType::kMarketDef, MsgType::kTickSizeChange});
  // Risk passes each report on to signal (strategies' position books and order gates). This channel closes a
  // cycle signal -> risk -> signal, so it drops when full (counted as shed) instead of back-pressuring: two
  // back-pressured channels in a cycle could each wait for the other.
  risk_agent_->add_output(*reports_to_signal_, TypeMask{MsgType::kExecReport}, WhenFull::kDrop);
  risk_agent_->add_upstream(signal_agent_.get());
  if (clob_) {
    // The live oms keeps live time (venue deadlines, heartbeats); its ExecReports are journaled, counted and
    // sent back to risk (a full channel is counted by the oms agent; risk sees the gap in their sequence).
    clob_->oms().bind(*to_oms_, reports_to_risk_.get(), risk_agent_.get());
  } else {
    oms_agent_ = std::make_unique<StageAgent>("oms", *oms_, clock, recorder);
    oms_agent_->add_input(*to_oms_);
    oms_agent_->add_output(*reports_to_risk_, TypeMask{MsgType::kExecReport});
    oms_agent_->add_upstream(risk_agent_.get());
  }
  if (cfg.data_time) {
    for (StageAgent* a : {signal_agent_.get(), risk_agent_.get(), oms_agent_.get()}) {
      if (a != nullptr) a->set_event_time(StageAgent::EventTime::kData);
    }
  }

  const auto agent_by_name = [this](const std::string& n) -> Agent* {
    if (n == "feed") return source_;
    if (n == "signal") return signal_agent_.get();
    if (n == "risk") return risk_agent_.get();
    if (clob_) return &clob_->oms().agent();
    return oms_agent_.get();
  };
  for (const auto& t : cfg.threads) {
    std::vector<Agent*> agents;
    for (const auto& a : t.agents) agents.push_back(agent_by_name(a));
    runner_.add_thread(t.spec, std::move(agents));
  }
}

Pipeline::~Pipeline() {
  runner_.request_stop();
  runner_.join();
}

PipelineReport Pipeline::run(double live_seconds) {
  if (!error_.empty()) {
    PipelineReport failed;
    failed.error = error_;
    return failed;
  }
  if (clob_) clob_->oms().start();
  const auto t0 = std::chrono::steady_clock::now();
  runner_.start();
  if (live_) {
    const auto until = t0 + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                std::chrono::duration<double>(live_seconds));
    while (!Runner::signal_received() && (live_seconds <= 0 || std::chrono::steady_clock::now() < until)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    live_->request_stop();  // the stages downstream drain what the feed sent, then the runner ends
  }
  runner_.run_until_done();
  // The oms may answer after risk went idle (its drain waits for the venue): the threads are joined, so the
  // main thread takes over risk's input ends and lets it consume (and journal) the reports still queued.
  to_risk_->consumer().release_thread();
  reports_to_risk_->consumer().release_thread();
  to_oms_->producer().release_thread();
  reports_to_signal_->producer().release_thread();  // signal is not re-run here: what it did not consume stays
  while (risk_agent_->do_work() > 0) {
  }
  const auto t1 = std::chrono::steady_clock::now();

  PipelineReport r;
  r.seconds = std::chrono::duration<double>(t1 - t0).count();
  if (live_) {
    r.live = true;
    fill_live_report(*live_, r.feed);
    r.klines = r.feed.klines;
    live_->shutdown();
  } else {
    r.klines = feed_agent_->produced();
  }
  r.intents = signal_->intents();
  r.approved = risk_->approved();
  r.denied = risk_->denied();
  r.book = RiskBook{risk_->counters(), risk_->available(), risk_->min_available(), risk_->reserved(),
                    risk_->position_cost(), risk_->realized_pnl(), risk_->open_orders(), 0};
  r.signal = signal_agent_->counters();
  r.risk = risk_agent_->counters();
  if (clob_) {
    r.clob = true;
    r.clob_summary = clob_->summary();
    r.orders = r.clob_summary.oms.orders;
    r.oms.consumed = clob_->oms().agent().consumed();
    r.oms.produced = clob_->oms().agent().produced();
    r.book.reports_refused = clob_->oms().agent().output_full();
  } else {
    r.orders = oms_->orders();
    r.oms = oms_agent_->counters();
  }
  r.backpressure = (feed_agent_ ? feed_agent_->backpressure() : r.feed.dropped) + r.signal.backpressure +
                   r.risk.backpressure;
  // A report the oms could not hand to risk is lost to the book of record: counted as dropped (the run fails).
  r.dropped = r.signal.dropped + r.risk.dropped + r.oms.dropped + r.book.reports_refused;
  r.feed_to_signal.merge(signal_agent_->queue_latency());
  r.signal_service.merge(signal_agent_->service_latency());
  r.signal_to_risk.merge(risk_agent_->queue_latency());
  r.risk_service.merge(risk_agent_->service_latency());
  if (oms_agent_) {
    r.risk_to_oms.merge(oms_agent_->queue_latency());
    r.end_to_end.merge(oms_agent_->origin_latency());
  }
  r.threads = runner_.stats();
  for (const auto& t : signal_->tallies()) {
    if (t.count == 0) break;
    const char* name = "?";
    for (const auto& s : signal_->strategies()) {
      if (s->id() == t.strategy) name = s->name();
    }
    r.decisions.push_back(PipelineReport::Decision{name, t.action, t.reason, t.count});
  }
  return r;
}

void print_report(std::FILE* out, const PipelineConfig& cfg, const PipelineReport& r) {
  std::string strategies = cfg.ema_enabled ? cfg.strategy : std::string();
  for (const auto& [name, table] : cfg.extra_strategies) strategies += (strategies.empty() ? "" : " + ") + name;
  std::fprintf(out, "polybot %s pipeline: feed(%s) -> signal(%s) -> risk -> oms(%s)\n", r.live ? "live" : "foundation",
               r.live ? "live feeds" : "klines", strategies.c_str(),
               cfg.oms.mode == OmsMode::kClob ? (cfg.oms.simulator.enabled ? "clob, loopback simulator" : "clob")
                                              : "counting");
  for (std::size_t i = 0; i < cfg.threads.size(); ++i) {
    const auto& t = cfg.threads[i];
    std::string agents;
    for (const auto& a : t.agents) agents += (agents.empty() ? "" : "+") + a;
    std::fprintf(out, "  thread %-8s agents=%-12s cpu=%d%s wait=%s%s\n", t.spec.name.c_str(), agents.c_str(),
                 t.spec.cpu, (i < r.threads.size() && t.spec.cpu >= 0 && !r.threads[i].pinned) ? "(NOT pinned)" : "",
                 to_string(t.spec.wait.kind),
                 t.spec.fifo_priority > 0 ? ((i < r.threads.size() && r.threads[i].fifo) ? " SCHED_FIFO"
                                                                                       : " (SCHED_FIFO refused)")
                                          : "");
  }
  std::fprintf(out, "stages (consumed -> produced):\n");
  const auto u = [](std::uint64_t v) { return static_cast<unsigned long long>(v); };
  if (r.live) {
    const auto& f = r.feed;
    std::fprintf(out,
                 "  feed    frames polymarket %llu, binance %llu, rtds %llu (parse errors %llu, disconnects %llu)\n"
                 "          windows found %llu, missed %llu, subscribed %llu, unsubscribed %llu, /book resyncs %llu\n"
                 "          -> %llu messages: %llu BookTop, %llu Timer, %llu MarketDef, %llu Kline, %llu BtcTick, "
                 "%llu Trade, %llu RefPrice (%llu refused by a full channel)\n",
                 u(f.polymarket_frames), u(f.binance_frames), u(f.rtds_frames), u(f.parse_errors), u(f.disconnects),
                 u(f.windows_found), u(f.windows_missed), u(f.subscribed), u(f.unsubscribed), u(f.resyncs_applied),
                 u(f.published), u(f.book_tops), u(f.timers), u(f.market_defs), u(f.klines), u(f.btc_ticks),
                 u(f.trades), u(f.ref_prices), u(f.dropped));
    if (std::string_view(f.coingecko_state) != "off") {
      std::fprintf(out,
                   "          CoinGecko check %s: %llu answers, %llu compared, %llu diverged, last %lld bps off "
                   "Binance (%llu failed requests)\n",
                   f.coingecko_state, u(f.coingecko_answers), u(f.coingecko_checks), u(f.coingecko_divergences),
                   static_cast<long long>(f.coingecko_last_bps), u(f.coingecko_errors));
    }
  } else {
    std::fprintf(out, "  feed    klines read            -> %llu Kline\n", u(r.klines));
  }
  std::fprintf(out,
               r.live                          ? "  signal  %-10llu messages    -> %llu Intent/MarketDef\n"
               : r.book.counters.reports > 0   ? "  signal  %-10llu inputs      -> %llu Intent\n"
                                               : "  signal  %-10llu Kline       -> %llu Intent\n",
               static_cast<unsigned long long>(r.signal.consumed), static_cast<unsigned long long>(r.signal.produced));
  std::fprintf(out, (r.live || r.book.counters.reports > 0) ? "  risk    %-10llu inputs      -> %llu OrderRequest, %llu Denied\n" : "  risk    %-10llu Intent      -> %llu OrderRequest, %llu Denied\n",
               static_cast<unsigned long long>(r.risk.consumed), static_cast<unsigned long long>(r.approved),
               static_cast<unsigned long long>(r.denied));
  if (!r.clob) {
    std::fprintf(out, "  oms     %-10llu OrderRequest counted\n", static_cast<unsigned long long>(r.oms.consumed));
  } else {
    const auto& o = r.clob_summary.oms;
    std::fprintf(out, r.live ? "  oms     %-10llu inputs      -> %llu ExecReport\n" : "  oms     %-10llu OrderRequest -> %llu ExecReport\n",
                 u(r.oms.consumed), u(r.oms.produced));
    std::fprintf(out,
                 "  oms     submitted %llu (pre-signed %llu, signed on the helper %llu), accepted %llu, rejected %llu, "
                 "refused by the oms %llu, fills %llu, cancels %llu, unknown %llu, reconciliations %llu\n",
                 u(o.submitted), u(o.presign_hits), u(o.signed_async), u(o.accepted), u(o.rejected), u(o.refused),
                 u(o.fills), u(o.cancels), u(o.unknown), u(o.reconciliations));
    std::fprintf(out, "  gateway orders sent %llu, heartbeats %llu (failed %llu), back-pressure %llu\n",
                 u(r.clob_summary.gateway.orders_sent), u(r.clob_summary.gateway.heartbeats_sent),
                 u(r.clob_summary.gateway.heartbeats_failed), u(r.clob_summary.gateway.back_pressure));
    if (r.clob_summary.simulator) {
      const auto& v = r.clob_summary.venue;
      std::fprintf(out,
                   "  venue   (simulator) orders received %llu, accepted %llu, rejected %llu, bad signatures %llu, "
                   "auth failures %llu, trades %llu, open now %llu\n",
                   u(v.orders_received), u(v.orders_accepted), u(v.orders_rejected), u(v.bad_signatures),
                   u(v.auth_failures), u(v.trades), u(r.clob_summary.venue_open_orders));
    }
  }
  {
    // Risk's book of record: what the ExecReports did to capital (worded apart from the oms lines above).
    const auto& b = r.book;
    const auto& k = b.counters;
    std::fprintf(out,
                 "  risk    book: %llu ExecReport (fills %llu, reversals %llu, orders closed %llu, after close %llu, "
                 "stray ids %llu, reports lost %llu, refused to risk %llu), open orders %u, order table full %llu, "
                 "cancels sent %llu, passed to signal %llu (shed %llu)\n",
                 u(k.reports), u(k.fills), u(k.fill_reversals), u(k.closed), u(k.late_reports), u(k.unknown_reports),
                 u(k.lost_reports), u(b.reports_refused), b.open_orders, u(k.table_full), u(k.cancels_sent),
                 u(k.reports - r.risk.shed), u(r.risk.shed));
    std::fprintf(out,
                 "  risk    capital: available %s (lowest %s), reserved %s, in positions %s, realized pnl %s, "
                 "released by ended orders %s\n",
                 b.available.to_string().c_str(), b.min_available.to_string().c_str(), b.reserved.to_string().c_str(),
                 b.position_cost.to_string().c_str(), b.realized_pnl.to_string().c_str(),
                 Usdc::from_raw(static_cast<std::int64_t>(k.released_raw)).to_string().c_str());
  }
  std::fprintf(out, "signal decisions (strategy action reason: count):\n");
  for (const auto& d : r.decisions) {
    static constexpr const char* kActions[] = {"skip", "place", "cancel", "cancel_all", "halt"};
    const auto a = static_cast<std::size_t>(d.action);
    std::fprintf(out, "  %-12s %-6s %5u: %llu\n", d.strategy.c_str(), a < 5 ? kActions[a] : "?",
                 static_cast<unsigned>(d.reason), static_cast<unsigned long long>(d.count));
  }
  std::fprintf(out, "channels: back-pressure events %llu, dropped %llu\n",
               static_cast<unsigned long long>(r.backpressure), static_cast<unsigned long long>(r.dropped));
  std::fprintf(out, "latency (per hop, ns clock = %s):\n", "live");
  std::fprintf(out, "  feed->signal queue   %s\n", r.feed_to_signal.summary().c_str());
  std::fprintf(out, "  signal service       %s\n", r.signal_service.summary().c_str());
  std::fprintf(out, "  signal->risk queue   %s\n", r.signal_to_risk.summary().c_str());
  std::fprintf(out, "  risk service         %s\n", r.risk_service.summary().c_str());
  std::fprintf(out, "  risk->oms queue      %s\n", r.risk_to_oms.summary().c_str());
  std::fprintf(out, "  end to end (origin->oms) %s\n", r.end_to_end.summary().c_str());
  if (r.live) {
    std::fprintf(out, "elapsed %.3f s, %.1f feed messages/s\n", r.seconds,
                 r.seconds > 0 ? static_cast<double>(r.feed.published) / r.seconds : 0.0);
  } else {
    std::fprintf(out, "elapsed %.3f s, %.0f klines/s\n", r.seconds,
                 r.seconds > 0 ? static_cast<double>(r.klines) / r.seconds : 0.0);
  }
}

}  // namespace polybot::app
