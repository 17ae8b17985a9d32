//===- FileFixer.h - resolves the fixes of one file ------------*- C++ -*-===//
#pragma once

#include "BlockText.h"

#include "saguard/analysis/Finding.h"
#include "saguard/fix/LoadedDocuments.h"

#include "saguard/model/Object.h"

#include <map>
#include <optional>
#include <vector>

namespace saguard::fix {

/// Resolves fixes against the documents of one file, given each as its lines (numbered as in
/// the file, from its `---` line or the file's start to the next `---`). Only the edited
/// document is loaded after an edit. What the unedited document loads to comes from the main
/// pass when it recorded the document (Loaded), else from one load of it however many fixes it
/// has.
class DocumentFixer {
public:
  explicit DocumentFixer(const LoadedDocuments *Loaded = nullptr, FileId File = 0)
      : Recorded(Loaded), File(File) {}
  /// See fix::resolveFix; Doc is the document that holds the line F starts on.
  std::optional<analysis::Fix> resolve(const analysis::Fix &F, const BlockText &Doc) const;

private:
  /// What a document loads to as it is: its objects' identities, in order (appendRefs), its
  /// errors, and the namespace its objects without one get.
  struct Loaded {
    std::string Refs;
    size_t Errors = 0;
    std::string DefaultNamespace = std::string(model::DefaultNamespaceName);
  };
  const Loaded &original(const BlockText &Doc) const;

  const LoadedDocuments *Recorded;
  FileId File;
  /// By first line: resolving is const to callers, the cache is not part of the answer.
  mutable std::map<unsigned, Loaded> Originals;
};

/// Resolves fixes against one file's text held in memory; only the document a fix edits is
/// read into lines, so a file of many documents costs no more per fix than its own document.
class FileFixer {
public:
  explicit FileFixer(llvm::StringRef Text) : Text(Text) {}
  /// See fix::resolveFix.
  std::optional<analysis::Fix> resolve(const analysis::Fix &F) const;
  /// Byte offset of Pos (a code-point column) in the text; nullopt when not in it.
  std::optional<size_t> offsetOf(SourcePos Pos) const;

private:
  /// Byte offset of line N's first byte; nullopt past the text's last line.
  std::optional<size_t> lineStart(unsigned N) const;
  /// The lines of the document that holds line N; nullopt past the text's last line.
  std::optional<BlockText> documentAround(unsigned N) const;

  llvm::StringRef Text;
  DocumentFixer Proof;
  /// The start of every LineStride-th line (1, 1 + LineStride, ...), found as far as a fix
  /// asked: a few kilobytes for a file of a million lines.
  static constexpr unsigned LineStride = 64;
  mutable std::vector<size_t> StrideStarts{0};
};

} // namespace saguard::fix
