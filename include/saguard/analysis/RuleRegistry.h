//===- RuleRegistry.h - the table of all rules ------------------*- C++ -*-===//
#pragma once

#include "saguard/analysis/Rule.h"

#include <memory>
#include <span>
#include <string_view>

namespace saguard::analysis {

/// One row of src/rules/Rules.def, plus its help page (docs/rules/SAxxx.md, embedded).
struct RuleInfo {
  std::string_view Id;      ///< SA001
  std::string_view Name;    ///< default-sa-token-automount
  Level DefaultLevel;
  std::string_view Summary; ///< one line
  std::string_view Help;    ///< markdown help page
  std::unique_ptr<Rule> (*Create)();
  /// The rule's row of src/rules/SecuritySeverity.def (GitHub's scale); 0 when it has none.
  double SecuritySeverity = 0;
};

/// One row of src/rules/SecuritySeverity.def.
struct RuleSeverity {
  std::string_view Id;
  double Score;
};

/// The security-severity table, in file order: one row per rule, beside the rule table.
std::span<const RuleSeverity> securitySeverityTable();

/// All rules, sorted by id; the position of a rule is its SARIF ruleIndex. Defined by the rules
/// layer from src/rules/Rules.def, the only list of rules.
std::span<const RuleInfo> allRules();
/// The rule with that id or name, or null.
const RuleInfo *findRule(std::string_view IdOrName);

} // namespace saguard::analysis
