// One entry point per parser, shared by the libFuzzer targets (clang, POLYBOT_BUILD_FUZZ=ON) and the gcc-built
// fuzz smoke test, so both exercise exactly the same code: bytes -> parser -> BookSet (the books apply whatever
// the parser accepted, with their integrity checks). Single-threaded; objects are built once and reused, as in
// the engine.
#pragma once

#include <cstddef>
#include <cstdint>
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

inline void fuzz_polymarket(const std::uint8_t* data, std::size_t size) {
  Harness& h = Harness::get();
  (void)h.polymarket.parse(view(data, size), 1, h.books);
  (void)h.polymarket.parse_rest_book(view(data, size), 1, h.books, HashCheckMode::kDiagnostic);
}

inline void fuzz_binance(const std::uint8_t* data, std::size_t size) {
  Harness& h = Harness::get();
  const InstrumentId btc = h.symbols.find("BTCUSDT");
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
