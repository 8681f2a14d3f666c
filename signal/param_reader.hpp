// ParamReader: reads one strategy's TOML table into its params struct with validation. Every error names the key
// (with the table prefix) and the value as written; keys the strategy does not know are errors too (a typo must
// not silently fall back to a default). Start-up only: allocates, not for the hot path. Any thread.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>

#include <toml++/toml.h>

#include "core/fixed_point.hpp"

namespace polybot::signal {

// A TOML value as the user wrote it, for error messages that name the value ("25", "\"fast\"", "[...]").
std::string show_toml_value(const toml::node& n);

struct StrategyConfigError {
  std::string key;      // e.g. "strategy.directional.rsi_low"
  std::string message;  // e.g. "= 130: out of range [0, 100]"
  [[nodiscard]] std::string what() const { return key + " " + message; }
};

class ParamReader {
 public:
  ParamReader(const toml::table& t, std::string prefix) : t_(t), prefix_(std::move(prefix)) {}

  void integer(const char* key, long long lo, long long hi, long long& out);
  template <class Int>
  void integer(const char* key, long long lo, long long hi, Int& out) {
    long long v = static_cast<long long>(out);
    integer(key, lo, hi, v);
    out = static_cast<Int>(v);
  }
  void real(const char* key, double lo, double hi, double& out);
  void boolean(const char* key, bool& out);
  // Decimal strings ("0.55"; integers accepted) parsed exactly to fixed point, within [lo, hi].
  void price(const char* key, Price lo, Price hi, Price& out);
  void qty(const char* key, Qty lo, Qty hi, Qty& out);
  void usdc(const char* key, Usdc lo, Usdc hi, Usdc& out);
  // One of `choices`; out is the index.
  void choice(const char* key, std::initializer_list<const char*> choices, int& out);
  // Marks a key as known without reading it (read elsewhere, e.g. "name").
  void known(const char* key) { seen_.insert(key); }
  void fail(const std::string& key, const std::string& message);
  // The key as errors name it (prefix + key).
  [[nodiscard]] std::string full(const char* key) const { return prefix_ + key; }

  // The first error, after checking that every key in the table was known.
  std::optional<StrategyConfigError> finish();

 private:
  template <class FixedT>
  void fixed(const char* key, FixedT lo, FixedT hi, FixedT& out);
  const toml::node* get(const char* key);

  const toml::table& t_;
  std::string prefix_;
  std::set<std::string> seen_;
  std::optional<StrategyConfigError> err_;
};

}  // namespace polybot::signal
