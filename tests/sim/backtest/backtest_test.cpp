// Whole backtest runs over the real 2026-06-08 day (tests/data/backtest): windows.csv settles like Polymarket,
// two runs are byte-identical, and the books balance (window PnL sums to the equity change).
#include "sim/backtest/backtest.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "sim/backtest/polymarket_book_jsonl.hpp"
#include "sim/backtest/report.hpp"

namespace polybot::sim::backtest {
namespace {

namespace fs = std::filesystem;
const std::string kData = std::string(POLYBOT_SOURCE_DIR) + "/tests/data/backtest";

// Buys the favourite (the token the book prices above 0.5) with a FOK one tick through the ask, once per window,
// 60 s before the end. Test-only; reads the world only through messages like any strategy.
class Favourite final : public signal::Strategy {
 public:
  const char* name() const noexcept override { return "favourite"; }
  StrategyId id() const noexcept override { return StrategyId{1}; }
  void on_message(const Envelope& msg, const Clock&, signal::IntentSink& sink) noexcept override {
    if (msg.is<BookTop>()) last_ = msg.as<BookTop>();
    if (!msg.is<Timer>()) return;
    const Timer& t = msg.as<Timer>();
    if (t.kind != TimerKind::kTMinus || t.seconds_before_end != 60 || last_.market != t.market) return;
    const bool up = last_.up.bid.raw + last_.up.ask.raw > Price::kScale;
    const TokenTop& side = up ? last_.up : last_.down;
    Intent in{};
    in.hdr.type = Intent::kType;
    in.hdr.instrument = side.token;
    in.market = t.market;
    in.strategy = id();
    in.action = IntentAction::kPlace;
    in.outcome = up ? Outcome::kUp : Outcome::kDown;
    in.side = Side::kBuy;
    in.order_type = OrderType::kFok;
    in.limit_price = side.ask + side.tick;
    in.reason = up ? 1 : 2;
    (void)sink.emit(in);
  }

 private:
  BookTop last_{};
};

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

const DataSet& data() {
  static const DataSet d = [] {
    auto r = load_data(kData);
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error());
    return r ? std::move(*r) : DataSet{};
  }();
  return d;
}

BacktestResult run_once(const fs::path& out) {
  BacktestConfig cfg;
  cfg.gate.drawdown_floor = Usdc{};
  std::vector<std::unique_ptr<signal::Strategy>> s;
  s.push_back(std::make_unique<Favourite>());
  Backtest bt(cfg, data(), std::move(s));
  auto r = bt.run();
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error());
  ReportInfo info{"tests/data/backtest", "test", data().files, 0, 0, 0};
  auto w = write_report(*r, info, out.string());
  EXPECT_TRUE(w.has_value()) << (w ? "" : w.error());
  return std::move(*r);
}

fs::path out_dir(const char* name) {
  const fs::path p = fs::path(POLYBOT_BINARY_DIR) / "test-out" / "backtest" / name;
  fs::remove_all(p);
  return p;
}

TEST(Backtest, WindowsCsvSettlesTheRealDayLikePolymarket) {
  const fs::path out = out_dir("settle");
  const BacktestResult r = run_once(out);
  std::map<std::string, Outcome> venue;
  for (const auto& w : data().windows) venue[w.slug] = w.venue_outcome;
  std::istringstream csv(slurp(out / "windows.csv"));
  std::string line;
  std::getline(csv, line);
  EXPECT_EQ(line, "slug,start,end,strike,final,outcome,traded,pnl");
  int rows = 0, settled = 0, empty = 0;
  while (std::getline(csv, line)) {
    ++rows;
    std::vector<std::string> c;
    std::stringstream ls(line);
    std::string cell;
    while (std::getline(ls, cell, ',')) c.push_back(cell);
    if (line.back() == ',') c.push_back("");
    ASSERT_EQ(c.size(), 8u) << line;
    if (c[5].empty()) {
      ++empty;
      continue;
    }
    ++settled;
    const Outcome expected = venue.at(c[0]);
    EXPECT_EQ(c[5], expected == Outcome::kUp ? "Up" : "Down") << c[0];
  }
  // The day's 5-minute windows (the market list also holds 3 windows of the next day and 1 of the previous).
  EXPECT_EQ(rows, 292);
  EXPECT_EQ(settled, 280);
  EXPECT_EQ(empty, 12);
  EXPECT_EQ(r.settled_contradicting_venue, 0u);
}

