#include "feed/book_replay.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <string>

#include "test_util.hpp"

namespace polybot::feed {
namespace {

using test::data_path;

struct TickerTop {
  std::int64_t bid, bid_qty, ask, ask_qty;
};

struct DepthReplayResult {
  std::uint64_t matched_tops = 0;
  std::uint64_t mismatched_tops = 0;
  std::uint64_t depth_frames = 0;
  std::uint64_t last_match_depth_frame = 0;  // index (in depth frames) of the latest agreement
};

// Replays a Binance capture frame by frame; whenever the depth book's update id equals a bookTicker's update id
// (the two streams describe the same book state), their tops must be identical.
DepthReplayResult replay_depth(BookReplay& replay, const std::vector<CaptureFrame>& frames, const char* symbol) {
  DepthReplayResult r;
  std::map<std::uint64_t, TickerTop> tickers;
  const InstrumentId id = replay.symbols().add(symbol);
  std::uint64_t last_checked = 0;
  auto check = [&](const book::DepthBook& b, const TickerTop& t) {
    const bool same = b.best_bid().price == t.bid && b.best_bid().qty == t.bid_qty && b.best_ask().price == t.ask &&
                      b.best_ask().qty == t.ask_qty;
    (same ? r.matched_tops : r.mismatched_tops)++;
    if (same) r.last_match_depth_frame = r.depth_frames;
    last_checked = b.last_update_id();
  };
  for (const CaptureFrame& f : frames) {
    const std::size_t ticks_before = replay.books().counters().btc_ticks;
    const bool depth_frame = f.json.find("@depth") != std::string_view::npos;
    replay.feed(f);
    r.depth_frames += depth_frame;
    const book::DepthBook* b = replay.books().depth(id);
    if (b == nullptr || !b->valid()) continue;
    if (replay.books().counters().btc_ticks != ticks_before) {
      const BtcTick* t = replay.books().last_ticker(id);
      tickers[t->update_id] = TickerTop{t->bid.raw, t->bid_qty.raw, t->ask.raw, t->ask_qty.raw};
      if (t->update_id == b->last_update_id() && last_checked != b->last_update_id()) check(*b, tickers[t->update_id]);
    }
    if (depth_frame) {
      auto it = tickers.find(b->last_update_id());
      if (it != tickers.end()) check(*b, it->second);
    }
  }
  return r;
}

TEST(BookReplay, RebuildsTheSpotBookFromSnapshotAndDiffsWithoutGaps) {
  auto file = read_capture(data_path("binance/btcusdt_20240808_head12000.gz"));
  ASSERT_TRUE(file) << file.error();
  const auto frames = split_capture(file->text);
  ASSERT_EQ(frames.size(), 12000u);
  BookReplay replay;
  const DepthReplayResult r = replay_depth(replay, frames, "BTCUSDT");
  const book::DepthBook* b = replay.books().depth(replay.symbols().find("BTCUSDT"));
  ASSERT_NE(b, nullptr);
  EXPECT_TRUE(b->valid()) << book::to_string(b->reason());
  const auto& c = b->counters();
  EXPECT_EQ(c.gaps, 0u);
  EXPECT_EQ(c.snapshots, 1u);
  // Three diffs arrived before the snapshot (lastUpdateId 50093239218): two ended at or before it and were
  // dropped, the third (U=..208, u=..224) straddles it and was applied first.
  EXPECT_EQ(c.buffered, 3u);
  EXPECT_EQ(c.dropped_stale, 2u);
  EXPECT_EQ(c.applied, r.depth_frames - 2);
  EXPECT_EQ(replay.counters().parse_errors, 0u);
  EXPECT_GT(r.matched_tops, 100u);
  EXPECT_EQ(r.mismatched_tops, 0u);
  // The two streams still agreed near the very end of the capture (the last depth events do not all have a
  // bookTicker with the same update id, so "the end" is the latest point where the ids line up).
  EXPECT_GT(r.last_match_depth_frame + 20, r.depth_frames) << r.last_match_depth_frame << " of " << r.depth_frames;
  EXPECT_LT(b->best_bid().price, b->best_ask().price);
}

TEST(BookReplay, RebuildsTheFuturesBookByPreviousIdChaining) {
  auto file = read_capture(data_path("binance/btcusd_perp_20240808_head6000.gz"));
  ASSERT_TRUE(file) << file.error();
  BookReplay replay;
  const DepthReplayResult r = replay_depth(replay, split_capture(file->text), "BTCUSD_PERP");
  const book::DepthBook* b = replay.books().depth(replay.symbols().find("BTCUSD_PERP"));
  ASSERT_NE(b, nullptr);
  EXPECT_TRUE(b->valid()) << book::to_string(b->reason());
  EXPECT_EQ(b->counters().gaps, 0u);
  EXPECT_GT(b->counters().applied, 1000u);
  EXPECT_GT(r.matched_tops, 100u);
  EXPECT_EQ(r.mismatched_tops, 0u);
}

TEST(BookReplay, AMissingDiffIsAGapAndTheBookStaysInvalid) {
  auto file = read_capture(data_path("binance/btcusdt_20240808_head12000.gz"));
  ASSERT_TRUE(file) << file.error();
  auto frames = split_capture(file->text);
  // Drop the 20th depth diff after the snapshot.
  int seen = 0;
  for (std::size_t i = 8; i < frames.size(); ++i) {
    if (frames[i].json.find("@depth") != std::string_view::npos && ++seen == 20) {
      frames.erase(frames.begin() + static_cast<std::ptrdiff_t>(i));
      break;
    }
  }
  BookReplay replay;
  for (const auto& f : frames) replay.feed(f);
  const book::DepthBook* b = replay.books().depth(replay.symbols().find("BTCUSDT"));
  ASSERT_NE(b, nullptr);
  EXPECT_FALSE(b->valid());
  EXPECT_EQ(b->reason(), book::InvalidReason::kGap);
  EXPECT_EQ(b->counters().gaps, 1u);
}

TEST(BookReplay, DuplicatedAndReorderedOldDiffsAreDroppedAndTheBookStaysRight) {
  auto file = read_capture(data_path("binance/btcusdt_20240808_head12000.gz"));
  ASSERT_TRUE(file) << file.error();
  const auto frames = split_capture(file->text);
  BookReplay clean;
  for (const auto& f : frames) clean.feed(f);
  std::vector<CaptureFrame> noisy;
  std::vector<CaptureFrame> depth_seen;
  for (const auto& f : frames) {
    noisy.push_back(f);
    if (f.json.find("@depth") != std::string_view::npos) {
      depth_seen.push_back(f);
      noisy.push_back(f);  // duplicate
      if (depth_seen.size() > 5) noisy.push_back(depth_seen[depth_seen.size() - 5]);  // a late old one
    }
  }
  BookReplay replay;
  for (const auto& f : noisy) replay.feed(f);
  const InstrumentId id = replay.symbols().find("BTCUSDT");
  const book::DepthBook* a = clean.books().depth(clean.symbols().find("BTCUSDT"));
  const book::DepthBook* b = replay.books().depth(id);
  ASSERT_TRUE(a && b);
  EXPECT_TRUE(b->valid());
  EXPECT_EQ(b->counters().applied, a->counters().applied);
  ASSERT_EQ(b->level_count(true), a->level_count(true));
  for (std::size_t i = 0; i < a->level_count(true); ++i) {
    EXPECT_EQ(b->level(true, i).price, a->level(true, i).price);
    EXPECT_EQ(b->level(true, i).qty, a->level(true, i).qty);
  }
}

std::string printed(const BookReplay& replay, std::string_view asset = {}, std::size_t depth = 0) {
  char* buf = nullptr;
  std::size_t len = 0;
  std::FILE* mem = open_memstream(&buf, &len);
  replay.print(mem, asset, depth);
  std::fclose(mem);
  std::string out(buf, len);
  std::free(buf);
  return out;
}

TEST(BookReplay, PrintsBooksBestFirstWithMinimalExactDecimals) {
  auto file = read_capture(data_path("polymarket/crates_test_data__ws_market_book_msg.json"));
  ASSERT_TRUE(file);
  BookReplay replay;
  for (const auto& f : split_capture(file->text)) replay.feed(f);
  EXPECT_EQ(printed(replay),
            "{\"asset_id\":\"71321045679252212594626385532706912750332728571942532289631379312455583992563\","
            "\"valid\":true,\"bids\":[[\"0.5\",\"200\"],[\"0.49\",\"350\"]],"
            "\"asks\":[[\"0.51\",\"150\"],[\"0.52\",\"250\"]]}\n");
}

TEST(BookReplay, PrintsTheCapturedFullDepthBookAndHonoursDepthAndAsset) {
  auto file = read_capture(data_path("polymarket/ws_messages__book.json"));
  ASSERT_TRUE(file);
  BookReplay replay;
  for (const auto& f : split_capture(file->text)) replay.feed(f);
  const std::string out = printed(replay, "48331043336612883890938759509493159234755048973500640148014422747788308965732", 1);
  EXPECT_EQ(out,
            "{\"asset_id\":\"48331043336612883890938759509493159234755048973500640148014422747788308965732\","
            "\"valid\":true,\"bids\":[[\"0.511\",\"1304.72\"]],\"asks\":[[\"0.514\",\"20230.87\"]]}\n");
  EXPECT_EQ(printed(replay, "nope"), "");
}

TEST(BookReplay, TreatsSeveralFilesAsOneCaptureAndPrintsBinanceSymbols) {
  BookReplay replay;
  for (const char* name : {"polymarket/crates_test_data__ws_market_book_msg.json",
                           "polymarket/crates_test_data__ws_market_price_change_msg.json"}) {
    auto file = read_capture(data_path(name));
    ASSERT_TRUE(file);
    for (const auto& f : split_capture(file->text)) replay.feed(f);
  }
  // The price_change sets bid 0.51 x 150 with best_bid 0.51 / best_ask 0.52 — but the book's best ask is 0.51:
  // the venue's top disagrees with the ladder, so the book must not be reported valid.
  const std::string out = printed(replay);
  EXPECT_NE(out.find("\"valid\":false"), std::string::npos) << out;
  auto file = read_capture(data_path("binance/btcusdt_20240808_head12000.gz"));
  ASSERT_TRUE(file);
  const auto frames = split_capture(file->text);
  for (std::size_t i = 0; i < 200; ++i) replay.feed(frames[i]);
  const std::string bin = printed(replay, "BTCUSDT", 2);
  EXPECT_EQ(bin.rfind("{\"asset_id\":\"BTCUSDT\",\"valid\":true,\"bids\":[[\"", 0), 0u) << bin;
  EXPECT_EQ(bin.find("000000\""), std::string::npos) << "decimals must be minimal: " << bin;
}

}  // namespace
}  // namespace polybot::feed
