#include "core/runner.hpp"

#include <pthread.h>
#include <sched.h>

#include <csignal>
#include <cstring>

#include "core/assert.hpp"

namespace polybot {

namespace {
std::atomic<bool> g_signal{false};
extern "C" void on_signal(int) { g_signal.store(true, std::memory_order_release); }
}  // namespace

std::optional<WaitKind> parse_wait_kind(std::string_view text) noexcept {
  if (text == "spin") return WaitKind::kSpin;
  if (text == "yield") return WaitKind::kYield;
  if (text == "block") return WaitKind::kBlock;
  return std::nullopt;
}

const char* to_string(WaitKind k) noexcept {
  switch (k) {
    case WaitKind::kSpin: return "spin";
    case WaitKind::kYield: return "yield";
    case WaitKind::kBlock: return "block";
  }
  return "?";
}

Runner::~Runner() {
  request_stop();
  join();
}

void Runner::add_thread(ThreadSpec spec, std::vector<Agent*> agents) {
  POLYBOT_CHECK(!started_, "add_thread after start");
  auto slot = std::make_unique<Slot>();
  slot->spec = spec;
  slot->agents = std::move(agents);
  for (Agent* a : slot->agents) a->attach_parker(&slot->parker);
  specs_.push_back(std::move(spec));
  slots_.push_back(std::move(slot));
}

void Runner::install_signal_handlers() noexcept {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

bool Runner::signal_received() noexcept { return g_signal.load(std::memory_order_acquire); }

bool Runner::stopping() const noexcept {
  return stop_.load(std::memory_order_acquire) || g_signal.load(std::memory_order_acquire);
}

void Runner::start() {
  POLYBOT_CHECK(!started_, "Runner started twice");
  started_ = true;
  for (auto& s : slots_) {
    Slot* slot = s.get();
    slot->thread = std::thread([this, slot] { loop(*slot); });
  }
}

void Runner::loop(Slot& slot) noexcept {
  const auto& spec = slot.spec;
  {
    char name[16];
    std::strncpy(name, spec.name.c_str(), sizeof(name) - 1);
    name[15] = '\0';
    pthread_setname_np(pthread_self(), name);
  }
  if (spec.cpu >= 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(spec.cpu, &set);
    slot.pinned.store(pthread_setaffinity_np(pthread_self(), sizeof(set), &set) == 0, std::memory_order_relaxed);
  }
  if (spec.fifo_priority > 0) {
    sched_param sp{};
    sp.sched_priority = spec.fifo_priority;
    slot.fifo.store(pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp) == 0, std::memory_order_relaxed);
  }
  for (Agent* a : slot.agents) a->on_start();

  std::uint64_t loops = 0, total = 0, parks = 0;
  std::uint32_t idle = 0;
  const auto poll = [&slot]() noexcept {
    int w = 0;
    for (Agent* a : slot.agents) w += a->do_work();
    return w;
  };
  while (!stopping()) {
    const int w = poll();
    ++loops;
    total += static_cast<std::uint64_t>(w);
    if (w > 0) {
      idle = 0;
      continue;
    }
    switch (spec.wait.kind) {
      case WaitKind::kSpin:
#if defined(__x86_64__)
        __builtin_ia32_pause();
#endif
        break;
      case WaitKind::kYield:
        sched_yield();
        break;
      case WaitKind::kBlock:
        if (++idle < spec.wait.spin_iterations) {
#if defined(__x86_64__)
          __builtin_ia32_pause();
#endif
          break;
        }
        slot.parker.prepare_park();
        if (poll() > 0) {  // re-check after announcing: a producer may have pushed before seeing the flag
          slot.parker.cancel_park();
          idle = 0;
          break;
        }
        slot.parker.park(spec.wait.park_timeout);
        ++parks;
        idle = 0;
        break;
    }
    if ((loops & 1023) == 0) {
      slot.loops.store(loops, std::memory_order_relaxed);
      slot.work.store(total, std::memory_order_relaxed);
      slot.parks.store(parks, std::memory_order_relaxed);
    }
  }
  slot.loops.store(loops, std::memory_order_relaxed);
  slot.work.store(total, std::memory_order_relaxed);
  slot.parks.store(parks, std::memory_order_relaxed);
  for (Agent* a : slot.agents) a->on_close();
  slot.finished.store(true, std::memory_order_release);
}

void Runner::run_until_done(std::chrono::milliseconds poll) {
  while (!stopping()) {
    bool all_done = true;
    for (auto& s : slots_) {
      for (Agent* a : s->agents) all_done = all_done && a->done();
    }
    if (all_done) break;
    std::this_thread::sleep_for(poll);
  }
  request_stop();
  join();
}

void Runner::join() {
  for (auto& s : slots_) {
    if (s->thread.joinable()) {
      s->parker.unpark();
      s->thread.join();
    }
  }
}

std::vector<ThreadStats> Runner::stats() const {
  std::vector<ThreadStats> out;
  out.reserve(slots_.size());
  for (const auto& s : slots_) {
    out.push_back(ThreadStats{s->loops.load(std::memory_order_relaxed), s->work.load(std::memory_order_relaxed),
                              s->parks.load(std::memory_order_relaxed), s->pinned.load(std::memory_order_relaxed),
                              s->fifo.load(std::memory_order_relaxed)});
  }
  return out;
}

}  // namespace polybot
