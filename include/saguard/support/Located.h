//===- Located.h - a value with where it was written ------------*- C++ -*-===//
#pragma once

#include "saguard/support/Interned.h"
#include "saguard/support/SourcePos.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace saguard {

/// The dotted path of a key in its object, e.g. `spec.template.spec.serviceAccountName`,
/// `rules.3`, `subjects.0.name`: mapping keys joined by `.`, list entries by their index. Paths
/// are interned (a handful of shapes repeat across every object), so one costs a pointer and
/// compares by identity.
class KeyPath {
public:
  KeyPath() = default;
  /// The path spelled Text; safe from any thread.
  static KeyPath intern(std::string_view Text) { return KeyPath(InternedString::intern(Text)); }

  /// The path, or "" for the object itself.
  std::string_view str() const { return Text.str(); }
  bool empty() const { return Text.empty(); }
  friend bool operator==(KeyPath A, KeyPath B) { return A.Text == B.Text; }

private:
  explicit KeyPath(InternedString Text) : Text(Text) {}
  InternedString Text;
};

/// Where a key of an object was written: its range, and its path in the object, recorded once
/// when the YAML is mapped. Rules hand one to the finding they report.
struct KeyLocation {
  /// Range of the key (the line a user edits); invalid when the key is absent.
  SourceRange Range;
  /// Known even when the key is absent, so a finding about a missing key names it.
  KeyPath Path;
};

/// A scalar read from a manifest with where it was written (clangd's Located<T>).
/// Value is empty when the key was absent or null, which Kubernetes reads as unset.
template <typename T> struct Located : KeyLocation {
  std::optional<T> Value;

  bool isSet() const { return Value.has_value(); }
  const T &operator*() const { return *Value; }
  const T *operator->() const { return &*Value; }
  /// The value, or Fallback when unset.
  T valueOr(T Fallback) const { return Value.value_or(std::move(Fallback)); }
};

/// Values written nowhere (a built-in role's rules, a rule judged on its own).
template <typename T, typename Range> std::vector<Located<T>> unlocated(const Range &Values) {
  std::vector<Located<T>> Out;
  for (const auto &V : Values)
    Out.emplace_back().Value = T(V);
  return Out;
}

} // namespace saguard
