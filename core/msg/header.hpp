// The common header every message starts with, and the rules every message type obeys. Any thread.
#pragma once

#include <cstdint>
#include <type_traits>

#include "core/ids.hpp"

namespace polybot {

// One value per message type; stable numbers because journals store them.
enum class MsgType : std::uint16_t {
  kNone = 0,
  // MarketEvent family
  kBookLevel = 1,
  kBookSnapshot = 2,
  kTrade = 3,
  kTickSizeChange = 4,
  kBtcTick = 5,
  kKline = 6,
  kRefPrice = 7,
  kMarketStatus = 8,
  kMarketDef = 9,
  // Derived market state
  kBookTop = 16,
  kTimer = 17,
  // Decisions
  kIntent = 32,
  kDenied = 33,
  kOrderRequest = 34,
  kExecReport = 35,
  kCommand = 36,
  kPositionUpdate = 37,
  kDecision = 38,
};

// Stages stamp the header; also the journal stream ids.
enum class Stage : std::uint8_t { kFeed = 0, kSignal = 1, kRisk = 2, kOms = 3, kCount = 4 };

// Header flags.
namespace msg_flag {
inline constexpr std::uint8_t kReplay = 1u << 0;   // produced by replay, not live
inline constexpr std::uint8_t kInvalid = 1u << 1;  // the data this carries must not be traded on
inline constexpr std::uint8_t kLast = 1u << 2;     // last of a batch / snapshot
inline constexpr std::uint8_t kSnapshot = 1u << 3; // a level that belongs to a snapshot (between its markers)
}  // namespace msg_flag

// 64 bytes. ts_* are nanoseconds: ts_exch on the venue's clock (epoch), ts_recv on our clock when the originating
// bytes arrived (propagated into derived messages), ts_consumed/ts_produced on our clock when the current holder
// consumed its input / produced this message. The two stage stamps are latency data: replay comparison ignores
// them, everything else must match bit for bit. (A stage running on data time — recorded-data runs — writes the
// data time it handed its logic into ts_consumed instead, so replay can hand the logic the same time.)
struct MsgHeader {
  MsgType type = MsgType::kNone;
  Stage producer = Stage::kFeed;
  std::uint8_t flags = 0;
  InstrumentId instrument{};
  std::uint64_t seq = 0;        // per-producer sequence, gap-free
  std::int64_t ts_exch = 0;
  std::int64_t ts_recv = 0;
  std::int64_t ts_consumed = 0;
  std::int64_t ts_produced = 0;
  std::uint64_t cause_seq = 0;  // seq of the input message that caused this one (0: none)
  std::int64_t ts_origin = 0;   // the intended send time in the latency harness; else equal to ts_recv
};
static_assert(sizeof(MsgHeader) == 64, "the header is one cache line");
static_assert(std::is_trivially_copyable_v<MsgHeader> && std::is_standard_layout_v<MsgHeader>);

template <class T>
concept Message = std::is_trivially_copyable_v<T> && std::is_standard_layout_v<T> && (sizeof(T) % 64 == 0) &&
                  requires(T m) {
                    { m.hdr } -> std::same_as<MsgHeader&>;
                    { T::kType } -> std::convertible_to<MsgType>;
                  };

// Every message type declares itself with this, so layout mistakes fail to compile at the definition.
#define POLYBOT_MESSAGE(T)                                                                      \
  static_assert(std::is_trivially_copyable_v<T>, #T " must be trivially copyable (memcpy'd "    \
                                                    "through queues and journals)");            \
  static_assert(std::is_standard_layout_v<T>, #T " must be standard layout (fixed byte layout " \
                                              "in journals)");                                  \
  static_assert(sizeof(T) % 64 == 0, #T " size must be a multiple of 64 (whole cache lines)");  \
  static_assert(offsetof(T, hdr) == 0, #T " must start with its MsgHeader");                    \
  static_assert(::polybot::Message<T>)

}  // namespace polybot
