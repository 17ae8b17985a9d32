//===- Analyzer.h - run the enabled rules over an index ---------*- C++ -*-===//
#pragma once

#include "saguard/analysis/Rule.h"

#include <span>
#include <set>
#include <string>
#include <vector>

namespace saguard::analysis {

struct RuleSelection {
  /// Rule ids or names turned off (--disable, config).
  std::set<std::string> Disabled;
  /// When non-empty, only these run (--enable).
  std::set<std::string> Enabled;
  bool isEnabled(std::string_view Id, std::string_view Name) const;
};

/// The parts of the model the enabled rules of Rules read, and the ServiceAccounts whenever
/// they read pod specs (a Pod's findings are suppressed through its account's annotation).
model::ModelParts partsRead(const RuleSelection &Selection, std::span<const RuleInfo> Rules);

/// Runs every enabled rule of Rules over Idx and returns the findings sorted by file, line and
/// rule; findings on objects annotated `saguard.io/ignore` come back marked suppressed.
std::vector<Finding> analyze(const Index &Idx, const AnalysisOptions &Options,
                             const RuleSelection &Selection, std::span<const RuleInfo> Rules);

} // namespace saguard::analysis
