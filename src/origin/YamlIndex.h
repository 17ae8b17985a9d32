//===- YamlIndex.h - YAML files flattened to dotted key paths -----------------------*- C++ -*-===//
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "SourceFiles.h"

namespace saguard::origin {

/// A key (or sequence item) of a YAML document.
struct YamlEntry {
  SourcePos Pos;                     ///< the key, or the item's first character
  std::optional<std::string> Scalar; ///< the value, when it is a scalar
};

/// One document: every node by dotted path (`spec.template.spec.serviceAccountName`,
/// `subjects.0.name`; the root of a sequence document gives `0.op`).
struct YamlDoc {
  SourcePos Start;
  bool RootIsSequence = false;
  std::unordered_map<std::string, YamlEntry> Entries;

  const YamlEntry *find(const std::string &Path) const {
    auto It = Entries.find(Path);
    return It == Entries.end() ? nullptr : &It->second;
  }
  std::string scalar(const std::string &Path) const {
    const YamlEntry *E = find(Path);
    return E && E->Scalar ? *E->Scalar : std::string();
  }
};

struct YamlFile {
  std::unique_ptr<TextFile> Text;
  std::vector<YamlDoc> Docs;
};

/// Parses Text and records every node's position. The parser's own recursion (skip) is kept
/// shallow by preScan's depth bound, which rejects the file first.
std::vector<YamlDoc> flattenYaml(const TextFile &File);

} // namespace saguard::origin
