#include "oms/crypto/address.hpp"

#include <cstring>

#include "oms/crypto/hex.hpp"
#include "oms/crypto/keccak256.hpp"

namespace polybot::oms {

bool Address::is_zero() const noexcept {
  for (auto b : bytes) {
    if (b != 0) return false;
  }
  return true;
}

namespace {

void compute_checksummed(const Address& a, char* out) noexcept {
  char lower[40];
  write_hex(a.bytes.data(), a.bytes.size(), lower);
  const Hash256 h = keccak256(lower, sizeof lower);
  out[0] = '0';
  out[1] = 'x';
  for (std::size_t i = 0; i < 40; ++i) {
    const int nibble = (i % 2 == 0) ? h[i / 2] >> 4 : h[i / 2] & 0x0f;
    char c = lower[i];
    if (c >= 'a' && nibble >= 8) c = static_cast<char>(c - 'a' + 'A');
    out[2 + i] = c;
  }
}

// The hot path formats the same few addresses (our maker and signer) for every order; a Keccak per address per
// body would double the serialisation cost. A tiny per-thread memo: no locks, no allocation.
struct ChecksumMemo {
  static constexpr int kSlots = 4;
  Address address[kSlots]{};
  char text[kSlots][Address::kHexLen]{};
  bool used[kSlots]{};
  int next = 0;
};

}  // namespace

void Address::write_checksummed(char* out) const noexcept {
  thread_local ChecksumMemo memo;
  for (int i = 0; i < ChecksumMemo::kSlots; ++i) {
    if (memo.used[i] && memo.address[i] == *this) {
      std::memcpy(out, memo.text[i], kHexLen);
      return;
    }
  }
  const int slot = memo.next;
  memo.next = (memo.next + 1) % ChecksumMemo::kSlots;
  compute_checksummed(*this, memo.text[slot]);
  memo.address[slot] = *this;
  memo.used[slot] = true;
  std::memcpy(out, memo.text[slot], kHexLen);
}

AddressParse parse_address(std::string_view text) noexcept {
  AddressParse r{Address{}, false, AddressErrc::kBadLength};
  if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) text.remove_prefix(2);
  if (text.size() != 40) return r;
  bool has_lower = false, has_upper = false;
  for (char c : text) {
    if (hex_digit_value(c) < 0) {
      r.error = AddressErrc::kBadCharacter;
      return r;
    }
    has_lower |= (c >= 'a' && c <= 'f');
    has_upper |= (c >= 'A' && c <= 'F');
  }
  if (!parse_hex(text, r.address.bytes.data(), r.address.bytes.size())) {
    r.error = AddressErrc::kBadCharacter;
    return r;
  }
  if (has_lower && has_upper) {
    char canon[Address::kHexLen];
    r.address.write_checksummed(canon);
    if (std::string_view(canon + 2, 40) != text) {
      r.error = AddressErrc::kBadChecksum;
      return r;
    }
  }
  r.ok = true;
  return r;
}

const char* to_string(AddressErrc e) noexcept {
  switch (e) {
    case AddressErrc::kBadLength: return "an address is 0x followed by 40 hex digits";
    case AddressErrc::kBadCharacter: return "non-hex character in address";
    case AddressErrc::kBadChecksum: return "mixed-case address fails its EIP-55 checksum";
  }
  return "bad address";
}

}  // namespace polybot::oms
