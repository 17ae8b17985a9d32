//===- TestUtil.h - run rules over YAML in tests ----------------*- C++ -*-===//
#pragma once

#include "saguard/analysis/Analyzer.h"

#include <string>
#include <vector>

namespace saguard::test {

/// Loads a multi-document YAML stream (file id 1) and runs the rule RuleId over it alone.
std::vector<analysis::Finding> runRule(const std::string &RuleId, const std::string &Yaml,
                                       analysis::AnalysisOptions Options = {});

/// Checks that RuleId fires exactly on the lines of Yaml marked `# EXPECT: <RuleId>` (once per
/// mark; a line may carry `# EXPECT: SA001 SA001`) and nowhere else. The clang-tidy
/// CHECK-MESSAGES idea, carried into GoogleTest.
void expectAnnotatedFindings(const std::string &RuleId, const std::string &Yaml,
                             analysis::AnalysisOptions Options = {});

} // namespace saguard::test
