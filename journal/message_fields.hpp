// The field table: every field of every message type in core/msg/, by name, offset, size and kind, so journal
// tools can decode any record with field names and exact decimals (prices and sizes are fixed-point integers
// printed exactly, never through double). Static tables; any thread; formatting appends to a std::string.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "core/msg/envelope.hpp"

namespace polybot::journal {

enum class FieldKind : std::uint8_t {
  kUint,        // unsigned integer (ids, counters) of `size` bytes
  kInt,         // signed integer of `size` bytes
  kF64,         // double (indicator maths only)
  kFixed,       // Fixed<...> raw int64 with `decimals`
  kVenueFixed,  // Trade price/size: 6 decimals for Polymarket, 8 for Binance (depends on the venue field)
  kU128E18,     // RefPrice value_e18: hi then lo u64, an 18-decimal unsigned integer
  kEnum,        // small integer with names
  kMsgType,
  kPad,         // padding: never printed, compared like any byte
  kWordDec,     // 32-byte big-endian word printed as decimal (token ids)
  kWordHex,     // 32-byte word printed as 0x + hex (condition ids)
};

struct FieldDesc {
  const char* name;
  std::uint32_t offset;
  std::uint32_t size;
  FieldKind kind;
  std::uint8_t decimals = 0;
  const char* const* names = nullptr;  // kEnum: names by value
  std::uint32_t name_count = 0;
};

struct MessageDesc {
  MsgType type;
  const char* name;
  std::uint32_t size;
  std::span<const FieldDesc> fields;  // in offset order, covering every byte of the message
};

// nullptr for types without a message struct.
const MessageDesc* describe(MsgType t) noexcept;
std::span<const MessageDesc> all_messages() noexcept;

// The field that contains byte `offset` of a message of this description (nullptr past the end).
const FieldDesc* field_at(const MessageDesc& d, std::size_t offset) noexcept;

// Appends the field's value: exact decimals for money, names for enums. `json` quotes strings and decimals.
void format_field(const FieldDesc& f, const std::byte* msg, std::string& out, bool json);

// Record-level names.
const char* stage_name(Stage s) noexcept;
bool parse_stage(std::string_view s, Stage& out) noexcept;

}  // namespace polybot::journal
