//===- AliasResolver.h - expand anchors, aliases and merge keys -*- C++ -*-===//
#pragma once

#include "saguard/model/Loader.h"
#include "saguard/support/LineTable.h"

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace saguard::model {

/// A document rewritten without anchors, aliases or merge keys, one key per line.
struct ResolvedDocument {
  std::string Text;
  /// For each line of Text, the position of the node it came from in the original document.
  std::vector<SourcePos> LineOrigins;
};

/// Expands the aliases of one document as Kubernetes' YAML reader does (merge keys `<<`
/// included, explicit keys winning over merged ones), bounded by Limits so that an alias bomb
/// fails instead of exhausting memory. Errors are LocatedErrors of the original text.
llvm::Expected<ResolvedDocument> resolveAliases(llvm::StringRef Text, FileId File,
                                                const LineTable &Lines, const LoadLimits &Limits);

} // namespace saguard::model
