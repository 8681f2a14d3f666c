// LevelBitmap: one bit per price slot of a flat book, so the next occupied level above or below a slot is found
// by scanning 64 slots per instruction instead of one. Fixed size, no allocation after construction.
// Single-threaded (owned by one book on the feed thread).
#pragma once

#include <bit>
#include <cstdint>
#include <vector>

namespace polybot::book {

class LevelBitmap {
 public:
  explicit LevelBitmap(std::int32_t slots) : slots_(slots), words_(static_cast<std::size_t>((slots + 63) / 64), 0) {}

  void set(std::int32_t i) noexcept { words_[static_cast<std::size_t>(i >> 6)] |= bit(i); }
  void clear(std::int32_t i) noexcept { words_[static_cast<std::size_t>(i >> 6)] &= ~bit(i); }
  [[nodiscard]] bool test(std::int32_t i) const noexcept {
    return (words_[static_cast<std::size_t>(i >> 6)] & bit(i)) != 0;
  }
  void reset() noexcept {
    for (auto& w : words_) w = 0;
  }
  // Visits every set slot with f(slot), lowest first, and clears it. Every set slot must lie in [lo, hi]: only the
  // words spanning that range are read, so emptying a few levels costs a few words, not the whole bitmap.
  template <class F>
  void take_all(std::int32_t lo, std::int32_t hi, F&& f) noexcept {
    for (std::int32_t w = lo >> 6; w <= (hi >> 6); ++w) {
      std::uint64_t word = words_[static_cast<std::size_t>(w)];
      words_[static_cast<std::size_t>(w)] = 0;
      while (word != 0) {
        f((w << 6) + std::countr_zero(word));
        word &= word - 1;
      }
    }
  }

  // Highest set slot <= i, or -1.
  [[nodiscard]] std::int32_t highest_at_or_below(std::int32_t i) const noexcept {
    if (i < 0) return -1;
    if (i >= slots_) i = slots_ - 1;
    std::int32_t w = i >> 6;
    const int shift = 63 - (i & 63);
    std::uint64_t word = (words_[static_cast<std::size_t>(w)] << shift) >> shift;
    while (true) {
      if (word != 0) return (w << 6) + 63 - std::countl_zero(word);
      if (--w < 0) return -1;
      word = words_[static_cast<std::size_t>(w)];
    }
  }
  // Lowest set slot >= i, or `slots` (one past the end).
  [[nodiscard]] std::int32_t lowest_at_or_above(std::int32_t i) const noexcept {
    if (i < 0) i = 0;
    if (i >= slots_) return slots_;
    std::int32_t w = i >> 6;
    const std::int32_t nwords = static_cast<std::int32_t>(words_.size());
    std::uint64_t word = words_[static_cast<std::size_t>(w)] >> (i & 63) << (i & 63);
    while (true) {
      if (word != 0) {
        const std::int32_t r = (w << 6) + std::countr_zero(word);
        return r < slots_ ? r : slots_;
      }
      if (++w >= nwords) return slots_;
      word = words_[static_cast<std::size_t>(w)];
    }
  }
  [[nodiscard]] std::int32_t slots() const noexcept { return slots_; }

 private:
  static constexpr std::uint64_t bit(std::int32_t i) noexcept { return std::uint64_t{1} << (i & 63); }
  std::int32_t slots_;
  std::vector<std::uint64_t> words_;
};

}  // namespace polybot::book
