//===- RuleRegistry.h - the table of all rules ------------------*- C++ -*-===//
#pragma once

#include "saguard/analysis/Rule.h"

#include <span>
#include <string_view>

namespace saguard::analysis {

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
