// PresignCache: orders signed ahead of need for the prices a strategy is likely to want next, so a decision
// that matches one reaches the socket without the ~30-40 us signature. Each entry is one SignedOrderStore slot
// (a signed order can be sent once: the venue rejects a second identical order as duplicated). Entries older than
// max_age are discarded (their timestamp/salt are stale and the market may have moved); targets are refilled in
// the background through the SigningService. The oms thread only; fixed capacity, no allocation.
#pragma once

#include <array>
#include <cstdint>

#include "oms/presign/signed_order_store.hpp"

namespace polybot::oms {

class PresignCache {
 public:
  static constexpr std::uint32_t kCapacity = 64;

  explicit PresignCache(std::int64_t max_age_ns) noexcept : max_age_ns_(max_age_ns) {}

  // The slot of a fresh entry for exactly this key, removed from the cache (the caller owns the slot now).
  [[nodiscard]] bool take(const SignKey& key, std::int64_t now_ns, std::uint32_t* slot) noexcept {
    for (std::uint32_t i = 0; i < n_; ++i) {
      if (!(entries_[i].key == key)) continue;
      if (now_ns - entries_[i].signed_ns > max_age_ns_) continue;
      *slot = entries_[i].slot;
      entries_[i] = entries_[--n_];
      ++hits_;
      return true;
    }
    ++misses_;
    return false;
  }
  // Adds a signed slot; false when full (the caller frees the slot).
  bool put(const SignKey& key, std::uint32_t slot, std::int64_t signed_ns) noexcept {
    if (n_ == kCapacity) return false;
    entries_[n_++] = Entry{key, slot, signed_ns};
    return true;
  }
  // Removes stale entries, calling release(slot) for each; returns how many.
  template <class F>
  std::uint32_t expire(std::int64_t now_ns, F&& release) noexcept {
    std::uint32_t k = 0;
    for (std::uint32_t i = 0; i < n_;) {
      if (now_ns - entries_[i].signed_ns > max_age_ns_) {
        release(entries_[i].slot);
        entries_[i] = entries_[--n_];
        ++k;
      } else {
        ++i;
      }
    }
    return k;
  }
  // Drops every entry of a token (tick change, market closed).
  template <class F>
  void drop_token(InstrumentId token, F&& release) noexcept {
    for (std::uint32_t i = 0; i < n_;) {
      if (entries_[i].key.token == token) {
        release(entries_[i].slot);
        entries_[i] = entries_[--n_];
      } else {
        ++i;
      }
    }
  }
  // Drops every entry of one key (a learned target that was replaced).
  template <class F>
  void drop_key(const SignKey& key, F&& release) noexcept {
    for (std::uint32_t i = 0; i < n_;) {
      if (entries_[i].key == key) {
        release(entries_[i].slot);
        entries_[i] = entries_[--n_];
      } else {
        ++i;
      }
    }
  }
  [[nodiscard]] std::uint32_t count(const SignKey& key) const noexcept {
    std::uint32_t c = 0;
    for (std::uint32_t i = 0; i < n_; ++i) c += entries_[i].key == key ? 1 : 0;
    return c;
  }
  [[nodiscard]] std::uint32_t size() const noexcept { return n_; }
  [[nodiscard]] std::uint64_t hits() const noexcept { return hits_; }
  [[nodiscard]] std::uint64_t misses() const noexcept { return misses_; }

 private:
  struct Entry {
    SignKey key{};
    std::uint32_t slot = 0;
    std::int64_t signed_ns = 0;
  };
  std::array<Entry, kCapacity> entries_{};
  std::uint32_t n_ = 0;
  std::int64_t max_age_ns_;
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
};

}  // namespace polybot::oms
