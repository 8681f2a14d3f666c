// BalanceBook: what the venue's balances should be, from a baseline the venue gave us and the cash flow of our own
// fills since (docs/OMS.md "Balance reconciliation"). The engine never sees deposits, so a clean reconciliation
// adopts the venue's balances as the baseline; the next one expects baseline + flows: a BUY fill -price x qty pUSD
// and +qty shares of its token, a SELL the reverse. Because it is UNVERIFIED whether the CLOB's balance view
// includes trades that are MATCHED but not yet mined, every fill whose trade is not CONFIRMED is "in doubt": the
// expected balance is then a range [low, high] (low: proceeds in doubt not arrived; high: payments in doubt not
// left), and only money or shares MISSING below low, beyond the fee allowance and the tolerance, is unexplained.
// The oms thread only; fixed capacity, no allocation.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "core/fixed_point.hpp"
#include "core/ids.hpp"
#include "core/msg/order.hpp"

namespace polybot::oms {

// What reconciliation compares (UNVERIFIED venue behaviour: docs/UNVERIFIED.md).
enum class BalanceCheck : std::uint8_t {
  kOff = 0,
  kCollateral = 1,                // pUSD only (default)
  kCollateralAndConditional = 2,  // pUSD and the shares of every token we hold or traded
};

struct ReconcileConfig {
  bool cancel_strays = false;               // cancel venue orders we have no record of (else: fail closed)
  BalanceCheck balance_check = BalanceCheck::kCollateral;
  std::int64_t balance_tolerance = 10'000;  // base units (1e-6) of pUSD or shares the venue may differ by
  // Venue fees are charged in pUSD at match (protocol notes §13.5): per taker fill the allowance is the docs'
  // formula shares x rate x p x (1 - p) with rate = fee_rate_bps / 10000 (crypto markets: 700), plus 10 base
  // units of fee rounding. Makers pay none. 0: no fees expected.
  std::int64_t fee_rate_bps = 700;
  // A fill in doubt this long (its CONFIRMED never seen) is taken as settled.
  std::int64_t in_doubt_max_ms = 600'000;
  // > 0: between reconciliations, the balances alone are read and judged this often (0: only when a
  // reconciliation runs - start, Unknown, reconnect, failed cancel, the reconcile command).
  std::int64_t balance_interval_ms = 0;
};

struct BalanceBounds {
  std::int64_t low = 0;        // the least the venue should show (before fees)
  std::int64_t high = 0;       // the most
  std::int64_t fees = 0;       // how far below `low` venue fees may have taken it
  std::int64_t tolerance = 0;
};

enum class BalanceVerdict : std::uint8_t { kMatches = 0, kMissing = 1, kExtra = 2 };

class BalanceBook {
 public:
  static constexpr std::size_t kMaxTokens = 32;
  static constexpr std::size_t kMaxPending = 256;
  static constexpr std::size_t kMaxTokenLen = 80;
  static constexpr std::int64_t kFeeRoundingPerFill = 10;  // fees are rounded to 5 decimals (§13.5)

  explicit BalanceBook(const ReconcileConfig& cfg) noexcept : cfg_(cfg) {}

  // A fill the oms counted (qty < 0: a reversal). `token_text`: the decimal token id (conditional checks).
  // `trade_key`: FillLedger::key of the fill, 0 if none (a fill reconciliation filled in). `in_doubt`: its trade
  // is not CONFIRMED yet. `taker`: a venue fee may be charged.
  void on_fill(InstrumentId token, std::string_view token_text, ::polybot::Side side, Qty qty, Price price,
               bool taker, std::uint64_t trade_key, bool in_doubt, std::int64_t now_ns) noexcept;
  // The trade reached CONFIRMED, or FAILED (its reversal went through on_fill): no longer in doubt.
  void on_settled(std::uint64_t trade_key) noexcept;
  // Fills in doubt for longer than in_doubt_max_ms are taken as settled.
  void expire(std::int64_t now_ns) noexcept;

  // Changes with every fill: a balance read that raced a fill cannot be judged.
  [[nodiscard]] std::uint64_t epoch() const noexcept { return epoch_; }
  [[nodiscard]] bool has_baseline() const noexcept { return has_baseline_; }
  [[nodiscard]] std::size_t in_doubt() const noexcept { return pending_n_; }
  [[nodiscard]] bool token_overflow() const noexcept { return token_overflow_; }

  [[nodiscard]] BalanceBounds collateral() const noexcept;
  [[nodiscard]] std::size_t token_count() const noexcept { return tokens_n_; }
  [[nodiscard]] InstrumentId token_id(std::size_t i) const noexcept { return tokens_[i].id; }
  [[nodiscard]] std::string_view token_text(std::size_t i) const noexcept {
    return {tokens_[i].text.data(), tokens_[i].len};
  }
  [[nodiscard]] BalanceBounds shares(std::size_t i) const noexcept;

  [[nodiscard]] static BalanceVerdict judge(std::int64_t venue, const BalanceBounds& b) noexcept;

  // The venue's balances become the baseline (flows, fees since restart from zero). Only with nothing in doubt
  // (in_doubt() == 0). Call adopt_collateral, then adopt_shares for each token read, then compact().
  void adopt_collateral(std::int64_t venue) noexcept;
  void adopt_shares(std::size_t i, std::int64_t venue) noexcept;
  // Drops tokens with no shares, no flows and nothing in doubt (indices change: only between reconciliations).
  void compact() noexcept;
  // Forgets the baseline (the operator's resume): the next clean reconciliation with nothing in doubt adopts the
  // venue's again.
  void reset() noexcept;

 private:
  struct Side2 {
    std::int64_t base = 0;
    std::int64_t flow = 0;     // every fill since the baseline, in doubt or not
    std::int64_t doubt_in = 0; // inflows still in doubt (>= 0)
    std::int64_t doubt_out = 0;// outflows still in doubt (>= 0)
    void add(std::int64_t v, bool in_doubt) noexcept {
      flow += v;
      if (!in_doubt) return;
      if (v > 0) doubt_in += v;
      else doubt_out -= v;
    }
    void settle(std::int64_t in, std::int64_t out) noexcept {
      doubt_in -= in;
      doubt_out -= out;
    }
  };
  struct Token {
    InstrumentId id{};
    std::array<char, kMaxTokenLen> text{};
    std::uint8_t len = 0;
    Side2 s;
  };
  struct Pending {
    std::uint64_t key = 0;
    std::int64_t cash = 0;    // signed
    std::int64_t shares = 0;  // signed
    std::int32_t token = -1;  // index into tokens_ at the time; checked by id on settle
    InstrumentId token_id{};
    std::int64_t at_ns = 0;
  };
  Token* token_of(InstrumentId id, std::string_view text, bool create) noexcept;
  void drop_pending(std::size_t i) noexcept;

  ReconcileConfig cfg_;
  bool has_baseline_ = false;
  Side2 cash_;
  std::int64_t fees_ = 0;
  std::uint64_t epoch_ = 0;
  std::array<Token, kMaxTokens> tokens_{};
  std::size_t tokens_n_ = 0;
  bool token_overflow_ = false;
  std::array<Pending, kMaxPending> pending_{};
  std::size_t pending_n_ = 0;
};

}  // namespace polybot::oms
