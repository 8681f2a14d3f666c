#include "feed/instrument_table.hpp"

#include <cstring>

namespace polybot::feed {

InstrumentTable::InstrumentTable(std::size_t capacity) : capacity_(capacity) {
  std::size_t n = 16;
  while (n < capacity * 2) n <<= 1;
  slots_.assign(n, 0);
  mask_ = n - 1;
  keys_.reserve(capacity);
}

std::uint64_t InstrumentTable::hash(std::string_view key) noexcept {
  // FNV-1a over 8-byte words: token ids are long digit strings, so word-at-a-time matters.
  std::uint64_t h = 1469598103934665603ull;
  std::size_t i = 0;
  for (; i + 8 <= key.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, key.data() + i, 8);
    h = (h ^ w) * 1099511628211ull;
    h ^= h >> 29;
  }
  for (; i < key.size(); ++i) h = (h ^ static_cast<unsigned char>(key[i])) * 1099511628211ull;
  return h ^ (h >> 32);
}

InstrumentId InstrumentTable::find(std::string_view key) const noexcept {
  if (key.empty() || key.size() > kMaxKey) return {};
  for (std::size_t s = hash(key) & mask_;; s = (s + 1) & mask_) {
    const std::uint32_t id = slots_[s];
    if (id == 0) return {};
    const Key& k = keys_[id - 1];
    if (k.len == key.size() && std::memcmp(k.text, key.data(), key.size()) == 0) return InstrumentId{id};
  }
}

InstrumentId InstrumentTable::add(std::string_view key) noexcept {
  if (key.empty() || key.size() > kMaxKey) return {};
  std::size_t s = hash(key) & mask_;
  for (;; s = (s + 1) & mask_) {
    const std::uint32_t id = slots_[s];
    if (id == 0) break;
    const Key& k = keys_[id - 1];
    if (k.len == key.size() && std::memcmp(k.text, key.data(), key.size()) == 0) return InstrumentId{id};
  }
  if (keys_.size() >= capacity_) return {};
  Key k{};
  std::memcpy(k.text, key.data(), key.size());
  k.len = static_cast<std::uint8_t>(key.size());
  keys_.push_back(k);  // within the reserved capacity: no reallocation
  const auto id = static_cast<std::uint32_t>(keys_.size());
  slots_[s] = id;
  return InstrumentId{id};
}

std::string_view InstrumentTable::key_of(InstrumentId id) const noexcept {
  if (id.value == 0 || id.value > keys_.size()) return {};
  const Key& k = keys_[id.value - 1];
  return {k.text, k.len};
}

}  // namespace polybot::feed
