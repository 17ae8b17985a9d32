//===- FileFixer.h - resolves the fixes of one file ------------*- C++ -*-===//
#pragma once

#include "BlockText.h"

#include "saguard/analysis/Finding.h"

#include "saguard/model/Object.h"

#include <map>
#include <optional>
#include <vector>

namespace saguard::fix {

/// Resolves fixes against one file's text, read into lines once; each fix is checked by loading
/// only the document it edits, before and after, so a file of many documents costs no more per
/// fix than its own document. A document's own load is made once however many fixes it has.
class FileFixer {
public:
  explicit FileFixer(llvm::StringRef Text) : Text(Text), Lines(Text) {}
  /// See fix::resolveFix.
  std::optional<analysis::Fix> resolve(const analysis::Fix &F) const;
  const BlockText &lines() const { return Lines; }

private:
  /// What a document loads to as it is: its objects' identities, in order, and its errors.
  struct Loaded {
    std::vector<model::ObjectRef> Refs;
    size_t Errors = 0;
  };
  /// The unedited document that starts at line First and ends before line End.
  const Loaded &original(unsigned First, unsigned End) const;

  llvm::StringRef Text;
  BlockText Lines;
  /// By first line: resolving is const to callers, the cache is not part of the answer.
  mutable std::map<unsigned, Loaded> Originals;
};

} // namespace saguard::fix