TEST(Backtest, TwoRunsGiveByteIdenticalOutputs) {
  const fs::path a = out_dir("det-a");
  const fs::path b = out_dir("det-b");
  run_once(a);
  run_once(b);
  int compared = 0;
  for (const char* f : {"windows.csv", "trades.csv", "decisions.csv", "equity.csv", "strategies.csv", "summary.txt",
                        "equity.svg"}) {
    const std::string x = slurp(a / f);
    ASSERT_FALSE(x.empty()) << f;
    EXPECT_EQ(x, slurp(b / f)) << f << " differs between two runs";
    ++compared;
  }
  EXPECT_EQ(compared, 7);
}

TEST(Backtest, TradesAreFilledChargedAndBalanced) {
  const BacktestResult r = run_once(out_dir("balance"));
  ASSERT_EQ(r.stats.size(), 1u);
  const StrategyStats& st = r.stats[0];
  EXPECT_GT(st.fills, 100u) << "the favourite strategy trades most windows";
  EXPECT_GT(st.fees.raw, 0) << "taker fills pay the §13.5 fee";
  EXPECT_EQ(st.maker_fills, 0u);
  // Every fill happened at least the taker delay after the decision instant (T-60 s on a whole second).
  for (const auto& f : r.fills) {
    EXPECT_EQ(f.time_ns % 1'000'000'000, 250'000'000) << "fill at " << iso_time_ns(f.time_ns);
    const Usdc fee = trade_fee(r.windows[f.window].fee, Liquidity::kTaker, f.price, f.shares);
    EXPECT_EQ(f.fee, fee);
  }
  // Settled window PnL adds up to the equity change; unsettled positions are carried at cost.
  Usdc sum;
  for (const auto& row : r.window_rows) {
    if (row.pnl_known) sum += row.pnl;
  }
  EXPECT_EQ(sum, st.net_pnl);
  // Equity moves by the settled PnL plus, for unsettled positions, the fees already paid (cost is carried).
  Usdc unsettled_fees;
  for (const auto& p : r.positions[0]) {
    if (p.fills > 0 && !p.settled) unsettled_fees += p.fees;
  }
  EXPECT_EQ(st.final_equity - r.capital, st.net_pnl - unsettled_fees);
  EXPECT_EQ(st.wins + st.losses + st.unsettled, st.windows_traded);
  // No position in a window the data cannot settle gets a PnL.
  for (std::size_t w = 0; w < r.windows.size(); ++w) {
    if (r.window_rows[w].settlement.status != SettleStatus::kSettled && r.window_rows[w].traded) {
      EXPECT_FALSE(r.window_rows[w].pnl_known) << r.windows[w].slug;
    }
  }
}

}  // namespace
}  // namespace polybot::sim::backtest

namespace polybot::sim::backtest {
namespace {

TEST(Backtest, SyntheticWindowsFromKlinesSettleByTheStatedProxy) {
  const std::string csv = std::string(POLYBOT_SOURCE_DIR) + "/sim/data/klines/BTCUSDT_1m_2020-12-01_binance12.csv";
  auto ds = load_data(csv);
  ASSERT_TRUE(ds.has_value()) << ds.error();
  ASSERT_EQ(ds->klines.size(), 1441u);
  BacktestConfig cfg;
  {
    std::vector<std::unique_ptr<signal::Strategy>> none;
    none.push_back(std::make_unique<Favourite>());
    Backtest plain(cfg, *ds, std::move(none));
    auto r = plain.run();
    ASSERT_FALSE(r.has_value()) << "klines alone have no market windows unless asked for synthetic ones";
    EXPECT_NE(r.error().find("synthetic"), std::string::npos) << r.error();
  }
  cfg.synthetic_windows = true;
  std::vector<std::unique_ptr<signal::Strategy>> s;
  s.push_back(std::make_unique<Favourite>());
  Backtest bt(cfg, *ds, std::move(s));
  auto r = bt.run();
  ASSERT_TRUE(r.has_value()) << r.error();
  ASSERT_EQ(r->windows.size(), 288u);  // 00:00 → 24:00; the lone 00:00 bar of the next day makes no window
  EXPECT_TRUE(r->synthetic);
  for (std::size_t w = 0; w < r->windows.size(); ++w) {
    const auto& first = ds->klines[w * 5];
    const auto& last = ds->klines[w * 5 + 4];
    ASSERT_EQ(first.open_time_ms, r->windows[w].start_s * 1000);
    const Outcome expect = last.close >= first.open ? Outcome::kUp : Outcome::kDown;
    EXPECT_EQ(r->window_rows[w].settlement.outcome, expect) << r->windows[w].slug;
  }
  bool flagged = false;
  for (const auto& n : r->notes) flagged = flagged || n.find("SETTLEMENT PROXY") != std::string::npos;
  EXPECT_TRUE(flagged);
  EXPECT_GT(r->stats[0].fills, 0u);
}

}  // namespace
}  // namespace polybot::sim::backtest

