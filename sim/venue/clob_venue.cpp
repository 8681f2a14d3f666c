#include "sim/venue/clob_venue.hpp"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstring>

#include <simdjson.h>

#include "oms/crypto/base64.hpp"
#include "oms/crypto/hex.hpp"
#include "oms/crypto/l1_auth.hpp"
#include "oms/crypto/l2_auth.hpp"
#include "oms/crypto/signer.hpp"
#include "oms/order/order.hpp"
#include "oms/order/order_signer.hpp"

namespace polybot::sim::venue {
namespace {

using ::polybot::Side;

std::string dec(std::int64_t raw) { return format_decimal(raw, 6); }

std::string hex32(const oms::Hash256& h) {
  char buf[67];
  buf[0] = '0';
  buf[1] = 'x';
  oms::write_hex(h.data(), h.size(), buf + 2);
  return std::string(buf, 66);
}

std::string addr_text(const oms::Address& a) {
  char buf[oms::Address::kHexLen];
  a.write_checksummed(buf);
  return std::string(buf, sizeof(buf));
}

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char b[8];
      std::snprintf(b, sizeof(b), "\\u%04x", static_cast<unsigned>(c));
      out += b;
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

// The CLOB's cursors: base64 of the decimal offset ("MA==" = "0"); "LTE=" ("-1") means no more pages.
constexpr std::string_view kEndCursor = "LTE=";
std::string cursor_of(std::size_t offset) {
  const std::string digits = std::to_string(offset);
  std::string out(oms::base64_encoded_len(digits.size()), '\0');
  out.resize(oms::base64url_encode_padded(reinterpret_cast<const std::uint8_t*>(digits.data()), digits.size(),
                                          out.data()));
  return out;
}
// Offset of a cursor this venue issued (or "MA==" / absent: 0); false for anything else.
bool offset_of(std::string_view query, std::size_t* offset) {
  *offset = 0;
  std::string_view cur;
  for (std::size_t pos = 0; pos <= query.size();) {
    const std::size_t amp = std::min(query.find('&', pos), query.size());
    const std::string_view kv = query.substr(pos, amp - pos);
    if (kv.substr(0, 12) == "next_cursor=") cur = kv.substr(12);
    pos = amp + 1;
  }
  if (cur.empty()) return true;
  std::string c(cur);
  for (std::size_t i; (i = c.find("%3D")) != std::string::npos;) c.replace(i, 3, "=");
  // Decode base64 (4 chars -> 3 bytes), then the decimal offset.
  static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  if (c.size() % 4 != 0) return false;
  std::string digits;
  for (std::size_t i = 0; i < c.size(); i += 4) {
    std::uint32_t v = 0;
    int pad = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      const char ch = c[i + j] == '+' ? '-' : c[i + j] == '/' ? '_' : c[i + j];
      std::size_t k = 0;
      if (ch == '=') {
        ++pad;
      } else if ((k = kAlphabet.find(ch)) == std::string_view::npos || pad > 0) {
        return false;
      }
      v = (v << 6) | static_cast<std::uint32_t>(ch == '=' ? 0 : k);
    }
    for (int j = 0; j < 3 - pad; ++j) digits.push_back(static_cast<char>((v >> (16 - 8 * j)) & 0xFF));
  }
  if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) return false;
  *offset = static_cast<std::size_t>(std::stoul(digits));
  return true;
}

std::string error_json(std::string_view msg) {
  std::string s = "{\"error\":";
  append_json_string(s, msg);
  s += "}";
  return s;
}

}  // namespace

struct Resting {
  std::string id;        // order id (hex digest) or "other-N"
  bool ours = false;
  Price price;
  Qty remaining;
  std::uint64_t seq = 0;
};

struct VenueOrder {
  std::string id;
  std::string token;
  std::string market;
  Side side = Side::kBuy;
  Price price;
  Qty original;
  Qty matched;
  std::string status = "LIVE";  // LIVE, MATCHED, CANCELED
  std::string order_type = "GTC";
  std::int64_t created_s = 0;
};

struct MakerLeg {
  std::string order_id;
  bool ours = false;
  Price price;
  Qty qty;
};

struct VenueTrade {
  std::string id;
  std::string token;
  std::string market;
  std::string outcome;
  std::string taker_order_id;
  bool we_are_taker = false;
  Side taker_side = Side::kBuy;
  Price price;      // first maker price
  Qty size;         // total
  std::vector<MakerLeg> makers;
  std::int64_t match_time_s = 0;
  int status = 1;   // 1 MATCHED, 2 MINED, 3 CONFIRMED
};

struct MarketBook {
  VenueMarket m;
  std::vector<Resting> bids;  // best first: price desc, seq asc
  std::vector<Resting> asks;  // best first: price asc, seq asc
};

struct ClobVenue::Impl {
  Impl(VenueConfig c, oms::ExchangeDomains dm, const oms::HmacSha256& h)
      : cfg(std::move(c)), domains(std::move(dm)), hmac(h) {}
  VenueConfig cfg;
  oms::ExchangeDomains domains;
  oms::HmacSha256 hmac;
  mutable std::mutex mu;
  std::map<std::string, MarketBook, std::less<>> books;  // by token id
  std::map<std::string, VenueOrder, std::less<>> orders;  // ours, by id
  std::vector<VenueTrade> trades;
  std::vector<std::string> frames;
  std::deque<VenueFault> faults;
  VenueStats stats;
  std::uint64_t seq = 0;
  std::uint64_t trade_seq = 0;
  std::string hb_id;
  std::uint64_t hb_seq = 0;
  bool hb_active = false;
  std::int64_t hb_last_ns = 0;
  std::int64_t collateral = 0;
  std::map<std::string, std::int64_t, std::less<>> share_balances;  // CONDITIONAL balances by token id, base units
  simdjson::dom::parser parser;

