#include "oms/gateway/clob_gateway.hpp"

#include <cstring>

#include "oms/crypto/hex.hpp"
#include "oms/crypto/l1_auth.hpp"
#include "oms/crypto/l2_auth.hpp"
#include "oms/crypto/signer.hpp"
#include "oms/order/exchange_config.hpp"
#include "oms/user_channel/user_channel_parser.hpp"

namespace polybot::oms {
namespace od = simdjson::ondemand;

namespace {
constexpr int kKindShift = 56;
constexpr std::uint64_t kIdMask = (std::uint64_t{1} << kKindShift) - 1;
std::uint64_t make_tag(RequestKind k, std::uint64_t id) noexcept {
  return (static_cast<std::uint64_t>(k) << kKindShift) | (id & kIdMask);
}

std::size_t put(char* out, std::size_t pos, std::string_view s) noexcept {
  std::memcpy(out + pos, s.data(), s.size());
  return pos + s.size();
}

std::size_t put_digest(char* out, std::size_t pos, const OrderDigest& d) noexcept {
  out[pos++] = '0';
  out[pos++] = 'x';
  return pos + write_hex(d.data(), d.size(), out + pos);
}

bool looks_like_json(std::string_view b) noexcept {
  for (char c : b) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    return c == '{' || c == '[';
  }
  return false;
}
}  // namespace

ClobGateway::ClobGateway(GatewayConfig cfg, const ApiCredentials& creds, const Address& signer, const Clock& clock,
                         GatewayListener& listener)
    : cfg_(std::move(cfg)), creds_(creds), clock_(clock), listener_(listener), limiter_(cfg_.rate) {
  signer.write_checksummed(address_.data());
}

ClobGateway::~ClobGateway() = default;

Result<std::unique_ptr<ClobGateway>, std::string> ClobGateway::create(net::IoLoop& loop,
                                                                      const net::TlsClientContext* tls,
                                                                      GatewayConfig cfg, const ApiCredentials& creds,
                                                                      const Address& signer, const Clock& clock,
                                                                      GatewayListener& listener) {
  if (cfg.heartbeat_interval_ms <= 0 || cfg.heartbeat_grace_ms < cfg.heartbeat_interval_ms)
    return Err{std::string("gateway.heartbeat_grace_ms must be >= heartbeat_interval_ms > 0")};
  std::unique_ptr<ClobGateway> g(new ClobGateway(cfg, creds, signer, clock, listener));
  net::HttpClientConfig hc;
  hc.base_url = cfg.base_url;
  hc.user_agent = cfg.user_agent;
  hc.default_headers = {{"Accept", "*/*"}};
  hc.connect_timeout_ms = cfg.connect_timeout_ms;
  hc.request_timeout_ms = cfg.order_timeout_ms;
  hc.clock = &clock;
  auto oc = net::HttpClient::create(loop, tls, hc, *g);
  if (!oc) return Err{"gateway.base_url \"" + cfg.base_url + "\": " + std::string(net::to_string(oc.error()))};
  g->orders_http_ = std::move(*oc);
  hc.request_timeout_ms = cfg.query_timeout_ms;
  auto qc = net::HttpClient::create(loop, tls, hc, *g);
  if (!qc) return Err{"gateway.base_url \"" + cfg.base_url + "\": " + std::string(net::to_string(qc.error()))};
  g->query_http_ = std::move(*qc);
  return g;
}

void ClobGateway::start() noexcept {
  orders_http_->start();
  query_http_->start();
}

bool ClobGateway::connected() const noexcept { return orders_http_->connected() && query_http_->connected(); }
std::size_t ClobGateway::pending() const noexcept { return orders_http_->pending() + query_http_->pending(); }

