//===- Loader.h - YAML documents to model objects ---------------*- C++ -*-===//
#pragma once

#include "saguard/model/Object.h"
#include "saguard/support/Document.h"
#include "saguard/support/Notification.h"

#include <deque>
#include <functional>
#include <vector>

namespace saguard::model {

/// Bounds that keep a hostile document from hanging or crashing the parser.
struct LoadLimits {
  unsigned MaxDepth = 1000;                    ///< nesting (and indentation) of collections
  size_t MaxScalarBytes = 4u << 20;            ///< one scalar
  size_t MaxDocumentBytes = 64u << 20;         ///< one document
  /// Nodes that resolving aliases and merge keys may produce; a lower share of the document is
  /// enforced as well (go-yaml's alias ratio, as Kubernetes reads YAML).
  size_t MaxAliasExpansionNodes = 1'000'000;
};

struct LoadResult;

/// What loading one document added to a LoadResult.
struct DocumentLoaded {
  const DocumentText &Doc;
  /// The document's kept objects are Result.Objects[FirstObject...].
  const LoadResult &Result;
  size_t FirstObject = 0;
  /// Objects it dropped (see LoadOptions::Keep) and errors it added.
  size_t Skipped = 0, Errors = 0;
};

struct LoadOptions {
  /// Namespace of namespaced objects that carry none (`--namespace`).
  std::string DefaultNamespace = std::string(DefaultNamespaceName);
  /// The target (file, chart, overlay) objects are tagged with, interned once for every object
  /// of the target.
  InternedString Target;
  /// The parts of the model the run reads (the enabled rules' union): objects that carry none
  /// of them are counted in LoadResult::Skipped and dropped, so memory holds only what the
  /// analysis needs.
  ModelParts Keep = ModelParts::all();
  /// Keep every object, also those that carry no part (Services, ConfigMaps, custom resources
  /// without a pod template, Secrets that hold no ServiceAccount token): for edits checked by
  /// loading the document again, and for tests of the mapping.
  bool KeepUnreadKinds = false;
  LoadLimits Limits;
  /// Called after each document is loaded (from the thread that loaded it): lets the proof of
  /// fixes compare an edited document with what the document gave, without loading it again.
  std::function<void(const DocumentLoaded &)> OnDocument;
  /// Threads that load the documents of one stream at once (ParallelLoader), the reader's
  /// included.
  unsigned Threads = 1;
};

/// What one document gave: objects (several for `kind: List`) and problems.
struct LoadResult {
  /// A deque: growing it never moves the objects already loaded.
  std::deque<Object> Objects;
  std::vector<ToolNotification> Errors;
  /// Objects loaded and then dropped because no rule reads their kind (see LoadOptions).
  size_t Skipped = 0;
};

/// Parses one document on its own (one yaml::Input per document, so a bad document never hides
/// the next) and appends its objects and errors to Out. Empty and comment-only documents add
/// nothing.
void loadDocument(const DocumentText &Doc, const LoadOptions &Options, LoadResult &Out);

} // namespace saguard::model