  static const char* side_text(Side s) { return s == Side::kBuy ? "BUY" : "SELL"; }
  static const char* status_text(int s) { return s == 1 ? "MATCHED" : s == 2 ? "MINED" : "CONFIRMED"; }

  // ---- user-channel frames ----
  void order_frame(const VenueOrder& o, const char* type, std::int64_t now_ns, std::string_view status_override = {}) {
    std::string s = "{\"event_type\":\"order\",\"type\":\"";
    s += type;
    s += "\",\"id\":\"" + o.id + "\",\"owner\":\"" + cfg.account.api_key + "\",\"order_owner\":\"" + cfg.account.api_key;
    s += "\",\"market\":\"" + o.market + "\",\"asset_id\":\"" + o.token + "\",\"side\":\"" + side_text(o.side);
    s += "\",\"price\":\"" + dec(o.price.raw) + "\",\"original_size\":\"" + dec(o.original.raw);
    s += "\",\"size_matched\":\"" + dec(o.matched.raw) + "\",\"outcome\":\"Up\",\"order_type\":\"" + o.order_type;
    s += "\",\"expiration\":\"0\",\"associate_trades\":null,\"status\":";
    append_json_string(s, status_override.empty() ? std::string_view(o.status) : status_override);
    s += ",\"created_at\":\"" + std::to_string(o.created_s) + "\",\"timestamp\":\"" + std::to_string(now_ns / 1'000'000) + "\"}";
    frames.push_back(std::move(s));
  }

  std::string trade_json(const VenueTrade& t, bool with_event_type) const {
    std::string s = "{";
    if (with_event_type) s += "\"event_type\":\"trade\",\"type\":\"TRADE\",";
    s += "\"id\":\"" + t.id + "\",\"taker_order_id\":\"" + t.taker_order_id + "\",\"market\":\"" + t.market;
    s += "\",\"asset_id\":\"" + t.token + "\",\"side\":\"" + side_text(t.taker_side) + "\",\"price\":\"" + dec(t.price.raw);
    s += "\",\"size\":\"" + dec(t.size.raw) + "\",\"outcome\":\"" + t.outcome + "\",\"status\":\"" + status_text(t.status);
    s += "\",\"match_time\":\"" + std::to_string(t.match_time_s) + "\",\"last_update\":\"" + std::to_string(t.match_time_s);
    s += "\",\"owner\":\"" + (t.we_are_taker ? cfg.account.api_key : std::string("sim-other")) + "\",\"trade_owner\":\"" +
         cfg.account.api_key + "\",\"trader_side\":\"" + (t.we_are_taker ? "TAKER" : "MAKER");
    s += "\",\"bucket_index\":0,\"fee_rate_bps\":\"0\",\"transaction_hash\":\"0x00\",\"maker_orders\":[";
    bool first = true;
    for (const auto& m : t.makers) {
      if (!first) s += ",";
      first = false;
      s += "{\"order_id\":\"" + m.order_id + "\",\"owner\":\"" + (m.ours ? cfg.account.api_key : std::string("sim-other"));
      s += "\",\"maker_address\":\"" + (m.ours ? maker_text() : std::string("0x0000000000000000000000000000000000000001"));
      s += "\",\"asset_id\":\"" + t.token + "\",\"outcome\":\"" + t.outcome + "\",\"price\":\"" + dec(m.price.raw);
      s += "\",\"matched_amount\":\"" + dec(m.qty.raw) + "\",\"fee_rate_bps\":\"0\"}";
    }
    s += "]}";
    return s;
  }

  std::string maker_text() const {
    return addr_text(cfg.account.funder.is_zero() ? cfg.account.signer : cfg.account.funder);
  }

  // ---- book ----
  static bool better(Side book_side, Price a, Price b) { return book_side == Side::kBuy ? a > b : a < b; }

  void rest(MarketBook& b, Side side, Resting r) {
    auto& v = side == Side::kBuy ? b.bids : b.asks;
    auto it = std::find_if(v.begin(), v.end(), [&](const Resting& x) { return better(side, r.price, x.price); });
    v.insert(it, std::move(r));
  }

  // Crosses an incoming order against the opposite side; fills at the maker price. Returns legs.
  std::vector<MakerLeg> cross(MarketBook& b, Side taker_side, Price limit, Qty qty, bool dry_run, Qty* filled) {
    auto& v = taker_side == Side::kBuy ? b.asks : b.bids;
    std::vector<MakerLeg> legs;
    Qty left = qty;
    for (auto& r : v) {
      if (left.is_zero()) break;
      const bool crosses = taker_side == Side::kBuy ? r.price <= limit : r.price >= limit;
      if (!crosses) break;
      const Qty q = std::min(left, r.remaining);
      legs.push_back(MakerLeg{r.id, r.ours, r.price, q});
      left -= q;
      if (!dry_run) r.remaining -= q;
    }
    if (!dry_run) v.erase(std::remove_if(v.begin(), v.end(), [](const Resting& r) { return r.remaining.is_zero(); }),
                          v.end());
    *filled = qty - left;
    return legs;
  }

