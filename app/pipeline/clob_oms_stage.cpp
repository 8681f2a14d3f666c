#include "app/pipeline/clob_oms_stage.hpp"

#include <cstdlib>
#include <cstring>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "journal/format.hpp"
#include "journal/journal_recorder.hpp"
#include "journal/message_fields.hpp"
#include "journal/replay.hpp"
#include "journal/stream_reader.hpp"
#include "oms/crypto/base64.hpp"
#include "oms/secrets/api_credentials.hpp"
#include "oms/secrets/private_key.hpp"

namespace polybot::app {
namespace {

// 32 random bytes as a key that lives only in this process (simulator runs): never written anywhere.
Result<oms::PrivateKey, std::string> ephemeral_key() {
  for (int attempt = 0; attempt < 4; ++attempt) {
    unsigned char raw[32];
    char hex[65];
    if (RAND_bytes(raw, sizeof raw) != 1) return Err{std::string("oms.key_source = \"ephemeral\": no randomness")};
    static const char* k = "0123456789abcdef";
    for (int i = 0; i < 32; ++i) {
      hex[2 * i] = k[raw[i] >> 4];
      hex[2 * i + 1] = k[raw[i] & 15];
    }
    auto key = oms::PrivateKey::from_hex(std::string_view(hex, 64), "ephemeral");
    OPENSSL_cleanse(raw, sizeof raw);
    OPENSSL_cleanse(hex, sizeof hex);
    if (key) return std::move(*key);
  }
  return Err{std::string("oms.key_source = \"ephemeral\": could not make a valid key")};
}

std::string random_hex(std::size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  (void)RAND_bytes(raw.data(), static_cast<int>(bytes));
  std::string s;
  static const char* k = "0123456789abcdef";
  for (unsigned char b : raw) {
    s += k[b >> 4];
    s += k[b & 15];
  }
  return s;
}

}  // namespace

void JournalOmsInputs::record(oms::OmsInputKind kind, std::int64_t ts_ns, const void* head, std::uint32_t head_size,
                              std::string_view body) noexcept {
  if (rec_ == nullptr || head_size > 1024) return;
  std::size_t n = 0;
  buf_[n++] = static_cast<char>(kind);
  buf_[n++] = static_cast<char>(head_size & 0xFF);
  buf_[n++] = static_cast<char>(head_size >> 8);
  if (head_size > 0) std::memcpy(buf_.data() + n, head, head_size);
  n += head_size;
  std::size_t len = body.size();
  if (n + len > buf_.size()) {
    len = buf_.size() - n;
    ++truncated_;
  }
  if (len > 0) std::memcpy(buf_.data() + n, body.data(), len);
  n += len;
  rec_->on_raw_frame(Stage::kOms, ts_ns, buf_.data(), static_cast<std::uint32_t>(n));
}

ClobOmsStage::~ClobOmsStage() {
  oms_.reset();  // the engine side first: its sessions close against a live venue
  if (server_) server_->stop();
}

Result<std::unique_ptr<ClobOmsStage>, std::string> ClobOmsStage::create(const OmsStageConfig& cfg, const Clock& clock,
                                                                        StageRecorder* recorder) {
  std::unique_ptr<ClobOmsStage> s(new ClobOmsStage());
  oms::ClobOmsConfig c = cfg.clob;

  // The private key: one place, never printed.
  Result<oms::PrivateKey, std::string> key = Err{std::string()};
  switch (cfg.key_source) {
    case KeySource::kEphemeral: key = ephemeral_key(); break;
    case KeySource::kFile: {
      auto k = oms::PrivateKey::from_file(cfg.key_file);
      if (k) key = std::move(*k);
      else key = Err{"oms.key_file = \"" + cfg.key_file + "\": " + k.error().message};
      break;
    }
    case KeySource::kEnv: {
      auto k = oms::PrivateKey::from_env();
      if (k) key = std::move(*k);
      else key = Err{std::string("oms.key_source = \"env\": ") + k.error().message};
      break;
    }
  }
  if (!key) return Err{key.error()};
  auto signer = oms::Signer::make(std::move(*key));
  if (!signer) return Err{"oms: private key: " + signer.error().message};

  std::optional<oms::ApiKeyText> creds;
  if (cfg.simulator.enabled) {
    // The loopback venue: this key's account, fresh API credentials (learnt through L1 derive, as at first run).
    auto pki = net::TestPki::create("polybot simulator CA");
    if (!pki) return Err{std::string("oms.simulator: could not make the loopback CA")};
    s->pki_ = std::move(*pki);
    sim::venue::VenueConfig vc;
    vc.exchange = c.exchange;
    for (const auto& m : c.markets) {
      sim::venue::VenueMarket vm;
      vm.condition_id = m.condition_id;
      vm.token_id = m.token_id;
      vm.tick = m.tick;
      vm.min_size = m.min_size;
      vm.neg_risk = m.neg_risk;
      vc.markets.push_back(vm);
    }
    vc.account.api_key = random_hex(4) + "-" + random_hex(2) + "-" + random_hex(2) + "-" + random_hex(2) + "-" + random_hex(6);
    {
      std::vector<unsigned char> secret(32);
      (void)RAND_bytes(secret.data(), 32);
      std::string b64(oms::base64_encoded_len(32), '\0');
      b64.resize(oms::base64url_encode_padded(secret.data(), 32, b64.data()));
      vc.account.secret_b64 = b64;
      OPENSSL_cleanse(secret.data(), secret.size());
      OPENSSL_cleanse(b64.data(), b64.size());
    }
    vc.account.passphrase = random_hex(16);
    vc.account.signer = signer->address();
    if (c.signing.has_funder) vc.account.funder = c.signing.funder;
    vc.account.collateral = cfg.simulator.collateral.raw;
    vc.heartbeat_timeout_ms = cfg.simulator.heartbeat_timeout_ms;
    vc.page_size = cfg.simulator.page_size;
    auto venue = sim::venue::ClobVenue::create(vc);
    if (!venue) return Err{"oms.simulator: " + venue.error()};
    s->venue_ = std::move(*venue);
    if (cfg.simulator.liquidity_price.raw > 0 && cfg.simulator.liquidity_size.raw > 0) {
      for (const auto& m : c.markets)
        s->venue_->add_liquidity(m.token_id, Side::kSell, cfg.simulator.liquidity_price, cfg.simulator.liquidity_size);
    }
    sim::venue::VenueServerConfig sc;
    sc.server.tls_options.cert_chain_pem = s->pki_.server.cert_pem;
    sc.server.tls_options.private_key_pem = s->pki_.server.key_pem;
    s->server_ = std::make_unique<sim::venue::VenueServer>(sc, *s->venue_);
    auto port = s->server_->start();
    if (!port) return Err{std::string("oms.simulator: could not listen on loopback")};
    c.rest_url = "https://127.0.0.1:" + std::to_string(*port);
    c.ws_url = "wss://127.0.0.1:" + std::to_string(*port) + "/ws/user";
    c.ca_file.clear();
    c.ca_pem = s->pki_.ca_cert_pem;
    c.system_trust = false;
  } else if (cfg.api_credentials == ApiCredsSource::kEnv) {
    const char* k = std::getenv(oms::kApiKeyEnv);
    const char* sec = std::getenv(oms::kApiSecretEnv);
    const char* pass = std::getenv(oms::kApiPassphraseEnv);
    if (k == nullptr || sec == nullptr || pass == nullptr || *k == 0 || *sec == 0 || *pass == 0) {
      return Err{std::string("oms.api_credentials = \"env\": set ") + oms::kApiKeyEnv + ", " + oms::kApiSecretEnv +
                 " and " + oms::kApiPassphraseEnv + " (or api_credentials = \"derive\" for an L1 create/derive)"};
    }
    creds = oms::ApiKeyText{k, sec, pass};
  }

  journal::JournalRecorder* jr = dynamic_cast<journal::JournalRecorder*>(recorder);
  if (jr != nullptr) s->inputs_ = std::make_unique<JournalOmsInputs>(jr);
  auto made = oms::ClobOms::create(std::move(c), std::move(*signer), std::move(creds), clock, recorder, s->inputs_.get());
  if (!made) return Err{made.error()};
  s->oms_ = std::move(*made);
  return s;
}

ClobSummary ClobOmsStage::summary() {
  ClobSummary r;
  r.oms = oms_->logic().counters();
  r.gateway = oms_->gateway().counters();
  if (venue_) {
    r.simulator = true;
    r.venue = venue_->stats();
    r.venue_open_orders = venue_->open_order_count();
  }
  return r;
}

std::vector<oms::OmsRecord> read_oms_journal(const std::string& journal_dir, std::string* fault) {
  std::vector<oms::OmsRecord> records;
  fault->clear();
  journal::StreamReader reader(journal_dir, journal::stage_name(Stage::kOms));
  journal::RecordView v;
  journal::ReadStatus st;
  while ((st = reader.next(v)) == journal::ReadStatus::kRecord) {
    oms::OmsRecord rec;
    rec.seq = v.seq;
    rec.ts_ns = v.ts_ns;
    if (v.type == journal::kTypeRawFrame) {
      if (!oms::decode_oms_input(v.payload, v.size, &rec.input, &rec.head, &rec.body)) {
        *fault = "record seq " + std::to_string(v.seq) + ": a raw oms record of " + std::to_string(v.size) +
                 " bytes is malformed";
        break;
      }
      rec.kind = oms::OmsRecord::Kind::kInput;
    } else {
      const std::size_t size = message_size(static_cast<MsgType>(v.type));
      if (size == 0 || v.size != size || size > sizeof(Envelope)) {
        *fault = "record seq " + std::to_string(v.seq) + ": type " + std::to_string(v.type) + " with " +
                 std::to_string(v.size) + " bytes is not a known message";
        break;
      }
      std::memcpy(static_cast<void*>(&rec.msg), v.payload, size);
      rec.msg_size = size;
      rec.kind = (v.flags & journal::record_flag::kConsumed) != 0 ? oms::OmsRecord::Kind::kConsumed
                                                                   : oms::OmsRecord::Kind::kProduced;
    }
    records.push_back(std::move(rec));
  }
  if (st == journal::ReadStatus::kFault) *fault = reader.fault().describe();
  return records;
}

std::string compare_journaled(const Envelope& j, const Envelope& r, std::size_t size) {
  const long at = journal::first_difference(j, r, size);
  if (at < 0) return {};
  const journal::MessageDesc* md = journal::describe(j.hdr.type);
  const journal::FieldDesc* f = md != nullptr ? journal::field_at(*md, static_cast<std::size_t>(at)) : nullptr;
  std::string jt, rt;
  if (f != nullptr && f->kind != journal::FieldKind::kPad) {
    journal::format_field(*f, reinterpret_cast<const std::byte*>(&j), jt, false);
    journal::format_field(*f, reinterpret_cast<const std::byte*>(&r), rt, false);
    return std::string("field ") + f->name + ": journaled " + jt + ", replayed " + rt;
  }
  return "byte " + std::to_string(at) + " differs";
}

oms::OmsReplayReport replay_clob_oms(const std::string& journal_dir, const oms::ClobOmsConfig& cfg, std::string* fault) {
  const std::vector<oms::OmsRecord> records = read_oms_journal(journal_dir, fault);
  return oms::replay_oms(cfg, records, compare_journaled);
}

}  // namespace polybot::app
