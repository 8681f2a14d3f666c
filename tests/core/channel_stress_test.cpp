// Moves POLYBOT_STRESS_MESSAGES (default 100 million) messages through one Channel between two threads and
// verifies every sequence number arrives once, in order. Run under TSan with fewer messages.
#include <gtest/gtest.h>
#include <pthread.h>
#include <sched.h>

#include <cstdlib>
#include <thread>

#include "core/channel.hpp"
#include "core/msg/header.hpp"

namespace polybot {
namespace {

struct alignas(64) Slot {
  std::uint64_t seq;
  std::uint64_t check;
  std::uint8_t pad[48];
};

std::uint64_t message_count() {
  if (const char* s = std::getenv("POLYBOT_STRESS_MESSAGES")) return std::strtoull(s, nullptr, 10);
  return 100'000'000ULL;
}

void pin(int cpu) {
  if (std::thread::hardware_concurrency() < 2) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

TEST(ChannelStress, MovesEveryMessageOnceInOrderBetweenTwoThreads) {
  const std::uint64_t n = message_count();
  Channel<Slot> ch(4096);
  std::thread producer([&] {
    pin(0);
    auto tx = ch.producer();
    for (std::uint64_t i = 1; i <= n;) {
      Slot s{};
      s.seq = i;
      s.check = i * 0x9E3779B97F4A7C15ULL;
      if (tx.try_push(s)) ++i;
    }
  });
  pin(1);
  auto rx = ch.consumer();
  std::uint64_t expect = 1, bad = 0;
  Slot s{};
  while (expect <= n) {
    if (!rx.try_pop(s)) continue;
    if (s.seq != expect || s.check != expect * 0x9E3779B97F4A7C15ULL) ++bad;
    expect = s.seq + 1;
  }
  producer.join();
  EXPECT_EQ(bad, 0u);
  EXPECT_EQ(expect, n + 1);
  EXPECT_EQ(ch.pushed(), n);
  Slot extra{};
  EXPECT_FALSE(rx.try_pop(extra));
  std::printf("moved %llu messages; producer found the channel full %llu times\n",
              static_cast<unsigned long long>(n), static_cast<unsigned long long>(ch.full_count()));
}

}  // namespace
}  // namespace polybot
