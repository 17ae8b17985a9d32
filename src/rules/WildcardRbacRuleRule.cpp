//===- WildcardRbacRuleRule.cpp - SA007 -----------------------------------===//
#include "saguard/analysis/Rule.h"

#include "llvm/Support/FormatVariadic.h"

namespace saguard::analysis {
namespace {

/// SA007: a Role or ClusterRole rule with an element equal to `*` in verbs, resources,
/// apiGroups or nonResourceURLs (a prefix glob such as `/healthz/*` is not one), unless it stays
/// inside the chart's own custom API groups.
class WildcardRbacRuleRule : public Rule {
public:
  model::ModelParts reads() const override { return {model::ModelPart::Roles}; }
  void check(const AnalysisContext &Ctx, FindingSink &Out) const override {
    for (const model::Object *R : Ctx.Idx.roles()) {
      for (const model::PolicyRule &Rule : R->Role->Rules) {
        std::vector<std::string_view> Fields = reportedWildcards(Rule);
        if (Fields.empty())
          continue;
        Out.report(*R, Rule,
                   llvm::formatv("{0} has a rule with '*' in {1} ({2}); it also grants whatever "
                                 "the API server adds later",
                                 describeObject(R->Ref), list(Fields), describeRule(Rule)));
      }
    }
  }

private:
  /// `a`, `a and b`, `a, b and c`.
  static std::string list(const std::vector<std::string_view> &Items) {
    std::string Out;
    for (size_t I = 0; I < Items.size(); ++I) {
      if (I > 0)
        Out += I + 1 == Items.size() ? " and " : ", ";
      Out += Items[I];
    }
    return Out;
  }
};

} // namespace

std::unique_ptr<Rule> createWildcardRbacRuleRule() {
  return std::make_unique<WildcardRbacRuleRule>();
}

} // namespace saguard::analysis
