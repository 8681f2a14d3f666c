#include "signal/param_reader.hpp"

#include <sstream>

namespace polybot::signal {

std::string show_toml_value(const toml::node& n) {
  if (auto s = n.value_exact<std::string>()) return "\"" + *s + "\"";
  if (auto i = n.value_exact<long long>()) return std::to_string(*i);
  if (auto d = n.value_exact<double>()) {
    std::ostringstream ss;
    ss << *d;
    return ss.str();
  }
  if (auto b = n.value_exact<bool>()) return *b ? "true" : "false";
  if (n.is_array()) return "[...]";
  if (n.is_table()) return "{...}";
  return "<value>";
}

namespace {
std::string num(double d) {
  std::ostringstream ss;
  ss << d;
  return ss.str();
}
}  // namespace

void ParamReader::fail(const std::string& key, const std::string& message) {
  if (!err_) err_ = StrategyConfigError{key, message};
}

const toml::node* ParamReader::get(const char* key) {
  seen_.insert(key);
  return t_.get(key);
}

void ParamReader::integer(const char* key, long long lo, long long hi, long long& out) {
  const toml::node* n = get(key);
  if (n == nullptr) return;
  const auto v = n->value_exact<long long>();
  if (!v) return fail(full(key), "= " + show_toml_value(*n) + ": expected an integer");
  if (*v < lo || *v > hi)
    return fail(full(key), "= " + std::to_string(*v) + ": out of range [" + std::to_string(lo) + ", " +
                               std::to_string(hi) + "]");
  out = *v;
}

void ParamReader::real(const char* key, double lo, double hi, double& out) {
  const toml::node* n = get(key);
  if (n == nullptr) return;
  const auto v = n->value<double>();  // integers accepted
  if (!v || !(n->is_floating_point() || n->is_integer())) return fail(full(key), "= " + show_toml_value(*n) + ": expected a number");
  if (!(*v >= lo && *v <= hi))
    return fail(full(key), "= " + show_toml_value(*n) + ": out of range [" + num(lo) + ", " + num(hi) + "]");
  out = *v;
}

void ParamReader::boolean(const char* key, bool& out) {
  const toml::node* n = get(key);
  if (n == nullptr) return;
  const auto v = n->value_exact<bool>();
  if (!v) return fail(full(key), "= " + show_toml_value(*n) + ": expected true or false");
  out = *v;
}

template <class FixedT>
void ParamReader::fixed(const char* key, FixedT lo, FixedT hi, FixedT& out) {
  const toml::node* n = get(key);
  if (n == nullptr) return;
  std::string text;
  if (auto s = n->value_exact<std::string>()) text = *s;
  else if (auto i = n->value_exact<long long>()) text = std::to_string(*i);
  else return fail(full(key), "= " + show_toml_value(*n) + ": expected a decimal string like \"0.55\"");
  auto r = FixedT::parse(text);
  if (!r) return fail(full(key), "= \"" + text + "\": " + r.error().message());
  if (*r < lo || *r > hi)
    return fail(full(key), "= \"" + text + "\": out of range [" + lo.to_string() + ", " + hi.to_string() + "]");
  out = *r;
}

void ParamReader::price(const char* key, Price lo, Price hi, Price& out) { fixed(key, lo, hi, out); }
void ParamReader::qty(const char* key, Qty lo, Qty hi, Qty& out) { fixed(key, lo, hi, out); }
void ParamReader::usdc(const char* key, Usdc lo, Usdc hi, Usdc& out) { fixed(key, lo, hi, out); }

void ParamReader::choice(const char* key, std::initializer_list<const char*> choices, int& out) {
  const toml::node* n = get(key);
  if (n == nullptr) return;
  const auto v = n->value_exact<std::string>();
  std::string list;
  int i = 0;
  for (const char* c : choices) {
    if (v && *v == c) {
      out = i;
      return;
    }
    list += (i++ ? ", \"" : "\"") + std::string(c) + "\"";
  }
  fail(full(key), "= " + show_toml_value(*n) + ": expected one of " + list);
}

std::optional<StrategyConfigError> ParamReader::finish() {
  if (err_) return err_;
  for (const auto& [k, v] : t_) {
    const std::string key(k.str());
    if (seen_.count(key) == 0) return StrategyConfigError{prefix_ + key, "= " + show_toml_value(v) + ": unknown key"};
  }
  return std::nullopt;
}

}  // namespace polybot::signal