SendStatus ClobGateway::submit(net::HttpClient& c, Endpoint ep, std::int64_t cost, net::HttpMethod m,
                               std::string_view target, std::string_view body, std::uint64_t tag,
                               const PrecomputedL2* l2) noexcept {
  const std::int64_t now = clock_.now_ns();
  switch (limiter_.try_admit(ep, cost, now)) {
    case Admit::kYes: break;
    case Admit::kNeverFits: return SendStatus::kNeverFits;
    case Admit::kBucketEmpty:
    case Admit::kBackingOff:
      ++counters_.back_pressure;
      return SendStatus::kBackPressure;
  }
  // L2: HMAC over timestamp + METHOD + path (no query) + the exact body bytes.
  const std::uint64_t ts = static_cast<std::uint64_t>(now / 1'000'000'000 + skew_s_);
  const std::size_t ts_len = write_u64(ts, ts_buf_.data());
  std::string_view path = target;
  if (const auto q = path.find('?'); q != std::string_view::npos) path = path.substr(0, q);
  L2Signature computed;
  const L2Signature* sig = l2 != nullptr ? l2->at(ts) : nullptr;
  if (sig != nullptr) {
    ++counters_.l2_precomputed;
  } else {
    computed = l2_signature(creds_.hmac(), ts, net::to_string(m), path, body);
    sig = &computed;
  }
  const net::HttpHeader headers[] = {
      {"POLY_ADDRESS", std::string_view(address_.data(), address_.size())},
      {"POLY_SIGNATURE", sig->view()},
      {"POLY_TIMESTAMP", std::string_view(ts_buf_.data(), ts_len)},
      {"POLY_API_KEY", creds_.api_key()},
      {"POLY_PASSPHRASE", creds_.passphrase()},
  };
  net::HttpRequest req;
  req.method = m;
  req.target = target;
  req.headers = headers;
  req.body = body;
  req.tag = tag;
  switch (c.submit(req)) {
    case net::NetError::kOk: return SendStatus::kSent;
    case net::NetError::kTooLarge: return SendStatus::kTooLarge;
    default: return SendStatus::kQueueFull;
  }
}

SendStatus ClobGateway::send_order(ClientOrderId id, std::string_view body, bool resend,
                                   const PrecomputedL2* l2) noexcept {
  const SendStatus s = submit(*orders_http_, Endpoint::kPostOrder, 1, net::HttpMethod::kPost, "/order", body,
                              make_tag(RequestKind::kOrder, id.value), l2);
  if (s == SendStatus::kSent) {
    ++counters_.orders_sent;
    if (resend) ++counters_.resends;
  }
  return s;
}

SendStatus ClobGateway::cancel(const OrderDigest& id) noexcept {
  std::size_t n = put(body_buf_.data(), 0, R"({"orderID":")");
  n = put_digest(body_buf_.data(), n, id);
  n = put(body_buf_.data(), n, R"("})");
  const SendStatus s = submit(*orders_http_, Endpoint::kDeleteOrder, 1, net::HttpMethod::kDelete, "/order",
                              std::string_view(body_buf_.data(), n), make_tag(RequestKind::kCancel, 0));
  counters_.cancels_sent += s == SendStatus::kSent ? 1 : 0;
  return s;
}

SendStatus ClobGateway::cancel_many(const OrderDigest* ids, std::uint32_t count) noexcept {
  if (count == 0) return SendStatus::kSent;
  if (static_cast<std::size_t>(count) * 69 + 2 > body_buf_.size()) return SendStatus::kTooLarge;
  std::size_t n = put(body_buf_.data(), 0, "[");
  for (std::uint32_t i = 0; i < count; ++i) {
    if (i > 0) body_buf_[n++] = ',';
    body_buf_[n++] = '"';
    n = put_digest(body_buf_.data(), n, ids[i]);
    body_buf_[n++] = '"';
  }
  body_buf_[n++] = ']';
  const SendStatus s = submit(*orders_http_, Endpoint::kDeleteOrders, count, net::HttpMethod::kDelete, "/orders",
                              std::string_view(body_buf_.data(), n), make_tag(RequestKind::kCancelMany, 0));
  counters_.cancels_sent += s == SendStatus::kSent ? 1 : 0;
  return s;
}

