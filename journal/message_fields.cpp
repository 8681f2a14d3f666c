#include "journal/message_fields.hpp"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <utility>

#include "core/decimal.hpp"
#include "core/int128.hpp"
#include "core/word256.hpp"

namespace polybot::journal {
namespace {

constexpr const char* kSide[] = {"buy", "sell"};
constexpr const char* kBookSide[] = {"bid", "ask"};
constexpr const char* kVenue[] = {"none", "polymarket", "binance", "chainlink", "coingecko"};
constexpr const char* kSnapshotPhase[] = {"begin", "end"};
constexpr const char* kMarketStatusKind[] = {"new", "open", "closed", "resolved", "halted"};
constexpr const char* kTimerKind[] = {"window_open", "window_close", "t_minus", "heartbeat"};
constexpr const char* kIntentAction[] = {"skip", "place", "cancel", "cancel_all", "halt"};
constexpr const char* kOutcome[] = {"none", "up", "down"};
constexpr const char* kOrderType[] = {"GTC", "GTD", "FOK", "FAK"};
constexpr const char* kDenyReason[] = {"none", "halted", "reducing", "drawdown_breaker", "volatility_breaker",
                                       "insufficient_capital", "below_min_order", "position_limit",
                                       "one_book_per_window", "invalid_book", "unknown_order_state", "too_late",
                                       "rate_limited", "channel_full", "exposure_limit", "heartbeat_failed"};
constexpr const char* kOrderAction[] = {"new", "cancel", "cancel_market", "cancel_all"};
constexpr const char* kExecKind[] = {"submitted", "accepted", "rejected", "partially_filled", "filled",
                                     "cancelled", "expired", "settled", "unknown", "reconciled"};
constexpr const char* kTradeStatus[] = {"none", "matched", "mined", "confirmed", "retrying", "failed"};
constexpr const char* kCommandKind[] = {"halt", "resume", "panic", "reduce_only", "reconcile"};
constexpr const char* kTradingState[] = {"active", "reducing", "halted"};
constexpr const char* kStageNames[] = {"feed", "signal", "risk", "oms"};

template <class T>
constexpr std::uint32_t off(std::size_t o) noexcept { return static_cast<std::uint32_t>(o); }

#define PB_F(T, m, kind) \
  FieldDesc { #m, static_cast<std::uint32_t>(offsetof(T, m)), static_cast<std::uint32_t>(sizeof(T::m)), kind }
#define PB_U(T, m) PB_F(T, m, FieldKind::kUint)
#define PB_I(T, m) PB_F(T, m, FieldKind::kInt)
#define PB_D(T, m) PB_F(T, m, FieldKind::kF64)
#define PB_PAD(T, m) PB_F(T, m, FieldKind::kPad)
#define PB_X(T, m, dec)                                                                                        \
  FieldDesc {                                                                                                  \
    #m, static_cast<std::uint32_t>(offsetof(T, m)), 8, FieldKind::kFixed, static_cast<std::uint8_t>(dec)       \
  }
#define PB_E(T, m, tbl)                                                                                        \
  FieldDesc {                                                                                                  \
    #m, static_cast<std::uint32_t>(offsetof(T, m)), static_cast<std::uint32_t>(sizeof(T::m)), FieldKind::kEnum, \
        0, tbl, static_cast<std::uint32_t>(std::size(tbl))                                                      \
  }
// Nested members (BookTop's two TokenTops): offsetof with a member designator.
#define PB_NF(T, path, m, sz, kind, dec, tbl, n) \
  FieldDesc { #path, static_cast<std::uint32_t>(offsetof(T, m)), sz, kind, dec, tbl, n }

#define PB_HEADER(T)                                                                                     \
  FieldDesc{"hdr.type", static_cast<std::uint32_t>(offsetof(T, hdr.type)), 2, FieldKind::kMsgType},      \
      FieldDesc{"hdr.producer", static_cast<std::uint32_t>(offsetof(T, hdr.producer)), 1, FieldKind::kEnum, 0, \
                kStageNames, 4},                                                                         \
      FieldDesc{"hdr.flags", static_cast<std::uint32_t>(offsetof(T, hdr.flags)), 1, FieldKind::kUint},   \
      FieldDesc{"hdr.instrument", static_cast<std::uint32_t>(offsetof(T, hdr.instrument)), 4, FieldKind::kUint}, \
      FieldDesc{"hdr.seq", static_cast<std::uint32_t>(offsetof(T, hdr.seq)), 8, FieldKind::kUint},       \
      FieldDesc{"hdr.ts_exch", static_cast<std::uint32_t>(offsetof(T, hdr.ts_exch)), 8, FieldKind::kInt}, \
      FieldDesc{"hdr.ts_recv", static_cast<std::uint32_t>(offsetof(T, hdr.ts_recv)), 8, FieldKind::kInt}, \
      FieldDesc{"hdr.ts_consumed", static_cast<std::uint32_t>(offsetof(T, hdr.ts_consumed)), 8, FieldKind::kInt}, \
      FieldDesc{"hdr.ts_produced", static_cast<std::uint32_t>(offsetof(T, hdr.ts_produced)), 8, FieldKind::kInt}, \
      FieldDesc{"hdr.cause_seq", static_cast<std::uint32_t>(offsetof(T, hdr.cause_seq)), 8, FieldKind::kUint}, \
      FieldDesc{"hdr.ts_origin", static_cast<std::uint32_t>(offsetof(T, hdr.ts_origin)), 8, FieldKind::kInt}

#define PB_TOKEN_TOP(side)                                                                                     \
  PB_NF(BookTop, side.token, side.token, 4, FieldKind::kUint, 0, nullptr, 0),                                  \
      PB_NF(BookTop, side.valid, side.valid, 1, FieldKind::kUint, 0, nullptr, 0),                              \
      PB_NF(BookTop, side.pad0_, side.pad0_, 3, FieldKind::kPad, 0, nullptr, 0),                               \
      PB_NF(BookTop, side.bid, side.bid, 8, FieldKind::kFixed, 6, nullptr, 0),                                 \
      PB_NF(BookTop, side.bid_size, side.bid_size, 8, FieldKind::kFixed, 6, nullptr, 0),                       \
      PB_NF(BookTop, side.ask, side.ask, 8, FieldKind::kFixed, 6, nullptr, 0),                                 \
      PB_NF(BookTop, side.ask_size, side.ask_size, 8, FieldKind::kFixed, 6, nullptr, 0),                       \
      PB_NF(BookTop, side.bid_depth, side.bid_depth, 8, FieldKind::kFixed, 6, nullptr, 0),                     \
      PB_NF(BookTop, side.ask_depth, side.ask_depth, 8, FieldKind::kFixed, 6, nullptr, 0),                     \
      PB_NF(BookTop, side.tick, side.tick, 8, FieldKind::kFixed, 6, nullptr, 0)

const FieldDesc kBookLevelFields[] = {PB_HEADER(BookLevel),          PB_X(BookLevel, price, 6),
                                      PB_X(BookLevel, size, 6),      PB_X(BookLevel, msg_best_bid, 6),
                                      PB_X(BookLevel, msg_best_ask, 6), PB_E(BookLevel, side, kBookSide),
                                      PB_E(BookLevel, venue, kVenue), PB_U(BookLevel, has_top),
                                      PB_PAD(BookLevel, pad_)};
const FieldDesc kBookSnapshotFields[] = {PB_HEADER(BookSnapshot),         PB_U(BookSnapshot, bid_levels),
                                         PB_U(BookSnapshot, ask_levels),  PB_U(BookSnapshot, hash_prefix),
                                         PB_E(BookSnapshot, phase, kSnapshotPhase),
                                         PB_E(BookSnapshot, venue, kVenue), PB_U(BookSnapshot, from_rest),
                                         PB_U(BookSnapshot, hash_check),  PB_PAD(BookSnapshot, pad_)};
const FieldDesc kTradeFields[] = {
    PB_HEADER(Trade),
    FieldDesc{"price", static_cast<std::uint32_t>(offsetof(Trade, price_raw)), 8, FieldKind::kVenueFixed},
    FieldDesc{"size", static_cast<std::uint32_t>(offsetof(Trade, size_raw)), 8, FieldKind::kVenueFixed},
    PB_U(Trade, trade_id),
    FieldDesc{"fee_rate_bps", static_cast<std::uint32_t>(offsetof(Trade, fee_rate_bps)), 8, FieldKind::kInt},
    PB_E(Trade, aggressor, kSide),
    PB_E(Trade, venue, kVenue),
    PB_PAD(Trade, pad_)};
const FieldDesc kTickSizeChangeFields[] = {PB_HEADER(TickSizeChange), PB_X(TickSizeChange, old_tick, 6),
                                           PB_X(TickSizeChange, new_tick, 6), PB_PAD(TickSizeChange, pad_)};
const FieldDesc kBtcTickFields[] = {PB_HEADER(BtcTick),          PB_X(BtcTick, bid, 8),     PB_X(BtcTick, ask, 8),
                                    PB_X(BtcTick, bid_qty, 8),   PB_X(BtcTick, ask_qty, 8), PB_U(BtcTick, update_id),
                                    PB_E(BtcTick, venue, kVenue), PB_PAD(BtcTick, pad_)};
const FieldDesc kKlineFields[] = {PB_HEADER(Kline),           PB_I(Kline, open_time_ms), PB_I(Kline, close_time_ms),
                                  PB_X(Kline, open, 8),       PB_X(Kline, high, 8),      PB_X(Kline, low, 8),
                                  PB_X(Kline, close, 8),      PB_X(Kline, volume, 8),    PB_U(Kline, trades),
                                  PB_U(Kline, closed),        PB_E(Kline, venue, kVenue), PB_PAD(Kline, pad_)};
const FieldDesc kRefPriceFields[] = {
    PB_HEADER(RefPrice), PB_X(RefPrice, value, 8),
    FieldDesc{"value_e18", static_cast<std::uint32_t>(offsetof(RefPrice, value_e18_hi)), 16, FieldKind::kU128E18},
    PB_I(RefPrice, feed_ts_ms), PB_E(RefPrice, venue, kVenue), PB_U(RefPrice, is_twap), PB_U(RefPrice, is_snapshot),
    PB_PAD(RefPrice, pad0_), PB_U(RefPrice, seq), PB_PAD(RefPrice, pad_)};
const FieldDesc kMarketStatusFields[] = {PB_HEADER(MarketStatus),        PB_U(MarketStatus, market),
                                         PB_U(MarketStatus, up_token),   PB_U(MarketStatus, down_token),
                                         PB_E(MarketStatus, kind, kMarketStatusKind), PB_U(MarketStatus, winner),
                                         PB_PAD(MarketStatus, pad0_),    PB_I(MarketStatus, start_s),
                                         PB_I(MarketStatus, end_s),      PB_PAD(MarketStatus, pad_)};
const FieldDesc kMarketDefFields[] = {
    PB_HEADER(MarketDef),           PB_U(MarketDef, market),           PB_U(MarketDef, up),
    PB_U(MarketDef, down),          PB_U(MarketDef, fee_rate_bps),     PB_I(MarketDef, window_start_s),
    PB_I(MarketDef, window_end_s),  PB_X(MarketDef, tick, 6),          PB_X(MarketDef, min_order_size, 6),
    PB_U(MarketDef, interval_s),    PB_U(MarketDef, neg_risk),         PB_PAD(MarketDef, pad0_),
    PB_F(MarketDef, up_token, FieldKind::kWordDec), PB_F(MarketDef, down_token, FieldKind::kWordDec),
    PB_F(MarketDef, condition_id, FieldKind::kWordHex), PB_PAD(MarketDef, pad_)};
const FieldDesc kBookTopFields[] = {PB_HEADER(BookTop),       PB_TOKEN_TOP(up),           PB_TOKEN_TOP(down),
                                    PB_U(BookTop, market),    PB_U(BookTop, fee_rate_bps), PB_X(BookTop, min_order_size, 6),
                                    PB_I(BookTop, window_start_s), PB_I(BookTop, window_end_s), PB_PAD(BookTop, pad_)};
const FieldDesc kTimerFields[] = {PB_HEADER(Timer),           PB_U(Timer, market),         PB_E(Timer, kind, kTimerKind),
                                  PB_PAD(Timer, pad0_),       PB_I(Timer, window_start_s), PB_I(Timer, window_end_s),
                                  PB_I(Timer, seconds_before_end), PB_U(Timer, interval_s), PB_PAD(Timer, pad_)};

#define PB_INPUT(i)                                                                                        \
  FieldDesc {                                                                                              \
    "inputs[" #i "]", static_cast<std::uint32_t>(offsetof(Intent, inputs) + 8 * (i)), 8, FieldKind::kF64   \
  }
const FieldDesc kIntentFields[] = {PB_HEADER(Intent),
                                   PB_U(Intent, market),
                                   PB_U(Intent, strategy),
                                   PB_U(Intent, reason),
                                   PB_E(Intent, action, kIntentAction),
                                   PB_E(Intent, outcome, kOutcome),
                                   PB_E(Intent, side, kSide),
                                   PB_E(Intent, order_type, kOrderType),
                                   PB_U(Intent, post_only),
                                   PB_PAD(Intent, pad0_),
                                   PB_X(Intent, limit_price, 6),
                                   PB_X(Intent, size, 6),
                                   PB_X(Intent, notional, 6),
                                   PB_I(Intent, expiration_s),
                                   PB_U(Intent, cancel_target),
                                   PB_I(Intent, window_end_s),
                                   PB_INPUT(0), PB_INPUT(1), PB_INPUT(2), PB_INPUT(3),
                                   PB_INPUT(4), PB_INPUT(5), PB_INPUT(6), PB_INPUT(7)};
const FieldDesc kDeniedFields[] = {PB_HEADER(Denied),        PB_U(Denied, market),        PB_U(Denied, strategy),
                                   PB_E(Denied, reason, kDenyReason), PB_X(Denied, limit_price, 6),
                                   PB_X(Denied, size, 6),    PB_X(Denied, notional, 6),   PB_X(Denied, limit_value, 6),
                                   PB_PAD(Denied, pad_)};
const FieldDesc kOrderRequestFields[] = {PB_HEADER(OrderRequest),
                                         PB_U(OrderRequest, client_id),
                                         PB_U(OrderRequest, market),
                                         PB_U(OrderRequest, strategy),
                                         PB_E(OrderRequest, action, kOrderAction),
                                         PB_E(OrderRequest, side, kSide),
                                         PB_X(OrderRequest, price, 6),
                                         PB_X(OrderRequest, size, 6),
                                         PB_X(OrderRequest, amount, 6),
                                         PB_I(OrderRequest, expiration_s),
                                         PB_E(OrderRequest, order_type, kOrderType),
                                         PB_U(OrderRequest, post_only),
                                         PB_U(OrderRequest, market_order),
                                         PB_PAD(OrderRequest, pad0_),
                                         PB_X(OrderRequest, tick, 6)};
const FieldDesc kExecReportFields[] = {PB_HEADER(ExecReport),
                                       PB_U(ExecReport, client_id),
                                       PB_U(ExecReport, venue_key),
                                       PB_U(ExecReport, market),
                                       PB_U(ExecReport, strategy),
                                       PB_E(ExecReport, kind, kExecKind),
                                       PB_E(ExecReport, side, kSide),
                                       PB_X(ExecReport, price, 6),
                                       PB_X(ExecReport, last_price, 6),
                                       PB_X(ExecReport, last_qty, 6),
                                       PB_X(ExecReport, cum_qty, 6),
                                       PB_X(ExecReport, leaves_qty, 6),
                                       PB_X(ExecReport, fee, 6),
                                       PB_U(ExecReport, venue_reason),
                                       PB_E(ExecReport, trade_status, kTradeStatus),
                                       PB_E(ExecReport, outcome, kOutcome),
                                       PB_PAD(ExecReport, pad0_),
                                       PB_X(ExecReport, payout, 6),
                                       PB_PAD(ExecReport, pad_)};
const FieldDesc kCommandFields[] = {PB_HEADER(Command),  PB_E(Command, kind, kCommandKind), PB_PAD(Command, pad0_),
                                    PB_U(Command, strategy), PB_U(Command, market),         PB_PAD(Command, pad_)};
const FieldDesc kPositionUpdateFields[] = {PB_HEADER(PositionUpdate),
                                           PB_U(PositionUpdate, market),
                                           PB_U(PositionUpdate, strategy),
                                           PB_E(PositionUpdate, state, kTradingState),
                                           PB_PAD(PositionUpdate, pad0_),
                                           PB_X(PositionUpdate, up_shares, 6),
                                           PB_X(PositionUpdate, down_shares, 6),
                                           PB_X(PositionUpdate, up_cost, 6),
                                           PB_X(PositionUpdate, down_cost, 6),
                                           PB_X(PositionUpdate, realized_pnl, 6),
                                           PB_X(PositionUpdate, capital, 6),
                                           PB_I(PositionUpdate, win_streak),
                                           PB_PAD(PositionUpdate, pad_)};

#define PB_MSG(T, tbl) \
  MessageDesc { T::kType, to_string(T::kType), static_cast<std::uint32_t>(sizeof(T)), std::span<const FieldDesc>(tbl) }
const MessageDesc kMessages[] = {
    PB_MSG(BookLevel, kBookLevelFields),       PB_MSG(BookSnapshot, kBookSnapshotFields),
    PB_MSG(Trade, kTradeFields),               PB_MSG(TickSizeChange, kTickSizeChangeFields),
    PB_MSG(BtcTick, kBtcTickFields),           PB_MSG(Kline, kKlineFields),
    PB_MSG(RefPrice, kRefPriceFields),         PB_MSG(MarketStatus, kMarketStatusFields),
    PB_MSG(MarketDef, kMarketDefFields),
    PB_MSG(BookTop, kBookTopFields),           PB_MSG(Timer, kTimerFields),
    PB_MSG(Intent, kIntentFields),             PB_MSG(Denied, kDeniedFields),
    PB_MSG(OrderRequest, kOrderRequestFields), PB_MSG(ExecReport, kExecReportFields),
    PB_MSG(Command, kCommandFields),           PB_MSG(PositionUpdate, kPositionUpdateFields),
};

std::uint64_t load_uint(const std::byte* p, std::uint32_t size) noexcept {
  std::uint64_t v = 0;
  std::memcpy(&v, p, size);  // little-endian hosts only (x86-64, arm64)
  return v;
}
std::int64_t load_int(const std::byte* p, std::uint32_t size) noexcept {
  switch (size) {
    case 1: { std::int8_t v; std::memcpy(&v, p, 1); return v; }
    case 2: { std::int16_t v; std::memcpy(&v, p, 2); return v; }
    case 4: { std::int32_t v; std::memcpy(&v, p, 4); return v; }
    default: { std::int64_t v; std::memcpy(&v, p, 8); return v; }
  }
}

void append_u128_e18(u128 v, std::string& out) {
  char digits[48];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + static_cast<int>(v % 10));
    v /= 10;
  } while (v != 0);
  while (n < 19) digits[n++] = '0';  // at least one integer digit
  std::string s;
  for (int i = n - 1; i >= 18; --i) s.push_back(digits[i]);
  std::string frac;
  for (int i = 17; i >= 0; --i) frac.push_back(digits[i]);
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  out += s;
  if (!frac.empty()) out += "." + frac;
}

}  // namespace

const MessageDesc* describe(MsgType t) noexcept {
  for (const auto& m : kMessages) {
    if (m.type == t) return &m;
  }
  return nullptr;
}

std::span<const MessageDesc> all_messages() noexcept { return kMessages; }

const FieldDesc* field_at(const MessageDesc& d, std::size_t offset) noexcept {
  for (const auto& f : d.fields) {
    if (offset >= f.offset && offset < f.offset + f.size) return &f;
  }
  return nullptr;
}

void format_field(const FieldDesc& f, const std::byte* msg, std::string& out, bool json) {
  const std::byte* p = msg + f.offset;
  char buf[64];
  switch (f.kind) {
    case FieldKind::kUint:
      out += std::to_string(load_uint(p, f.size));
      return;
    case FieldKind::kInt:
      out += std::to_string(load_int(p, f.size));
      return;
    case FieldKind::kF64: {
      double d;
      std::memcpy(&d, p, 8);
      if (!std::isfinite(d)) {
        out += json ? "null" : (std::isnan(d) ? "nan" : (d > 0 ? "inf" : "-inf"));
        return;
      }
      std::snprintf(buf, sizeof buf, "%.17g", d);
      out += buf;
      return;
    }
    case FieldKind::kFixed:
    case FieldKind::kVenueFixed: {
      int decimals = f.decimals;
      if (f.kind == FieldKind::kVenueFixed) {
        const auto venue = static_cast<Venue>(load_uint(msg + offsetof(Trade, venue), 1));
        decimals = venue == Venue::kPolymarket ? 6 : 8;
      }
      const std::size_t n = format_decimal(load_int(p, 8), decimals, buf);
      if (json) out += '"';
      out.append(buf, n);
      if (json) out += '"';
      return;
    }
    case FieldKind::kU128E18: {
      const u128 v = (static_cast<u128>(load_uint(p, 8)) << 64) | load_uint(p + 8, 8);
      if (json) out += '"';
      append_u128_e18(v, out);
      if (json) out += '"';
      return;
    }
    case FieldKind::kEnum: {
      const std::uint64_t v = load_uint(p, f.size);
      if (json) out += '"';
      if (v < f.name_count) {
        out += f.names[v];
      } else {
        out += std::to_string(v);
      }
      if (json) out += '"';
      return;
    }
    case FieldKind::kMsgType:
      if (json) out += '"';
      out += to_string(static_cast<MsgType>(load_uint(p, 2)));
      if (json) out += '"';
      return;
    case FieldKind::kWordDec:
    case FieldKind::kWordHex: {
      Word256 w;
      std::memcpy(w.data(), p, w.size());
      if (json) out += '"';
      out += f.kind == FieldKind::kWordDec ? word256_decimal(w) : word256_hex(w);
      if (json) out += '"';
      return;
    }
    case FieldKind::kPad:
      return;
  }
}

const char* stage_name(Stage s) noexcept {
  const auto i = static_cast<std::size_t>(s);
  return i < std::size(kStageNames) ? kStageNames[i] : "unknown";
}

bool parse_stage(std::string_view s, Stage& out) noexcept {
  for (std::size_t i = 0; i < std::size(kStageNames); ++i) {
    if (s == kStageNames[i]) {
      out = static_cast<Stage>(i);
      return true;
    }
  }
  return false;
}

}  // namespace polybot::journal
