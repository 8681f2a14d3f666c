#include "feed/instrument_table.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include <string>
#include <vector>

#include <string>

namespace polybot::feed {
namespace {

TEST(InstrumentTable, MapsLongTokenIdsToStableSmallIds) {
  InstrumentTable t(1000);
  std::vector<std::string> keys;
  for (int i = 0; i < 1000; ++i) {
    keys.push_back("4833104333661288389093875950949315923475504897350064014801442274778830896" + std::to_string(i));
  }
  for (std::size_t i = 0; i < keys.size(); ++i) EXPECT_EQ(t.add(keys[i]).value, i + 1);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    EXPECT_EQ(t.find(keys[i]).value, i + 1);
    EXPECT_EQ(t.add(keys[i]).value, i + 1);
    EXPECT_EQ(t.key_of(InstrumentId{static_cast<std::uint32_t>(i + 1)}), keys[i]);
  }
  EXPECT_FALSE(t.add("one too many").valid());
  EXPECT_FALSE(t.find("absent").valid());
  EXPECT_FALSE(t.find("").valid());
  EXPECT_EQ(t.key_of(InstrumentId{}), "");
}

TEST(InstrumentTable, ResolveAddsOnlyWhenAutoAddIsOn) {
  InstrumentTable t(8);
  EXPECT_FALSE(t.resolve("BTCUSDT").valid());
  t.set_auto_add(true);
  EXPECT_TRUE(t.resolve("BTCUSDT").valid());
  EXPECT_EQ(t.size(), 1u);
  EXPECT_FALSE(t.add(std::string(200, '9')).valid());
}

TEST(InstrumentTable, ReleasedKeysAreForgottenAndTheirIdsNeverReusedWithoutRecycling) {
  InstrumentTable t(4);
  const InstrumentId a = t.add("1111"), b = t.add("2222");
  ASSERT_TRUE(t.release(a, 0));
  EXPECT_FALSE(t.find("1111").valid());
  EXPECT_EQ(t.key_of(a), "");
  EXPECT_EQ(t.find("2222"), b);  // probing goes on past the removed entry
  EXPECT_FALSE(t.release(a, 0));  // twice: unknown
  const InstrumentId c = t.add("3333", 1'000'000'000'000);
  EXPECT_NE(c, a);
  EXPECT_EQ(c.value, 3u);
  EXPECT_EQ(t.live(), 2u);
}

TEST(InstrumentTable, RecyclesTheOldestReleasedIdOnlyAfterItsQuarantine) {
  constexpr std::int64_t kHour = 3'600'000'000'000;
  InstrumentTable t(8);
  t.set_recycling(kHour);
  const InstrumentId a = t.add("1111", 0), b = t.add("2222", 0);
  ASSERT_TRUE(t.release(b, 10));
  ASSERT_TRUE(t.release(a, 20));
  const InstrumentId c = t.add("3333", kHour);  // b's quarantine ends at kHour + 10: not yet
  EXPECT_EQ(c.value, 3u);
  const InstrumentId d = t.add("4444", kHour + 10);  // b first (released first), then a
  EXPECT_EQ(d, b);
  EXPECT_EQ(t.key_of(b), "4444");
  EXPECT_EQ(t.find("4444"), b);
  EXPECT_FALSE(t.find("2222").valid());
  EXPECT_EQ(t.add("5555", kHour + 20), a);
  EXPECT_EQ(t.add("4444", kHour + 30), b);  // idempotent for a live key
}

TEST(InstrumentTable, AnUnboundedRollOverKeepsIdsSmallAndLookupsCorrect) {
  // Two tokens a window, every 5 minutes, for ten simulated days, ids recycled after an hour: the ids stay
  // under 40 (what an hour plus the look-ahead holds), lookups stay exact, and tombstones never fill the slots.
  constexpr std::int64_t kMin = 60'000'000'000;
  InstrumentTable t(64);
  t.set_recycling(60 * kMin);
  std::vector<std::pair<std::string, InstrumentId>> live;
  std::uint32_t max_id = 0;
  for (int w = 0; w < 10 * 288; ++w) {
    const std::int64_t now = w * 5 * kMin;
    for (int k = 0; k < 2; ++k) {
      const std::string key = std::to_string(1'000'000'007ull * static_cast<unsigned long long>(w * 2 + k + 1));
      const InstrumentId id = t.add(key, now);
      ASSERT_TRUE(id.valid()) << w;
      max_id = std::max(max_id, id.value);
      live.emplace_back(key, id);
    }
    while (live.size() > 6) {  // windows retire a few minutes after they close
      ASSERT_TRUE(t.release(live.front().second, now));
      EXPECT_FALSE(t.find(live.front().first).valid());
      live.erase(live.begin());
    }
    for (const auto& [key, id] : live) ASSERT_EQ(t.find(key), id);
  }
  EXPECT_LE(max_id, 40u);
}

}  // namespace
}  // namespace polybot::feed
