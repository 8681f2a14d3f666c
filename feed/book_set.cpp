#include "feed/book_set.hpp"

namespace polybot::feed {

namespace {
constexpr std::int64_t kNsPerMs = 1'000'000;
}

BookSet::BookSet(BookSetConfig config) : config_(config) {}

book::Book& BookSet::prepare_book(InstrumentId id) {
  const std::size_t i = id.value;
  if (books_.size() <= i) books_.resize(i + 1);
  if (changed_.size() <= i) changed_.resize(i + 1, 0);
  if (!books_[i]) books_[i] = std::make_unique<book::Book>(config_.book);
  return *books_[i];
}

void BookSet::release_book(InstrumentId id) noexcept {
  const std::size_t i = id.value;
  if (i < books_.size()) books_[i].reset();
  if (i < changed_.size()) changed_[i] = 0;
}

book::DepthBook& BookSet::prepare_depth(InstrumentId id) {
  const std::size_t i = id.value;
  if (depths_.size() <= i) depths_.resize(i + 1);
  if (tickers_.size() <= i) tickers_.resize(i + 1);
  if (changed_.size() <= i) changed_.resize(i + 1, 0);
  if (!depths_[i]) depths_[i] = std::make_unique<book::DepthBook>(config_.depth);
  return *depths_[i];
}

void BookSet::prepare_ticker(InstrumentId id) {
  if (tickers_.size() <= id.value) tickers_.resize(id.value + 1);
}

book::Book* BookSet::book(InstrumentId id) noexcept {
  return id.value < books_.size() ? books_[id.value].get() : nullptr;
}

book::DepthBook* BookSet::depth(InstrumentId id) noexcept {
  return id.value < depths_.size() ? depths_[id.value].get() : nullptr;
}

const BtcTick* BookSet::last_ticker(InstrumentId id) const noexcept {
  return id.value < tickers_.size() && tickers_[id.value].hdr.type == MsgType::kBtcTick ? &tickers_[id.value]
                                                                                          : nullptr;
}

std::vector<InstrumentId> BookSet::book_ids() const {
  std::vector<InstrumentId> ids;
  for (std::size_t i = 0; i < books_.size(); ++i) {
    if (books_[i]) ids.push_back(InstrumentId{static_cast<std::uint32_t>(i)});
  }
  return ids;
}

std::vector<InstrumentId> BookSet::depth_ids() const {
  std::vector<InstrumentId> ids;
  for (std::size_t i = 0; i < depths_.size(); ++i) {
    if (depths_[i]) ids.push_back(InstrumentId{static_cast<std::uint32_t>(i)});
  }
  return ids;
}

book::Book* BookSet::book_for_update(InstrumentId id) noexcept {
  book::Book* b = book(id);
  if (b == nullptr && config_.create_on_sight && id.valid()) b = &prepare_book(id);
  if (b == nullptr) ++counters_.unprepared;
  return b;
}

book::DepthBook* BookSet::depth_for_update(InstrumentId id) noexcept {
  book::DepthBook* d = depth(id);
  if (d == nullptr && config_.create_on_sight && id.valid()) d = &prepare_depth(id);
  if (d == nullptr) ++counters_.unprepared;
  return d;
}

void BookSet::mark_changed(InstrumentId id) noexcept {
  if (id.value < changed_.size()) changed_[id.value] = 1;
}

bool BookSet::take_changed(InstrumentId id) noexcept {
  if (id.value >= changed_.size() || changed_[id.value] == 0) return false;
  changed_[id.value] = 0;
  return true;
}

void BookSet::on_reconnect_polymarket() noexcept {
  for (std::size_t i = 0; i < books_.size(); ++i) {
    if (books_[i]) {
      books_[i]->on_reconnect();
      changed_[i] = 1;
    }
  }
}

void BookSet::on_reconnect_binance() noexcept {
  for (std::size_t i = 0; i < depths_.size(); ++i) {
    if (depths_[i]) {
      depths_[i]->on_reconnect();
      changed_[i] = 1;
    }
  }
}

void BookSet::on_book_snapshot(const BookSnapshot& m) noexcept {
  book::Book* b = book_for_update(m.hdr.instrument);
  if (b == nullptr) return;
  const std::int64_t ts_ms = m.hdr.ts_exch / kNsPerMs;
  if (m.phase == SnapshotPhase::kBegin) {
    b->begin_snapshot(ts_ms, m.hdr.ts_recv);
    return;
  }
  ++counters_.snapshots;
  bool hash_ok = true;
  if (m.hash_check == 1) ++counters_.hash_matches;
  if (m.hash_check == 2) {
    ++counters_.hash_mismatches;
    hash_ok = config_.rest_hash != HashCheckMode::kEnforce;
  }
  b->end_snapshot(hash_ok);
  mark_changed(m.hdr.instrument);
}

void BookSet::on_book_level(const BookLevel& m) noexcept {
  book::Book* b = book_for_update(m.hdr.instrument);
  if (b == nullptr) return;
  ++counters_.levels_applied;
  if ((m.hdr.flags & msg_flag::kSnapshot) != 0) {
    b->snapshot_level(m.side, m.price, m.size);
    return;
  }
  const book::TopCheck top{m.msg_best_bid, m.msg_best_ask};
  b->apply_change(m.side, m.price, m.size, m.hdr.ts_exch / kNsPerMs, m.hdr.ts_recv, m.has_top ? &top : nullptr);
  mark_changed(m.hdr.instrument);
}

void BookSet::on_book_snapshot_side(const BookLevel& proto, std::span<const SnapshotLevel> levels) noexcept {
  if ((proto.hdr.flags & msg_flag::kSnapshot) == 0 || levels.empty()) {
    MarketSink::on_book_snapshot_side(proto, levels);  // not a snapshot side: level by level
    return;
  }
  // Same effect and counters as one on_book_level per level, with one book lookup for the side.
  book::Book* b = book_for_update(proto.hdr.instrument);
  if (b == nullptr) {
    counters_.unprepared += levels.size() - 1;  // book_for_update counted the first
    return;
  }
  counters_.levels_applied += levels.size();
  b->snapshot_side(proto.side, levels);
}

}  // namespace polybot::feed

