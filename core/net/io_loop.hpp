// IoLoop: one Boost.Asio io_context for one thread, polled by its owner from Agent::do_work() (poll() never
// blocks). Every client (WsClient, HttpClient) created on a loop must be used only from the thread that polls
// it. Construction allocates; poll() does not allocate after warm-up (Asio recycles handler memory).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace polybot::net {

class IoLoop {
 public:
  IoLoop();
  ~IoLoop();
  IoLoop(const IoLoop&) = delete;
  IoLoop& operator=(const IoLoop&) = delete;

  // Runs every ready handler without blocking; returns how many ran (the agent's work count).
  std::size_t poll() noexcept;
  // Runs handlers for up to `ms` milliseconds (blocks): for tests, tools and start-up code only.
  std::size_t run_for_ms(int ms) noexcept;
  // Polls until pred() is true or `timeout_ms` passes; returns pred(). Tests and start-up only.
  template <class Pred>
  bool run_until(Pred pred, int timeout_ms) noexcept;

  // The underlying context, for polybot::net's own .cpp files (include Boost yourself to use it).
  [[nodiscard]] boost::asio::io_context& context() noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::int64_t io_loop_now_ms() noexcept;  // monotonic ms, for run_until

template <class Pred>
bool IoLoop::run_until(Pred pred, int timeout_ms) noexcept {
  const auto deadline = io_loop_now_ms() + timeout_ms;
  while (!pred()) {
    if (io_loop_now_ms() >= deadline) return pred();
    run_for_ms(2);
  }
  return true;
}

}  // namespace polybot::net
