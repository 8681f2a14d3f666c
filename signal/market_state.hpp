// MarketState: what a strategy knows about the Up/Down market it trades: the latest BookTop of the current
// window's market (filtered to one interval length), the window's start and end, and whether each side's book
// can be traded on. Without any BookTop or Timer the window is derived from the clock (windows are aligned to
// multiples of the interval), so kline-only runs still have windows. Signal thread only, no allocation.
#pragma once

#include <cstdint>

#include "core/messages.hpp"

namespace polybot::signal {

class MarketState {
 public:
  explicit MarketState(std::uint32_t interval_s = 300) noexcept : interval_s_(interval_s) {}

  // Every message, with the consumption time. BookTops and Timers of a window that has not started yet (the feed
  // pre-loads the next market) are held and promoted when the window starts. Returns true when the current
  // market's state changed.
  bool on_message(const Envelope& msg, std::int64_t now_ns) noexcept {
    const std::int64_t now_s = floor_div(now_ns, 1'000'000'000);
    bool changed = false;
    if (have_next_ && now_s >= next_.window_start_s) {
      adopt(next_, true);
      have_next_ = false;
      changed = true;
    }
    if (msg.is<BookTop>()) {
      const BookTop& b = msg.as<BookTop>();
      if (!matches_interval(b.window_start_s, b.window_end_s) || b.window_end_s < window_end_s_) return changed;
      if (now_s < b.window_start_s && window_end_s_ != 0 && now_s < window_end_s_) {
        next_ = b;  // the next window's book, before it opens
        have_next_ = true;
        return changed;
      }
      adopt(b, true);
      return true;
    }
    if (msg.is<Timer>()) {
      const Timer& t = msg.as<Timer>();
      if (t.window_end_s <= window_end_s_ || !matches_interval(t.window_start_s, t.window_end_s)) return changed;
      if (now_s < t.window_start_s && window_end_s_ != 0 && now_s < window_end_s_) return changed;
      BookTop b{};
      b.market = t.market;
      b.window_start_s = t.window_start_s;
      b.window_end_s = t.window_end_s;
      adopt(b, false);
      return true;
    }
    return changed;
  }

  // The window containing now: the known market's when now is inside it, else the clock-aligned one.
  struct Window {
    MarketId market{};
    std::int64_t start_s = 0;
    std::int64_t end_s = 0;
  };
  [[nodiscard]] Window window_at(std::int64_t now_ns) const noexcept {
    const std::int64_t now_s = floor_div(now_ns, 1'000'000'000);
    if (window_end_s_ != 0 && now_s >= window_start_s_ && now_s < window_end_s_)
      return Window{market_, window_start_s_, window_end_s_};
    const std::int64_t iv = interval_s_ == 0 ? 300 : interval_s_;
    const std::int64_t start = floor_div(now_s, iv) * iv;
    return Window{MarketId{}, start, start + iv};
  }

  [[nodiscard]] bool have_book() const noexcept { return have_book_; }
  [[nodiscard]] const BookTop& top() const noexcept { return top_; }
  [[nodiscard]] MarketId market() const noexcept { return market_; }
  [[nodiscard]] std::int64_t window_end_s() const noexcept { return window_end_s_; }
  [[nodiscard]] std::int64_t window_start_s() const noexcept { return window_start_s_; }
  [[nodiscard]] const TokenTop& token(Outcome o) const noexcept { return o == Outcome::kDown ? top_.down : top_.up; }

  // A side may be traded on: book present and trusted, no invalid flag, a tick, and the price(s) needed.
  [[nodiscard]] bool usable(Outcome o) const noexcept {
    if (!have_book_ || (top_.hdr.flags & msg_flag::kInvalid) != 0) return false;
    const TokenTop& t = token(o);
    return t.valid != 0 && t.tick.raw > 0 && t.token.valid();
  }
  [[nodiscard]] bool can_buy(Outcome o) const noexcept {
    const TokenTop& t = token(o);
    return usable(o) && t.ask.raw > 0 && t.ask.raw < Price::kScale && t.ask_size.raw > 0;
  }
  [[nodiscard]] bool can_sell(Outcome o) const noexcept {
    const TokenTop& t = token(o);
    return usable(o) && t.bid.raw > 0 && t.bid.raw < Price::kScale && t.bid_size.raw > 0;
  }
  [[nodiscard]] bool both_usable() const noexcept { return usable(Outcome::kUp) && usable(Outcome::kDown); }

 private:
  static std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
  }
  void adopt(const BookTop& b, bool is_book) noexcept {
    if (b.window_end_s != window_end_s_ || b.market != market_) have_book_ = false;
    if (is_book) {
      top_ = b;
      have_book_ = true;
    }
    market_ = b.market;
    window_start_s_ = b.window_start_s;
    window_end_s_ = b.window_end_s;
  }
  bool matches_interval(std::int64_t start_s, std::int64_t end_s) const noexcept {
    return interval_s_ == 0 || end_s - start_s == static_cast<std::int64_t>(interval_s_);
  }

  std::uint32_t interval_s_;
  BookTop top_{};
  BookTop next_{};
  bool have_book_ = false;
  bool have_next_ = false;
  MarketId market_{};
  std::int64_t window_start_s_ = 0;
  std::int64_t window_end_s_ = 0;
};

}  // namespace polybot::signal
