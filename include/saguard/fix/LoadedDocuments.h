//===- LoadedDocuments.h - what the main pass loaded, for fix proofs -*- C++ -*-===//
//
// A fix is offered only when the edited document loads to the same objects as the document
// did. The main pass has loaded every document already; recording what each gave (a few bytes
// per object) spares the proof a second load of the unedited document.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "saguard/model/Loader.h"
#include "saguard/support/SourcePos.h"

#include "llvm/ADT/StringRef.h"

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace saguard::fix {

/// Appends Ref's identity to Out: equal encodings of identities in turn mean equal identities.
void appendRefs(const model::ObjectRef &Ref, std::string &Out);

class LoadedDocuments {
public:
  /// A LoadOptions::OnDocument that records the documents of files loaded with DefaultNamespace;
  /// safe to call from several threads. Documents that dropped an object (a kind no enabled rule
  /// reads) or kept no object with a pod spec are not recorded: their proofs load them again.
  std::function<void(const model::DocumentLoaded &)> recorder(std::string DefaultNamespace);

  struct Document {
    /// Its objects' identities, in order, as appendRefs encodes them.
    llvm::StringRef Refs;
    size_t Errors = 0;
    /// The namespace its objects without one got.
    llvm::StringRef DefaultNamespace;
    /// Bytes of its text (after its `---` line).
    size_t TextBytes = 0;
  };
  /// The document of Stream whose text starts at line FirstLine; nullopt when none was recorded.
  /// Only once the loads are done; safe to call from several threads.
  std::optional<Document> find(FileId Stream, unsigned FirstLine) const;

private:
  struct Record {
    FileId Stream = 0;
    unsigned FirstLine = 0;
    unsigned Namespace = 0;
    size_t Errors = 0, TextBytes = 0;
    size_t RefsBegin = 0, RefsEnd = 0;
  };
  mutable std::mutex Lock;
  std::vector<std::string> Namespaces;
  /// Every record's encoded identities, one after another: no allocation per document.
  std::string Refs;
  /// Sorted by stream and line on the first find (loads may record out of order).
  mutable std::vector<Record> Records;
  mutable bool Sorted = true;
};

} // namespace saguard::fix
