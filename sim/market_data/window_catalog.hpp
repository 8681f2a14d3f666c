// WindowCatalog: consecutive BTC Up/Down windows and their books for the market-data simulator, built from real
// captures: the Gamma market objects of 2026-06-08 (one per 5m window, tests/data/polymarket) with their status
// flags set to a live market's, a 15m window derived from them (documented in PROVENANCE.md), and order books
// made from the captured REST /book levels (the Down book is the Up book's complement). Renders the WebSocket
// `book` frame and the REST /book body (with the content hash of the documented rule). Simulator/test code:
// allocates freely; any thread.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace polybot::sim {

struct SimWindow {
  std::string slug;
  std::uint32_t interval_s = 300;
  std::int64_t start_s = 0;
  std::int64_t end_s = 0;
  std::string condition_id;
  std::array<std::string, 2> tokens;  // Up, Down
  std::string gamma_json;             // the Gamma market object served for the slug
  std::string tick = "0.01";          // its orderPriceMinTickSize as written: the venue and the book use it too
};

struct SimLevel {
  std::string price;
  std::string size;
};

struct SimBook {
  std::string market;    // condition id
  std::string asset_id;  // token id
  std::int64_t ts_ms = 0;
  std::vector<SimLevel> bids;  // any order (the venue sends best last)
  std::vector<SimLevel> asks;
  std::string min_order_size = "5";
  std::string tick_size = "0.01";
  bool neg_risk = false;
  std::string last_trade_price = "0.5";
};

// Rows of a jsonl(.gz) file whose objects carry the Gamma market in "raw" (the 2026-06-08 capture), in file
// order, as live windows (active, not closed, accepting orders). The error names the file and line.
Result<std::vector<SimWindow>, std::string> load_gamma_windows(const std::string& path);

// A btc-updown-15m window starting at start_s, made from `base` (a real 5m market object: same fields) with the
// slug, times, condition id and token ids replaced by those of `ids_from` (another real window's ids, so every
// id is a real one and none collides with the 5m windows served beside it).
SimWindow derive_15m(const SimWindow& base, const SimWindow& ids_from, std::int64_t start_s);
// The same for any series and start (e.g. windows around the current wall-clock time for `polybot record`).
SimWindow retime(const SimWindow& base, const SimWindow& ids_from, std::uint32_t interval_s, std::int64_t start_s);

// The levels of a captured REST /book body (the real capture in tests/data/polymarket).
Result<SimBook, std::string> load_rest_book(const std::string& path);

// The Down book of an Up book: a bid at p becomes an ask at 1 - p and vice versa (complement matching).
SimBook complement(const SimBook& up);
// A variant of a book for another window: drops the best `k` levels of each side (keeps it real-derived and
// distinguishable), with another asset, market and timestamp.
SimBook variant(const SimBook& b, std::size_t k, const std::string& market, const std::string& asset, std::int64_t ts_ms);

// {"event_type":"book",...} as the market channel sends it.
std::string ws_book_frame(const SimBook& b);
// The REST OrderBookSummary with the hash computed by the documented rule (sha1 of the compact JSON with
// "hash":""); `tamper_hash` makes it wrong (for hash-enforce tests).
std::string rest_book_body(const SimBook& b, bool tamper_hash = false);
// Best bid (max) / best ask (min) price strings of a book ("" when a side is empty).
std::string best_bid(const SimBook& b);
std::string best_ask(const SimBook& b);

}  // namespace polybot::sim
