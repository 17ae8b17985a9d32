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

/// Resolves fixes against one file's text. Only the document a fix edits is read into lines and
/// loaded after the edit, so a file of many documents costs no more per fix than its own
/// document, and nothing for the documents no fix edits. What the unedited document loads to
/// comes from the main pass when it recorded the document (Loaded), else from one load of it
/// however many fixes it has.
class FileFixer {
public:
  explicit FileFixer(llvm::StringRef Text, const LoadedDocuments *Loaded = nullptr,
                     FileId File = 0)
      : Text(Text), Recorded(Loaded), File(File) {}
  /// See fix::resolveFix.
  std::optional<analysis::Fix> resolve(const analysis::Fix &F) const;
  /// Byte offset of Pos (a code-point column) in the text; nullopt when not in it.
  std::optional<size_t> offsetOf(SourcePos Pos) const;

private:
  /// What a document loads to as it is: its objects' identities, in order (appendRefs), its
  /// errors, and the namespace its objects without one get.
  struct Loaded {
    std::string Refs;
    size_t Errors = 0;
    std::string DefaultNamespace = std::string(model::DefaultNamespaceName);
  };
  /// The unedited document Doc, its lines numbered as in the file.
  const Loaded &original(const BlockText &Doc) const;
  /// Byte offset of line N's first byte; nullopt past the text's last line.
  std::optional<size_t> lineStart(unsigned N) const;
  /// The lines of the document that holds line N: from its `---` line (or the text's start) to
  /// the next one (or the text's end); nullopt past the text's last line.
  std::optional<BlockText> documentAround(unsigned N) const;

  llvm::StringRef Text;
  const LoadedDocuments *Recorded;
  FileId File;
  /// The start of every LineStride-th line (1, 1 + LineStride, ...), found as far as a fix
  /// asked: a few kilobytes for a file of a million lines.
  static constexpr unsigned LineStride = 64;
  mutable std::vector<size_t> StrideStarts{0};
  /// By first line: resolving is const to callers, the caches are not part of the answer.
  mutable std::map<unsigned, Loaded> Originals;
};

} // namespace saguard::fix