  void remove_resting(MarketBook& b, const std::string& id) {
    for (auto* v : {&b.bids, &b.asks})
      v->erase(std::remove_if(v->begin(), v->end(), [&](const Resting& r) { return r.id == id; }), v->end());
  }

  void apply_fill_to_ours(VenueOrder& o, Qty q, Price px, std::int64_t now_ns, bool emit_update) {
    o.matched += q;
    const Usdc cost = notional(px, q);
    collateral += o.side == Side::kBuy ? -cost.raw : cost.raw;
    share_balances[o.token] += o.side == Side::kBuy ? q.raw : -q.raw;
    if (o.matched >= o.original) o.status = "MATCHED";
    if (emit_update) order_frame(o, "UPDATE", now_ns);
  }

  std::string new_trade_id() {
    char b[48];
    std::snprintf(b, sizeof(b), "sim-trade-%08" PRIu64, ++trade_seq);
    return b;
  }

  // ---- auth ----
  bool l2_ok(const net::ServerRequest& req, std::int64_t now_ns) {
    const auto key = req.header("POLY_API_KEY");
    const auto pass = req.header("POLY_PASSPHRASE");
    const auto ts = req.header("POLY_TIMESTAMP");
    const auto sig = req.header("POLY_SIGNATURE");
    const auto addr = req.header("POLY_ADDRESS");
    if (key != cfg.account.api_key || pass != cfg.account.passphrase || ts.empty() || sig.empty()) return false;
    const auto pa = oms::parse_address(addr);
    if (!pa.ok || !(pa.address == cfg.account.signer)) return false;
    std::uint64_t t = 0;
    for (char c : ts) {
      if (c < '0' || c > '9') return false;
      t = t * 10 + static_cast<std::uint64_t>(c - '0');
    }
    const std::int64_t skew = static_cast<std::int64_t>(t) - now_ns / 1'000'000'000;
    if (skew > cfg.l2_max_skew_s || -skew > cfg.l2_max_skew_s) return false;
    const auto expect = oms::l2_signature(hmac, t, req.method, req.path, req.body);
    return expect.view() == sig;
  }

  bool fault_for(const net::ServerRequest& req, net::ServerResponse& resp, VenueFault* post_fault) {
    for (auto it = faults.begin(); it != faults.end(); ++it) {
      if (!it->path.empty() && it->path != req.path) continue;
      ++stats.faults_applied;
      VenueFault f = *it;
      if (--it->count == 0) faults.erase(it);
      if (f.status != 0) {
        resp.status = f.status;
        resp.body = f.body.empty() ? error_json(f.status == 429 ? "Too Many Requests" : "fault") : f.body;
        if (f.retry_after_s > 0) resp.headers.emplace_back("Retry-After", std::to_string(f.retry_after_s));
        return true;
      }
      *post_fault = f;
      return false;
    }
    return false;
  }

  // ---- endpoints ----
  void post_order_leg(simdjson::dom::element root, std::string& out, std::int64_t now_ns, int* http_status);
  void cancel_ids(const std::vector<std::string>& ids, std::string& out, std::int64_t now_ns);
  void cancel_all_locked(std::int64_t now_ns, const char* why_status, std::vector<std::string>* ids);
};

