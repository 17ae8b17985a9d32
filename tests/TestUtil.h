//===- TestUtil.h - run rules over YAML in tests ----------------*- C++ -*-===//
#pragma once

#include "saguard/analysis/Analyzer.h"
#include "saguard/support/Notification.h"

#include <memory>
#include <string>
#include <vector>

namespace saguard::test {

/// Loads a multi-document YAML stream (file id 1) into a finalized Index, keeping the objects
/// that carry one of Keep. Documents that do not load fail the test, or, when Errors is given,
/// are appended to it.
std::unique_ptr<analysis::Index> loadIndex(const std::string &Yaml,
                                           std::vector<ToolNotification> *Errors = nullptr,
                                           model::ModelParts Keep = model::ModelParts::all());

/// Loads a multi-document YAML stream (file id 1) and runs the rule RuleId over it alone. The
/// loader keeps only the parts the rule declares it reads, and the findings must be those of a
/// run over every object.
std::vector<analysis::Finding> runRule(const std::string &RuleId, const std::string &Yaml,
                                       analysis::AnalysisOptions Options = {});

/// Checks that RuleId fires exactly on the lines of Yaml marked `# EXPECT: <RuleId>` (once per
/// mark; a line may carry `# EXPECT: SA001 SA001`) and nowhere else. The clang-tidy
/// CHECK-MESSAGES idea, carried into GoogleTest.
void expectAnnotatedFindings(const std::string &RuleId, const std::string &Yaml,
                             analysis::AnalysisOptions Options = {});

} // namespace saguard::test
