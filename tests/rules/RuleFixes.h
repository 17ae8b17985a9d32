//===- RuleFixes.h - a rule's fix applied and checked, for rule tests -*- C++ -*-===//
#pragma once

#include "FixTestUtil.h"
#include "TestUtil.h"

#include <gtest/gtest.h>

namespace saguard::test {

/// Yaml with the one fix of the one finding RuleId reports on it applied, checked to leave the
/// rule silent; nullopt, and a test failure, when any of that does not hold.
inline std::optional<std::string> fixedBy(const std::string &RuleId, const std::string &Yaml,
                                          analysis::AnalysisOptions Options = {}) {
  std::vector<analysis::Finding> Findings = runRule(RuleId, Yaml, Options);
  if (Findings.size() != 1 || Findings[0].Fixes.size() != 1) {
    ADD_FAILURE() << "expected one finding with one fix, got " << Findings.size();
    return std::nullopt;
  }
  std::optional<std::string> Fixed = applyFix(Yaml, Findings[0].Fixes[0]);
  if (!Fixed) {
    ADD_FAILURE() << "no safe edit for " << Findings[0].Fixes[0].Description;
    return std::nullopt;
  }
  EXPECT_TRUE(runRule(RuleId, *Fixed, Options).empty()) << "the fix leaves the finding:\n"
                                                        << *Fixed;
  return Fixed;
}

} // namespace saguard::test
