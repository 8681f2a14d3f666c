#include "app/pipeline/oms_config.hpp"
#include "signal/param_reader.hpp"

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <vector>

namespace polybot::app {
namespace {

std::string quote(std::string_view v) { return "\"" + std::string(v) + "\""; }

struct Parse {
  std::string_view origin;
  std::string& error;
  bool fail(const std::string& key, const std::string& value, const std::string& why) {
    if (error.empty()) error = std::string(origin) + ": " + key + " = " + value + ": " + why;
    return false;
  }
  bool known(const toml::table& t, const std::string& prefix, std::initializer_list<const char*> keys) {
    for (const auto& [k, v] : t) {
      const bool ok = std::any_of(keys.begin(), keys.end(), [&](const char* n) { return k.str() == n; });
      if (!ok) return fail(prefix + std::string(k.str()), signal::show_toml_value(v), "unknown key");
    }
    return true;
  }
  bool integer(const toml::table& t, const std::string& prefix, const char* key, long long lo, long long hi,
               long long& out) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return true;
    const auto v = n->value_exact<long long>();
    if (!v) return fail(prefix + key, signal::show_toml_value(*n), "expected an integer");
    if (*v < lo || *v > hi) {
      return fail(prefix + key, std::to_string(*v), "out of range [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    }
    out = *v;
    return true;
  }
  template <class T>
  bool integer_as(const toml::table& t, const std::string& prefix, const char* key, long long lo, long long hi, T& out) {
    long long v = static_cast<long long>(out);
    if (!integer(t, prefix, key, lo, hi, v)) return false;
    out = static_cast<T>(v);
    return true;
  }
  bool boolean(const toml::table& t, const std::string& prefix, const char* key, bool& out) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return true;
    const auto v = n->value_exact<bool>();
    if (!v) return fail(prefix + key, signal::show_toml_value(*n), "expected true or false");
    out = *v;
    return true;
  }
  bool string(const toml::table& t, const std::string& prefix, const char* key, std::string& out) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return true;
    const auto v = n->value_exact<std::string>();
    if (!v) return fail(prefix + key, signal::show_toml_value(*n), "expected a string");
    out = *v;
    return true;
  }
  bool choice(const toml::table& t, const std::string& prefix, const char* key,
              std::initializer_list<const char*> options, std::string& out) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return true;
    const auto v = n->value_exact<std::string>();
    std::string list;
    for (const char* o : options) list += (list.empty() ? "" : ", ") + quote(o);
    if (!v || std::none_of(options.begin(), options.end(), [&](const char* o) { return *v == o; })) {
      return fail(prefix + key, signal::show_toml_value(*n), "expected one of " + list);
    }
    out = *v;
    return true;
  }
  template <class FixedT>
  bool fixed(const toml::table& t, const std::string& prefix, const char* key, FixedT& out) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return true;
    const auto s = n->value_exact<std::string>();
    if (!s) return fail(prefix + key, signal::show_toml_value(*n), "expected a decimal string like \"0.01\"");
    auto r = FixedT::parse(*s);
    if (!r) return fail(prefix + key, quote(*s), r.error().message());
    out = *r;
    return true;
  }
  bool url(const std::string& key, const std::string& value, std::string_view scheme) {
    if (value.rfind(std::string(scheme) + "://", 0) != 0) {
      return fail(key, quote(value), "expected a " + std::string(scheme) + ":// URL (TLS is required)");
    }
    return true;
  }
};

std::string resolve(const std::string& base_dir, const std::string& path) {
  if (path.empty()) return path;
  std::filesystem::path p(path);
  if (p.is_relative()) p = std::filesystem::path(base_dir) / p;
  return p.string();
}

}  // namespace

