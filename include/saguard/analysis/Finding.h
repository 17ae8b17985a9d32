//===- Finding.h - what a rule reports --------------------------*- C++ -*-===//
#pragma once

#include "saguard/model/Object.h"
#include "saguard/support/SourcePos.h"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace saguard::analysis {

/// Severity, ordered so that a larger value is more severe (compare with --fail-on).
enum class Level { Note, Warning, Error };

std::string_view levelName(Level L);
/// The security-severity of a finding at level L that nothing ranks better: error 8.0 (high),
/// warning 5.0 (medium), note 2.0 (low).
double levelSecuritySeverity(Level L);
std::optional<Level> parseLevel(std::string_view Name);

/// A located remark attached to a finding: a related place or one step of a privilege path.
struct Note {
  SourceRange Range;
  std::string Message;
};

/// What a fix's Range and Replacement mean. Rules say what to change in terms of the keys the
/// model located; fix::resolveFixes reads the file and turns every other kind into an exact
/// Replace, or drops the fix when the text does not allow a safe edit.
enum class FixKind {
  /// Range is the text to replace (an empty range inserts); Replacement the new text.
  Replace,
  /// Range is a `key: value` on one line; Replacement the new plain value.
  SetValue,
  /// Range is a `key: value` on one line; Replacement the new key name.
  RenameKey,
  /// Range is a key whose block mapping gets the `key: value` line Replacement.
  AddKeyUnder,
  /// Range is the first key of a block mapping; the `key: value` line Replacement goes after
  /// the mapping's last line.
  AppendKey,
};

/// A mechanical edit that removes the finding (SARIF `fixes`).
struct Fix {
  std::string Description;
  SourceRange Range;
  std::string Replacement;
  FixKind Kind = FixKind::Replace;
  /// Dotted path in the object of the key the fix sets (`spec.template.spec.
  /// automountServiceAccountToken`), for edits made apart from the file: a Kustomize patch.
  std::string KeyPath;
  /// Range is in a rendered stream, not in a file the user edits: only KeyPath can be used.
  bool InRender = false;
};

/// Why a finding does not count (SARIF `suppressions`).
struct Suppression {
  std::string Justification;
};

struct Finding {
  std::string RuleId;
  std::string RuleName;
  Level Severity = Level::Warning;
  /// How much an attacker gains, on GitHub's scale (>= 9.0 critical, 7.0-8.9 high, 4.0-6.9
  /// medium, below 4.0 low); 0 when unranked.
  double SecuritySeverity = 0;
  std::string Message;
  model::ObjectRef Object;
  /// The deciding key: where the user edits.
  SourceRange Primary;
  /// Path of the deciding key in its object (KeyPath), stable across line moves (fingerprints).
  std::string KeyPath;
  /// The file the object was written in, when that is not the target itself: the `# Source:`
  /// template of a chart, the origin file of an overlay, the file in a scanned directory
  /// (fingerprints).
  std::string Source;
  /// What fingerprints call the object when its name is drawn anew on every render (`#2`: the
  /// second object of its kind from Source); empty when its name is literal.
  std::string StableName;
  std::vector<Note> Related;
  /// Privilege paths Pod -> account -> binding -> role -> rule (SARIF codeFlows), one after the
  /// other; FlowStarts says where each path after the first begins.
  std::vector<Note> Flow;
  /// Indexes into Flow where a new path starts (ascending; 0 may be left out).
  std::vector<size_t> FlowStarts;
  /// What the finding is about, one entry each, e.g. the dangerous permissions of a token
  /// (SARIF result properties).
  std::vector<std::string> Permissions;
  std::vector<Fix> Fixes;
  std::optional<Suppression> Suppressed;
  /// The target (file, chart, overlay) the finding's object came from.
  std::string Target;
};

/// The privilege paths of F: Flow cut at FlowStarts; empty when Flow is.
std::vector<std::span<const Note>> flowPaths(const Finding &F);

} // namespace saguard::analysis