namespace polybot::sim::backtest {
namespace {

// A recorded Polymarket book (the dataset's documented `book` / `price_change` layout) replaces the model for its
// window, and a taker order meets the recorded book as it is after the taker delay. The book lines are
// hand-written test input in that layout (no recorded book of this day is available); the market and the
// Chainlink reports are the real 2026-06-08 recording.
BacktestResult run_recorded(const std::string& change_after_100ms) {
  DataSet ds;
  for (const auto& w : data().windows) {
    if (w.slug == "btc-updown-5m-1780876800") ds.windows.push_back(w);
  }
  EXPECT_EQ(ds.windows.size(), 1u);
  if (ds.windows.empty()) return {};
  const MarketWindow& w = ds.windows[0];
  ds.chainlink = data().chainlink;
  const std::string up = w.up_token, down = w.down_token;
  const std::string book =
      R"({"slug":"btc-updown-5m-1780876800","asset_id":")" + up + R"(","event_ts_ms":1780876810000,"recv_ms":1780876810009,)"
      R"("payload":{"bids":[{"price":"0.60","size":"100"}],"asks":[{"price":"0.62","size":"10"},{"price":"0.65","size":"100"}]}})"
      "\n"
      R"({"slug":"btc-updown-5m-1780876800","asset_id":")" + down + R"(","event_ts_ms":1780876810000,"recv_ms":1780876810009,)"
      R"("payload":{"bids":[{"price":"0.37","size":"100"}],"asks":[{"price":"0.40","size":"100"}]}})"
      "\n";
  auto snaps = parse_polymarket_book_jsonl(book, PolyBookFileKind::kBook);
  EXPECT_TRUE(snaps.has_value()) << (snaps ? "" : snaps.error());
  const std::string delta = R"({"slug":"btc-updown-5m-1780876800","event_ts_ms":1780877040090,"recv_ms":1780877040100,)"
                            R"("payload":{"price_changes":[{"asset_id":")" + up +
                            R"(","side":"SELL","price":"0.62","size":")" + change_after_100ms +
                            R"(","best_bid":"0.60","best_ask":"0.62"}]}})";
  auto deltas = parse_polymarket_book_jsonl(delta, PolyBookFileKind::kPriceChange);
  EXPECT_TRUE(deltas.has_value()) << (deltas ? "" : deltas.error());
  for (auto& e : *snaps) ds.poly_book.push_back(e);
  for (auto& e : *deltas) ds.poly_book.push_back(e);
  BacktestConfig cfg;
  std::vector<std::unique_ptr<signal::Strategy>> s;
  s.push_back(std::make_unique<Favourite>());
  Backtest bt(cfg, ds, std::move(s));
  auto r = bt.run();
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error());
  return r ? std::move(*r) : BacktestResult{};
}

TEST(Backtest, RecordedBookIsUsedAndTakersMeetItAfterTheDelay) {
  // 100 ms after the decision the 0.62 level grows to 20 shares: the FOK ($5 at limit 0.62 + one tick) fills there.
  const BacktestResult grown = run_recorded("20");
  ASSERT_EQ(grown.fills.size(), 1u);
  EXPECT_EQ(grown.fills[0].price, *Price::parse("0.62"));
  EXPECT_EQ(grown.fills[0].shares, shares_for_stake(Usdc::from_units(5), *Price::parse("0.62") + grown.windows[0].tick));
  EXPECT_EQ(grown.fills[0].outcome, Outcome::kUp);
  EXPECT_EQ(grown.recorded_book_windows, 1u);
  bool noted = false;
  for (const auto& n : grown.notes) noted = noted || n.find("order book: RECORDED for 1 of 1 windows") != std::string::npos;
  EXPECT_TRUE(noted);
  // ... and when the level is taken away inside the taker delay, the order meets 0.65 > its limit: killed.
  const BacktestResult gone = run_recorded("0");
  EXPECT_TRUE(gone.fills.empty());
  ASSERT_EQ(gone.stats.size(), 1u);
  EXPECT_EQ(gone.stats[0].orders, 1u);
}

}  // namespace
}  // namespace polybot::sim::backtest
