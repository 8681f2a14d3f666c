// Result<T, E>: a value or an error, for boundaries (sockets, parsing, files). No exceptions; never allocates
// beyond what T or E do. Any thread.
#pragma once

#include <type_traits>
#include <utility>
#include <variant>

#include "core/assert.hpp"

namespace polybot {

template <class E>
struct Err {
  E error;
};
template <class E>
Err(E) -> Err<E>;

template <class T, class E>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(google-explicit-constructor)
  template <class F, class = std::enable_if_t<std::is_constructible_v<E, F>>>
  Result(Err<F> err) : v_(std::in_place_index<1>, E(std::move(err.error))) {}  // NOLINT

  [[nodiscard]] bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & noexcept {
    POLYBOT_ASSERT(has_value(), "Result::value on an error");
    return *std::get_if<0>(&v_);
  }
  const T& value() const& noexcept {
    POLYBOT_ASSERT(has_value(), "Result::value on an error");
    return *std::get_if<0>(&v_);
  }
  T&& value() && noexcept {
    POLYBOT_ASSERT(has_value(), "Result::value on an error");
    return std::move(*std::get_if<0>(&v_));
  }
  const E& error() const noexcept {
    POLYBOT_ASSERT(!has_value(), "Result::error on a value");
    return *std::get_if<1>(&v_);
  }
  T value_or(T fallback) const {
    return has_value() ? *std::get_if<0>(&v_) : std::move(fallback);
  }

  T& operator*() & noexcept { return value(); }
  const T& operator*() const& noexcept { return value(); }
  T* operator->() noexcept { return &value(); }
  const T* operator->() const noexcept { return &value(); }

 private:
  std::variant<T, E> v_;
};

// Result<void, E>
struct Ok {};
template <class E>
using Status = Result<Ok, E>;

}  // namespace polybot
