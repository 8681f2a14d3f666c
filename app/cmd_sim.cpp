// `polybot sim --address ADDR --out DIR [--duration S] [--data DIR] [--liquidity-price book|P --liquidity-size S]`:
// the venue simulator on its own, for paper trading and for pointing `polybot record` or an `[oms]` section at
// it (`polybot run` with config/paper.toml). Three loopback TLS servers under one CA made at start-up:
//   * market data: the Polymarket market channel (/ws/market), REST /book and Gamma, serving consecutive BTC
//     Up/Down 5m windows (the next ~20 h) and 15m windows (the next ~12 h) built from the real captured Gamma
//     objects and book in --data, re-timed to start at the current window;
//   * CLOB: every order route, the user channel (/ws/user), heartbeats, signatures and L2 HMACs verified, an
//     account for ADDR (API credentials by L1 create/derive, as at a first run: none is printed or written);
//   * Binance: the combined stream (kline_1m, bookTicker, aggTrade) and REST /api/v3/klines playing --klines (real
//     1-minute BTCUSDT klines) re-timed so history reaches back before start-up (sim/market_data/binance_sim.hpp).
// Writes DIR/ca.pem and DIR/endpoints.toml (the URLs, ready to paste into a config) and runs until SIGINT/SIGTERM
// or --duration. Start-up and simulator code: allocates freely.
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "app/cli.hpp"
#include "core/decimal.hpp"
#include "core/fixed_point.hpp"
#include "core/net/test_pki.hpp"
#include "oms/crypto/address.hpp"
#include "oms/crypto/base64.hpp"
#include "feed/kline_csv.hpp"
#include "sim/market_data/binance_sim.hpp"
#include "sim/market_data/market_data_server.hpp"
#include "sim/market_data/window_catalog.hpp"
#include "sim/venue/clob_venue.hpp"
#include "sim/venue/venue_server.hpp"

