// Internal to polybot::net's .cpp files. CoalescingStream: sits between a Beast WebSocket stream and an Asio
// SSL stream and copies a multi-buffer write (frame header + masked payload) into one buffer allocated once,
// so each frame is one TLS record without Beast's flat_stream, which allocates and frees a buffer per write.
// HandlerSlot / SlotAllocator: a one-slot handler allocator for operations that Beast allocates state for
// (async_ping), so keep-alive pings do not touch the heap. Both belong to one session on one thread.
#pragma once

#include <boost/asio/buffer.hpp>
#include <boost/asio/recycling_allocator.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/teardown.hpp>
#include <cstddef>
#include <memory>
#include <new>
#include <utility>

namespace polybot::net::detail {

template <class Next>
class CoalescingStream {
 public:
  using next_layer_type = Next;
  using executor_type = typename Next::executor_type;
  // Larger writes are legal partial writes of the first kCapacity bytes (write_some semantics).
  static constexpr std::size_t kCapacity = 64U << 10;

  template <class... Args>
  explicit CoalescingStream(Args&&... args)
      : next_(std::forward<Args>(args)...), buf_(std::make_unique<char[]>(kCapacity)) {}

  executor_type get_executor() noexcept { return next_.get_executor(); }
  Next& next_layer() noexcept { return next_; }
  const Next& next_layer() const noexcept { return next_; }

  template <class MutableBufferSequence, class ReadHandler>
  auto async_read_some(const MutableBufferSequence& buffers, ReadHandler&& handler) {
    return next_.async_read_some(buffers, std::forward<ReadHandler>(handler));
  }

  template <class ConstBufferSequence, class WriteHandler>
  auto async_write_some(const ConstBufferSequence& buffers, WriteHandler&& handler) {
    const auto begin = boost::asio::buffer_sequence_begin(buffers);
    const auto end = boost::asio::buffer_sequence_end(buffers);
    if (begin == end || std::next(begin) == end) {
      return next_.async_write_some(boost::asio::const_buffer(begin == end ? boost::asio::const_buffer() : *begin),
                                    std::forward<WriteHandler>(handler));
    }
    // Beast keeps one write in flight per stream, so one buffer suffices.
    const std::size_t n = boost::asio::buffer_copy(boost::asio::buffer(buf_.get(), kCapacity), buffers);
    return next_.async_write_some(boost::asio::const_buffer(buf_.get(), n), std::forward<WriteHandler>(handler));
  }

 private:
  Next next_;
  std::unique_ptr<char[]> buf_;
};

// Found by argument-dependent lookup from Beast's WebSocket close / failure path.
template <class Next, class TeardownHandler>
void async_teardown(boost::beast::role_type role, CoalescingStream<Next>& s, TeardownHandler&& handler) {
  using boost::beast::websocket::async_teardown;
  async_teardown(role, s.next_layer(), std::forward<TeardownHandler>(handler));
}
template <class Next>
void teardown(boost::beast::role_type role, CoalescingStream<Next>& s, boost::system::error_code& ec) {
  using boost::beast::websocket::teardown;
  teardown(role, s.next_layer(), ec);
}

// Storage for one in-flight operation's state.
struct HandlerSlot {
  alignas(std::max_align_t) unsigned char storage[1024];
  bool in_use = false;
};

template <class T>
class SlotAllocator {
 public:
  using value_type = T;
  explicit SlotAllocator(HandlerSlot* slot) noexcept : slot_(slot) {}
  template <class U>
  SlotAllocator(const SlotAllocator<U>& other) noexcept : slot_(other.slot()) {}  // NOLINT

  T* allocate(std::size_t n) {
    if (!slot_->in_use && n * sizeof(T) <= sizeof(slot_->storage) && alignof(T) <= alignof(std::max_align_t)) {
      slot_->in_use = true;
      return reinterpret_cast<T*>(slot_->storage);
    }
    // Everything else (the socket operations underneath) goes where Asio would put it by default.
    return boost::asio::recycling_allocator<T>().allocate(n);
  }
  void deallocate(T* p, std::size_t n) noexcept {
    if (reinterpret_cast<unsigned char*>(p) == slot_->storage) {
      slot_->in_use = false;
    } else {
      boost::asio::recycling_allocator<T>().deallocate(p, n);
    }
  }
  [[nodiscard]] HandlerSlot* slot() const noexcept { return slot_; }
  template <class U>
  bool operator==(const SlotAllocator<U>& o) const noexcept {
    return slot_ == o.slot();
  }

 private:
  HandlerSlot* slot_;
};

}  // namespace polybot::net::detail
