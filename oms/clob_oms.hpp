// ClobOms: the live oms stage against a Polymarket CLOB (or the loopback simulator), built once at start-up from
// a ClobOmsConfig: TLS context, exchange domains, signer, API credentials (given, or L1 create/derive at first
// run), market directory, signed-order store, the signing helper thread, the REST gateway, the user channel,
// OmsLogic and the OmsAgent that runs them on one Runner thread. Construction and destruction on the controlling
// thread (allocates, may block on the L1 handshake); after start() only the agent's thread touches it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/channel.hpp"
#include "core/clock.hpp"
#include "core/net/io_loop.hpp"
#include "core/net/tls_context.hpp"
#include "core/stage.hpp"
#include "oms/crypto/signer.hpp"
#include "oms/gateway/clob_gateway.hpp"
#include "oms/oms_agent.hpp"
#include "oms/oms_input_recorder.hpp"
#include "oms/oms_logic.hpp"
#include "oms/order/exchange_config.hpp"
#include "oms/order/order_signer.hpp"
#include "oms/presign/market_directory.hpp"
#include "oms/presign/signing_service.hpp"
#include "oms/secrets/api_credentials.hpp"
#include "oms/user_channel/user_channel.hpp"

namespace polybot::oms {

// One tradable token as the engine names it (InstrumentId) and as the venue does.
struct OmsMarket {
  InstrumentId instrument{};
  MarketId market{};
  std::string token_id;       // decimal uint256
  std::string condition_id;   // 0x + 64 hex
  Price tick = Price::from_raw(10'000);
  Qty min_size = Qty::from_raw(5'000'000);
  bool neg_risk = false;
};

// Orders to keep pre-signed for one token (OmsLogic::set_presign_targets / set_presign_market_targets): one per
// price; a request matching one exactly goes out without waiting for a signature.
struct OmsPresignTarget {
  InstrumentId instrument{};
  ::polybot::Side side = ::polybot::Side::kBuy;
  ::polybot::OrderType type = ::polybot::OrderType::kGtc;
  bool post_only = false;
  std::vector<Price> prices;
  Qty size;                    // limit orders (GTC/GTD/FOK/FAK by size)
  std::int64_t amount_raw = 0; // > 0: market orders (FOK/FAK) for this pUSD amount (BUY) / shares (SELL)
};

struct ClobOmsConfig {
  std::string rest_url = "https://clob.polymarket.com";
  std::string ws_url = "wss://ws-subscriptions-clob.polymarket.com/ws/user";
  bool system_trust = true;    // the OS trust store
  std::string ca_file;         // extra trusted CA (PEM file), e.g. the simulator's
  std::string ca_pem;          // the same, in memory (tests)
  bool user_channel = true;
  GatewayConfig gateway;       // base_url is taken from rest_url
  UserChannelConfig user;      // url is taken from ws_url
  SigningConfig signing;       // owner is taken from the API key
  ExchangeConfig exchange = ExchangeConfig::polygon();
  // api_key is taken from the credentials. Learned pre-sign targets are on for the live oms: with rolling markets
  // no target can be configured ahead (docs/DECISIONS.md).
  OmsConfig oms = [] {
    OmsConfig c;
    c.presign_auto.enabled = true;
    return c;
  }();
  std::uint32_t signed_slots = 256;
  std::vector<OmsMarket> markets;
  bool markets_from_stream = false;  // live feeds: tokens arrive as MarketDef inputs (roll-over), none up front
  std::vector<OmsPresignTarget> presign;
  std::uint64_t l1_nonce = 0;
  int startup_timeout_ms = 10'000;
  std::int64_t drain_timeout_ms = 5'000;  // after the upstream is done: how long to wait for answers
  std::int64_t start_timeout_ms = 10'000; // inputs wait this long at most for the oms to become ready
};

// API credentials as text (from the environment or the L1 derive), wiped by ClobOms once used.
struct ApiKeyText {
  std::string api_key, secret, passphrase;
};

class ClobOms {
 public:
  // `creds` empty: L1 create-or-derive against rest_url (blocking, start-up). Errors name the field and value,
  // never a secret. All referents outlive the ClobOms.
  static Result<std::unique_ptr<ClobOms>, std::string> create(ClobOmsConfig cfg, Signer signer,
                                                              std::optional<ApiKeyText> creds, const Clock& clock,
                                                              StageRecorder* recorder,
                                                              OmsInputRecorder* inputs = nullptr);
  ~ClobOms();
  ClobOms(const ClobOms&) = delete;
  ClobOms& operator=(const ClobOms&) = delete;

  // Set-up, before the Runner starts: the agent's channels (output may be null: ExecReports are then only
  // journaled and counted) and the upstream whose done() ends the run.
  void bind(Channel<Envelope>& input, Channel<Envelope>* output, const Agent* upstream = nullptr) noexcept;
  // Starts the signing helper and connects the gateway and user channel (handlers run on the agent's thread).
  void start() noexcept;

  [[nodiscard]] OmsAgent& agent() noexcept { return *agent_; }
  // Read these only while the agent's thread is not running (before start or after the Runner joined).
  [[nodiscard]] OmsLogic& logic() noexcept { return *logic_; }
  [[nodiscard]] ClobGateway& gateway() noexcept { return *gateway_; }
  [[nodiscard]] MarketDirectory& markets() noexcept { return dir_; }
  [[nodiscard]] const Address& address() const noexcept { return signer_.address(); }

  // The configuration steps the replay repeats: the market directory, and the pre-sign targets on a logic.
  static Status<std::string> fill_directory(const std::vector<OmsMarket>& markets, MarketDirectory& dir);
  static Status<std::string> apply_presign(const std::vector<OmsPresignTarget>& presign,
                                                 const MarketDirectory& dir, OmsLogic& logic);

 private:
  ClobOms(ClobOmsConfig cfg, Signer signer, const Clock& clock);

  // The gateway needs its listener before the logic exists; this forwards (and journals) once it does.
  struct Forward final : GatewayListener {
    OmsLogic* logic = nullptr;
    void on_order_answer(ClientOrderId id, const OrderAnswer& a) noexcept override { logic->on_order_answer(id, a); }
    void on_cancel_answer(const OrderDigest& id, bool c, VenueError r) noexcept override {
      logic->on_cancel_answer(id, c, r);
    }
    void on_cancel_failed(RequestKind k, VenueError e) noexcept override { logic->on_cancel_failed(k, e); }
    void on_query_answer(RequestKind k, VenueError e, std::string_view b) noexcept override {
      logic->on_query_answer(k, e, b);
    }
    void on_heartbeat(bool ok, VenueError e) noexcept override { logic->on_heartbeat(ok, e); }
  };

  ClobOmsConfig cfg_;
  const Clock& clock_;
  net::IoLoop loop_;
  std::optional<net::TlsClientContext> tls_;
  Signer signer_;
  std::optional<ExchangeDomains> domains_;
  std::unique_ptr<OrderSigner> order_signer_;
  std::optional<ApiCredentials> creds_;
  MarketDirectory dir_;
  std::unique_ptr<SignedOrderStore> store_;
  std::unique_ptr<SigningService> signing_;
  Forward forward_;
  std::unique_ptr<ClobGateway> gateway_;
  std::unique_ptr<OmsAgent> agent_;
  std::unique_ptr<OmsLogic> logic_;
  std::unique_ptr<UserChannel> user_;
  bool started_ = false;
};

}  // namespace polybot::oms