namespace polybot::app {

namespace {

std::atomic<bool> g_sim_stop{false};
extern "C" void sim_on_signal(int) { g_sim_stop.store(true); }

struct SimArgs {
  std::string address;
  std::string out;
  std::string data = "tests/data/polymarket";
  std::string klines = "sim/data/klines/BTCUSDT_1m_2025-01_ohlcv.csv";
  double kline_push_s = 1.0;
  std::int32_t coingecko_offset_bps = 0;
  std::uint32_t activity_ms = 1000;
  double duration_s = 0;
  std::string liquidity_price = "book";
  std::string liquidity_size = "1000";
  std::string collateral = "1000";
};

constexpr std::size_t kWindows5m = 240;   // 20 h
constexpr std::size_t kWindows15m = 48;   // 12 h

int run_sim(const SimArgs& a) {
  const oms::AddressParse addr = oms::parse_address(a.address);
  if (!addr.ok) {
    std::fprintf(stderr, "polybot sim: --address \"%s\": %s\n", a.address.c_str(), oms::to_string(addr.error));
    return 2;
  }
  const bool book_liquidity = a.liquidity_price == "book";
  const auto price = book_liquidity ? Result<Price, DecimalError>(Price{}) : Price::parse(a.liquidity_price);
  if (!book_liquidity && (!price || price->raw <= 0 || price->raw >= Price::kScale)) {
    std::fprintf(stderr,
                 "polybot sim: --liquidity-price \"%s\": want \"book\" or a price strictly between 0 and 1\n",
                 a.liquidity_price.c_str());
    return 2;
  }
  const auto size = Qty::parse(a.liquidity_size);
  if (!size || size->raw < 0) {
    std::fprintf(stderr, "polybot sim: --liquidity-size \"%s\": want a non-negative size\n", a.liquidity_size.c_str());
    return 2;
  }
  const auto collateral = Usdc::parse(a.collateral);
  if (!collateral || collateral->raw <= 0) {
    std::fprintf(stderr, "polybot sim: --collateral \"%s\": want a positive pUSD amount\n", a.collateral.c_str());
    return 2;
  }
  if (a.duration_s < 0) {
    std::fprintf(stderr, "polybot sim: --duration %g: must be >= 0 (0 = until SIGINT/SIGTERM)\n", a.duration_s);
    return 2;
  }
  const std::string gamma_file = a.data + "/BTC-5m-markets-2026-06-08.jsonl.gz";
  const std::string book_file = a.data + "/http_responses__book.json";
  auto all = sim::load_gamma_windows(gamma_file);
  if (!all) {
    std::fprintf(stderr, "polybot sim: --data \"%s\": %s\n", a.data.c_str(), all.error().c_str());
    return 2;
  }
  auto book = sim::load_rest_book(book_file);
  if (!book) {
    std::fprintf(stderr, "polybot sim: --data \"%s\": %s\n", a.data.c_str(), book.error().c_str());
    return 2;
  }
  if (all->size() < kWindows5m + kWindows15m) {
    std::fprintf(stderr, "polybot sim: --data \"%s\": %zu windows in %s, need %zu (each served window takes real ids)\n",
                 a.data.c_str(), all->size(), gamma_file.c_str(), kWindows5m + kWindows15m);
    return 2;
  }

  auto rows = feed::read_kline_csv(a.klines);
  if (!rows) {
    std::fprintf(stderr, "polybot sim: --klines \"%s\":%zu: %s\n", a.klines.c_str(), rows.error().line,
                 rows.error().message.c_str());
    return 2;
  }
  if (rows->size() < 2 || !(a.kline_push_s >= 0.05 && a.kline_push_s <= 60)) {
    std::fprintf(stderr, "polybot sim: --klines \"%s\" needs at least 2 rows and --kline-push in [0.05, 60] s (got %g)\n",
                 a.klines.c_str(), a.kline_push_s);
    return 2;
  }

  auto pki = net::TestPki::create("polybot simulator CA");
  if (!pki) {
    std::fprintf(stderr, "polybot sim: could not make the loopback CA\n");
    return 1;
  }
  std::error_code ec;
  std::filesystem::create_directories(a.out, ec);
  if (ec) {
    std::fprintf(stderr, "polybot sim: --out \"%s\": %s\n", a.out.c_str(), ec.message().c_str());
    return 2;
  }

  // Windows re-timed to now: every served window takes the ids of a different real window, so none collide.
  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  const std::int64_t c5 = now / 300 * 300, c15 = now / 900 * 900;
  std::vector<std::pair<sim::SimWindow, sim::SimBook>> windows;
  std::size_t next_ids = 0;
  for (std::size_t i = 0; i < kWindows5m; ++i) {
    windows.emplace_back(sim::retime((*all)[0], (*all)[next_ids], 300, c5 + static_cast<std::int64_t>(i) * 300),
                         sim::variant(*book, next_ids % 3, "", "", now * 1000));
    ++next_ids;
  }
  for (std::size_t i = 0; i < kWindows15m; ++i) {
    windows.emplace_back(sim::retime((*all)[0], (*all)[next_ids], 900, c15 + static_cast<std::int64_t>(i) * 900),
                         sim::variant(*book, next_ids % 3, "", "", now * 1000));
    ++next_ids;
  }

  // One tick per window everywhere: Gamma's orderPriceMinTickSize is what the engine learns at discovery, so the
  // book the market channel serves and the venue's order check use it too.
  for (auto& [w, b] : windows) b.tick_size = w.tick;

  sim::MarketDataServerConfig mc;
  mc.tls.cert_chain_pem = pki->server.cert_pem;
  mc.tls.private_key_pem = pki->server.key_pem;
  sim::MarketDataServer market(mc);
  for (const auto& [w, b] : windows) market.add_window(w, b);

  sim::venue::VenueConfig vc;
  vc.account.signer = addr.address;
  // Fresh credentials the engine learns through L1 create/derive, as at a first run; never shown anywhere.
  {
    unsigned char raw[48];
    if (RAND_bytes(raw, sizeof raw) != 1) {
      std::fprintf(stderr, "polybot sim: no randomness for the account's API credentials\n");
      return 1;
    }
    static const char* kHex = "0123456789abcdef";
    std::string id;
    for (int i = 0; i < 16; ++i) {
      if (i == 4 || i == 6 || i == 8 || i == 10) id += '-';
      id += kHex[raw[i] >> 4];
      id += kHex[raw[i] & 15];
    }
    vc.account.api_key = id;
    std::string b64(oms::base64_encoded_len(32), '\0');
    b64.resize(oms::base64url_encode_padded(raw + 16, 32, b64.data()));
    vc.account.secret_b64 = b64;
    vc.account.passphrase = vc.account.api_key;  // a second random string is not needed for the simulator
    for (int i = 16; i < 24; ++i) vc.account.passphrase += kHex[raw[i] & 15];
    OPENSSL_cleanse(raw, sizeof raw);
    OPENSSL_cleanse(b64.data(), b64.size());
  }
  vc.account.collateral = collateral->raw;
  for (const auto& [w, b] : windows) {
    for (int k = 0; k < 2; ++k) {
      sim::venue::VenueMarket vm;
      vm.condition_id = w.condition_id;
      vm.token_id = w.tokens[k];
      vm.outcome = k == 0 ? "Up" : "Down";
      vm.tick = *Price::parse(w.tick);  // checked when the windows were loaded
      vc.markets.push_back(vm);
    }
  }
  auto venue = sim::venue::ClobVenue::create(vc);
  if (!venue) {
    std::fprintf(stderr, "polybot sim: venue: %s\n", venue.error().c_str());
    return 1;
  }
  if (book_liquidity) {
    // Other participants rest each window's captured book (the Down book is the Up book's complement), so the
    // venue matches against the prices the market channel shows.
    for (const auto& [w, b] : windows) {
      const sim::SimBook down = sim::complement(b);
      for (int k = 0; k < 2; ++k) {
        const sim::SimBook& book = k == 0 ? b : down;
        for (const auto* side : {&book.bids, &book.asks}) {
          for (const auto& l : *side) {
            const auto p = Price::parse(l.price);
            const auto q = Qty::parse(l.size);
            if (!p || !q || q->raw <= 0) continue;
            (*venue)->add_liquidity(w.tokens[k], side == &book.bids ? Side::kBuy : Side::kSell, *p, *q);
          }
        }
      }
    }
  } else if (size->raw > 0) {
    for (const auto& m : vc.markets) (*venue)->add_liquidity(m.token_id, Side::kSell, *price, *size);
  }
  sim::venue::VenueServerConfig sc;
  sc.server.tls_options.cert_chain_pem = pki->server.cert_pem;
  sc.server.tls_options.private_key_pem = pki->server.key_pem;
  sim::venue::VenueServer clob(sc, **venue);

  sim::BinanceSimConfig bc;
  bc.tls.cert_chain_pem = pki->server.cert_pem;
  bc.tls.private_key_pem = pki->server.key_pem;
  bc.rows = std::move(*rows);
  bc.push_ms = static_cast<std::uint32_t>(a.kline_push_s * 1000);
  bc.coingecko_offset_bps = a.coingecko_offset_bps;
  auto binance = sim::BinanceSim::create(std::move(bc));
  if (!binance) {
    std::fprintf(stderr, "polybot sim: %s\n", binance.error().c_str());
    return 2;
  }

  market.set_activity(a.activity_ms);
  auto md_port = market.start();
  auto clob_port = clob.start();
  auto bn_port = (*binance)->start();
  if (!md_port || !clob_port || !bn_port) {
    std::fprintf(stderr, "polybot sim: could not listen on loopback\n");
    return 1;
  }
  const std::string clob_url = "https://127.0.0.1:" + std::to_string(*clob_port);
  const std::string ca = (std::filesystem::path(a.out) / "ca.pem").string();
  std::ofstream(ca) << pki->ca_cert_pem;
  const std::string endpoints = (std::filesystem::path(a.out) / "endpoints.toml").string();
  {
    std::ofstream f(endpoints);
    f << "# Written by `polybot sim` (valid while it runs). Paste into a config.\n"
      << "ca_file = \"" << ca << "\"\n"
      << "market_ws_url = \"" << market.ws_url() << "\"\n"
      << "gamma_url = \"" << market.rest_url() << "\"\n"
      << "book_rest_url = \"" << market.rest_url() << "\"\n"
      << "clob_rest_url = \"" << clob_url << "\"\n"
      << "user_ws_url = \"wss://127.0.0.1:" << *clob_port << "/ws/user\"\n"
      << "binance_ws_base = \"" << (*binance)->ws_base() << "\"\n"
      << "binance_rest_base = \"" << (*binance)->rest_base() << "\"\n"
      << "coingecko_base = \"" << (*binance)->rest_base() << "\"\n"
      << "windows_5m = " << kWindows5m << "\nwindows_15m = " << kWindows15m << "\n"
      << "first_5m_start = " << c5 << "\nfirst_15m_start = " << c15 << "\n";
  }
  std::printf("polybot sim: market data %s (Gamma and /book at %s), CLOB %s (user channel /ws/user)\n",
              market.ws_url().c_str(), market.rest_url().c_str(), clob_url.c_str());
  std::printf("polybot sim: Binance %s (klines from %s re-timed to now)\n", (*binance)->ws_base().c_str(),
              a.klines.c_str());
  std::printf("polybot sim: %zu 5m and %zu 15m windows from %lld; account %s; CA %s; endpoints %s\n", kWindows5m,
              kWindows15m, static_cast<long long>(c5), a.address.c_str(), ca.c_str(), endpoints.c_str());
  std::fflush(stdout);

  std::signal(SIGINT, sim_on_signal);
  std::signal(SIGTERM, sim_on_signal);
  const auto start = std::chrono::steady_clock::now();
  while (!g_sim_stop.load()) {
    if (a.duration_s > 0 &&
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() >= a.duration_s) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  clob.stop();
  market.stop();
  (*binance)->stop();
  std::printf("polybot sim: stopped; %zu open orders on the venue\n", (*venue)->open_order_count());
  return 0;
}

}  // namespace

void add_sim_command(CLI::App& root, CliContext& ctx) {
  auto* cmd = root.add_subcommand("sim", "The venue simulator alone: market data, Gamma and the CLOB on loopback TLS");
  auto args = std::make_shared<SimArgs>();
  cmd->add_option("--address", args->address, "the trading account's address (0x...; the key never leaves the engine)")
      ->required();
  cmd->add_option("--out", args->out, "where ca.pem and endpoints.toml are written")->required();
  cmd->add_option("--duration", args->duration_s, "seconds to run (0 = until SIGINT/SIGTERM)");
  cmd->add_option("--data", args->data, "folder with the captured Gamma market list and REST /book (default tests/data/polymarket)");
  cmd->add_option("--klines", args->klines, "1-minute BTCUSDT kline CSV the Binance side plays, re-timed to now");
  cmd->add_option("--activity-ms", args->activity_ms,
                  "period of the last_trade_price frames sent for subscribed tokens (0 = none; default 1000)");
  cmd->add_option("--kline-push", args->kline_push_s, "seconds between Binance stream updates (default 1)");
  cmd->add_option("--coingecko-offset-bps", args->coingecko_offset_bps,
                  "fault injection: the CoinGecko price this many bps off Binance's (default 0)")
      ->check(CLI::Range(-5000, 5000));
  cmd->add_option("--liquidity-price", args->liquidity_price,
                  "\"book\" (default): other participants rest each window's captured book; or one resting sell "
                  "price on every token");
  cmd->add_option("--liquidity-size", args->liquidity_size, "with a --liquidity-price: resting sell size per token (0 = none)");
  cmd->add_option("--collateral", args->collateral, "the account's pUSD balance");
  cmd->callback([&ctx, args] { ctx.exit_code = run_sim(*args); });
}

}  // namespace polybot::app
