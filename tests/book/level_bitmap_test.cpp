#include "book/level_bitmap.hpp"

#include <gtest/gtest.h>

#include <random>
#include <set>

namespace polybot::book {
namespace {

TEST(LevelBitmap, FindsNeighboursLikeAnOrderedSet) {
  LevelBitmap bits(10001);
  std::set<int> ref;
  std::mt19937 rng(7);
  for (int step = 0; step < 20000; ++step) {
    const int i = static_cast<int>(rng() % 10001);
    if (rng() % 2) {
      bits.set(i);
      ref.insert(i);
    } else {
      bits.clear(i);
      ref.erase(i);
    }
    const int q = static_cast<int>(rng() % 10001);
    auto up = ref.lower_bound(q);
    EXPECT_EQ(bits.lowest_at_or_above(q), up == ref.end() ? 10001 : *up);
    auto down = ref.upper_bound(q);
    EXPECT_EQ(bits.highest_at_or_below(q), down == ref.begin() ? -1 : *std::prev(down));
  }
}

TEST(LevelBitmap, HandlesTheEdgesOfTheRange) {
  LevelBitmap bits(10001);
  EXPECT_EQ(bits.highest_at_or_below(10000), -1);
  EXPECT_EQ(bits.lowest_at_or_above(0), 10001);
  bits.set(0);
  bits.set(10000);
  EXPECT_EQ(bits.highest_at_or_below(-1), -1);
  EXPECT_EQ(bits.highest_at_or_below(0), 0);
  EXPECT_EQ(bits.lowest_at_or_above(10000), 10000);
  EXPECT_EQ(bits.lowest_at_or_above(10001), 10001);
  EXPECT_EQ(bits.lowest_at_or_above(1), 10000);
  EXPECT_EQ(bits.highest_at_or_below(9999), 0);
}

}  // namespace
}  // namespace polybot::book
