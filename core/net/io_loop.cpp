#include "core/net/io_loop.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>

#include "core/clock.hpp"

namespace polybot::net {

struct IoLoop::Impl {
  // concurrency_hint 1: exactly one thread runs this context, so Asio can skip internal locking.
  boost::asio::io_context ctx{1};
  // Keeps poll() from marking the context stopped when it momentarily has no work.
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard{ctx.get_executor()};
};

IoLoop::IoLoop() : impl_(std::make_unique<Impl>()) {}
IoLoop::~IoLoop() = default;

std::size_t IoLoop::poll() noexcept {
  try {
    return impl_->ctx.poll();
  } catch (...) {
    // Handlers of polybot::net never throw; a throw here is a bug in a user callback. Swallow so that no
    // exception crosses do_work(); the context stays usable.
    return 1;
  }
}

std::size_t IoLoop::run_for_ms(int ms) noexcept {
  try {
    return impl_->ctx.run_for(std::chrono::milliseconds(ms));
  } catch (...) {
    return 1;
  }
}

boost::asio::io_context& IoLoop::context() noexcept { return impl_->ctx; }

std::int64_t io_loop_now_ms() noexcept { return monotonic_ns() / 1'000'000; }

}  // namespace polybot::net
