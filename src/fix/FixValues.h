//===- FixValues.h - what a fix sets, as nested YAML ------------*- C++ -*-===//
#pragma once

#include "saguard/analysis/Finding.h"

#include "llvm/ADT/StringRef.h"

#include <map>
#include <string>

namespace saguard::fix {

/// The value a fix gives its key, or "" when it is no key setting (a rename).
inline std::string valueOf(const analysis::Fix &F) {
  switch (F.Kind) {
  case analysis::FixKind::SetValue:
    return F.Replacement;
  case analysis::FixKind::AddKeyUnder:
  case analysis::FixKind::AppendKey:
    return llvm::StringRef(F.Replacement).split(": ").second.str();
  case analysis::FixKind::Replace:
  case analysis::FixKind::RenameKey:
    return "";
  }
  return "";
}

/// A nested mapping of dotted key paths to plain values, written as block YAML.
struct Tree {
  std::map<std::string, Tree> Children;
  std::string Value;

  /// Sets the dotted Path to V.
  void set(llvm::StringRef Path, const std::string &V) {
    auto [Head, Rest] = Path.split('.');
    Tree &Child = Children[Head.str()];
    if (Rest.empty())
      Child.Value = V;
    else
      Child.set(Rest, V);
  }
  /// Appends the mapping as block YAML at Indent.
  void write(std::string &Out, unsigned Indent) const {
    for (const auto &[Key, Child] : Children) {
      Out += std::string(Indent, ' ') + Key + ":";
      if (Child.Children.empty()) {
        Out += " " + Child.Value + "\n";
      } else {
        Out += "\n";
        Child.write(Out, Indent + 2);
      }
    }
  }
};

} // namespace saguard::fix