SendStatus ClobGateway::cancel_all() noexcept {
  const SendStatus s = submit(*orders_http_, Endpoint::kCancelAll, 1, net::HttpMethod::kDelete, "/cancel-all", {},
                              make_tag(RequestKind::kCancelAll, 0));
  counters_.cancels_sent += s == SendStatus::kSent ? 1 : 0;
  return s;
}

SendStatus ClobGateway::cancel_market(std::string_view condition_id, std::string_view asset_id) noexcept {
  if (condition_id.size() + asset_id.size() + 40 > body_buf_.size()) return SendStatus::kTooLarge;
  std::size_t n = put(body_buf_.data(), 0, "{");
  if (!condition_id.empty()) {
    n = put(body_buf_.data(), n, R"("market":")");
    n = put(body_buf_.data(), n, condition_id);
    body_buf_[n++] = '"';
  }
  if (!asset_id.empty()) {
    if (!condition_id.empty()) body_buf_[n++] = ',';
    n = put(body_buf_.data(), n, R"("asset_id":")");
    n = put(body_buf_.data(), n, asset_id);
    body_buf_[n++] = '"';
  }
  body_buf_[n++] = '}';
  const SendStatus s = submit(*orders_http_, Endpoint::kCancelMarket, 1, net::HttpMethod::kDelete,
                              "/cancel-market-orders", std::string_view(body_buf_.data(), n),
                              make_tag(RequestKind::kCancelMarket, 0));
  counters_.cancels_sent += s == SendStatus::kSent ? 1 : 0;
  return s;
}

SendStatus ClobGateway::query_open_orders(std::string_view cursor) noexcept {
  if (cursor.size() > kMaxCursor) return SendStatus::kTooLarge;
  std::size_t n = put(target_buf_.data(), 0, "/data/orders?next_cursor=");
  n = put(target_buf_.data(), n, cursor.empty() ? std::string_view("MA==") : cursor);
  return submit(*query_http_, Endpoint::kDataOrders, 1, net::HttpMethod::kGet, std::string_view(target_buf_.data(), n),
                {}, make_tag(RequestKind::kDataOrders, 0));
}

SendStatus ClobGateway::query_trades(std::int64_t after_s, std::string_view cursor) noexcept {
  if (cursor.size() > kMaxCursor) return SendStatus::kTooLarge;
  std::size_t n = put(target_buf_.data(), 0, "/data/trades?after=");
  n += write_u64(static_cast<std::uint64_t>(after_s < 0 ? 0 : after_s), target_buf_.data() + n);
  if (!cursor.empty()) {
    n = put(target_buf_.data(), n, "&next_cursor=");
    n = put(target_buf_.data(), n, cursor);
  }
  return submit(*query_http_, Endpoint::kDataTrades, 1, net::HttpMethod::kGet,
                std::string_view(target_buf_.data(), n), {}, make_tag(RequestKind::kDataTrades, 0));
}

SendStatus ClobGateway::query_balance(std::string_view token_id) noexcept {
  if (token_id.size() > 100) return SendStatus::kTooLarge;
  std::size_t n = 0;
  if (token_id.empty()) {
    n = put(target_buf_.data(), 0, "/balance-allowance?asset_type=COLLATERAL&signature_type=");
  } else {
    n = put(target_buf_.data(), 0, "/balance-allowance?asset_type=CONDITIONAL&token_id=");
    n = put(target_buf_.data(), n, token_id);
    n = put(target_buf_.data(), n, "&signature_type=");
  }
  n += write_u64(static_cast<std::uint64_t>(cfg_.signature_type), target_buf_.data() + n);
  return submit(*query_http_, Endpoint::kBalance, 1, net::HttpMethod::kGet, std::string_view(target_buf_.data(), n),
                {}, make_tag(RequestKind::kBalance, 0));
}

