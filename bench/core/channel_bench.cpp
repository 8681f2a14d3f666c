// How fast does Channel (moodycamel readerwriterqueue underneath) move 64- and 256-byte messages between two
// pinned threads, against boost::lockfree::spsc_queue and a minimal cached-index ring in the same run?
// Throughput: one thread pushes N messages, the other pops and checks them (items/s, bytes/s).
// Round trip: ping-pong over a pair of queues; p50/p99/p99.9 of the round trip reported as counters (ns).
#include <benchmark/benchmark.h>
#include <pthread.h>
#include <sched.h>

#include <boost/lockfree/spsc_queue.hpp>
#include <thread>

#include "bench/core/cached_ring.hpp"
#include "core/channel.hpp"
#include "core/clock.hpp"
#include "core/histogram.hpp"
#include "core/msg/envelope.hpp"

namespace {

using polybot::Channel;
using polybot::Envelope;

struct alignas(64) Msg64 {
  std::uint64_t seq;
  std::uint8_t pad[56];
};

void pin(int cpu) {
  const unsigned n = std::thread::hardware_concurrency();
  if (n < 2) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(static_cast<unsigned>(cpu) % n, &set);
  pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

// Uniform adapters.
template <class T>
struct ChannelQ {
  explicit ChannelQ(std::size_t cap) : ch(cap), tx(ch.producer()), rx(ch.consumer()) {}
  bool push(const T& v) { return tx.try_push(v); }
  bool pop(T& v) { return rx.try_pop(v); }
  Channel<T> ch;
  typename Channel<T>::Producer tx;
  typename Channel<T>::Consumer rx;
};
template <class T>
struct BoostQ {
  explicit BoostQ(std::size_t cap) : q(cap) {}
  bool push(const T& v) { return q.push(v); }
  bool pop(T& v) { return q.pop(v); }
  boost::lockfree::spsc_queue<T> q;
};
template <class T>
struct RingQ {
  explicit RingQ(std::size_t cap) : q(cap) {}
  bool push(const T& v) { return q.try_push(v); }
  bool pop(T& v) { return q.try_pop(v); }
  polybot::bench::CachedRing<T> q;
};

template <class Q, class T>
void BM_Throughput(benchmark::State& state) {
  constexpr std::uint64_t kBatch = 1'000'000;
  pin(0);
  std::uint64_t errors = 0;
  for (auto _ : state) {
    Q q(4096);
    std::thread consumer([&] {
      pin(1);
      T v{};
      for (std::uint64_t expect = 1; expect <= kBatch;) {
        if (q.pop(v)) {
          if (v.seq != expect) ++errors;
          ++expect;
        }
      }
    });
    for (std::uint64_t i = 1; i <= kBatch;) {
      T v{};
      v.seq = i;
      if (q.push(v)) ++i;
    }
    consumer.join();
  }
  if (errors != 0) state.SkipWithError("sequence error");
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBatch));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kBatch * sizeof(T)));
}

template <class Q, class T>
void BM_RoundTrip(benchmark::State& state) {
  constexpr int kPings = 200'000;
  pin(0);
  polybot::LatencyHistogram hist;
  for (auto _ : state) {
    Q ping(1024), pong(1024);
    std::thread echo([&] {
      pin(1);
      T v{};
      for (int i = 0; i < kPings; ++i) {
        while (!ping.pop(v)) {
        }
        while (!pong.push(v)) {
        }
      }
    });
    T v{};
    for (int i = 0; i < kPings; ++i) {
      v.seq = static_cast<std::uint64_t>(i);
      const std::int64_t t0 = polybot::monotonic_ns();
      while (!ping.push(v)) {
      }
      while (!pong.pop(v)) {
      }
      hist.record(polybot::monotonic_ns() - t0);
    }
    echo.join();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * kPings);
  state.counters["rtt_p50_ns"] = static_cast<double>(hist.percentile(0.50));
  state.counters["rtt_p99_ns"] = static_cast<double>(hist.percentile(0.99));
  state.counters["rtt_p999_ns"] = static_cast<double>(hist.percentile(0.999));
  state.counters["rtt_max_ns"] = static_cast<double>(hist.max());
}

}  // namespace

BENCHMARK(BM_Throughput<ChannelQ<Msg64>, Msg64>)->Name("throughput/64B/Channel")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Throughput<BoostQ<Msg64>, Msg64>)->Name("throughput/64B/boost_spsc")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Throughput<RingQ<Msg64>, Msg64>)->Name("throughput/64B/cached_ring")->Unit(benchmark::kMillisecond)->UseRealTime();
namespace {
struct Env256 {
  std::uint64_t seq;
  Envelope e;
};
}  // namespace
BENCHMARK(BM_Throughput<ChannelQ<Env256>, Env256>)->Name("throughput/envelope/Channel")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Throughput<BoostQ<Env256>, Env256>)->Name("throughput/envelope/boost_spsc")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Throughput<RingQ<Env256>, Env256>)->Name("throughput/envelope/cached_ring")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_RoundTrip<ChannelQ<Msg64>, Msg64>)->Name("roundtrip/64B/Channel")->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(BM_RoundTrip<BoostQ<Msg64>, Msg64>)->Name("roundtrip/64B/boost_spsc")->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(BM_RoundTrip<RingQ<Msg64>, Msg64>)->Name("roundtrip/64B/cached_ring")->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

BENCHMARK_MAIN();