bool parse_oms_config(const toml::table& root, std::string_view origin, const std::string& base_dir,
                      OmsStageConfig& out, std::string& error) {
  Parse c{origin, error};
  const toml::node* node = root.get("oms");
  if (node == nullptr) return true;
  const toml::table* t = node->as_table();
  if (t == nullptr) return c.fail("oms", signal::show_toml_value(*node), "expected a table");
  const std::string p = "oms.";
  if (!c.known(*t, p,
               {"mode", "rest_url", "ws_url", "ca_file", "system_trust", "key_source", "key_file", "api_credentials",
                "signature_type", "funder", "chain_id", "order_timeout_ms", "heartbeats", "heartbeat_interval_ms",
                "heartbeat_grace_ms", "heartbeat_path", "user_channel", "presign_max_age_ms", "signed_slots",
                "max_orders", "send_window_ms", "reconcile_on_start", "cancel_strays", "drain_timeout_ms",
                "start_timeout_ms", "market_rounding", "l1_nonce", "simulator", "markets", "presign", "presign_auto", "reconcile"})) {
    return false;
  }
  std::string mode = "counting";
  if (!c.choice(*t, p, "mode", {"counting", "clob"}, mode)) return false;
  out.mode = mode == "clob" ? OmsMode::kClob : OmsMode::kCounting;

  oms::ClobOmsConfig& k = out.clob;
  if (!c.string(*t, p, "rest_url", k.rest_url) || !c.url(p + "rest_url", k.rest_url, "https") ||
      !c.string(*t, p, "ws_url", k.ws_url) || !c.url(p + "ws_url", k.ws_url, "wss") ||
      !c.string(*t, p, "ca_file", k.ca_file) || !c.boolean(*t, p, "system_trust", k.system_trust)) {
    return false;
  }
  k.ca_file = resolve(base_dir, k.ca_file);  // read at start-up (not here: replay parses configs from elsewhere)

  std::string key_source = "env";
  if (!c.choice(*t, p, "key_source", {"env", "file", "ephemeral"}, key_source) ||
      !c.string(*t, p, "key_file", out.key_file)) {
    return false;
  }
  out.key_source = key_source == "file" ? KeySource::kFile : key_source == "ephemeral" ? KeySource::kEphemeral
                                                                                       : KeySource::kEnv;
  if (!out.key_file.empty() && out.key_source == KeySource::kEnv) out.key_source = KeySource::kFile;
  if (out.key_source == KeySource::kFile && out.key_file.empty()) {
    return c.fail(p + "key_file", "\"\"", "key_source = \"file\" needs a key_file (a file readable by you only)");
  }
  out.key_file = resolve(base_dir, out.key_file);
  std::string creds = "env";
  if (!c.choice(*t, p, "api_credentials", {"env", "derive"}, creds)) return false;
  out.api_credentials = creds == "derive" ? ApiCredsSource::kDerive : ApiCredsSource::kEnv;

  long long sig = 0;
  if (!c.integer(*t, p, "signature_type", 0, 3, sig)) return false;
  k.signing.signature_type = static_cast<oms::SignatureType>(sig);
  std::string funder;
  if (!c.string(*t, p, "funder", funder)) return false;
  if (!funder.empty()) {
    const auto a = oms::parse_address(funder);
    if (!a.ok) return c.fail(p + "funder", quote(funder), std::string("not an address: ") + oms::to_string(a.error));
    k.signing.has_funder = true;
    k.signing.funder = a.address;
  }
  if (sig != 0 && funder.empty()) {
    return c.fail(p + "funder", "\"\"", "signature_type " + std::to_string(sig) + " needs the funder (proxy/safe) address");
  }
  long long chain = 137;
  if (!c.integer(*t, p, "chain_id", 1, 1LL << 40, chain)) return false;
  auto ex = oms::ExchangeConfig::for_chain(static_cast<std::uint64_t>(chain));
  if (!ex) return c.fail(p + "chain_id", std::to_string(chain), ex.error());
  k.exchange = *ex;

  if (!c.integer_as(*t, p, "order_timeout_ms", 50, 60'000, k.gateway.order_timeout_ms) ||
      !c.boolean(*t, p, "heartbeats", k.gateway.heartbeats) ||
      !c.integer_as(*t, p, "heartbeat_interval_ms", 20, 60'000, k.gateway.heartbeat_interval_ms) ||
      !c.integer_as(*t, p, "heartbeat_grace_ms", 20, 120'000, k.gateway.heartbeat_grace_ms) ||
      !c.string(*t, p, "heartbeat_path", k.gateway.heartbeat_path) ||
      !c.boolean(*t, p, "user_channel", k.user_channel) ||
      !c.integer_as(*t, p, "presign_max_age_ms", 100, 3'600'000, k.oms.presign_max_age_ms) ||
      !c.integer_as(*t, p, "signed_slots", 32, 1 << 20, k.signed_slots) ||
      !c.integer_as(*t, p, "max_orders", 16, 1 << 20, k.oms.max_orders) ||
      !c.integer_as(*t, p, "send_window_ms", 10, 60'000, k.oms.send_window_ms) ||
      !c.boolean(*t, p, "reconcile_on_start", k.oms.reconcile_on_start) ||
      !c.boolean(*t, p, "cancel_strays", k.oms.reconcile.cancel_strays) ||
      !c.integer_as(*t, p, "drain_timeout_ms", 0, 600'000, k.drain_timeout_ms) ||
      !c.integer_as(*t, p, "start_timeout_ms", 0, 600'000, k.start_timeout_ms) ||
      !c.integer_as(*t, p, "l1_nonce", 0, 1LL << 40, k.l1_nonce)) {
    return false;
  }
  if (k.gateway.heartbeat_grace_ms <= k.gateway.heartbeat_interval_ms) {
    return c.fail(p + "heartbeat_grace_ms", std::to_string(k.gateway.heartbeat_grace_ms),
                  "must exceed heartbeat_interval_ms (" + std::to_string(k.gateway.heartbeat_interval_ms) + ")");
  }
  if (k.gateway.heartbeat_path.empty() || k.gateway.heartbeat_path[0] != '/') {
    return c.fail(p + "heartbeat_path", quote(k.gateway.heartbeat_path), "expected a path starting with /");
  }
  k.oms.require_heartbeat = k.gateway.heartbeats;
  std::string rounding = "official";
  if (!c.choice(*t, p, "market_rounding", {"official", "server"}, rounding)) return false;
  k.oms.market_rounding = rounding == "server" ? oms::MarketRounding::kServerLimits : oms::MarketRounding::kOfficialClient;

  if (const toml::node* rn = t->get("reconcile")) {
    // [oms.reconcile]: the balance phase of reconciliation (docs/OMS.md "Balance reconciliation").
    const toml::table* r = rn->as_table();
    const std::string rp = "oms.reconcile.";
    if (r == nullptr) return c.fail("oms.reconcile", signal::show_toml_value(*rn), "expected a table");
    oms::ReconcileConfig& rc = k.oms.reconcile;
    std::string check = rc.balance_check == oms::BalanceCheck::kOff          ? "off"
                        : rc.balance_check == oms::BalanceCheck::kCollateral ? "collateral"
                                                                             : "collateral_and_conditional";
    if (!c.known(*r, rp, {"balance_check", "balance_tolerance", "fee_rate_bps", "in_doubt_max_ms", "retry_ms",
                          "trades_lookback_s", "balance_interval_ms"}) ||
        !c.choice(*r, rp, "balance_check", {"off", "collateral", "collateral_and_conditional"}, check) ||
        !c.integer_as(*r, rp, "balance_tolerance", 0, 1'000'000'000'000LL, rc.balance_tolerance) ||
        !c.integer_as(*r, rp, "fee_rate_bps", 0, 10'000, rc.fee_rate_bps) ||
        !c.integer_as(*r, rp, "in_doubt_max_ms", 1'000, 86'400'000, rc.in_doubt_max_ms) ||
        !c.integer_as(*r, rp, "balance_interval_ms", 0, 86'400'000, rc.balance_interval_ms) ||
        !c.integer_as(*r, rp, "retry_ms", 10, 600'000, k.oms.reconcile_retry_ms) ||
        !c.integer_as(*r, rp, "trades_lookback_s", 0, 30LL * 86'400, k.oms.trades_lookback_s)) {
      return false;
    }
    rc.balance_check = check == "off"          ? oms::BalanceCheck::kOff
                       : check == "collateral" ? oms::BalanceCheck::kCollateral
                                               : oms::BalanceCheck::kCollateralAndConditional;
  }

  if (const toml::node* an = t->get("presign_auto")) {
    // [oms.presign_auto]: pre-sign targets learnt from the order requests (docs/OMS.md "Learned pre-sign targets").
    const toml::table* a = an->as_table();
    const std::string ap = "oms.presign_auto.";
    if (a == nullptr) return c.fail("oms.presign_auto", signal::show_toml_value(*an), "expected a table");
    oms::PresignAutoConfig& pa = k.oms.presign_auto;
    std::int64_t idle_s = pa.idle_ms / 1'000;
    if (!c.known(*a, ap, {"enabled", "neighbour_ticks", "max_targets", "idle_s"}) ||
        !c.boolean(*a, ap, "enabled", pa.enabled) ||
        !c.integer_as(*a, ap, "neighbour_ticks", 0, 8, pa.neighbour_ticks) ||
        !c.integer_as(*a, ap, "max_targets", 1, oms::OmsLogic::kMaxAutoTargets, pa.max_targets) ||
        !c.integer_as(*a, ap, "idle_s", 1, 86'400, idle_s)) {
      return false;
    }
    pa.idle_ms = idle_s * 1'000;
  }

  if (const toml::node* sn = t->get("simulator")) {
    const toml::table* s = sn->as_table();
    const std::string sp = "oms.simulator.";
    if (s == nullptr) return c.fail("oms.simulator", signal::show_toml_value(*sn), "expected a table");
    if (!c.known(*s, sp, {"enabled", "page_size", "collateral", "heartbeat_timeout_ms", "liquidity_price", "liquidity_size"}) ||
        !c.boolean(*s, sp, "enabled", out.simulator.enabled) ||
        !c.integer_as(*s, sp, "page_size", 0, 100'000, out.simulator.page_size) ||
        !c.fixed(*s, sp, "collateral", out.simulator.collateral) ||
        !c.integer_as(*s, sp, "heartbeat_timeout_ms", 50, 600'000, out.simulator.heartbeat_timeout_ms) ||
        !c.fixed(*s, sp, "liquidity_price", out.simulator.liquidity_price) ||
        !c.fixed(*s, sp, "liquidity_size", out.simulator.liquidity_size)) {
      return false;
    }
    if (out.simulator.liquidity_price.raw < 0 || out.simulator.liquidity_price >= kPriceOne) {
      return c.fail(sp + "liquidity_price", quote(out.simulator.liquidity_price.to_string()), "must lie in [0, 1)");
    }
  }
  if (out.key_source == KeySource::kEphemeral && !out.simulator.enabled) {
    return c.fail(p + "key_source", "\"ephemeral\"", "a throw-away key only makes sense with [oms.simulator] enabled");
  }

  if (const toml::node* mn = t->get("markets")) {
    const toml::array* arr = mn->as_array();
    if (arr == nullptr) return c.fail("oms.markets", signal::show_toml_value(*mn), "expected an array of tables ([[oms.markets]])");
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const toml::table* m = (*arr)[i].as_table();
      const std::string mp = "oms.markets[" + std::to_string(i) + "].";
      if (m == nullptr) return c.fail("oms.markets[" + std::to_string(i) + "]", signal::show_toml_value((*arr)[i]), "expected a table");
      if (!c.known(*m, mp, {"instrument", "market", "token_id", "condition_id", "tick", "min_size", "neg_risk"})) {
        return false;
      }
      oms::OmsMarket om;
      long long inst = 1, mkt = 0;
      if (!c.integer(*m, mp, "instrument", 0, oms::MarketDirectory::kMaxTokens - 1, inst) ||
          !c.integer(*m, mp, "market", 0, 1LL << 31, mkt) || !c.string(*m, mp, "token_id", om.token_id) ||
          !c.string(*m, mp, "condition_id", om.condition_id) || !c.fixed(*m, mp, "tick", om.tick) ||
          !c.fixed(*m, mp, "min_size", om.min_size) || !c.boolean(*m, mp, "neg_risk", om.neg_risk)) {
        return false;
      }
      om.instrument = InstrumentId{static_cast<std::uint32_t>(inst)};
      om.market = MarketId{static_cast<std::uint32_t>(mkt)};
      oms::TokenId tok;
      if (!oms::TokenId::parse(om.token_id, tok)) {
        return c.fail(mp + "token_id", quote(om.token_id), "expected the token id as canonical decimal digits");
      }
      if (om.condition_id.size() != 66 || om.condition_id.rfind("0x", 0) != 0 ||
          om.condition_id.find_first_not_of("0123456789abcdefABCDEF", 2) != std::string::npos) {
        return c.fail(mp + "condition_id", quote(om.condition_id), "expected 0x + 64 hex digits");
      }
      oms::TickSize ts{};
      if (!oms::tick_size_of(om.tick, &ts)) {
        return c.fail(mp + "tick", quote(om.tick.to_string()), "expected 0.1, 0.01, 0.005, 0.0025, 0.001 or 0.0001");
      }
      out.clob.markets.push_back(std::move(om));
    }
  }
  if (const toml::node* pn = t->get("presign")) {
    const toml::array* arr = pn->as_array();
    if (arr == nullptr) return c.fail("oms.presign", signal::show_toml_value(*pn), "expected an array of tables ([[oms.presign]])");
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const toml::table* m = (*arr)[i].as_table();
      const std::string pp = "oms.presign[" + std::to_string(i) + "].";
      if (m == nullptr) return c.fail("oms.presign[" + std::to_string(i) + "]", signal::show_toml_value((*arr)[i]), "expected a table");
      if (!c.known(*m, pp, {"instrument", "side", "order_type", "post_only", "prices", "size", "amount"})) return false;
      oms::OmsPresignTarget pt;
      long long inst = 1;
      std::string side = "buy", type = "GTC";
      Usdc amount;
      if (!c.integer(*m, pp, "instrument", 0, oms::MarketDirectory::kMaxTokens - 1, inst) ||
          !c.choice(*m, pp, "side", {"buy", "sell"}, side) ||
          !c.choice(*m, pp, "order_type", {"GTC", "FOK", "FAK"}, type) || !c.boolean(*m, pp, "post_only", pt.post_only) ||
          !c.fixed(*m, pp, "size", pt.size) || !c.fixed(*m, pp, "amount", amount)) {
        return false;
      }
      pt.instrument = InstrumentId{static_cast<std::uint32_t>(inst)};
      pt.side = side == "sell" ? Side::kSell : Side::kBuy;
      pt.type = type == "FOK" ? OrderType::kFok : type == "FAK" ? OrderType::kFak : OrderType::kGtc;
      pt.amount_raw = amount.raw;
      const auto* prices = m->get_as<toml::array>("prices");
      if (prices == nullptr || prices->empty() || prices->size() > 32) {
        return c.fail(pp + "prices", "[]", "expected 1 to 32 decimal strings like [\"0.55\"]");
      }
      for (const auto& pv : *prices) {
        const auto str = pv.value_exact<std::string>();
        if (!str) return c.fail(pp + "prices", signal::show_toml_value(pv), "expected a price string strictly inside (0, 1)");
        const auto pr = Price::parse(*str);
        if (!pr || pr->raw <= 0 || *pr >= kPriceOne) {
          return c.fail(pp + "prices", signal::show_toml_value(pv), "expected a price string strictly inside (0, 1)");
        }
        pt.prices.push_back(*pr);
      }
      if ((pt.amount_raw > 0) == (pt.size.raw > 0)) {
        return c.fail(pp + "amount", quote(amount.to_string()), "give exactly one of amount (market orders) or size");
      }
      if (pt.amount_raw > 0 && pt.type == OrderType::kGtc) {
        return c.fail(pp + "order_type", "\"GTC\"", "an amount-sized (market) order is FOK or FAK");
      }
      out.clob.presign.push_back(std::move(pt));
    }
  }
  // A live config ([feed]) learns its markets from the MarketDefs the roller sends down the pipeline.
  out.clob.markets_from_stream = root.get("feed") != nullptr;
  if (out.mode == OmsMode::kClob && out.clob.markets.empty() && root.get("feed") == nullptr) {
    return c.fail("oms.markets", "[]", "mode = \"clob\" needs at least one [[oms.markets]] entry (or a [feed])");
  }
  return true;
}

}  // namespace polybot::app
