#include "core/runner.hpp"

#include <gtest/gtest.h>
#include <pthread.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <string>
#include <thread>

#include "core/channel.hpp"
#include "core/messages.hpp"
#include "tests/core/sanitizers.hpp"

namespace polybot {
namespace {

using namespace std::chrono_literals;

class CountingSource final : public Agent {
 public:
  CountingSource(Channel<Envelope>& ch, std::uint64_t n) : tx_(ch.producer()), n_(n) {}
  const char* name() const noexcept override { return "source"; }
  int do_work() noexcept override {
    if (next_ > n_) {
      done_.store(true);
      return 0;
    }
    Envelope e;
    e.hdr.seq = next_;
    if (!tx_.try_push(e)) return 0;
    ++next_;
    return 1;
  }
  bool done() const noexcept override { return done_.load(); }

 private:
  Channel<Envelope>::Producer tx_;
  std::uint64_t n_, next_ = 1;
  std::atomic<bool> done_{false};
};

class CheckingSink final : public Agent {
 public:
  explicit CheckingSink(Channel<Envelope>& ch) : rx_(ch.consumer()) {}
  const char* name() const noexcept override { return "sink"; }
  void attach_parker(Parker* p) noexcept override { rx_.wake_via(p); }
  void on_start() noexcept override {
    char buf[16] = {};
    pthread_getname_np(pthread_self(), buf, sizeof(buf));
    thread_name = buf;
    cpu.store(sched_getcpu());
  }
  int do_work() noexcept override {
    Envelope e;
    int n = 0;
    while (rx_.try_pop(e)) {
      if (e.hdr.seq != expect + 1) errors.fetch_add(1);
      expect = e.hdr.seq;
      received.fetch_add(1);
      ++n;
    }
    return n;
  }
  std::uint64_t expect = 0;
  std::atomic<std::uint64_t> received{0}, errors{0};
  std::atomic<int> cpu{-1};
  std::string thread_name;

 private:
  Channel<Envelope>::Consumer rx_;
};

// TSan makes every queue operation ~50x slower: fewer messages, same checks.
constexpr std::uint64_t kMessages = test::scaled(100'000);

void run_pair(WaitKind kind, bool fused) {
  Channel<Envelope> ch(256);
  CountingSource src(ch, kMessages);
  CheckingSink sink(ch);
  Runner r;
  ThreadSpec spec;
  spec.wait.kind = kind;
  spec.wait.spin_iterations = 100;
  if (fused) {
    spec.name = "fused";
    r.add_thread(spec, {&src, &sink});
  } else {
    spec.name = "src";
    r.add_thread(spec, {&src});
    spec.name = "sink";
    r.add_thread(spec, {&sink});
  }
  r.start();
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (sink.received.load() < kMessages && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(1ms);
  }
  r.request_stop();
  r.join();
  EXPECT_EQ(sink.received.load(), kMessages) << to_string(kind);
  EXPECT_EQ(sink.errors.load(), 0u);
}

TEST(Runner, MovesMessagesWithEveryWaitStrategy) {
  for (WaitKind k : {WaitKind::kSpin, WaitKind::kYield, WaitKind::kBlock}) run_pair(k, false);
}

TEST(Runner, FusesSeveralAgentsOnOneThread) {
  for (WaitKind k : {WaitKind::kSpin, WaitKind::kYield, WaitKind::kBlock}) run_pair(k, true);
}

TEST(Runner, NamesAndPinsItsThreads) {
  Channel<Envelope> ch(16);
  CheckingSink sink(ch);
  Runner r;
  ThreadSpec spec;
  spec.name = "polybot-sink";
  spec.cpu = 0;
  r.add_thread(spec, {&sink});
  r.start();
  for (int i = 0; i < 2000 && sink.cpu.load() < 0; ++i) std::this_thread::sleep_for(1ms);
  r.request_stop();
  r.join();
  EXPECT_EQ(sink.thread_name, "polybot-sink");
  EXPECT_EQ(sink.cpu.load(), 0);
  EXPECT_TRUE(r.stats().at(0).pinned);
}

TEST(Runner, BlockStrategyWakesAParkedConsumerOnPush) {
  Channel<Envelope> ch(16);
  CheckingSink sink(ch);
  Runner r;
  ThreadSpec spec;
  spec.name = "parked";
  spec.wait.kind = WaitKind::kBlock;
  spec.wait.spin_iterations = 10;
  spec.wait.park_timeout = std::chrono::microseconds(5'000'000);  // 5 s: only a wake-up can be fast
  r.add_thread(spec, {&sink});
  r.start();
  std::this_thread::sleep_for(100ms);  // let it park
  auto tx = ch.producer();
  Envelope e;
  e.hdr.seq = 1;
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(tx.try_push(e));
  while (sink.received.load() == 0 && std::chrono::steady_clock::now() - t0 < 4s) std::this_thread::yield();
  const auto waited = std::chrono::steady_clock::now() - t0;
  r.request_stop();
  r.join();
  EXPECT_EQ(sink.received.load(), 1u);
  EXPECT_LT(waited, 1s);
  EXPECT_GE(r.stats().at(0).parks, 1u);
}

TEST(Runner, StopsCleanlyOnSigterm) {
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    Runner::install_signal_handlers();
    Channel<Envelope> ch(16);
    CheckingSink sink(ch);
    Runner r;
    ThreadSpec spec;
    spec.name = "sig";
    r.add_thread(spec, {&sink});
    r.start();
    std::thread([] {
      std::this_thread::sleep_for(50ms);
      kill(getpid(), SIGTERM);
    }).detach();
    r.run_until_done();  // returns only because of the signal: the sink is never done
    _exit(Runner::signal_received() ? 0 : 3);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace polybot
