#include "core/channel.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "core/messages.hpp"
#include "tests/core/sanitizers.hpp"

namespace polybot {
namespace {

TEST(Channel, DeliversInOrderAndCountsFullPushes) {
  Channel<Envelope> ch(16);
  auto tx = ch.producer();
  auto rx = ch.consumer();
  std::uint64_t pushed = 0;
  for (;;) {
    Envelope e;
    e.hdr.seq = pushed + 1;
    if (!tx.try_push(e)) break;
    ++pushed;
  }
  EXPECT_GE(pushed, 16u);  // capacity is at least what was asked
  EXPECT_EQ(ch.full_count(), 1u);
  Envelope out;
  for (std::uint64_t i = 1; i <= pushed; ++i) {
    ASSERT_TRUE(rx.try_pop(out));
    EXPECT_EQ(out.hdr.seq, i);
  }
  EXPECT_FALSE(rx.try_pop(out));
}

TEST(Channel, NeverGrowsPastItsCapacity) {
  Channel<Envelope> ch(64);
  auto tx = ch.producer();
  std::uint64_t ok = 0;
  for (int i = 0; i < 10'000; ++i) ok += tx.try_push(Envelope{}) ? 1 : 0;
  EXPECT_LT(ok, 200u);
  EXPECT_EQ(ch.full_count(), 10'000u - ok);
}

TEST(Channel, CarriesEveryMessageFamilyIntact) {
  Channel<Envelope> ch(8);
  auto tx = ch.producer();
  auto rx = ch.consumer();
  Kline k{};
  k.hdr.type = Kline::kType;
  k.close = *UsdPrice::parse("65987.24");
  ASSERT_TRUE(tx.try_push(Envelope::of(k)));
  Envelope out;
  ASSERT_TRUE(rx.try_pop(out));
  ASSERT_TRUE(out.is<Kline>());
  EXPECT_EQ(out.as<Kline>().close.raw, k.close.raw);
}

#if !defined(NDEBUG) && !defined(__SANITIZE_THREAD__)  // TSan cannot fork a multi-threaded process
TEST(ChannelDeathTest, AbortsWhenASecondThreadUsesTheProducerEnd) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        Channel<Envelope> ch(8);
        auto tx = ch.producer();
        (void)tx.try_push(Envelope{});
        std::thread other([&] { (void)tx.try_push(Envelope{}); });
        other.join();
      },
      "used from a second thread");
}
#endif

TEST(Channel, MovesMessagesBetweenTwoThreadsWithoutLoss) {
  Channel<Envelope> ch(1024);
  constexpr std::uint64_t kN = test::scaled(200'000, 200);
  std::thread producer([&] {
    auto tx = ch.producer();
    for (std::uint64_t i = 1; i <= kN;) {
      Envelope e;
      e.hdr.seq = i;
      if (tx.try_push(e)) {
        ++i;
      } else {
        std::this_thread::yield();  // full: let the consumer run (2-core machines, sanitizer builds)
      }
    }
  });
  auto rx = ch.consumer();
  std::uint64_t expect = 1;
  Envelope e;
  while (expect <= kN) {
    if (rx.try_pop(e)) {
      ASSERT_EQ(e.hdr.seq, expect);
      ++expect;
    } else {
      std::this_thread::yield();
    }
  }
  producer.join();
  EXPECT_EQ(ch.pushed(), kN);
}

}  // namespace
}  // namespace polybot
