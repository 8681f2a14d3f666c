// InstrumentTable: venue identifiers (78-digit token ids, condition ids, Binance symbols) -> small InstrumentIds.
// Open addressing over fixed slots allocated in the constructor: add() and find() never allocate, so the table
// can be extended at roll-over on the feed thread. Single-threaded (the feed thread owns it).
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
  // full.
  InstrumentId add(std::string_view key) noexcept;
  // Hot path: the id of key, or an invalid id.
  [[nodiscard]] InstrumentId find(std::string_view key) const noexcept;
  // find(), or add() when auto-registration is on (tools that replay unknown captures).
  InstrumentId resolve(std::string_view key) noexcept { return auto_add_ ? add(key) : find(key); }
  void set_auto_add(bool on) noexcept { auto_add_ = on; }
  // The key of id ("" when unknown).
  [[nodiscard]] std::string_view key_of(InstrumentId id) const noexcept;
  [[nodiscard]] std::size_t size() const noexcept { return keys_.size(); }

 private:
  struct Key {
    char text[kMaxKey];
    std::uint8_t len;
  };
  static std::uint64_t hash(std::string_view key) noexcept;
  std::vector<std::uint32_t> slots_;  // 0 empty, else id
  std::vector<Key> keys_;             // id - 1 -> key
  std::size_t mask_;
  std::size_t capacity_;
  bool auto_add_ = false;
};

}  // namespace polybot::feed
