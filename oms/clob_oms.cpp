#include "oms/clob_oms.hpp"

#include <openssl/crypto.h>

namespace polybot::oms {
namespace {
void wipe(std::string& s) noexcept {
  if (!s.empty()) OPENSSL_cleanse(s.data(), s.size());
  s.clear();
}
}  // namespace

ClobOms::ClobOms(ClobOmsConfig cfg, Signer signer, const Clock& clock)
    : cfg_(std::move(cfg)), clock_(clock), signer_(std::move(signer)) {}

ClobOms::~ClobOms() {
  if (user_) user_->stop();
  for (int i = 0; i < 20; ++i) loop_.poll();
  if (signing_) signing_->stop();
}

Result<std::unique_ptr<ClobOms>, std::string> ClobOms::create(ClobOmsConfig cfg, Signer signer,
                                                              std::optional<ApiKeyText> creds, const Clock& clock,
                                                              StageRecorder* recorder, OmsInputRecorder* inputs) {
  // Whatever happens below, the secret's text copies are wiped when this returns.
  struct WipeOnExit {
    std::optional<ApiKeyText>& given;
    ~WipeOnExit() {
      if (given) {
        wipe(given->secret);
        wipe(given->passphrase);
      }
    }
  } wipe_given{creds};
  std::unique_ptr<ClobOms> s(new ClobOms(std::move(cfg), std::move(signer), clock));
  ClobOmsConfig& c = s->cfg_;
  if (c.markets.empty() && !c.markets_from_stream) {
    return Err{std::string("oms.markets: empty (the oms needs at least one token to trade)")};
  }

  net::TlsClientOptions to;
  to.use_system_trust = c.system_trust;
  to.extra_ca_pem = c.ca_pem;
  to.extra_ca_file = c.ca_file;
  auto tls = net::TlsClientContext::create(to);
  if (!tls) return Err{"oms.ca_file = \"" + c.ca_file + "\": " + tls.error().detail};
  s->tls_.emplace(std::move(*tls));

  auto domains = ExchangeDomains::make(c.exchange);
  if (!domains) return Err{"oms.exchange: " + domains.error()};
  s->domains_.emplace(std::move(*domains));
  s->order_signer_ = std::make_unique<OrderSigner>(s->signer_, *s->domains_);

  if (auto d = fill_directory(c.markets, s->dir_); !d) return Err{d.error()};

  // API credentials: given (environment) or created/derived with an L1 signature at first run.
  ApiKeyText text;
  struct WipeText {
    ApiKeyText& t;
    ~WipeText() {
      wipe(t.secret);
      wipe(t.passphrase);
    }
  } wipe_text{text};
  if (creds) {
    text = std::move(*creds);
  } else {
    auto k = create_or_derive_api_key(s->loop_, &*s->tls_, c.rest_url, s->signer_, *s->domains_, c.l1_nonce, clock,
                                      c.startup_timeout_ms);
    if (!k) return Err{"oms: L1 create/derive API key at " + c.rest_url + ": " + k.error()};
    text.api_key = std::move(k->api_key);
    text.secret = std::move(k->secret);
    text.passphrase = std::move(k->passphrase);
  }
  auto made = ApiCredentials::make(text.api_key, text.secret, text.passphrase);
  if (!made) return Err{"oms: API credentials: " + made.error().message};
  s->creds_.emplace(std::move(*made));

  s->store_ = std::make_unique<SignedOrderStore>(c.signed_slots);
  c.signing.owner = text.api_key;
  c.signing.market_rounding = c.oms.market_rounding;
  c.signing.l2_key = &s->creds_->hmac();
  s->signing_ = std::make_unique<SigningService>(*s->order_signer_, s->dir_, *s->store_, c.signing, clock);

  c.gateway.base_url = c.rest_url;
  c.gateway.signature_type = static_cast<int>(c.signing.signature_type);
  auto gw = ClobGateway::create(s->loop_, &*s->tls_, c.gateway, *s->creds_, s->signer_.address(), clock, s->forward_);
  if (!gw) return Err{"oms.rest_url = \"" + c.rest_url + "\": " + gw.error()};
  s->gateway_ = std::move(*gw);

  s->agent_ = std::make_unique<OmsAgent>(s->loop_, clock, recorder);
  c.oms.api_key = text.api_key;
  if (c.signing.has_funder) {
    char hex[Address::kHexLen];
    c.signing.funder.write_checksummed(hex);
    c.oms.funder_address.assign(hex, Address::kHexLen);
  }
  s->logic_ = std::make_unique<OmsLogic>(c.oms, s->dir_, *s->store_, *s->signing_, s->gateway_.get(), clock,
                                         *s->agent_);
  s->logic_->set_directory_writer(&s->dir_);  // markets announced by MarketDef (roll-over)
  s->logic_->set_input_recorder(inputs);
  s->forward_.logic = s->logic_.get();
  if (auto p = apply_presign(c.presign, s->dir_, *s->logic_); !p) return Err{p.error()};
  s->agent_->set_drain_timeout_ms(c.drain_timeout_ms);
  s->agent_->set_start_timeout_ms(c.start_timeout_ms);

  if (c.user_channel) {
    c.user.url = c.ws_url;
    auto ch = UserChannel::create(s->loop_, &*s->tls_, c.user, text.api_key, text.secret, text.passphrase,
                                  *s->logic_);
    if (!ch) return Err{"oms.ws_url = \"" + c.ws_url + "\": " + ch.error()};
    s->user_ = std::move(*ch);
  }
  return s;
}

Status<std::string> ClobOms::fill_directory(const std::vector<OmsMarket>& markets, MarketDirectory& dir) {
  for (const OmsMarket& m : markets) {
    if (!dir.set(m.instrument, m.market, m.token_id, m.condition_id, m.tick, m.min_size, m.neg_risk)) {
      return Err{"oms.markets: instrument " + std::to_string(m.instrument.value) + " token_id = \"" + m.token_id +
                 "\" condition_id = \"" + m.condition_id + "\" tick = " + m.tick.to_string() +
                 ": not a valid token (decimal uint256), condition id (0x + 64 hex) or tick"};
    }
  }
  return Ok{};
}

Status<std::string> ClobOms::apply_presign(const std::vector<OmsPresignTarget>& presign,
                                                 const MarketDirectory& dir, OmsLogic& logic) {
  for (const OmsPresignTarget& t : presign) {
    if (dir.find(t.instrument) == nullptr) {
      return Err{"oms.presign: instrument " + std::to_string(t.instrument.value) + " is not in oms.markets"};
    }
    const auto n = static_cast<std::uint32_t>(t.prices.size());
    if (t.amount_raw > 0) {
      logic.set_presign_market_targets(t.instrument, t.side, t.prices.data(), n, t.amount_raw, t.type);
    } else {
      logic.set_presign_targets(t.instrument, t.side, t.prices.data(), n, t.size, t.type, t.post_only);
    }
  }
  return Ok{};
}

void ClobOms::bind(Channel<Envelope>& input, Channel<Envelope>* output, const Agent* upstream) noexcept {
  agent_->bind(*logic_, input, output);
  agent_->set_upstream(upstream);
}

void ClobOms::start() noexcept {
  if (started_) return;
  started_ = true;
  signing_->start();
  gateway_->start();
  if (user_) user_->start();
}

}  // namespace polybot::oms
