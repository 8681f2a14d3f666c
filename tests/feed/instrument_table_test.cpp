#include "feed/instrument_table.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace polybot::feed