ClobVenue::ClobVenue(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ClobVenue::~ClobVenue() = default;

Result<std::unique_ptr<ClobVenue>, std::string> ClobVenue::create(VenueConfig cfg) {
  auto domains = oms::ExchangeDomains::make(cfg.exchange);
  if (!domains) return Err{std::string("venue.exchange: ") + domains.error()};
  std::uint8_t key[128];
  std::size_t key_len = 0;
  if (!oms::base64_decode_any(cfg.account.secret_b64, key, sizeof(key), key_len) || key_len == 0)
    return Err{std::string("venue.account.secret: not base64")};
  if (cfg.markets.empty()) return Err{std::string("venue.markets: empty")};
  auto impl = std::make_unique<Impl>(cfg, std::move(*domains), oms::HmacSha256(key, key_len));
  std::memset(key, 0, sizeof(key));
  for (const auto& m : cfg.markets) {
    if (m.tick.raw <= 0) return Err{"venue.markets.tick: " + m.tick.to_string()};
    impl->books[m.token_id].m = m;
  }
  impl->collateral = cfg.account.collateral;
  return std::unique_ptr<ClobVenue>(new ClobVenue(std::move(impl)));
}

void ClobVenue::Impl::post_order_leg(simdjson::dom::element root, std::string& out, std::int64_t now_ns,
                                     int* http_status) {
  ++stats.orders_received;
  auto reject = [&](int status, std::string_view msg) {
    ++stats.orders_rejected;
    *http_status = status;
    out += "{\"success\":false,\"errorMsg\":";
    append_json_string(out, msg);
    out += ",\"orderID\":\"\"}";
  };
  simdjson::dom::element order;
  std::string_view owner, order_type_s = "GTC";
  bool post_only = false;
  if (root["order"].get(order) || root["owner"].get(owner)) return reject(400, "Invalid order payload");
  if (root["orderType"].get(order_type_s)) {}
  if (root["postOnly"].get(post_only)) {}
  if (owner != cfg.account.api_key) return reject(400, "Invalid order payload: owner");

  oms::OrderV2 o;
  std::string_view maker_s, signer_s, token_s, maker_amt_s, taker_amt_s, side_s, ts_s, exp_s = "0", meta_s, builder_s,
      sig_s;
  std::uint64_t salt = 0, sig_type = 0;
  if (order["salt"].get(salt) || order["maker"].get(maker_s) || order["signer"].get(signer_s) ||
      order["tokenId"].get(token_s) || order["makerAmount"].get(maker_amt_s) ||
      order["takerAmount"].get(taker_amt_s) || order["side"].get(side_s) || order["signatureType"].get(sig_type) ||
      order["timestamp"].get(ts_s) || order["metadata"].get(meta_s) || order["builder"].get(builder_s) ||
      order["signature"].get(sig_s))
    return reject(400, "Invalid order payload");
  if (order["expiration"].get(exp_s)) {}
  auto u64 = [](std::string_view s, std::uint64_t* v) {
    if (s.empty() || s.size() > 19) return false;
    *v = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return false;
      *v = *v * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return true;
  };
  const auto pm = oms::parse_address(maker_s);
  const auto ps = oms::parse_address(signer_s);
  if (!pm.ok || !ps.ok || !oms::TokenId::parse(token_s, o.token_id) || !u64(maker_amt_s, &o.maker_amount) ||
      !u64(taker_amt_s, &o.taker_amount) || !u64(ts_s, &o.timestamp_ms) || !u64(exp_s, &o.expiration_s) ||
      (side_s != "BUY" && side_s != "SELL") || sig_type > 3 || !oms::parse_hex(meta_s, o.metadata.data(), 32) ||
      !oms::parse_hex(builder_s, o.builder.data(), 32))
    return reject(400, "Invalid order payload");
  o.salt = salt;
  o.maker = pm.address;
  o.signer = ps.address;
  o.side = side_s == "BUY" ? oms::Side::kBuy : oms::Side::kSell;
  o.signature_type = static_cast<oms::SignatureType>(sig_type);
  oms::WireSignature ws;
  if (sig_s.size() < 2 || (sig_s.size() - 2) % 2 != 0 || (sig_s.size() - 2) / 2 > ws.bytes.size())
    return reject(400, "invalid signature");
  ws.len = static_cast<std::uint16_t>((sig_s.size() - 2) / 2);
  if (!oms::parse_hex(sig_s, ws.bytes.data(), ws.len)) return reject(400, "invalid signature");

  auto bit = books.find(token_s);
  if (bit == books.end()) return reject(400, "No orderbook exists for the requested token id");
  MarketBook& book = bit->second;

  // Signature: recover the EOA from the EIP-712 digest; compare with signer, and maker per signature type.
  const auto v = oms::verify_order_signature(domains, o, ws, oms::ExchangeVersion::kV2, book.m.neg_risk);
  if (v.status != oms::VerifyStatus::kOk || !(v.recovered == o.signer)) {
    ++stats.bad_signatures;
    return reject(400, "invalid signature");
  }
  const oms::Address expected_maker = cfg.account.funder.is_zero() ? cfg.account.signer : cfg.account.funder;
  if (o.signature_type == oms::SignatureType::kEoa ? !(o.maker == o.signer) : !(o.maker == expected_maker)) {
    ++stats.bad_signatures;
    return reject(400, "invalid signature");
  }
  if (!(o.signer == cfg.account.signer)) return reject(400, "the order signer address has to be the address of the API KEY");

  const std::string id = hex32(v.order_hash);
  if (orders.count(id) != 0) {
    ++stats.duplicates;
    return reject(400, "INVALID_ORDER_DUPLICATED: order already exists");
  }
  // Price and size from the amounts (exact or rejected).
  const bool buy = o.side == oms::Side::kBuy;
  const std::uint64_t usdc = buy ? o.maker_amount : o.taker_amount;
  const std::uint64_t shares = buy ? o.taker_amount : o.maker_amount;
  const bool marketable = order_type_s == "FOK" || order_type_s == "FAK";
  if (shares == 0) return reject(400, "INVALID_ORDER_MIN_TICK_SIZE: price is not on the tick grid");
  Price price = Price::from_raw(static_cast<std::int64_t>(static_cast<u128>(usdc) * 1'000'000u / shares));
  if ((static_cast<u128>(usdc) * 1'000'000u) % shares != 0) {
    // A market order's amounts (pUSD to spend / shares to sell, the other side rounded by the client) imply a
    // price a hair off the grid: its worst price is the nearest tick. A resting order must be exact.
    if (!marketable) return reject(400, "INVALID_ORDER_MIN_TICK_SIZE: price is not on the tick grid");
    const std::int64_t t = book.m.tick.raw;
    price = Price::from_raw((price.raw + t / 2) / t * t);
  }
  const Qty size = Qty::from_raw(static_cast<std::int64_t>(shares));
  if (price.raw % book.m.tick.raw != 0 || price < book.m.tick || price > kPriceOne - book.m.tick)
    return reject(400, "INVALID_ORDER_MIN_TICK_SIZE: invalid price (" + price.to_string() + "), min: " +
                           book.m.tick.to_string() + " - max: " + (kPriceOne - book.m.tick).to_string());
  if (!marketable && size < book.m.min_size) return reject(400, "INVALID_ORDER_MIN_SIZE");
  if (post_only && marketable) return reject(400, "INVALID_POST_ONLY_ORDER_TYPE");
  if (buy) {
    std::int64_t reserved = 0;
    for (const auto& [oid, vo] : orders)
      if (vo.status == "LIVE" && vo.side == Side::kBuy) reserved += notional(vo.price, vo.original - vo.matched).raw;
    if (static_cast<std::int64_t>(usdc) > collateral - reserved)
      return reject(400, "not enough balance / allowance");
  }

  const Side side = buy ? Side::kBuy : Side::kSell;
  Qty can_fill;
  auto legs = cross(book, side, price, size, true, &can_fill);
  if (post_only && !can_fill.is_zero()) return reject(400, "invalid post-only order: order crosses book");
  if (order_type_s == "FOK" && can_fill < size) {
    ++stats.orders_rejected;
    *http_status = 400;
    out += "{\"success\":false,\"errorMsg\":\"FOK_ORDER_NOT_FILLED_ERROR\",\"orderID\":\"" + id + "\"}";
    return;
  }
  ++stats.orders_accepted;
  VenueOrder vo;
  vo.id = id;
  vo.token = book.m.token_id;
  vo.market = book.m.condition_id;
  vo.side = side;
  vo.price = price;
  vo.original = size;
  vo.order_type = std::string(order_type_s);
  vo.created_s = now_ns / 1'000'000'000;
  Qty filled;
  legs = cross(book, side, price, size, false, &filled);
  std::string trade_ids;
  Usdc cost;
  if (!filled.is_zero()) {
    VenueTrade t;
    t.id = new_trade_id();
    t.token = book.m.token_id;
    t.market = book.m.condition_id;
    t.outcome = book.m.outcome;
    t.taker_order_id = id;
    t.we_are_taker = true;
    t.taker_side = side;
    t.price = legs.front().price;
    t.size = filled;
    t.match_time_s = now_ns / 1'000'000'000;
    for (const auto& leg : legs) {
      t.makers.push_back(leg);
      cost += notional(leg.price, leg.qty);
      vo.matched += leg.qty;
      collateral += buy ? -notional(leg.price, leg.qty).raw : notional(leg.price, leg.qty).raw;
      share_balances[book.m.token_id] += buy ? leg.qty.raw : -leg.qty.raw;
      if (leg.ours) {
        auto mo = orders.find(leg.order_id);
        if (mo != orders.end()) apply_fill_to_ours(mo->second, leg.qty, leg.price, now_ns, true);
      }
    }
    ++stats.trades;
    trade_ids = "\"" + t.id + "\"";
    trades.push_back(t);
  }
  const Qty left = size - vo.matched;
  std::string status;
  if (left.is_zero()) {
    vo.status = "MATCHED";
    status = "matched";
  } else if (marketable) {
    vo.status = "CANCELED";
    status = vo.matched.is_zero() ? "unmatched" : "matched";
  } else {
    status = vo.matched.is_zero() ? "live" : "matched";
    rest(book, side, Resting{id, true, price, left, ++seq});
  }
  orders[id] = vo;
  VenueOrder& stored = orders[id];
  if (vo.status == "LIVE") order_frame(stored, vo.matched.is_zero() ? "PLACEMENT" : "UPDATE", now_ns);
  if (!trades.empty() && trades.back().taker_order_id == id) frames.push_back(trade_json(trades.back(), true));
  if (marketable && !left.is_zero()) {
    order_frame(stored, "CANCELLATION", now_ns,
                order_type_s == "FOK" ? std::string_view("CANCELED_order couldn't be fully filled. FOK orders are fully filled or killed.")
                                      : std::string_view("CANCELED"));
  }
  *http_status = 200;
  const Usdc taking = buy ? Usdc::from_raw(vo.matched.raw) : cost;
  const Usdc making = buy ? cost : Usdc::from_raw(vo.matched.raw);
  out += "{\"success\":true,\"errorMsg\":\"\",\"orderID\":\"" + id + "\",\"transactionsHashes\":[],\"tradeIDs\":[" +
         trade_ids + "],\"status\":\"" + status + "\",\"takingAmount\":\"" + dec(taking.raw) +
         "\",\"makingAmount\":\"" + dec(making.raw) + "\"}";
}

void ClobVenue::Impl::cancel_ids(const std::vector<std::string>& ids, std::string& out, std::int64_t now_ns) {
  std::string canceled, not_canceled;
  for (const auto& id : ids) {
    auto it = orders.find(id);
    if (it == orders.end() || it->second.status != "LIVE") {
      if (!not_canceled.empty()) not_canceled += ",";
      append_json_string(not_canceled, id);
      not_canceled += it == orders.end() ? ":\"order not found\"" : ":\"already canceled or matched\"";
      continue;
    }
    it->second.status = "CANCELED";
    remove_resting(books[it->second.token], id);
    order_frame(it->second, "CANCELLATION", now_ns);
    if (!canceled.empty()) canceled += ",";
    append_json_string(canceled, id);
  }
  out = "{\"canceled\":[" + canceled + "],\"not_canceled\":{" + not_canceled + "}}";
}

void ClobVenue::Impl::cancel_all_locked(std::int64_t now_ns, const char* why_status, std::vector<std::string>* ids) {
  for (auto& [id, o] : orders) {
    if (o.status != "LIVE") continue;
    o.status = "CANCELED";
    remove_resting(books[o.token], id);
    order_frame(o, "CANCELLATION", now_ns, why_status);
    if (ids != nullptr) ids->push_back(id);
  }
}

void ClobVenue::handle(const net::ServerRequest& req, net::ServerResponse& resp, std::int64_t now_ns) {
  Impl& d = *impl_;
  std::lock_guard lock(d.mu);
  resp.content_type = "application/json";
  VenueFault post{};
  if (d.fault_for(req, resp, &post)) return;
  auto finish = [&] {
    if (post.process_then_never_respond) resp.never_respond = true;
    if (post.process_then_drop) resp.drop_without_response = true;
    if (post.delay_response_ms > 0) resp.delay_ms = post.delay_response_ms;
  };
  const std::string_view m = req.method, p = req.path;

  if (m == "GET" && p == "/time") {
    resp.body = std::to_string(now_ns / 1'000'000'000);
    return finish();
  }
  if (m == "GET" && p == "/ok") {
    resp.body = "\"OK\"";
    return finish();
  }
  if (p == "/auth/api-key" || p == "/auth/derive-api-key") {
    // L1: recover the ClobAuth signature and compare with POLY_ADDRESS.
    const auto pa = oms::parse_address(req.header("POLY_ADDRESS"));
    std::uint64_t ts = 0, nonce = 0;
    for (char c : req.header("POLY_TIMESTAMP")) ts = ts * 10 + static_cast<std::uint64_t>(c - '0');
    for (char c : req.header("POLY_NONCE")) nonce = nonce * 10 + static_cast<std::uint64_t>(c - '0');
    std::uint8_t sig[65];
    bool ok = pa.ok && oms::parse_hex(req.header("POLY_SIGNATURE"), sig, 65);
    if (ok) {
      const auto digest = oms::clob_auth_digest(d.domains.auth_domain(), pa.address, ts, nonce, d.domains.auth_message());
      auto rec = oms::recover_address(digest, sig);
      ok = rec && *rec == pa.address && pa.address == d.cfg.account.signer;
    }
    if (!ok) {
      ++d.stats.auth_failures;
      resp.status = 401;
      resp.body = error_json("Invalid L1 Request headers");
      return finish();
    }
    resp.body = "{\"apiKey\":\"" + d.cfg.account.api_key + "\",\"secret\":\"" + d.cfg.account.secret_b64 +
                "\",\"passphrase\":\"" + d.cfg.account.passphrase + "\"}";
    return finish();
  }
  if (!d.l2_ok(req, now_ns)) {
    ++d.stats.auth_failures;
    resp.status = 401;
    resp.body = error_json("Unauthorized/Invalid api key");
    return finish();
  }
  if (m == "POST" && p == "/order") {
    simdjson::dom::element root;
    if (d.parser.parse(req.body.data(), req.body.size()).get(root)) {
      resp.status = 400;
      resp.body = error_json("Invalid order payload");
      return finish();
    }
    int status = 200;
    std::string out;
    d.post_order_leg(root, out, now_ns, &status);
    resp.status = status;
    resp.body = std::move(out);
    return finish();
  }
  if (m == "POST" && p == "/orders") {
    simdjson::dom::element root;
    simdjson::dom::array arr;
    if (d.parser.parse(req.body.data(), req.body.size()).get(root) || root.get(arr)) {
      resp.status = 400;
      resp.body = error_json("Invalid order payload");
      return finish();
    }
    std::string out = "[";
    bool first = true;
    for (auto leg : arr) {
      if (!first) out += ",";
      first = false;
      int st = 200;
      d.post_order_leg(leg, out, now_ns, &st);
    }
    out += "]";
    resp.body = std::move(out);
    return finish();
  }
  if (m == "DELETE" && (p == "/order" || p == "/orders")) {
    simdjson::dom::element root;
    std::vector<std::string> ids;
    if (d.parser.parse(req.body.data(), req.body.size()).get(root)) {
      resp.status = 400;
      resp.body = error_json("Invalid payload");
      return finish();
    }
    if (p == "/order") {
      std::string_view id;
      if (root["orderID"].get(id)) {
        resp.status = 400;
        resp.body = error_json("Invalid payload");
        return finish();
      }
      ids.emplace_back(id);
    } else {
      simdjson::dom::array arr;
      if (root.get(arr)) {
        resp.status = 400;
        resp.body = error_json("Invalid payload");
        return finish();
      }
      for (auto e : arr) {
        std::string_view id;
        if (!e.get(id)) ids.emplace_back(id);
      }
    }
    d.cancel_ids(ids, resp.body, now_ns);
    return finish();
  }
  if (m == "DELETE" && (p == "/cancel-all" || p == "/cancel-market-orders")) {
    std::string_view market, asset;
    if (p == "/cancel-market-orders" && !req.body.empty()) {
      simdjson::dom::element root;
      if (!d.parser.parse(req.body.data(), req.body.size()).get(root)) {
        if (root["market"].get(market)) {}
        if (root["asset_id"].get(asset)) {}
      }
    }
    std::vector<std::string> ids;
    for (const auto& [id, o] : d.orders) {
      if (o.status != "LIVE") continue;
      if (!market.empty() && o.market != market) continue;
      if (!asset.empty() && o.token != asset) continue;
      ids.push_back(id);
    }
    d.cancel_ids(ids, resp.body, now_ns);
    return finish();
  }
  if (m == "GET" && p == "/data/orders") {
    std::size_t offset = 0;
    if (!offset_of(req.query, &offset)) {
      resp.status = 400;
      resp.body = error_json("invalid next_cursor");
      return finish();
    }
    std::vector<std::string> rows;
    for (const auto& [id, o] : d.orders) {
      if (o.status != "LIVE") continue;
      rows.push_back("{\"id\":\"" + id + "\",\"status\":\"LIVE\",\"owner\":\"" + d.cfg.account.api_key +
                     "\",\"maker_address\":\"" + d.maker_text() + "\",\"market\":\"" + o.market + "\",\"asset_id\":\"" +
                     o.token + "\",\"side\":\"" + Impl::side_text(o.side) + "\",\"original_size\":\"" +
                     dec(o.original.raw) + "\",\"size_matched\":\"" + dec(o.matched.raw) + "\",\"price\":\"" +
                     dec(o.price.raw) + "\",\"outcome\":\"Up\",\"associate_trades\":[],\"created_at\":" +
                     std::to_string(o.created_s) + ",\"expiration\":\"0\",\"order_type\":\"" + o.order_type + "\"}");
    }
    const std::size_t page = d.cfg.page_size == 0 ? rows.size() : d.cfg.page_size;
    const std::size_t end = std::min(rows.size(), offset + page);
    std::string out = "{\"data\":[";
    for (std::size_t i = offset; i < end; ++i) out += (i == offset ? "" : ",") + rows[i];
    out += "],\"next_cursor\":\"" + (end < rows.size() ? cursor_of(end) : std::string(kEndCursor)) +
           "\",\"limit\":" + std::to_string(page) + ",\"count\":" + std::to_string(end > offset ? end - offset : 0) + "}";
    ++d.stats.pages_served;
    resp.body = std::move(out);
    return finish();
  }
  if (m == "GET" && p == "/data/trades") {
    std::size_t offset = 0;
    if (!offset_of(req.query, &offset)) {
      resp.status = 400;
      resp.body = error_json("invalid next_cursor");
      return finish();
    }
    const std::size_t n = d.trades.size();
    const std::size_t page = d.cfg.page_size == 0 ? n : d.cfg.page_size;
    const std::size_t end = std::min(n, offset + page);
    std::string out = "{\"data\":[";
    for (std::size_t i = offset; i < end; ++i) {
      if (i != offset) out += ",";
      out += d.trade_json(d.trades[i], false);
    }
    out += "],\"next_cursor\":\"" + (end < n ? cursor_of(end) : std::string(kEndCursor)) + "\"}";
    ++d.stats.pages_served;
    resp.body = std::move(out);
    return finish();
  }
  if (m == "GET" && p == "/balance-allowance") {
    // asset_type=COLLATERAL (pUSD) or CONDITIONAL&token_id=... (shares), as the CLOB reads it (§6.5).
    const std::string_view asset = net::query_param(req.query, "asset_type");
    const std::string_view token = net::query_param(req.query, "token_id");
    std::int64_t balance = 0;
    if (asset == "COLLATERAL") {
      balance = d.collateral;
    } else if (asset == "CONDITIONAL" && !token.empty()) {
      const auto it = d.share_balances.find(token);
      balance = it == d.share_balances.end() ? 0 : it->second;
    } else {
      resp.status = 400;
      resp.body = error_json(asset == "CONDITIONAL" ? "token_id is required for CONDITIONAL"
                                                    : "invalid asset_type");
      return finish();
    }
    ++d.stats.balance_reads;
    resp.body = "{\"balance\":\"" + std::to_string(balance) +
                "\",\"allowances\":{\"0xE111180000d2663C0091e4f400237545B87B996B\":\"115792089237316195423570985008687907853269984665640564039457584007913129639935\"}}";
    return finish();
  }
  if (m == "POST" && (p == "/v1/heartbeats" || p == "/heartbeats")) {
    simdjson::dom::element root;
    std::string_view hb;
    if (d.parser.parse(req.body.data(), req.body.size()).get(root) || root["heartbeat_id"].get(hb)) {
      resp.status = 400;
      resp.body = error_json("Invalid payload");
      return finish();
    }
    if (!hb.empty() && (!d.hb_active || hb != d.hb_id)) {
      resp.status = 400;
      resp.body = error_json("Invalid Heartbeat ID");
      return finish();
    }
    if (hb.empty()) {
      char b[40];
      std::snprintf(b, sizeof(b), "sim-hb-%" PRIu64, ++d.hb_seq);
      d.hb_id = b;
    }
    d.hb_active = true;
    d.hb_last_ns = now_ns;
    ++d.stats.heartbeats;
    resp.body = "{\"heartbeat_id\":\"" + d.hb_id + "\"}";
    return finish();
  }
  resp.status = 404;
  resp.body = error_json("not found");
  finish();
}

void ClobVenue::tick(std::int64_t now_ns) {
  Impl& d = *impl_;
  std::lock_guard lock(d.mu);
  if (d.hb_active && now_ns - d.hb_last_ns > d.cfg.heartbeat_timeout_ms * 1'000'000) {
    // The dead-man's switch: every open order of the key is cancelled; the id is no longer valid.
    std::vector<std::string> ids;
    d.cancel_all_locked(now_ns, "CANCELED", &ids);
    d.stats.heartbeat_cancels += ids.size();
    ++d.stats.heartbeat_lapses;
    d.hb_active = false;
    d.hb_id.clear();
  }
  if (d.cfg.advance_trades) {
    for (auto& t : d.trades) {
      if (t.status >= 3) continue;
      ++t.status;
      d.frames.push_back(d.trade_json(t, true));
    }
  }
}

void ClobVenue::add_liquidity(std::string_view token_id, ::polybot::Side side, Price price, Qty size) {
  Impl& d = *impl_;
  std::lock_guard lock(d.mu);
  auto it = d.books.find(token_id);
  if (it == d.books.end()) return;
  char b[32];
  std::snprintf(b, sizeof(b), "other-%" PRIu64, ++d.seq);
  d.rest(it->second, side, Resting{b, false, price, size, d.seq});
}

Qty ClobVenue::take(std::string_view token_id, ::polybot::Side side, Price limit, Qty size, std::int64_t now_ns) {
  Impl& d = *impl_;
  std::lock_guard lock(d.mu);
  auto it = d.books.find(token_id);
  if (it == d.books.end()) return Qty{};
  Qty filled;
  auto legs = d.cross(it->second, side, limit, size, false, &filled);
  if (filled.is_zero()) return filled;
  VenueTrade t;
  t.id = d.new_trade_id();
  t.token = it->second.m.token_id;
  t.market = it->second.m.condition_id;
  t.outcome = it->second.m.outcome;
  char b[80];
  std::snprintf(b, sizeof(b), "0x%064" PRIx64, ++d.seq);
  t.taker_order_id = b;
  t.we_are_taker = false;
  t.taker_side = side;
  t.price = legs.front().price;
  t.size = filled;
  t.match_time_s = now_ns / 1'000'000'000;
  bool any_ours = false;
  for (const auto& leg : legs) {
    if (!leg.ours) continue;
    any_ours = true;
    t.makers.push_back(leg);
    auto mo = d.orders.find(leg.order_id);
    if (mo != d.orders.end()) d.apply_fill_to_ours(mo->second, leg.qty, leg.price, now_ns, true);
  }
  if (any_ours) {
    ++d.stats.trades;
    d.trades.push_back(t);
    d.frames.push_back(d.trade_json(t, true));
  }
  return filled;
}

void ClobVenue::inject(VenueFault fault) {
  std::lock_guard lock(impl_->mu);
  impl_->faults.push_back(std::move(fault));
}

bool ClobVenue::check_user_auth(std::string_view msg) const {
  simdjson::dom::parser p;
  simdjson::dom::element root;
  std::string_view key, secret, pass;
  if (p.parse(msg.data(), msg.size()).get(root)) return false;
  if (root["auth"]["apiKey"].get(key) || root["auth"]["secret"].get(secret) || root["auth"]["passphrase"].get(pass))
    return false;
  const auto& a = impl_->cfg.account;
  return key == a.api_key && secret == a.secret_b64 && pass == a.passphrase;
}

std::vector<std::string> ClobVenue::drain_user_frames() {
  std::lock_guard lock(impl_->mu);
  std::vector<std::string> out;
  out.swap(impl_->frames);
  return out;
}

VenueStats ClobVenue::stats() const {
  std::lock_guard lock(impl_->mu);
  return impl_->stats;
}
std::size_t ClobVenue::open_order_count() const {
  std::lock_guard lock(impl_->mu);
  std::size_t n = 0;
  for (const auto& [id, o] : impl_->orders) n += o.status == "LIVE" ? 1 : 0;
  return n;
}
Qty ClobVenue::matched_of(std::string_view id) const {
  std::lock_guard lock(impl_->mu);
  auto it = impl_->orders.find(id);
  return it == impl_->orders.end() ? Qty{} : it->second.matched;
}
std::vector<std::string> ClobVenue::order_ids(std::string_view prefix) const {
  std::lock_guard lk(impl_->mu);
  std::vector<std::string> ids;
  for (const auto& [id, o] : impl_->orders)
    if (id.compare(0, prefix.size(), prefix) == 0) ids.push_back(id);
  return ids;
}

std::size_t ClobVenue::order_count() const {
  std::lock_guard lk(impl_->mu);
  return impl_->orders.size();
}

std::int64_t ClobVenue::collateral() const {
  std::lock_guard lock(impl_->mu);
  return impl_->collateral;
}
std::int64_t ClobVenue::shares(std::string_view token_id) const {
  std::lock_guard lock(impl_->mu);
  const auto it = impl_->share_balances.find(token_id);
  return it == impl_->share_balances.end() ? 0 : it->second;
}
void ClobVenue::adjust_collateral(std::int64_t delta) {
  std::lock_guard lock(impl_->mu);
  impl_->collateral += delta;
}
void ClobVenue::adjust_shares(std::string_view token_id, std::int64_t delta) {
  std::lock_guard lock(impl_->mu);
  impl_->share_balances[std::string(token_id)] += delta;
}
Usdc ClobVenue::redeem(std::string_view token_id, Price payout) {
  std::lock_guard lock(impl_->mu);
  auto it = impl_->share_balances.find(token_id);
  if (it == impl_->share_balances.end() || it->second <= 0) return Usdc{};
  const Usdc paid = notional(payout, Qty::from_raw(it->second));
  impl_->collateral += paid.raw;
  it->second = 0;
  return paid;
}
bool ClobVenue::heartbeat_active() const {
  std::lock_guard lock(impl_->mu);
  return impl_->hb_active;
}

}  // namespace polybot::sim::venue
