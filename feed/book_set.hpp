// BookSet: the books the feed stage keeps, fed by the parsers (it is a MarketSink): one book::Book per
// Polymarket token and one book::DepthBook per Binance symbol, indexed by InstrumentId. The same object serves
// the live feed agent, `polybot book replay`, the tests and the benchmarks, so all of them apply updates through
// one code path. Feed thread only. Books are allocated when an instrument is first prepared (subscribe time or
// first sight in a replay), never per update. Never throws.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "book/book.hpp"
#include "book/depth_book.hpp"
#include "feed/parse/market_sink.hpp"
#include "feed/parse/polymarket_parser.hpp"

namespace polybot::feed {

struct BookSetConfig {
  book::BookConfig book;
  book::DepthBookConfig depth;
  HashCheckMode rest_hash = HashCheckMode::kDiagnostic;  // enforce: a REST snapshot whose hash differs is invalid
  bool create_on_sight = false;  // replay tools: make a book for any instrument seen (allocates on first sight)
};

struct BookSetCounters {
  std::uint64_t levels_applied = 0;
  std::uint64_t snapshots = 0;
  std::uint64_t hash_mismatches = 0;
  std::uint64_t hash_matches = 0;
  std::uint64_t unprepared = 0;  // updates for an instrument without a book
  std::uint64_t depth_applied = 0, depth_buffered = 0, depth_dropped = 0, depth_gaps = 0;
  std::uint64_t btc_ticks = 0, trades = 0;
};

class BookSet final : public MarketSink {
 public:
  explicit BookSet(BookSetConfig config = {});

  // Off the hot path: make sure instrument id has a book (Polymarket token or Binance symbol).
  book::Book& prepare_book(InstrumentId id);
  book::DepthBook& prepare_depth(InstrumentId id);
  // Off the hot path: keep the last bookTicker of a Binance symbol without a depth book (last_ticker()).
  void prepare_ticker(InstrumentId id);
  // Off the hot path (roll-over): frees the book of a token no longer followed; later updates for it are counted
  // as unprepared and dropped.
  void release_book(InstrumentId id) noexcept;

  [[nodiscard]] book::Book* book(InstrumentId id) noexcept;
  [[nodiscard]] book::DepthBook* depth(InstrumentId id) noexcept;
  [[nodiscard]] const book::Book* book(InstrumentId id) const noexcept {
    return id.value < books_.size() ? books_[id.value].get() : nullptr;
  }
  [[nodiscard]] const book::DepthBook* depth(InstrumentId id) const noexcept {
    return id.value < depths_.size() ? depths_[id.value].get() : nullptr;
  }
  [[nodiscard]] const BookSetCounters& counters() const noexcept { return counters_; }
  // Instruments with a book, in id order.
  [[nodiscard]] std::vector<InstrumentId> book_ids() const;
  [[nodiscard]] std::vector<InstrumentId> depth_ids() const;
  // Marks every book invalid (a connection dropped).
  void on_reconnect_polymarket() noexcept;
  void on_reconnect_binance() noexcept;
  // Ids whose top changed since the last call are reported once (feed agent: publish BookTop only on change).
  [[nodiscard]] bool take_changed(InstrumentId id) noexcept;
  // Something outside the update path (the silence rule) changed a book's state.
  void mark_changed(InstrumentId id) noexcept;

  // Where the non-book events go (Binance ticks and klines, trades, reference prices, market status): the feed
  // agent publishes them. Null (the default): they are only counted. Set before the sessions start.
  void set_downstream(MarketSink* sink) noexcept { downstream_ = sink; }

  // MarketSink
  void on_book_snapshot(const BookSnapshot& m) noexcept override;
  void on_book_level(const BookLevel& m) noexcept override;
  void on_book_snapshot_side(const BookLevel& proto, std::span<const SnapshotLevel> levels) noexcept override;
  void on_trade(const Trade& m) noexcept override;
  void on_tick_size_change(const TickSizeChange& m) noexcept override;
  void on_quote(const QuoteEvent& q) noexcept override;
  void on_btc_tick(const BtcTick& m) noexcept override;
  void on_kline(const Kline& m) noexcept override;
  void on_ref_price(const RefPrice& m) noexcept override;
  void on_market_status(const MarketStatus& m, const MarketInfo& info) noexcept override;
  void on_depth_diff(InstrumentId symbol, const book::DepthDiff& d, std::span<const book::DepthLevel> bids,
                     std::span<const book::DepthLevel> asks) noexcept override;
  void on_depth_snapshot(InstrumentId symbol, std::uint64_t last_update_id, bool rest, std::int64_t ts_recv_ns,
                         std::span<const book::DepthLevel> bids,
                         std::span<const book::DepthLevel> asks) noexcept override;

  // The last bookTicker seen per symbol (for consistency checks against the depth book).
  [[nodiscard]] const BtcTick* last_ticker(InstrumentId id) const noexcept;

 private:
  book::Book* book_for_update(InstrumentId id) noexcept;
  book::DepthBook* depth_for_update(InstrumentId id) noexcept;

  BookSetConfig config_;
  std::vector<std::unique_ptr<book::Book>> books_;
  std::vector<std::unique_ptr<book::DepthBook>> depths_;
  std::vector<BtcTick> tickers_;
  std::vector<std::uint8_t> changed_;
  BookSetCounters counters_;
  MarketSink* downstream_ = nullptr;
};

}  // namespace polybot::feed
