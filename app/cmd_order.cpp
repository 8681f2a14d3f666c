// `polybot order build ...`: prints the exact JSON body POST /order sends (what clob-client-v2's
// JSON.stringify(orderToJsonV2(...)) produces), signed with the key from --key-file or POLYBOT_PRIVATE_KEY,
// followed by one newline. Salt and timestamp default to fresh values like the official client
// (salt = round(random * now_ms)). Exit 2 naming the flag and value on any invalid input; the key never printed.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <random>
#include <string>

#include "app/cli.hpp"
#include "oms/crypto/hex.hpp"
#include "oms/order/order_body.hpp"
#include "oms/order/order_builder.hpp"
#include "oms/order/order_signer.hpp"
#include "oms/secrets/api_credentials.hpp"

namespace polybot::app {
namespace {

struct OrderArgs {
  std::string key_file, token_id, side, tick_size, price, size, amount, order_type, funder, owner;
  std::string metadata, builder, min_size = "5";
  bool market = false, neg_risk = false, post_only = false, defer_exec = false, server_precision = false;
  std::optional<std::uint64_t> expiration, salt, timestamp_ms;
  int signature_type = 0;
  std::uint64_t chain_id = 137;
  int exchange_version = 2;
};

int bad(const std::string& flag, const std::string& value, const std::string& why) {
  std::fprintf(stderr, "polybot order build: %s \"%s\": %s\n", flag.c_str(), value.c_str(), why.c_str());
  return 2;
}

bool parse_bytes32(const std::string& text, oms::Bytes32& out) {
  return text.empty() || oms::parse_hex(text, out.data(), out.size());
}

std::uint64_t now_ms() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

int run_build(const OrderArgs& a) {
  using namespace polybot::oms;
  OrderSpec spec;
  if (!TokenId::parse(a.token_id, spec.token_id)) {
    return bad("--token-id", a.token_id, "must be a decimal uint256 without leading zeros");
  }
  if (a.side == "BUY") {
    spec.side = Side::kBuy;
  } else if (a.side == "SELL") {
    spec.side = Side::kSell;
  } else {
    return bad("--side", a.side, "must be BUY or SELL");
  }
  if (!parse_tick_size(a.tick_size, spec.tick)) {
    return bad("--tick-size", a.tick_size, "must be one of 0.1, 0.01, 0.005, 0.0025, 0.001, 0.0001");
  }
  auto price = Price::parse(a.price);
  if (!price) return bad("--price", a.price, price.error().message());
  spec.price = *price;
  spec.market = a.market;
  if (a.market) {
    if (a.amount.empty()) return bad("--amount", "", "is required with --market-order");
    if (!a.size.empty()) return bad("--size", a.size, "is not used with --market-order (use --amount)");
    auto amount = Usdc::parse(a.amount);
    if (!amount) return bad("--amount", a.amount, amount.error().message());
    spec.amount_raw = amount->raw;
  } else {
    if (a.size.empty()) return bad("--size", "", "is required (or --market-order --amount A)");
    if (!a.amount.empty()) return bad("--amount", a.amount, "needs --market-order");
    auto size = Qty::parse(a.size);
    if (!size) return bad("--size", a.size, size.error().message());
    spec.size = *size;
  }
  std::string type = a.order_type.empty() ? (a.market ? "FOK" : "GTC") : a.order_type;
  if (type == "GTC") spec.order_type = OrderType::kGtc;
  else if (type == "GTD") spec.order_type = OrderType::kGtd;
  else if (type == "FOK") spec.order_type = OrderType::kFok;
  else if (type == "FAK") spec.order_type = OrderType::kFak;
  else return bad("--order-type", type, "must be GTC, GTD, FOK or FAK");
  if (a.post_only && (spec.order_type == OrderType::kFok || spec.order_type == OrderType::kFak)) {
    return bad("--post-only", type, "post-only is not supported for FOK/FAK orders");
  }
  if (spec.order_type == OrderType::kGtd && !a.expiration) {
    return bad("--expiration", "", "is required for GTD orders (unix seconds)");
  }
  if (a.signature_type < 0 || a.signature_type > 3) {
    return bad("--signature-type", std::to_string(a.signature_type), "must be 0, 1, 2 or 3");
  }
  spec.signature_type = static_cast<SignatureType>(a.signature_type);
  if (!a.funder.empty()) {
    const AddressParse p = parse_address(a.funder);
    if (!p.ok) return bad("--funder", a.funder, to_string(p.error));
    spec.has_funder = true;
    spec.funder = p.address;
  }
  if (!parse_bytes32(a.metadata, spec.metadata)) return bad("--metadata", a.metadata, "must be 0x + 64 hex digits");
  if (!parse_bytes32(a.builder, spec.builder)) return bad("--builder", a.builder, "must be 0x + 64 hex digits");
  if (a.exchange_version != 2 && a.exchange_version != 3) {
    return bad("--exchange-version", std::to_string(a.exchange_version), "must be 2 or 3");
  }
  auto min_size = Qty::parse(a.min_size);
  if (!min_size) return bad("--min-size", a.min_size, min_size.error().message());
  auto config = ExchangeConfig::for_chain(a.chain_id);
  if (!config) return bad("--chain-id", std::to_string(a.chain_id), config.error());
  auto domains = ExchangeDomains::make(*config);
  if (!domains) return bad("--chain-id", std::to_string(a.chain_id), domains.error());

  spec.timestamp_ms = a.timestamp_ms ? *a.timestamp_ms : now_ms();
  if (a.salt) {
    if (*a.salt > kMaxSalt) return bad("--salt", std::to_string(*a.salt), "must be below 2^53 (a JSON number)");
    spec.salt = *a.salt;
  } else {
    std::random_device rd;
    std::uniform_real_distribution<double> uni(0.0, 1.0);
    std::mt19937_64 gen(rd());
    spec.salt = static_cast<std::uint64_t>(uni(gen) * static_cast<double>(spec.timestamp_ms) + 0.5);
  }
  spec.expiration_s = a.expiration.value_or(0);

  auto key = PrivateKey::load(a.key_file);
  if (!key) {
    std::fprintf(stderr, "polybot order build: %s\n", key.error().message.c_str());
    return 2;
  }
  auto signer = Signer::make(std::move(key).value());
  if (!signer) {
    std::fprintf(stderr, "polybot order build: %s\n", signer.error().message.c_str());
    return 2;
  }
  AmountLimits limits;
  limits.min_size = *min_size;
  auto order = make_order(spec, signer->address(), limits,
                          a.server_precision ? MarketRounding::kServerLimits : MarketRounding::kOfficialClient);
  if (!order) {
    const AmountErrc c = order.error().code;
    const bool about_price = c == AmountErrc::kPriceOffTick || c == AmountErrc::kPriceOutOfRange;
    const char* flag = about_price ? "--price" : (a.market ? "--amount" : "--size");
    const std::string& value = about_price ? a.price : (a.market ? a.amount : a.size);
    return bad(flag, value, order.error().message());
  }
  SignedOrder signed_order;
  const auto version = a.exchange_version == 3 ? ExchangeVersion::kV3 : ExchangeVersion::kV2;
  const SignStatus st = OrderSigner(*signer, *domains).sign(*order, version, a.neg_risk, signed_order);
  if (st != SignStatus::kOk) return bad("--signature-type", std::to_string(a.signature_type), to_string(st));

  std::string owner = a.owner;
  if (owner.empty()) {
    const char* env = std::getenv(kApiKeyEnv);
    if (env != nullptr) owner = env;
  }
  char body[kMaxOrderBodySize];
  const std::size_t n = write_order_body(
      signed_order, OrderBodyOptions{owner, spec.order_type, a.post_only, a.defer_exec}, body, sizeof body);
  if (n == 0) return bad("--owner", owner, "too long for the order body");
  std::fwrite(body, 1, n, stdout);
  std::fputc('\n', stdout);
  return std::fflush(stdout) == 0 ? 0 : 1;
}

}  // namespace

void add_order_command(CLI::App& root, CliContext& ctx) {
  auto* cmd = root.add_subcommand("order", "The exact signed order body POST /order sends (build ...)");
  cmd->require_subcommand(1);
  auto* build = cmd->add_subcommand("build", "Print the exact JSON body POST /order sends, signed (EIP-712, CLOB V2)");
  auto args = std::make_shared<OrderArgs>();
  build->add_option("--key-file", args->key_file, "Private key file (mode 0600; else $POLYBOT_PRIVATE_KEY)");
  build->add_option("--token-id", args->token_id, "Outcome token id (decimal)")->required();
  build->add_option("--side", args->side, "BUY or SELL")->required();
  build->add_option("--tick-size", args->tick_size, "Market tick size: 0.1 0.01 0.005 0.0025 0.001 0.0001")
      ->required();
  build->add_option("--price", args->price, "Limit price (market orders: worst acceptable price)")->required();
  build->add_option("--size", args->size, "Shares (limit orders)");
  build->add_flag("--market-order", args->market, "Market order: --amount is pUSD (BUY) or shares (SELL)");
  build->add_option("--amount", args->amount, "Market order amount");
  build->add_flag("--neg-risk", args->neg_risk, "Sign for the neg-risk exchange");
  build->add_option("--order-type", args->order_type, "GTC|GTD|FOK|FAK (default GTC; FOK for market orders)");
  build->add_flag("--post-only", args->post_only, "postOnly: true (GTC/GTD only)");
  build->add_flag("--defer-exec", args->defer_exec, "deferExec: true");
  build->add_option("--expiration", args->expiration, "GTD expiration, unix seconds (not signed)");
  build->add_option("--salt", args->salt, "Salt (< 2^53; default random like the official client)");
  build->add_option("--timestamp-ms", args->timestamp_ms, "Order timestamp, unix ms (default now)");
  build->add_option("--signature-type", args->signature_type, "0 EOA, 1 POLY_PROXY, 2 POLY_GNOSIS_SAFE, 3 POLY_1271");
  build->add_option("--funder", args->funder, "Maker address (proxy/Safe/deposit wallet); default the key's address");
  build->add_option("--owner", args->owner, "API key placed in `owner` (default $POLYBOT_API_KEY or empty)");
  build->add_option("--metadata", args->metadata, "bytes32 metadata (default zero)");
  build->add_option("--builder", args->builder, "bytes32 builder code (default zero)");
  build->add_option("--chain-id", args->chain_id, "137 (Polygon, default) or 80002 (Amoy)");
  build->add_option("--exchange-version", args->exchange_version, "2 (default) or 3 (UNVERIFIED: V3 exchange)");
  build->add_option("--min-size", args->min_size, "Market minimum size in shares for resting orders (default 5)");
  build->add_flag("--server-precision", args->server_precision,
                  "Floor market-order taker amounts to 4 decimals (server rule; differs from the official client)");
  build->callback([&ctx, args] { ctx.exit_code = run_build(*args); });
}

}  // namespace polybot::app
