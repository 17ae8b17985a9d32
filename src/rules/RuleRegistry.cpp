//===- RuleRegistry.cpp - the rule table, expanded from Rules.def ---------===//
#include "saguard/rules/RuleRegistry.h"

#include <algorithm>
#include <vector>

namespace saguard::analysis {

#define SAGUARD_RULE(Id, Name, Level, Class, Summary) std::unique_ptr<Rule> create##Class();
#include "Rules.def"

namespace {

struct HelpPage {
  std::string_view Id;
  std::string_view Markdown;
};

// docs/rules/SAxxx.md, embedded at build time so `saguard rules SA001`, SARIF help.markdown and
// the repository page are the same text.
constexpr HelpPage HelpPages[] = {
#define SAGUARD_RULE_HELP(Id, Text) {#Id, Text},
#include "RuleHelp.inc"
#undef SAGUARD_RULE_HELP
};

constexpr RuleSeverity Severities[] = {
#define SAGUARD_SECURITY_SEVERITY(Id, Score) {#Id, Score},
#include "SecuritySeverity.def"
};

double severityFor(std::string_view Id) {
  for (const RuleSeverity &S : Severities)
    if (S.Id == Id)
      return S.Score;
  return 0;
}

std::string_view helpFor(std::string_view Id) {
  for (const HelpPage &P : HelpPages)
    if (P.Id == Id)
      return P.Markdown;
  return {};
}

} // namespace

std::span<const RuleInfo> allRules() {
  static const std::vector<RuleInfo> Rules = {
#define SAGUARD_RULE(Id, Name, Lvl, Class, Summary)                                           \
  RuleInfo{#Id, Name, Level::Lvl, Summary, helpFor(#Id), &create##Class, severityFor(#Id)},
#include "Rules.def"
  };
  return Rules;
}

std::span<const RuleSeverity> securitySeverityTable() { return Severities; }

const RuleInfo *findRule(std::string_view IdOrName) {
  auto Rules = allRules();
  auto It = std::find_if(Rules.begin(), Rules.end(), [&](const RuleInfo &R) {
    return R.Id == IdOrName || R.Name == IdOrName;
  });
  return It == Rules.end() ? nullptr : &*It;
}

} // namespace saguard::analysis
