// InstrumentTable: venue identifiers (78-digit token ids, condition ids, Binance symbols) -> small InstrumentIds.
// Open addressing over fixed slots allocated in the constructor: add(), find() and release() never allocate, so
// the table can change at roll-over on the feed thread. With recycling on, a released id is handed out again
// only after a quarantine (so no stage can still hold orders or state for the old token), oldest first, which
// keeps ids small over an unbounded run. Single-threaded (the feed thread owns it).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/ids.hpp"

namespace polybot::feed {

class InstrumentTable {
 public:
  static constexpr std::size_t kMaxKey = 96;

  explicit InstrumentTable(std::size_t capacity = 4096);

  // Registers key (idempotent). Returns the id, or an invalid id when the key is empty/too long or the table is
  // full. `now_ns` decides which released ids are out of quarantine (recycling only).
  InstrumentId add(std::string_view key, std::int64_t now_ns = 0) noexcept;
  // Roll-over: forgets the key of `id` (find() no longer knows it). With recycling on, the id may be handed out
  // again once `quarantine_ns` has passed since `now_ns`; otherwise it is never reused. False for an unknown id.
  bool release(InstrumentId id, std::int64_t now_ns) noexcept;
  // Recycling of released ids after `quarantine_ns` (< 0: off, the default).
  void set_recycling(std::int64_t quarantine_ns) noexcept { quarantine_ns_ = quarantine_ns; }
  // Hot path: the id of key, or an invalid id.
  [[nodiscard]] InstrumentId find(std::string_view key) const noexcept;
  // find(), or add() when auto-registration is on (tools that replay unknown captures).
  InstrumentId resolve(std::string_view key) noexcept { return auto_add_ ? add(key) : find(key); }
  void set_auto_add(bool on) noexcept { auto_add_ = on; }
  // The key of id ("" when unknown). Inline: the parsers re-check their last few ids with it on every message.
  [[nodiscard]] std::string_view key_of(InstrumentId id) const noexcept {
    if (id.value == 0 || id.value > keys_.size()) return {};
    const Key& k = keys_[id.value - 1];
    return {k.text, k.len};  // "" once released
  }
  // Ids ever created (live + released); live() of them hold a key.
  [[nodiscard]] std::size_t size() const noexcept { return keys_.size(); }
  [[nodiscard]] std::size_t live() const noexcept { return keys_.size() - dead_; }

 private:
  struct Key {
    char text[kMaxKey];
    std::uint8_t len;
  };
  static constexpr std::uint32_t kTombstone = 0xffffffffu;  // a removed entry: probing goes on past it
  static std::uint64_t hash(std::string_view key) noexcept;
  void rebuild_slots() noexcept;  // drops the tombstones (roll-over, when they pile up)

  std::vector<std::uint32_t> slots_;  // 0 empty, kTombstone removed, else id
  std::vector<Key> keys_;             // id - 1 -> key (len 0: released)
  struct Released {
    std::uint32_t id;
    std::int64_t at_ns;
  };
  std::vector<Released> released_;    // FIFO ring of released ids (capacity_ entries)
  std::size_t released_head_ = 0, released_count_ = 0;
  std::size_t tombstones_ = 0;
  std::size_t dead_ = 0;  // ids without a key (released, not handed out again)
  std::int64_t quarantine_ns_ = -1;
  std::size_t mask_;
  std::size_t capacity_;
  bool auto_add_ = false;
};

}  // namespace polybot::feed
