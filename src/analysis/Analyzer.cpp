//===- Analyzer.cpp - run the enabled rules over an index -----------------===//
#include "saguard/analysis/Analyzer.h"

#include <algorithm>
#include <tuple>

namespace saguard::analysis {

bool RuleSelection::isEnabled(std::string_view Id, std::string_view Name) const {
  auto Names = [&](const std::set<std::string> &S) {
    return S.count(std::string(Id)) || S.count(std::string(Name));
  };
  if (!Enabled.empty() && !Names(Enabled))
    return false;
  return !Names(Disabled);
}

model::ModelParts partsRead(const RuleSelection &Selection, std::span<const RuleInfo> Rules) {
  model::ModelParts Parts;
  for (const RuleInfo &Info : Rules)
    if (Selection.isEnabled(Info.Id, Info.Name))
      Parts |= Info.Create()->reads();
  if (Parts.has(model::ModelPart::PodSpecs))
    Parts |= {model::ModelPart::Accounts};
  return Parts;
}

std::vector<Finding> analyze(const Index &Idx, const AnalysisOptions &Options,
                             const RuleSelection &Selection, std::span<const RuleInfo> Rules) {
  AnalysisContext Ctx(Idx, Options);
  std::vector<Finding> Findings;
  for (const RuleInfo &Info : Rules) {
    if (!Selection.isEnabled(Info.Id, Info.Name))
      continue;
    FindingSink Sink(std::string(Info.Id), std::string(Info.Name), Info.DefaultLevel,
                     Info.SecuritySeverity, Idx, Findings);
    Info.Create()->check(Ctx, Sink);
  }
  std::stable_sort(Findings.begin(), Findings.end(), [](const Finding &A, const Finding &B) {
    return std::tie(A.Primary.File, A.Primary.Begin, A.RuleId) <
           std::tie(B.Primary.File, B.Primary.Begin, B.RuleId);
  });
  return Findings;
}

} // namespace saguard::analysis
