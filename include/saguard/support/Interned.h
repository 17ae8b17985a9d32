//===- Interned.h - strings held once for the run ---------------*- C++ -*-===//
#pragma once

#include <string>
#include <string_view>

namespace saguard {

/// A string held once for the whole run and shared by every value that spells it. Key paths,
/// targets and helm template names repeat across thousands of objects, so each costs a pointer
/// and compares by identity.
class InternedString {
public:
  InternedString() = default;
  /// The string spelled Text; safe from any thread.
  static InternedString intern(std::string_view Text);

  /// The string, or "" for a default-constructed one.
  const std::string &str() const;
  operator const std::string &() const { return str(); }
  bool empty() const { return Text == nullptr; }
  /// Equal strings are one string, so identity is equality.
  friend bool operator==(InternedString A, InternedString B) { return A.Text == B.Text; }
  friend bool operator==(InternedString A, std::string_view B) { return A.str() == B; }

private:
  explicit InternedString(const std::string *Text) : Text(Text) {}
  const std::string *Text = nullptr;
};

} // namespace saguard
