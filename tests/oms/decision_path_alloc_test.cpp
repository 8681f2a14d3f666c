// The oms decision path - OrderRequest in, pre-signed cache hit, journal (ExecReport kSubmitted), L2 headers,
// HttpClient::submit on a warm TLS connection - performs no heap allocation on the oms thread after warm-up.
// A counting global operator new counts only the calling thread's allocations while armed (the venue simulator's
// threads allocate freely).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "tests/oms/venue_fixture.hpp"

namespace {
std::atomic<long> g_allocations{0};
thread_local bool t_armed = false;
}  // namespace

// noinline: an inlined free() against a new-expression trips -Wmismatched-new-delete in optimised builds.
[[gnu::noinline]] void* operator new(std::size_t n) {
  if (t_armed) g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
[[gnu::noinline]] void operator delete(void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace polybot::oms::test {
namespace {

using ::polybot::Side;

struct NoAllocEmitter final : Emitter {
  std::uint64_t n = 0;
  bool emit(Envelope&) noexcept override {
    ++n;
    return true;
  }
};

TEST(DecisionPath, PreSignedOrderReachesTheSocketWithoutAllocating) {
  FixtureOptions o;
  o.heartbeats = false;
  o.user_channel = false;
  o.reconcile_on_start = false;
  o.unlimited_rate = true;
  VenueFixture f(o);
  ASSERT_TRUE(f.ready());
  const Price price = Price::from_raw(100'000);
  f.logic().set_presign_targets(kTokenId, Side::kBuy, &price, 1, Qty::from_raw(5'000'000),
                                ::polybot::OrderType::kGtc, false);
  NoAllocEmitter out;
  // The counter counts (a test that can fail).
  const long probe = g_allocations.load();
  t_armed = true;
  int* volatile probe_ptr = new int(1);  // volatile: the allocation cannot be elided
  delete probe_ptr;
  t_armed = false;
  ASSERT_EQ(g_allocations.load(), probe + 1);
  long during = 0;
  for (std::uint64_t id = 1; id <= 40; ++id) {
    ASSERT_TRUE(f.pump_until([&] { return f.logic().presign().size() == 1 && f.gateway().pending() == 0; }, 5'000));
    const Envelope e = Envelope::of(VenueFixture::order(id, Side::kBuy, price.raw, 5'000'000));
    const long before = g_allocations.load();
    t_armed = true;
    f.logic().on_input(e, f.clock(), out);
    t_armed = false;
    ASSERT_EQ(f.state(id), OrderState::kSubmitted);
    if (id > 10) during += g_allocations.load() - before;  // after warm-up
  }
  EXPECT_EQ(during, 0);
  EXPECT_EQ(f.logic().counters().presign_hits, 40u);
}

}  // namespace
}  // namespace polybot::oms::test
