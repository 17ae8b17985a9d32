//===- Located.h - a value with the source range it came from --*- C++ -*-===//
#pragma once

#include "saguard/support/SourcePos.h"

#include <optional>

namespace saguard {

/// A scalar read from a manifest with where it was written (clangd's Located<T>).
/// Value is empty when the key was absent or null, which Kubernetes reads as unset.
template <typename T> struct Located {
  std::optional<T> Value;
  /// Range of the key that holds the value (the line a user edits).
  SourceRange Range;

  bool isSet() const { return Value.has_value(); }
  const T &operator*() const { return *Value; }
  const T *operator->() const { return &*Value; }
  /// The value, or Fallback when unset.
  T valueOr(T Fallback) const { return Value.value_or(std::move(Fallback)); }
};

} // namespace saguard
