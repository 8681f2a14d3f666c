#include "app/pipeline/pipeline_config.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <toml++/toml.h>

#include "signal/param_reader.hpp"
#include "signal/strategy_factory.hpp"

namespace polybot::app {

namespace {

std::string quote(std::string_view v) { return "\"" + std::string(v) + "\""; }

struct Ctx {
  std::string_view origin;
  std::string error;
  bool fail(const std::string& key, const std::string& value, const std::string& why) {
    if (error.empty()) error = std::string(origin) + ": " + key + " = " + value + ": " + why;
    return false;
  }
};

bool get_int(Ctx& c, const toml::table& t, const std::string& prefix, const char* key, long long lo, long long hi,
             long long& out) {
  const toml::node* n = t.get(key);
  if (n == nullptr) return true;
  const auto v = n->value<long long>();
  if (!n->is_integer() || !v) return c.fail(prefix + key, signal::show_toml_value(*n), "expected an integer");
  if (*v < lo || *v > hi) {
    return c.fail(prefix + key, std::to_string(*v),
                  "out of range [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
  }
  out = *v;
  return true;
}

template <class FixedT>
bool get_fixed(Ctx& c, const toml::table& t, const std::string& prefix, const char* key, FixedT& out) {
  const toml::node* n = t.get(key);
  if (n == nullptr) return true;
  if (!n->is_string()) return c.fail(prefix + key, signal::show_toml_value(*n), "expected a decimal string like \"25.5\"");
  const std::string s = *n->value<std::string>();
  auto r = FixedT::parse(s);
  if (!r) return c.fail(prefix + key, quote(s), r.error().message());
  out = *r;
  return true;
}

}  // namespace

// The sections after the source: strategies, risk, oms.
static Result<PipelineConfig, std::string> parse_rest(const toml::table& root, Ctx& c, PipelineConfig& cfg,
                                                      std::string_view origin, const std::string& base_dir) {
  if (const auto* s = root["strategy"].as_table()) {
    if (const toml::node* n = s->get("name")) {
      const auto v = n->value<std::string>();
      if (!v || *v != "ema_cross") {
        c.fail("strategy.name", signal::show_toml_value(*n), "the foundation pipeline runs \"ema_cross\"");
        return Err{c.error};
      }
    }
    long long fast = cfg.ema.fast, slow = cfg.ema.slow;
    if (!get_int(c, *s, "strategy.", "fast", 1, 10'000, fast) || !get_int(c, *s, "strategy.", "slow", 2, 10'000, slow) ||
        !get_fixed(c, *s, "strategy.", "notional", cfg.ema.notional) ||
        !get_fixed(c, *s, "strategy.", "limit_price", cfg.ema.limit_price)) {
      return Err{c.error};
    }
    if (fast >= slow) {
      c.fail("strategy.fast", std::to_string(fast), "must be below strategy.slow (" + std::to_string(slow) + ")");
      return Err{c.error};
    }
    if (cfg.ema.limit_price.raw <= 0 || cfg.ema.limit_price >= kPriceOne) {
      c.fail("strategy.limit_price", quote(cfg.ema.limit_price.to_string()), "must lie strictly inside (0, 1)");
      return Err{c.error};
    }
    cfg.ema.fast = static_cast<int>(fast);
    cfg.ema.slow = static_cast<int>(slow);
  }
  if (const auto* extra = root["strategies"].as_table()) {
    for (const auto& [name, node] : *extra) {
      const std::string key = "strategies." + std::string(name.str());
      const auto* t = node.as_table();
      if (t == nullptr) {
        c.fail(key, signal::show_toml_value(node), "expected a table of the strategy's parameters");
        return Err{c.error};
      }
      auto made = signal::make_strategy(name.str(), *t, key + ".");
      if (!made) return Err{std::string(origin) + ": " + made.error().what()};
      cfg.extra_strategies.emplace_back(std::string(name.str()), *t);
    }
  }
  if (const auto* r = root["risk"].as_table()) {
    if (!get_fixed(c, *r, "risk.", "capital", cfg.risk.capital) ||
        !get_fixed(c, *r, "risk.", "max_order_notional", cfg.risk.max_order_notional) ||
        !get_fixed(c, *r, "risk.", "min_order_notional", cfg.risk.min_order_notional)) {
      return Err{c.error};
    }
    if (cfg.risk.capital.raw < 0) {
      c.fail("risk.capital", quote(cfg.risk.capital.to_string()), "must not be negative");
      return Err{c.error};
    }
    long long max_open = cfg.risk.max_open_orders;
    if (!get_int(c, *r, "risk.", "max_open_orders", 1, 1LL << 20, max_open)) return Err{c.error};
    cfg.risk.max_open_orders = static_cast<std::uint32_t>(max_open);
  }
  if (!parse_oms_config(root, origin, base_dir, cfg.oms, c.error)) return Err{c.error};
  return std::move(cfg);
}

Result<PipelineConfig, std::string> parse_pipeline_config(std::string_view toml_text, std::string_view origin,
                                                          const std::string& base_dir) {
  toml::table root;
  try {
    root = toml::parse(toml_text, origin);
  } catch (const toml::parse_error& e) {
    std::ostringstream ss;
    ss << origin << ":" << e.source().begin.line << ":" << e.source().begin.column << ": " << e.description();
    return Err{ss.str()};
  }
  Ctx c{origin, {}};
  PipelineConfig cfg;
  cfg.text = std::string(toml_text);

  static const std::vector<std::string> kSections = {"pipeline", "threads", "source", "feed", "strategy",
                                                     "strategies", "risk", "oms"};
  for (const auto& [k, v] : root) {
    if (std::find(kSections.begin(), kSections.end(), std::string(k.str())) == kSections.end()) {
      c.fail(std::string(k.str()), "...",
             "unknown section (expected pipeline, threads, source, feed, strategy, strategies, risk, oms)");
      return Err{c.error};
    }
  }
  if (const toml::node* f = root.get("feed")) {
    // Live: the feeds are the source, stages run on the live clock, and ema_cross (a kline demo that trades one
    // fixed instrument) runs only when a [strategy] table asks for it.
    if (root.get("source") != nullptr) {
      return Err{std::string(origin) + ": source: a live config ([feed]) has no [source]; remove one of them"};
    }
    if (f->as_table() == nullptr) {
      c.fail("feed", signal::show_toml_value(*f), "expected a table");
      return Err{c.error};
    }
    auto feed = parse_live_feed_config(*f->as_table(), "feed");
    if (!feed) return Err{std::string(origin) + ": " + feed.error()};
    cfg.live = true;
    cfg.feed = std::move(*feed);
    cfg.data_time = false;
    cfg.ema_enabled = root.get("strategy") != nullptr;
  }

  if (const auto* p = root["pipeline"].as_table()) {
    long long cap = static_cast<long long>(cfg.channel_capacity);
    if (!get_int(c, *p, "pipeline.", "channel_capacity", 16, 1LL << 24, cap)) return Err{c.error};
    cfg.channel_capacity = static_cast<std::size_t>(cap);
    if (const toml::node* et = p->get("event_time")) {
      const auto v = et->value<std::string>();
      if (!v || (*v != "data" && *v != "live")) {
        c.fail("pipeline.event_time", signal::show_toml_value(*et), "expected \"data\" or \"live\"");
        return Err{c.error};
      }
      cfg.data_time = *v == "data";
    }
  }

  const auto* threads = root["threads"].as_table();
  if (threads == nullptr || threads->empty()) {
    return Err{std::string(origin) + ": threads: missing (at least one [threads.NAME] table is required)"};
  }
  const long long ncpu = static_cast<long long>(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::string> placed;
  for (const auto& [name, node] : *threads) {
    const std::string prefix = "threads." + std::string(name.str()) + ".";
    const auto* t = node.as_table();
    if (t == nullptr) {
      c.fail("threads." + std::string(name.str()), signal::show_toml_value(node), "expected a table");
      return Err{c.error};
    }
    ThreadPlacement tp;
    tp.spec.name = std::string(name.str());
    long long cpu = -1, fifo = 0, spins = tp.spec.wait.spin_iterations, park = tp.spec.wait.park_timeout.count();
    if (!get_int(c, *t, prefix, "cpu", -1, ncpu - 1, cpu) || !get_int(c, *t, prefix, "fifo_priority", 0, 99, fifo) ||
        !get_int(c, *t, prefix, "spin_iterations", 0, 100'000'000, spins) ||
        !get_int(c, *t, prefix, "park_timeout_us", 1, 10'000'000, park)) {
      return Err{c.error};
    }
    tp.spec.cpu = static_cast<int>(cpu);
    tp.spec.fifo_priority = static_cast<int>(fifo);
    tp.spec.wait.spin_iterations = static_cast<std::uint32_t>(spins);
    tp.spec.wait.park_timeout = std::chrono::microseconds(park);
    if (const toml::node* w = t->get("wait")) {
      const auto s = w->value<std::string>();
      const auto kind = s ? parse_wait_kind(*s) : std::nullopt;
      if (!kind) {
        c.fail(prefix + "wait", signal::show_toml_value(*w), "expected one of \"spin\", \"yield\", \"block\"");
        return Err{c.error};
      }
      tp.spec.wait.kind = *kind;
    }
    const auto* agents = t->get_as<toml::array>("agents");
    if (agents == nullptr || agents->empty()) {
      c.fail(prefix + "agents", "[]", "expected a non-empty array of agent names (feed, signal, risk, oms)");
      return Err{c.error};
    }
    for (const auto& a : *agents) {
      const auto s = a.value<std::string>();
      const bool known = s && std::any_of(std::begin(kAgentNames), std::end(kAgentNames),
                                          [&](const char* n) { return *s == n; });
      if (!known) {
        c.fail(prefix + "agents", signal::show_toml_value(a), "unknown agent (expected feed, signal, risk or oms)");
        return Err{c.error};
      }
      if (std::find(placed.begin(), placed.end(), *s) != placed.end()) {
        c.fail(prefix + "agents", quote(*s), "agent placed on two threads");
        return Err{c.error};
      }
      placed.push_back(*s);
      tp.agents.push_back(*s);
    }
    cfg.threads.push_back(std::move(tp));
  }
  for (const char* n : kAgentNames) {
    if (std::find(placed.begin(), placed.end(), n) == placed.end()) {
      return Err{std::string(origin) + ": threads: agent \"" + n + "\" is not placed on any thread"};
    }
  }

  const auto* src = root["source"].as_table();
  if (src == nullptr && cfg.live) return parse_rest(root, c, cfg, origin, base_dir);
  if (src == nullptr) return Err{std::string(origin) + ": source: missing section (or [feed] for the live feeds)"};
  const auto* files = src->get_as<toml::array>("klines");
  if (files == nullptr || files->empty()) {
    return Err{std::string(origin) + ": source.klines: expected a non-empty array of CSV paths"};
  }
  for (const auto& f : *files) {
    const auto s = f.value<std::string>();
    if (!s) {
      c.fail("source.klines", signal::show_toml_value(f), "expected a path string");
      return Err{c.error};
    }
    std::filesystem::path path(*s);
    if (path.is_relative()) path = std::filesystem::path(base_dir) / path;
    if (!std::filesystem::exists(path)) {
      c.fail("source.klines", quote(*s), "file not found (looked at " + path.string() + ")");
      return Err{c.error};
    }
    cfg.kline_files.push_back(path.string());
  }
  if (const toml::node* r = src->get("rate")) {
    const auto v = r->value<double>();
    if (!v || *v < 0.0 || *v > 1e9) {
      c.fail("source.rate", signal::show_toml_value(*r), "expected a number of klines per second in [0, 1e9]");
      return Err{c.error};
    }
    cfg.rate = *v;
  }
  long long limit = 0;
  if (!get_int(c, *src, "source.", "limit", 0, 1LL << 40, limit)) return Err{c.error};
  cfg.limit = static_cast<std::size_t>(limit);
  return parse_rest(root, c, cfg, origin, base_dir);
}

Result<PipelineConfig, std::string> load_pipeline_config(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Err{"config: cannot read \"" + path + "\""};
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_pipeline_config(ss.str(), path, config_base_dir(path));
}

std::string config_base_dir(const std::string& path) {
  const auto base = std::filesystem::path(path).parent_path();
  // Data paths in the shipped configs are relative to the repository root (config/..).
  std::string base_dir = base.empty() ? "." : base.string();
  if (std::filesystem::exists(std::filesystem::path(base_dir) / ".." / "sim" / "data")) base_dir += "/..";
  return base_dir;
}

Result<PipelineConfig, std::string> default_pipeline_config() {
  return parse_pipeline_config(embedded_default_config(), "embedded config/default.toml", POLYBOT_SOURCE_DIR);
}

}  // namespace polybot::app