SendStatus ClobGateway::sync_time() noexcept {
  net::HttpRequest req;
  req.method = net::HttpMethod::kGet;
  req.target = "/time";
  req.tag = make_tag(RequestKind::kTime, static_cast<std::uint64_t>(clock_.now_ns() / 1'000'000'000));
  if (limiter_.try_admit(Endpoint::kTime, 1, clock_.now_ns()) != Admit::kYes) return SendStatus::kBackPressure;
  return query_http_->submit(req) == net::NetError::kOk ? SendStatus::kSent : SendStatus::kQueueFull;
}

void ClobGateway::poll(std::int64_t now_ns) noexcept {
  if (!cfg_.heartbeats || hb_in_flight_ || now_ns < hb_next_ns_) return;
  std::size_t n = put(body_buf_.data(), 0, R"({"heartbeat_id":")");
  n = put(body_buf_.data(), n, std::string_view(hb_id_.data(), hb_id_len_));
  n = put(body_buf_.data(), n, R"("})");
  const SendStatus s = submit(*query_http_, Endpoint::kHeartbeat, 1, net::HttpMethod::kPost, cfg_.heartbeat_path,
                              std::string_view(body_buf_.data(), n), make_tag(RequestKind::kHeartbeat, 0));
  if (s == SendStatus::kSent) {
    hb_in_flight_ = true;
    ++counters_.heartbeats_sent;
  }
  hb_next_ns_ = now_ns + cfg_.heartbeat_interval_ms * 1'000'000;
}

bool ClobGateway::heartbeat_healthy(std::int64_t now_ns) const noexcept {
  if (!cfg_.heartbeats) return true;
  return hb_ever_acked_ && now_ns - hb_last_ack_ns_ <= cfg_.heartbeat_grace_ms * 1'000'000;
}

std::string_view ClobGateway::error_message(std::string_view body) noexcept {
  // {"error": "..."} or {"errorMsg": "..."}; `error` may itself be an object (then its raw JSON is the message).
  if (!looks_like_json(body)) return body;
  od::document doc;
  if (parser_.iterate(body.data(), body.size(), body.size() + net::kFramePadding).get(doc)) return body;
  od::object obj;
  if (doc.get_object().get(obj)) return body;
  for (auto f : obj) {
    std::string_view k;
    if (f.unescaped_key().get(k)) break;
    if (k != "error" && k != "errorMsg") continue;
    od::value v;
    if (f.value().get(v)) break;
    std::string_view s;
    if (!v.get_string().get(s)) return s;
    return body;
  }
  return body;
}

void ClobGateway::note_back_pressure(Endpoint ep, const net::HttpResponse& r) noexcept {
  const std::int64_t now = clock_.now_ns();
  if (r.status == 429) {
    std::int64_t retry_ns = 0;
    const std::string_view ra = r.header("Retry-After");
    std::int64_t secs = 0;
    bool ok = !ra.empty();
    for (char c : ra) {
      if (c < '0' || c > '9') {
        ok = false;
        break;
      }
      secs = secs * 10 + (c - '0');
    }
    if (ok) retry_ns = secs * 1'000'000'000;
    limiter_.on_rate_limited(ep, retry_ns, now);
  } else if (r.status == 425) {
    limiter_.on_too_early(now);
  }
}

VenueError ClobGateway::classify(const net::HttpResponse& r, std::string_view message) noexcept {
  if (r.error == net::NetError::kTimeout) return VenueError::kTimeout;
  if (r.error != net::NetError::kOk) return VenueError::kTransport;
  return classify_venue_error(r.status, message);
}

void ClobGateway::on_response(net::HttpClient& /*client*/, std::uint64_t tag, const net::HttpResponse& r) noexcept {
  const auto kind = static_cast<RequestKind>(tag >> kKindShift);
  switch (kind) {
    case RequestKind::kOrder: return handle_order(tag & kIdMask, r);
    case RequestKind::kBatch: return handle_batch(tag & kIdMask, r);
    case RequestKind::kCancel:
    case RequestKind::kCancelMany:
    case RequestKind::kCancelAll:
    case RequestKind::kCancelMarket: return handle_cancel(kind, r);
    case RequestKind::kHeartbeat: return handle_heartbeat(r);
    case RequestKind::kTime: {
      if (r.error == net::NetError::kOk && r.status == 200) {
        std::int64_t server = 0;
        bool ok = !r.body.empty();
        for (char c : r.body) {
          if (c == '\n' || c == ' ' || c == '\r') continue;
          if (c < '0' || c > '9') {
            ok = false;
            break;
          }
          server = server * 10 + (c - '0');
        }
        const std::int64_t local = clock_.now_ns() / 1'000'000'000;
        if (ok) skew_s_ = server - local;
      }
      return;
    }
    case RequestKind::kDataOrders:
    case RequestKind::kDataTrades:
    case RequestKind::kBalance: {
      VenueError e = classify(r, r.error == net::NetError::kOk && r.status != 200 ? error_message(r.body) : "");
      if (r.error == net::NetError::kOk && r.status == 200) e = VenueError::kNone;
      if (e == VenueError::kRateLimited || e == VenueError::kTooEarly)
        note_back_pressure(kind == RequestKind::kDataOrders ? Endpoint::kDataOrders
                           : kind == RequestKind::kDataTrades ? Endpoint::kDataTrades
                                                              : Endpoint::kBalance,
                           r);
      listener_.on_query_answer(kind, e, r.body);
      return;
    }
  }
}

namespace {
struct AnswerFields {
  std::string_view error_msg, status, order_id;
  bool success = false;
};
bool read_answer(od::object obj, AnswerFields* f) noexcept {
  for (auto field : obj) {
    std::string_view k;
    od::value v;
    if (field.unescaped_key().get(k) || field.value().get(v)) return false;
    simdjson::error_code ignored = simdjson::SUCCESS;  // a field of another type is left empty
    if (k == "success") {
      ignored = v.get_bool().get(f->success);
    } else if (k == "errorMsg" || k == "error") {
      ignored = v.get_string().get(f->error_msg);
    } else if (k == "status") {
      ignored = v.get_string().get(f->status);
    } else if (k == "orderID") {
      ignored = v.get_string().get(f->order_id);
    }
    (void)ignored;
  }
  return true;
}
}  // namespace

void ClobGateway::decide(int http_status, const void* fields_ptr, std::string_view raw, OrderAnswer& a) noexcept {
  const auto& f = *static_cast<const AnswerFields*>(fields_ptr);
  a.has_order_id = !f.order_id.empty() && parse_digest_hex(f.order_id, &a.order_id);
  if (http_status == 200 && f.success && a.has_order_id && f.error_msg.empty()) {
    a.error = VenueError::kNone;
    a.status = f.status == "live"        ? VenueOrderStatus::kLive
               : f.status == "matched"   ? VenueOrderStatus::kMatched
               : f.status == "delayed"   ? VenueOrderStatus::kDelayed
               : f.status == "unmatched" ? VenueOrderStatus::kUnmatched
                                         : VenueOrderStatus::kNone;
  } else if (http_status == 200 && f.success && a.has_order_id && !f.error_msg.empty()) {
    // "success": true with an errorMsg: ORDER_DELAYED and friends.
    a.error = classify_venue_error(http_status, f.error_msg);
    if (a.error == VenueError::kOrderDelayed) a.status = VenueOrderStatus::kDelayed;
  } else {
    // A batch leg can say success:true with an empty orderID and an errorMsg: check both, not only success.
    a.error = classify_venue_error(http_status == 200 && !f.success && f.error_msg.empty() ? 400 : http_status,
                                   f.error_msg.empty() ? raw : f.error_msg);
    if (a.error == VenueError::kNone) a.error = VenueError::kUnrecognised;
  }
  a.disposition = disposition_of(a.error);
}

void ClobGateway::handle_order(std::uint64_t id, const net::HttpResponse& r) noexcept {
  OrderAnswer a;
  a.http_status = r.status;
  a.latency_ns = r.latency_ns;
  if (r.error != net::NetError::kOk) {
    a.error = classify(r, {});
    a.disposition = disposition_of(a.error);
    listener_.on_order_answer(ClientOrderId{id}, a);
    return;
  }
  AnswerFields f;
  bool parsed = false;
  if (looks_like_json(r.body)) {
    od::document doc;
    od::object obj;
    parsed = !parser_.iterate(r.body.data(), r.body.size(), r.body.size() + net::kFramePadding).get(doc) &&
             !doc.get_object().get(obj) && read_answer(obj, &f);
  }
  if (!parsed) ++counters_.malformed_answers;
  decide(r.status, &f, r.body, a);
  if (a.error == VenueError::kNone) limiter_.on_success(Endpoint::kPostOrder);
  if (a.disposition == Disposition::kBackPressure) note_back_pressure(Endpoint::kPostOrder, r);
  listener_.on_order_answer(ClientOrderId{id}, a);
}

SendStatus ClobGateway::send_orders(const ClientOrderId* ids, const std::string_view* bodies, std::uint32_t n) noexcept {
  if (n == 0 || n > kMaxBatch) return SendStatus::kNeverFits;
  std::uint32_t b = 0;
  while (b < batches_.size() && batches_[b].n != 0) ++b;
  if (b == batches_.size()) return SendStatus::kQueueFull;
  std::size_t len = 0;
  body_buf_[len++] = '[';
  for (std::uint32_t i = 0; i < n; ++i) {
    if (len + bodies[i].size() + 2 > body_buf_.size()) return SendStatus::kTooLarge;
    if (i > 0) body_buf_[len++] = ',';
    len = put(body_buf_.data(), len, bodies[i]);
  }
  body_buf_[len++] = ']';
  const SendStatus s = submit(*orders_http_, Endpoint::kPostOrders, n, net::HttpMethod::kPost, "/orders",
                              std::string_view(body_buf_.data(), len), make_tag(RequestKind::kBatch, b));
  if (s != SendStatus::kSent) return s;
  for (std::uint32_t i = 0; i < n; ++i) batches_[b].ids[i] = ids[i];
  batches_[b].n = n;
  counters_.orders_sent += n;
  return s;
}

void ClobGateway::handle_batch(std::uint64_t b, const net::HttpResponse& r) noexcept {
  if (b >= batches_.size() || batches_[b].n == 0) return;
  const Batch batch = batches_[b];
  batches_[b].n = 0;
  OrderAnswer whole;
  whole.http_status = r.status;
  whole.latency_ns = r.latency_ns;
  od::document doc;
  od::array arr;
  if (r.error != net::NetError::kOk || r.status != 200 || !looks_like_json(r.body) ||
      parser_.iterate(r.body.data(), r.body.size(), r.body.size() + net::kFramePadding).get(doc) ||
      doc.get_array().get(arr)) {
    // The request failed as a whole: every leg gets the same answer (legs are not atomic on the venue, but a
    // failed request carried none of them... unless the answer was lost: then they are all Unknown).
    whole.error = classify(r, r.error == net::NetError::kOk ? error_message(r.body) : "");
    if (whole.error == VenueError::kNone) whole.error = VenueError::kUnrecognised;
    whole.disposition = disposition_of(whole.error);
    if (whole.disposition == Disposition::kBackPressure) note_back_pressure(Endpoint::kPostOrders, r);
    for (std::uint32_t i = 0; i < batch.n; ++i) listener_.on_order_answer(batch.ids[i], whole);
    return;
  }
  std::uint32_t i = 0;
  for (auto elem : arr) {
    if (i == batch.n) break;
    OrderAnswer a = whole;
    AnswerFields f;
    od::object obj;
    if (elem.get_object().get(obj) || !read_answer(obj, &f)) ++counters_.malformed_answers;
    decide(200, &f, {}, a);
    listener_.on_order_answer(batch.ids[i++], a);
  }
  // Legs the venue did not answer for: we cannot tell.
  for (; i < batch.n; ++i) {
    OrderAnswer a = whole;
    a.error = VenueError::kUnrecognised;
    a.disposition = Disposition::kUnknown;
    listener_.on_order_answer(batch.ids[i], a);
  }
}

void ClobGateway::handle_cancel(RequestKind kind, const net::HttpResponse& r) noexcept {
  if (r.error != net::NetError::kOk || r.status != 200) {
    const VenueError e = classify(r, r.error == net::NetError::kOk ? error_message(r.body) : "");
    note_back_pressure(kind == RequestKind::kCancel       ? Endpoint::kDeleteOrder
                       : kind == RequestKind::kCancelMany ? Endpoint::kDeleteOrders
                       : kind == RequestKind::kCancelAll  ? Endpoint::kCancelAll
                                                          : Endpoint::kCancelMarket,
                       r);
    listener_.on_cancel_failed(kind, e);
    return;
  }
  od::document doc;
  od::object obj;
  if (parser_.iterate(r.body.data(), r.body.size(), r.body.size() + net::kFramePadding).get(doc) ||
      doc.get_object().get(obj)) {
    ++counters_.malformed_answers;
    listener_.on_cancel_failed(kind, VenueError::kUnrecognised);
    return;
  }
  for (auto f : obj) {
    std::string_view k;
    od::value v;
    if (f.unescaped_key().get(k) || f.value().get(v)) break;
    if (k == "canceled") {
      od::array arr;
      if (v.get_array().get(arr)) continue;
      for (auto e : arr) {
        std::string_view s;
        OrderDigest d;
        if (!e.get_string().get(s) && parse_digest_hex(s, &d)) listener_.on_cancel_answer(d, true, VenueError::kNone);
      }
    } else if (k == "not_canceled") {
      od::object nc;
      if (v.get_object().get(nc)) continue;
      for (auto g : nc) {
        std::string_view id_s, reason;
        od::value rv;
        if (g.unescaped_key().get(id_s)) break;
        OrderDigest d;
        const bool id_ok = parse_digest_hex(id_s, &d);
        if (g.value().get(rv) || rv.get_string().get(reason)) reason = {};
        if (id_ok) listener_.on_cancel_answer(d, false, classify_venue_error(200, reason));
      }
    }
  }
}

void ClobGateway::handle_heartbeat(const net::HttpResponse& r) noexcept {
  hb_in_flight_ = false;
  const std::int64_t now = clock_.now_ns();
  if (r.error == net::NetError::kOk && r.status == 200) {
    std::string_view id;
    if (looks_like_json(r.body)) {
      od::document doc;
      od::object obj;
      if (!parser_.iterate(r.body.data(), r.body.size(), r.body.size() + net::kFramePadding).get(doc) &&
          !doc.get_object().get(obj)) {
        for (auto f : obj) {
          std::string_view k;
          if (f.unescaped_key().get(k)) break;
          if (k != "heartbeat_id") continue;
          od::value v;
          if (!f.value().get(v) && v.get_string().get(id)) id = {};
        }
      }
    }
    // The docs' example answers {"status":"ok"} with no id: keep the one we have.
    if (!id.empty() && id.size() <= hb_id_.size()) {
      std::memcpy(hb_id_.data(), id.data(), id.size());
      hb_id_len_ = id.size();
    }
    hb_ever_acked_ = true;
    hb_last_ack_ns_ = now;
    listener_.on_heartbeat(true, VenueError::kNone);
    return;
  }
  ++counters_.heartbeats_failed;
  const VenueError e = classify(r, r.error == net::NetError::kOk ? error_message(r.body) : "");
  note_back_pressure(Endpoint::kHeartbeat, r);
  if (e == VenueError::kInvalidHeartbeatId) {
    hb_id_len_ = 0;       // restart the chain with ""
    hb_next_ns_ = now;    // at once: the venue may be about to cancel everything
  }
  listener_.on_heartbeat(false, e);
}

// ---- L1 start-up ----
namespace {
struct Capture final : net::HttpHandler {
  bool done = false;
  int status = 0;
  net::NetError error = net::NetError::kOk;
  std::string body;
  void on_response(net::HttpClient&, std::uint64_t, const net::HttpResponse& r) noexcept override {
    done = true;
    status = r.status;
    error = r.error;
    body.assign(r.body.data(), r.body.size());
  }
};

bool json_field(simdjson::dom::parser& p, const std::string& body, const char* key, std::string* out) {
  simdjson::dom::element root;
  std::string_view v;
  if (p.parse(body).get(root) || root[key].get(v)) return false;
  out->assign(v.data(), v.size());
  return true;
}
}  // namespace

Result<ApiKeyTriple, std::string> create_or_derive_api_key(net::IoLoop& loop, const net::TlsClientContext* tls,
                                                           const std::string& base_url, const Signer& signer,
                                                           const ExchangeDomains& domains, std::uint64_t nonce,
                                                           const Clock& clock, int timeout_ms) {
  Capture cap;
  net::HttpClientConfig hc;
  hc.base_url = base_url;
  hc.keep_warm = false;
  hc.clock = &clock;
  auto client = net::HttpClient::create(loop, tls, hc, cap);
  if (!client) return Err{"gateway.base_url \"" + base_url + "\": " + std::string(net::to_string(client.error()))};
  simdjson::dom::parser parser;
  for (int attempt = 0; attempt < 2; ++attempt) {
    const std::uint64_t ts = static_cast<std::uint64_t>(clock.now_ns() / 1'000'000'000);
    const L1Headers h = make_l1_headers(signer, domains.auth_domain(), domains.auth_message(), ts, nonce);
    char addr[Address::kHexLen];
    h.address.write_checksummed(addr);
    char sig[2 + 130];
    sig[0] = '0';
    sig[1] = 'x';
    write_hex(h.signature.bytes.data(), 65, sig + 2);
    char ts_s[24], nonce_s[24];
    const std::size_t ts_n = write_u64(ts, ts_s);
    const std::size_t nonce_n = write_u64(nonce, nonce_s);
    const net::HttpHeader headers[] = {{"POLY_ADDRESS", std::string_view(addr, sizeof(addr))},
                                       {"POLY_SIGNATURE", std::string_view(sig, sizeof(sig))},
                                       {"POLY_TIMESTAMP", std::string_view(ts_s, ts_n)},
                                       {"POLY_NONCE", std::string_view(nonce_s, nonce_n)}};
    net::HttpRequest req;
    req.method = attempt == 0 ? net::HttpMethod::kPost : net::HttpMethod::kGet;
    req.target = attempt == 0 ? "/auth/api-key" : "/auth/derive-api-key";
    req.headers = headers;
    cap = Capture{};
    if ((*client)->submit(req) != net::NetError::kOk) return Err{std::string("L1 request could not be queued")};
    if (!loop.run_until([&] { return cap.done; }, timeout_ms))
      return Err{std::string("L1 ") + std::string(req.target) + ": no answer in time"};
    if (cap.error != net::NetError::kOk)
      return Err{std::string("L1 ") + std::string(req.target) + ": " + std::string(net::to_string(cap.error))};
    ApiKeyTriple k;
    if (cap.status == 200 && json_field(parser, cap.body, "apiKey", &k.api_key) &&
        json_field(parser, cap.body, "secret", &k.secret) && json_field(parser, cap.body, "passphrase", &k.passphrase))
      return k;
    if (cap.status == 401) return Err{std::string("L1 ") + std::string(req.target) + ": HTTP 401 (Invalid L1 Request headers)"};
  }
  return Err{"L1 create and derive both failed (HTTP " + std::to_string(cap.status) + ")"};
}

}  // namespace polybot::oms
