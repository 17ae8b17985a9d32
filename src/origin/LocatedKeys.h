//===- LocatedKeys.h - the keys the model located in an object ----------------------*- C++ -*-===//
#pragma once

#include "saguard/model/Object.h"
#include "saguard/support/SourcePos.h"

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>
#include <vector>

namespace saguard::origin {

using llvm::StringRef;

/// A key whose range the model recorded, with its dotted path in the object.
struct LocatedKey {
  SourcePos Begin;
  /// The key's path, as the loader recorded it.
  std::string Path;
  /// Range starts at the key itself (not at a sequence item's value).
  bool AtKey = true;
  /// The scalar value as Kubernetes read it, to tell apart lines that spell another value.
  std::optional<std::string> Value;
  bool IsBool = false;
};

std::vector<LocatedKey> locatedKeys(const model::Object &O);

/// Whether a path segment is a list index.
bool isIndex(StringRef Segment);

/// The path's segments that name mapping keys (list indices dropped).
std::vector<StringRef> keySegments(StringRef Path);

/// Whether a source scalar Written can be what the model read as Key's value.
bool sameValue(const LocatedKey &Key, StringRef Written);

} // namespace saguard::origin
