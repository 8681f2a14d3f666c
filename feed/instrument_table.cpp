#include "feed/instrument_table.hpp"

#include <algorithm>
#include <cstring>

namespace polybot::feed {

InstrumentTable::InstrumentTable(std::size_t capacity) : capacity_(capacity) {
  std::size_t n = 16;
  while (n < capacity * 2) n <<= 1;
  slots_.assign(n, 0);
  mask_ = n - 1;
  keys_.reserve(capacity);
  released_.resize(capacity);
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
    if (id == kTombstone) continue;
    const Key& k = keys_[id - 1];
    if (k.len == key.size() && std::memcmp(k.text, key.data(), key.size()) == 0) return InstrumentId{id};
  }
}

InstrumentId InstrumentTable::add(std::string_view key, std::int64_t now_ns) noexcept {
  if (key.empty() || key.size() > kMaxKey) return {};
  std::size_t s = hash(key) & mask_;
  std::size_t reuse_slot = slots_.size();  // the first tombstone on the probe path
  for (;; s = (s + 1) & mask_) {
    const std::uint32_t id = slots_[s];
    if (id == 0) break;
    if (id == kTombstone) {
      if (reuse_slot == slots_.size()) reuse_slot = s;
      continue;
    }
    const Key& k = keys_[id - 1];
    if (k.len == key.size() && std::memcmp(k.text, key.data(), key.size()) == 0) return InstrumentId{id};
  }
  if (reuse_slot != slots_.size()) {
    s = reuse_slot;
    --tombstones_;
  }
  Key k{};
  std::memcpy(k.text, key.data(), key.size());
  k.len = static_cast<std::uint8_t>(key.size());
  std::uint32_t id = 0;
  if (quarantine_ns_ >= 0 && released_count_ > 0 && now_ns - released_[released_head_].at_ns >= quarantine_ns_) {
    id = released_[released_head_].id;  // the oldest released id, out of quarantine
    released_head_ = (released_head_ + 1) % released_.size();
    --released_count_;
    --dead_;
    keys_[id - 1] = k;
  } else {
    if (keys_.size() >= capacity_) {
      if (reuse_slot != slots_.size()) ++tombstones_;  // nothing was inserted
      return {};
    }
    keys_.push_back(k);  // within the reserved capacity: no reallocation
    id = static_cast<std::uint32_t>(keys_.size());
  }
  slots_[s] = id;
  return InstrumentId{id};
}

bool InstrumentTable::release(InstrumentId id, std::int64_t now_ns) noexcept {
  if (id.value == 0 || id.value > keys_.size() || keys_[id.value - 1].len == 0) return false;
  Key& k = keys_[id.value - 1];
  for (std::size_t s = hash({k.text, k.len}) & mask_;; s = (s + 1) & mask_) {
    if (slots_[s] == 0) return false;  // not reachable: the table is inconsistent; keep the id out of use
    if (slots_[s] == id.value) {
      slots_[s] = kTombstone;
      ++tombstones_;
      break;
    }
  }
  k.len = 0;
  ++dead_;
  if (quarantine_ns_ >= 0) {
    released_[(released_head_ + released_count_) % released_.size()] = Released{id.value, now_ns};
    ++released_count_;
  }
  // Probes end only at an empty slot: never let tombstones crowd them out.
  if (tombstones_ > slots_.size() / 4) rebuild_slots();
  return true;
}

void InstrumentTable::rebuild_slots() noexcept {
  std::fill(slots_.begin(), slots_.end(), 0u);
  tombstones_ = 0;
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    const Key& k = keys_[i];
    if (k.len == 0) continue;
    std::size_t s = hash({k.text, k.len}) & mask_;
    while (slots_[s] != 0) s = (s + 1) & mask_;
    slots_[s] = static_cast<std::uint32_t>(i + 1);
  }
}

}  // namespace polybot::feed