namespace polybot::feed {

void BookSet::on_trade(const Trade& m) noexcept {
  ++counters_.trades;
  if (m.venue == Venue::kPolymarket) {
    if (book::Book* b = book(m.hdr.instrument)) b->touch(m.hdr.ts_recv);
  }
  if (downstream_ != nullptr) downstream_->on_trade(m);
}

void BookSet::on_kline(const Kline& m) noexcept {
  if (downstream_ != nullptr) downstream_->on_kline(m);
}

void BookSet::on_ref_price(const RefPrice& m) noexcept {
  if (downstream_ != nullptr) downstream_->on_ref_price(m);
}

void BookSet::on_market_status(const MarketStatus& m, const MarketInfo& info) noexcept {
  if (downstream_ != nullptr) downstream_->on_market_status(m, info);
}

void BookSet::on_tick_size_change(const TickSizeChange& m) noexcept {
  book::Book* b = book_for_update(m.hdr.instrument);
  if (b == nullptr) return;
  b->on_tick_size_change(m.new_tick, m.hdr.ts_exch / kNsPerMs, m.hdr.ts_recv);
  mark_changed(m.hdr.instrument);
  if (downstream_ != nullptr) downstream_->on_tick_size_change(m);
}

void BookSet::on_quote(const QuoteEvent& q) noexcept {
  book::Book* b = book(q.instrument);
  if (b == nullptr) return;
  const bool was_valid = b->valid();
  b->check_quote(book::TopCheck{q.bid, q.ask}, q.ts_exch_ns / kNsPerMs, q.ts_recv_ns);
  if (was_valid != b->valid()) mark_changed(q.instrument);
}

void BookSet::on_btc_tick(const BtcTick& m) noexcept {
  ++counters_.btc_ticks;
  const std::size_t i = m.hdr.instrument.value;
  if (i < tickers_.size()) tickers_[i] = m;
  if (downstream_ != nullptr) downstream_->on_btc_tick(m);
}

void BookSet::on_depth_diff(InstrumentId symbol, const book::DepthDiff& d, std::span<const book::DepthLevel> bids,
                            std::span<const book::DepthLevel> asks) noexcept {
  book::DepthBook* b = depth_for_update(symbol);
  if (b == nullptr) return;
  switch (b->apply_diff(d, bids, asks)) {
    case book::DiffStatus::kApplied: ++counters_.depth_applied; break;
    case book::DiffStatus::kBuffered: ++counters_.depth_buffered; break;
    case book::DiffStatus::kDroppedStale: ++counters_.depth_dropped; break;
    case book::DiffStatus::kGap: ++counters_.depth_gaps; break;
    case book::DiffStatus::kInvalidated: break;
  }
  mark_changed(symbol);
}

void BookSet::on_depth_snapshot(InstrumentId symbol, std::uint64_t last_update_id, bool rest, std::int64_t ts_recv_ns,
                                std::span<const book::DepthLevel> bids,
                                std::span<const book::DepthLevel> asks) noexcept {
  book::DepthBook* b = depth_for_update(symbol);
  if (b == nullptr) return;
  if (rest) {
    b->apply_snapshot(last_update_id, bids, asks, ts_recv_ns);
  } else {
    b->apply_partial(last_update_id, bids, asks, ts_recv_ns);
  }
  mark_changed(symbol);
}

}  // namespace polybot::feed
