//===- Fixes.h - fixes as exact edits of the user's files -------*- C++ -*-===//
//
// Rules say what to change in terms of located keys (analysis::FixKind); this layer reads the
// file a fix names and turns it into an exact Replace edit at the indentation and line end the
// file uses, or drops it when the text does not allow a safe edit: a fix is never wrong, at
// worst absent. It also applies fixes on disk for `saguard fix`.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "saguard/analysis/Finding.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace saguard::fix {

/// Fix resolved against Text, the content of the file its range names: an exact Replace edit
/// that leaves Text loading to the same objects with the fixed field set, or nullopt when no
/// such edit is certain (flow style, tabs, quoted or multi-line values, a key already there,
/// a range that does not hold what the fix expects).
std::optional<analysis::Fix> resolveFix(const analysis::Fix &Fix, llvm::StringRef Text);

class LoadedDocuments;

/// Resolves the fixes of every finding against the files they name as they are on disk now;
/// fixes in files that cannot be read (stdin, rendered streams) or not safely edited are dropped.
/// Loaded, when given, holds what the run loaded from those files' documents; the edited
/// documents are loaded on up to Jobs threads.
void resolveFixes(std::vector<analysis::Finding> &Findings, const FileTable &Files,
                  const LoadedDocuments *Loaded = nullptr, unsigned Jobs = 1);

/// The new content of one file with every fix for it applied.
struct FileChange {
  std::string Path;
  /// The text the edits were computed on, as read; writeChanges refuses if the file differs.
  std::string Before;
  std::string After;
  /// One line per applied fix: `LINE: description [RULE]`.
  std::vector<std::string> Applied;
};

/// What `saguard fix` would do with Findings.
struct FixPlan {
  std::vector<FileChange> Changes;
  /// Findings with a fix that could not be made safely: `FILE:LINE: message [RULE]`.
  std::vector<std::string> Unsafe;
  /// Findings whose fix is in a rendered chart or overlay: not edited in place.
  size_t Rendered = 0;
};

/// Reads each file a fix of Findings names (once), resolves the fixes against it and applies
/// them. An error, and no plan, when two different fixes overlap or one file is reached under
/// two paths: which edit wins would be a guess.
llvm::Expected<FixPlan> planFixes(const std::vector<analysis::Finding> &Findings,
                                  const FileTable &Files);

/// Writes every change, each file atomically (beside it, then renamed). Refuses, changing
/// nothing, when any file no longer holds the text the plan was computed on.
llvm::Error writeChanges(const std::vector<FileChange> &Changes);

/// Strategic-merge patches that make a built overlay free of the findings they fix, without
/// editing its bases.
struct PatchSet {
  struct Patch {
    /// `<kind>-<namespace>-<name>.yaml`, the kind in lower case.
    std::string FileName;
    model::ObjectRef Object;
    std::string Text;
  };
  std::vector<Patch> Files;
  /// Findings with a fix that a patch cannot express: `message [RULE]`.
  std::vector<std::string> NotPatched;
};

/// One patch per object that a fix of Findings (in a rendered overlay) sets a field of: the
/// object's apiVersion, kind and name with the fields the fixes set.
PatchSet kustomizePatches(const std::vector<analysis::Finding> &Findings);

/// The `patches:` entries of a kustomization.yaml that apply Patches, their paths relative to
/// the overlay (PathPrefix is the patch folder as the overlay sees it, `/`-terminated or
/// empty), each with a target selecting its object by kind and name.
std::string kustomizationSnippet(const PatchSet &Patches, llvm::StringRef PathPrefix);

/// A values file that makes a chart's render free of the findings whose field a values key
/// sets, and the findings no key reaches.
struct ValuesOverride {
  /// The file: the keys, nested, each set to the value its fix gives the field.
  std::string Yaml;
  /// `key: value` per key set, in file order.
  std::vector<std::string> Keys;
  /// Findings with a fix that no values key reaches: `FILE:LINE: message [RULE]`.
  std::vector<std::string> NeedsTemplateChange;
  /// Findings the file fixes: `KEY: message [RULE]`.
  std::vector<std::string> Fixed;
};

/// The override for Findings of a rendered chart: a finding whose deciding template line sets
/// automountServiceAccountToken from exactly one values key (its values note) gets that key set
/// to its fix's value; the others need a template change.
ValuesOverride chartValuesOverride(const std::vector<analysis::Finding> &Findings,
                                   const FileTable &Files);

/// Writes each patch and `kustomization-patches.yaml` (the snippet) into OutDir, creating it;
/// PathPrefix as for kustomizationSnippet.
llvm::Error writePatches(const PatchSet &Patches, const std::string &OutDir,
                         llvm::StringRef PathPrefix);

/// The change as a unified diff (`--- PATH`, `+++ PATH`, hunks with 3 lines of context, as
/// `diff -u` writes it and `patch -p0` reads it).
std::string unifiedDiff(const FileChange &Change);

} // namespace saguard::fix
