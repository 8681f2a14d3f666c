// One entry point per parser, shared by the libFuzzer targets (clang, POLYBOT_BUILD_FUZZ=ON) and the gcc-built
// fuzz smoke test, so both exercise exactly the same code: bytes -> parser -> BookSet (the books apply whatever
// the parser accepted, with their integrity checks). Single-threaded; objects are built once and reused, as in
// the engine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "feed/book_set.hpp"
#include "feed/instrument_table.hpp"
#include "feed/parse/binance_parser.hpp"
#include "feed/parse/gamma_parser.hpp"
#include "feed/parse/polymarket_parser.hpp"
#include "feed/parse/ref_price_parser.hpp"

namespace polybot::feed::fuzz {

struct Harness {
  InstrumentTable tokens{256};
  InstrumentTable symbols{64};
  BookSet books{[] {
    BookSetConfig c;
    c.create_on_sight = true;
    return c;
  }()};
  PolymarketParser polymarket{tokens, 1u << 16};
  BinanceParser binance{symbols, 1u << 16};
  RefPriceParser ref{symbols, 1u << 16};
  GammaParser gamma;
  Harness() {
    symbols.add("BTCUSDT");
    symbols.add("BTCUSD_PERP");
    symbols.add("btcusdt");
    symbols.add("btc/usd");
    symbols.add("btcusd");
    tokens.set_auto_add(false);
    // A handful of tokens, so updates reach books; unknown ones exercise the skip path.
    for (const char* t : {"1", "7", "100", "1111", "71321045679252212594626385532706912750332728571942532289631379312455583992563",
                          "48331043336612883890938759509493159234755048973500640148014422747788308965732"}) {
      books.prepare_book(tokens.add(t));
    }
    books.prepare_depth(symbols.find("BTCUSDT"));
  }
  static Harness& get() {
    static Harness h;
    return h;
  }
};

inline std::string_view view(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Folds every message a parser emits into one digest, so two runs can be compared byte for byte.
struct DigestSink : MarketSink {
  std::uint64_t digest = 0;
  std::uint64_t count = 0;
  void mix(const void* p, std::size_t n) noexcept {
    const auto* b = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) digest = (digest ^ b[i]) * 0x100000001b3ull;
    ++count;
  }
  void on_book_level(const BookLevel& m) noexcept override { mix(&m, sizeof m); }
  void on_trade(const Trade& m) noexcept override { mix(&m, sizeof m); }
  void on_btc_tick(const BtcTick& m) noexcept override { mix(&m, sizeof m); }
  void on_depth_diff(InstrumentId symbol, const book::DepthDiff& d, std::span<const book::DepthLevel> bids,
                     std::span<const book::DepthLevel> asks) noexcept override {
    mix(&symbol, sizeof symbol);
    mix(&d, sizeof d);
    if (!bids.empty()) mix(bids.data(), bids.size_bytes());
    if (!asks.empty()) mix(asks.data(), asks.size_bytes());
  }
  void on_depth_snapshot(InstrumentId symbol, std::uint64_t last, bool rest, std::int64_t ts,
                         std::span<const book::DepthLevel> bids, std::span<const book::DepthLevel> asks) noexcept override {
    mix(&symbol, sizeof symbol);
    mix(&last, sizeof last);
    mix(&rest, sizeof rest);
    mix(&ts, sizeof ts);
    if (!bids.empty()) mix(bids.data(), bids.size_bytes());
    if (!asks.empty()) mix(asks.data(), asks.size_bytes());
  }
};

// The flat fast readers must agree with the general ones: the same object with a leading key the general reader
// ignores (and the fast one does not expect) has to give the same status and the same messages.
template <class Parser>
inline void check_fast_against_general(Parser& parser, std::string_view frame) {
  // Objects only, not empty ones ("{ }" + the key is another document) and not near the parser's capacity.
  if (frame.size() < 2 || frame.size() > 60'000 || frame[0] != '{') return;
  const std::size_t body = frame.find_first_not_of(" \t\r\n", 1);
  if (body == std::string_view::npos || frame[body] == '}') return;
  DigestSink fast, general;
  const ParseStatus a = parser.parse(frame, 1, fast);
  const std::string prefixed = std::string(R"({"zz":0,)") + std::string(frame.substr(1));
  const ParseStatus b = parser.parse(prefixed, 1, general);
  if (a != b || fast.digest != general.digest || fast.count != general.count) __builtin_trap();
}

inline void fuzz_polymarket(const std::uint8_t* data, std::size_t size) {
  Harness& h = Harness::get();
  check_fast_against_general(h.polymarket, view(data, size));
  (void)h.polymarket.parse(view(data, size), 1, h.books);
  (void)h.polymarket.parse_rest_book(view(data, size), 1, h.books, HashCheckMode::kDiagnostic);
}

inline void fuzz_binance(const std::uint8_t* data, std::size_t size) {
  Harness& h = Harness::get();
  const InstrumentId btc = h.symbols.find("BTCUSDT");
  check_fast_against_general(h.binance, view(data, size));
  (void)h.binance.parse(view(data, size), 1, h.books);
  (void)h.binance.parse_rest_depth(view(data, size), btc, 1, h.books);
  (void)h.binance.parse_rest_klines(view(data, size), btc, 0, 1, h.books);
}

inline void fuzz_ref_price(const std::uint8_t* data, std::size_t size) {
  Harness& h = Harness::get();
  (void)h.ref.parse(view(data, size), 1, h.books);
}

inline void fuzz_gamma(const std::uint8_t* data, std::size_t size) {
  Harness& h = Harness::get();
  (void)h.gamma.parse_any(view(data, size));
}

}  // namespace polybot::feed::fuzz
