// Runner: owns every stage thread. Each thread runs one or more agents (fused by configuration) in a loop with
// its wait strategy, CPU affinity, name and optional SCHED_FIFO priority. stop() (or SIGINT/SIGTERM once
// install_signal_handlers() was called) ends all loops; agents get on_close() on their own thread.
// Set-up (add_thread, start, stop, join) from one controlling thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/agent.hpp"
#include "core/parker.hpp"
#include "core/wait_strategy.hpp"

namespace polybot {

struct ThreadSpec {
  std::string name;            // at most 15 chars are visible to the OS
  int cpu = -1;                // -1: not pinned
  int fifo_priority = 0;       // 0: normal scheduling; 1..99: SCHED_FIFO (needs CAP_SYS_NICE)
  WaitStrategy wait{};
};

struct ThreadStats {
  std::uint64_t loops = 0;
  std::uint64_t work = 0;
  std::uint64_t parks = 0;
  bool pinned = false;
  bool fifo = false;
};

class Runner {
 public:
  Runner() = default;
  ~Runner();
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  // Agents are borrowed: they must outlive the Runner's threads.
  void add_thread(ThreadSpec spec, std::vector<Agent*> agents);
  void start();
  // Requests every loop to end; safe from any thread and from a signal handler (via the global flag).
  void request_stop() noexcept { stop_.store(true, std::memory_order_release); }
  // Waits until every thread has ended or all agents report done(); then stops and joins.
  void run_until_done(std::chrono::milliseconds poll = std::chrono::milliseconds(5));
  void join();
  [[nodiscard]] bool stopping() const noexcept;
  [[nodiscard]] std::vector<ThreadStats> stats() const;
  [[nodiscard]] const std::vector<ThreadSpec>& specs() const noexcept { return specs_; }

  // SIGINT/SIGTERM set a process-wide flag every Runner checks.
  static void install_signal_handlers() noexcept;
  [[nodiscard]] static bool signal_received() noexcept;

 private:
  struct Slot {
    ThreadSpec spec;
    std::vector<Agent*> agents;
    Parker parker;
    std::thread thread;
    std::atomic<std::uint64_t> loops{0}, work{0}, parks{0};
    std::atomic<bool> pinned{false}, fifo{false}, finished{false};
  };
  void loop(Slot& slot) noexcept;

  std::vector<ThreadSpec> specs_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::atomic<bool> stop_{false};
  bool started_ = false;
};

}  // namespace polybot
