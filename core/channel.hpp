// Channel<T>: a single-producer single-consumer queue of fixed-size messages between two stage threads.
// Built on moodycamel::ReaderWriterQueue, used only through its non-allocating try_ calls: the capacity is fixed
// at construction and never grows. Producer and Consumer are separate ends, each for exactly one thread (a debug
// guard aborts on a second). A push into a full channel fails, is counted, and the caller decides (never silent).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <type_traits>

#include <readerwriterqueue/readerwriterqueue.h>

#include "core/parker.hpp"
#include "core/thread_guard.hpp"

namespace polybot {

template <class T>
class Channel {
  static_assert(std::is_trivially_copyable_v<T>, "channels carry trivially copyable messages only");

 public:
  explicit Channel(std::size_t capacity) : queue_(capacity), capacity_(capacity) {}
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  class Producer {
   public:
    explicit Producer(Channel* ch) noexcept : ch_(ch) {}
    // False when full (counted in full_count()). Never allocates.
    [[nodiscard]] bool try_push(const T& m) noexcept {
      ch_->producer_guard_.check("Channel::Producer");
      if (!ch_->queue_.try_enqueue(m)) {
        ch_->full_count_.fetch_add(1, std::memory_order_relaxed);
        return false;
      }
      ch_->pushed_.store(ch_->pushed_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
      if (ch_->parker_ != nullptr) ch_->parker_->unpark();
      return true;
    }
    void release_thread() noexcept { ch_->producer_guard_.release(); }
    Channel& channel() noexcept { return *ch_; }

   private:
    Channel* ch_;
  };

  class Consumer {
   public:
    explicit Consumer(Channel* ch) noexcept : ch_(ch) {}
    [[nodiscard]] bool try_pop(T& out) noexcept {
      ch_->consumer_guard_.check("Channel::Consumer");
      return ch_->queue_.try_dequeue(out);
    }
    // Pointer to the front element or nullptr; valid until pop().
    [[nodiscard]] T* peek() noexcept {
      ch_->consumer_guard_.check("Channel::Consumer");
      return ch_->queue_.peek();
    }
    bool pop() noexcept { return ch_->queue_.pop(); }
    [[nodiscard]] std::size_t size_approx() const noexcept { return ch_->queue_.size_approx(); }
    void release_thread() noexcept { ch_->consumer_guard_.release(); }
    // The consumer's thread parks on this parker when idle; producers wake it.
    void wake_via(Parker* parker) noexcept { ch_->parker_ = parker; }
    Channel& channel() noexcept { return *ch_; }

   private:
    Channel* ch_;
  };

  Producer producer() noexcept { return Producer{this}; }
  Consumer consumer() noexcept { return Consumer{this}; }

  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
  [[nodiscard]] std::uint64_t full_count() const noexcept { return full_count_.load(std::memory_order_relaxed); }
  [[nodiscard]] std::uint64_t pushed() const noexcept { return pushed_.load(std::memory_order_relaxed); }

 private:
  moodycamel::ReaderWriterQueue<T> queue_;
  std::size_t capacity_;
  Parker* parker_ = nullptr;  // set before threads start
  ThreadGuard producer_guard_;
  ThreadGuard consumer_guard_;
  // Counters are written by the producer only and read by monitors; relaxed is enough for statistics.
  alignas(64) std::atomic<std::uint64_t> full_count_{0};
  std::atomic<std::uint64_t> pushed_{0};
};

}  // namespace polybot
