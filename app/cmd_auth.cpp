// `polybot auth l1|l2 ...`: the exact CLOB authentication headers as a JSON object, in the key order of the
// official client's createL1Headers/createL2Headers. L1 signs ClobAuth (EIP-712) with the key from --key-file or
// POLYBOT_PRIVATE_KEY; L2 computes POLY_SIGNATURE = base64url(HMAC-SHA256(secret, ts + method + path [+ body])).
// Credentials fall back to POLYBOT_API_KEY/SECRET/PASSPHRASE. Exit 2 naming the flag and value (secrets redacted).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "app/cli.hpp"
#include "oms/crypto/hex.hpp"
#include "oms/crypto/l1_auth.hpp"
#include "oms/crypto/l2_auth.hpp"
#include "oms/order/exchange_config.hpp"
#include "oms/order/order_body.hpp"
#include "oms/secrets/api_credentials.hpp"

namespace polybot::app {
namespace {

struct L1Args {
  std::string key_file;
  std::optional<std::uint64_t> timestamp;
  std::uint64_t nonce = 0;
  std::uint64_t chain_id = 137;
};

struct L2Args {
  std::string api_key, secret, passphrase, address, method, path, body_file;
  std::optional<std::uint64_t> timestamp;
};

std::uint64_t now_s() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

std::string json_string(std::string_view s) {
  std::string out(s.size() * 6 + 2, '\0');
  out[0] = '"';
  const std::size_t n = oms::write_json_escaped(s, out.data() + 1, out.size() - 2);
  out.resize(n + 1);
  out += '"';
  return out;
}

std::string checksummed(const oms::Address& a) {
  char buf[oms::Address::kHexLen];
  a.write_checksummed(buf);
  return std::string(buf, sizeof buf);
}

int print(const std::string& json) {
  std::fwrite(json.data(), 1, json.size(), stdout);
  std::fputc('\n', stdout);
  return std::fflush(stdout) == 0 ? 0 : 1;
}

int run_l1(const L1Args& a) {
  using namespace polybot::oms;
  auto config = ExchangeConfig::for_chain(a.chain_id);
  if (!config) {
    std::fprintf(stderr, "polybot auth l1: --chain-id \"%llu\": %s\n", static_cast<unsigned long long>(a.chain_id),
                 config.error().c_str());
    return 2;
  }
  auto domains = ExchangeDomains::make(*config);
  if (!domains) {
    std::fprintf(stderr, "polybot auth l1: %s\n", domains.error().c_str());
    return 2;
  }
  auto key = PrivateKey::load(a.key_file);
  if (!key) {
    std::fprintf(stderr, "polybot auth l1: %s\n", key.error().message.c_str());
    return 2;
  }
  auto signer = Signer::make(std::move(key).value());
  if (!signer) {
    std::fprintf(stderr, "polybot auth l1: %s\n", signer.error().message.c_str());
    return 2;
  }
  const L1Headers h = make_l1_headers(*signer, domains->auth_domain(), domains->auth_message(),
                                      a.timestamp.value_or(now_s()), a.nonce);
  char sig[2 + 130];
  sig[0] = '0';
  sig[1] = 'x';
  write_hex(h.signature.bytes.data(), h.signature.bytes.size(), sig + 2);
  return print("{\"POLY_ADDRESS\":" + json_string(checksummed(h.address)) +
               ",\"POLY_SIGNATURE\":" + json_string(std::string_view(sig, sizeof sig)) + ",\"POLY_TIMESTAMP\":\"" +
               std::to_string(h.timestamp_s) + "\",\"POLY_NONCE\":\"" + std::to_string(h.nonce) + "\"}");
}

// The address of the key (what `polybot sim --address` and a funder setup need), nothing else.
int run_address(const std::string& key_file) {
  using namespace polybot::oms;
  auto key = PrivateKey::load(key_file);
  if (!key) {
    std::fprintf(stderr, "polybot auth address: %s\n", key.error().message.c_str());
    return 2;
  }
  auto signer = Signer::make(std::move(key).value());
  if (!signer) {
    std::fprintf(stderr, "polybot auth address: %s\n", signer.error().message.c_str());
    return 2;
  }
  return print(checksummed(signer->address()));
}

std::string env_or(const std::string& v, const char* name) {
  if (!v.empty()) return v;
  const char* e = std::getenv(name);
  return e != nullptr ? e : "";
}

int run_l2(const L2Args& a) {
  using namespace polybot::oms;
  const AddressParse addr = parse_address(a.address);
  if (!addr.ok) {
    std::fprintf(stderr, "polybot auth l2: --address \"%s\": %s\n", a.address.c_str(), to_string(addr.error));
    return 2;
  }
  if (a.method.empty()) {
    std::fprintf(stderr, "polybot auth l2: --method \"\": must not be empty (GET, POST, DELETE)\n");
    return 2;
  }
  if (a.path.empty() || a.path[0] != '/' || a.path.find('?') != std::string::npos) {
    std::fprintf(stderr, "polybot auth l2: --path \"%s\": must be the request path only (starts with '/', no query)\n",
                 a.path.c_str());
    return 2;
  }
  std::string body;
  bool has_body = false;
  if (!a.body_file.empty()) {
    std::ifstream f(a.body_file, std::ios::binary);
    if (!f) {
      std::fprintf(stderr, "polybot auth l2: --body-file \"%s\": cannot open\n", a.body_file.c_str());
      return 2;
    }
    std::ostringstream ss;
    ss << f.rdbuf();
    body = ss.str();
    has_body = true;
  }
  auto creds = ApiCredentials::make(env_or(a.api_key, kApiKeyEnv), env_or(a.secret, kApiSecretEnv),
                                    env_or(a.passphrase, kApiPassphraseEnv));
  if (!creds) {
    std::fprintf(stderr, "polybot auth l2: --api-key/--secret/--passphrase: %s\n", creds.error().message.c_str());
    return 2;
  }
  const std::uint64_t ts = a.timestamp.value_or(now_s());
  const L2Signature sig = l2_signature(creds->hmac(), ts, a.method, a.path, has_body ? body : std::string_view{});
  return print("{\"POLY_ADDRESS\":" + json_string(checksummed(addr.address)) +
               ",\"POLY_SIGNATURE\":" + json_string(sig.view()) + ",\"POLY_TIMESTAMP\":\"" + std::to_string(ts) +
               "\",\"POLY_API_KEY\":" + json_string(creds->api_key()) +
               ",\"POLY_PASSPHRASE\":" + json_string(creds->passphrase()) + "}");
}

}  // namespace

void add_auth_command(CLI::App& root, CliContext& ctx) {
  auto* cmd = root.add_subcommand("auth", "The exact L1/L2 authentication headers (l1|l2 ...) and the key's address");
  cmd->require_subcommand(1);

  auto* l1 = cmd->add_subcommand("l1", "L1 headers (ClobAuth EIP-712 signature) for API-key creation/derivation");
  auto l1a = std::make_shared<L1Args>();
  l1->add_option("--key-file", l1a->key_file, "Private key file (mode 0600; else $POLYBOT_PRIVATE_KEY)");
  l1->add_option("--timestamp", l1a->timestamp, "Unix seconds (default now)");
  l1->add_option("--nonce", l1a->nonce, "Key nonce (default 0)");
  l1->add_option("--chain-id", l1a->chain_id, "137 (default) or 80002");
  l1->callback([&ctx, l1a] { ctx.exit_code = run_l1(*l1a); });

  auto* ad = cmd->add_subcommand("address", "The checksummed address of the private key (for `polybot sim --address`)");
  auto key_file = std::make_shared<std::string>();
  ad->add_option("--key-file", *key_file, "Private key file (mode 0600; else $POLYBOT_PRIVATE_KEY)");
  ad->callback([&ctx, key_file] { ctx.exit_code = run_address(*key_file); });

  auto* l2 = cmd->add_subcommand("l2", "L2 headers (HMAC-SHA256) for one request");
  auto l2a = std::make_shared<L2Args>();
  l2->add_option("--api-key", l2a->api_key, "API key (default $POLYBOT_API_KEY)");
  l2->add_option("--secret", l2a->secret, "API secret, base64url (default $POLYBOT_API_SECRET)");
  l2->add_option("--passphrase", l2a->passphrase, "API passphrase (default $POLYBOT_API_PASSPHRASE)");
  l2->add_option("--address", l2a->address, "Signer EOA address (POLY_ADDRESS)")->required();
  l2->add_option("--timestamp", l2a->timestamp, "Unix seconds (default now)");
  l2->add_option("--method", l2a->method, "GET, POST or DELETE")->required();
  l2->add_option("--path", l2a->path, "Request path only, e.g. /order (no host, no query string)")->required();
  l2->add_option("--body-file", l2a->body_file, "File holding the exact request body bytes (omit for no body)");
  l2->callback([&ctx, l2a] { ctx.exit_code = run_l2(*l2a); });
}

}  // namespace polybot::app
