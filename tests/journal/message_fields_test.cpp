#include "journal/message_fields.hpp"

#include <gtest/gtest.h>

#include "core/int128.hpp"
#include "core/word256.hpp"

#include <string>
#include <vector>

namespace polybot::journal {
namespace {

// Every message type that has a size has a description, and its fields tile the struct exactly: no byte
// undescribed, none described twice. A new field added to a message in core/msg/ fails here until the table
// names it.
TEST(MessageFields, DescribeEveryByteOfEveryMessageType) {
  int described = 0;
  for (int t = 0; t < 0x100; ++t) {
    const auto type = static_cast<MsgType>(t);
    const std::size_t size = message_size(type);
    const MessageDesc* d = describe(type);
    if (size == 0) {
      EXPECT_EQ(d, nullptr);
      continue;
    }
    ASSERT_NE(d, nullptr) << to_string(type);
    ++described;
    EXPECT_EQ(d->size, size);
    std::vector<int> owner(size, 0);
    for (const auto& f : d->fields) {
      ASSERT_LE(f.offset + f.size, size) << d->name << "." << f.name;
      for (std::uint32_t i = f.offset; i < f.offset + f.size; ++i) ++owner[i];
    }
    for (std::size_t i = 0; i < size; ++i) {
      EXPECT_EQ(owner[i], 1) << d->name << " byte " << i << " is described " << owner[i] << " times";
    }
  }
  EXPECT_EQ(described, 17);
}

TEST(MessageFields, FormatsPricesAndSizesAsExactDecimals) {
  Kline k;
  k.close = UsdPrice::from_raw(8712345678901);  // 87123.45678901
  k.volume = BtcQty::from_raw(1);
  k.venue = Venue::kBinance;
  const MessageDesc* d = describe(MsgType::kKline);
  std::string close, volume, venue;
  for (const auto& f : d->fields) {
    const auto* p = reinterpret_cast<const std::byte*>(&k);
    if (std::string(f.name) == "close") format_field(f, p, close, true);
    if (std::string(f.name) == "volume") format_field(f, p, volume, false);
    if (std::string(f.name) == "venue") format_field(f, p, venue, false);
  }
  EXPECT_EQ(close, "\"87123.45678901\"");
  EXPECT_EQ(volume, "0.00000001");
  EXPECT_EQ(venue, "binance");
}

TEST(MessageFields, FormatsTheChainlinkValueWithAllEighteenDecimals) {
  RefPrice r;
  // 87123.456789012345678901 * 1e18 = 87123456789012345678901
  const u128 v = static_cast<u128>(87123456789012ull) * 1000000000ull + 345678901ull;
  r.value_e18_hi = static_cast<std::uint64_t>(v >> 64);
  r.value_e18_lo = static_cast<std::uint64_t>(v);
  const MessageDesc* d = describe(MsgType::kRefPrice);
  std::string out;
  for (const auto& f : d->fields) {
    if (std::string(f.name) == "value_e18") format_field(f, reinterpret_cast<const std::byte*>(&r), out, false);
  }
  EXPECT_EQ(out, "87123.456789012345678901");
}

TEST(MessageFields, FindsTheFieldThatContainsAByte) {
  const MessageDesc* d = describe(MsgType::kIntent);
  const FieldDesc* f = field_at(*d, offsetof(Intent, limit_price) + 3);
  ASSERT_NE(f, nullptr);
  EXPECT_STREQ(f->name, "limit_price");
  EXPECT_STREQ(field_at(*d, offsetof(Intent, inputs) + 17)->name, "inputs[2]");
}

}  // namespace
}  // namespace polybot::journal

namespace polybot::journal {
namespace {

TEST(MessageFields, PrintsAMarketDefsVenueIdsAsTheVenueWritesThem) {
  MarketDef m;
  const std::string token = "106853212325739234269605042620856745942429109258639927166403506431703417105118";
  const std::string cond = "0x6fa121d31b5ed65b5c34b32ae646e4751b37ffd49c3cbcc379b055e22e27094c";
  ASSERT_TRUE(word256_from_decimal(token, m.up_token));
  ASSERT_TRUE(word256_from_hex(cond, m.condition_id));
  const MessageDesc* d = describe(MsgType::kMarketDef);
  ASSERT_NE(d, nullptr);
  std::string up, down, c;
  for (const auto& f : d->fields) {
    const auto* p = reinterpret_cast<const std::byte*>(&m);
    if (std::string(f.name) == "up_token") format_field(f, p, up, true);
    if (std::string(f.name) == "down_token") format_field(f, p, down, false);
    if (std::string(f.name) == "condition_id") format_field(f, p, c, false);
  }
  EXPECT_EQ(up, "\"" + token + "\"");
  EXPECT_EQ(down, "0");
  EXPECT_EQ(c, cond);
}

}  // namespace
}  // namespace polybot::journal
