//===- FileFixer.h - resolves the fixes of one file ------------*- C++ -*-===//
#pragma once

#include "BlockText.h"

#include "saguard/analysis/Finding.h"

#include <optional>

namespace saguard::fix {

/// Resolves fixes against one file's text, read into lines once; each fix is checked by loading
/// only the document it edits, before and after, so a file of many documents costs no more per
/// fix than its own document.
class FileFixer {
public:
  explicit FileFixer(llvm::StringRef Text) : Text(Text), Lines(Text) {}
  /// See fix::resolveFix.
  std::optional<analysis::Fix> resolve(const analysis::Fix &F) const;
  const BlockText &lines() const { return Lines; }

private:
  llvm::StringRef Text;
  BlockText Lines;
};

} // namespace saguard::fix
