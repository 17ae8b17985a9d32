//===- UnknownServiceAccountRule.cpp - SA010 ------------------------------===//
#include "saguard/analysis/Rule.h"

#include "llvm/Support/FormatVariadic.h"

namespace saguard::analysis {
namespace {

/// SA010: a Pod names an account the analysed set does not define, so its automount setting
/// and bindings cannot be checked.
class UnknownServiceAccountRule : public Rule {
public:
  model::ModelParts reads() const override {
    return {model::ModelPart::PodSpecs, model::ModelPart::Accounts};
  }
  void check(const AnalysisContext &Ctx, FindingSink &Out) const override {
    for (const model::Object *W : Ctx.Idx.workloads()) {
      const model::PodSpec &Pod = *W->Pod;
      // Every namespace has a `default` account, defined or not.
      if (Pod.accountName() == "default" || accountOf(Ctx, *W))
        continue;
      Out.report(*W, Pod.accountKey(),
                 llvm::formatv("{0} runs as ServiceAccount '{1}', which the analysed set does "
                               "not define in namespace '{2}'",
                               describeObject(W->Ref), Pod.accountName(), W->Ref.Namespace));
    }
  }
};

} // namespace

std::unique_ptr<Rule> createUnknownServiceAccountRule() {
  return std::make_unique<UnknownServiceAccountRule>();
}

} // namespace saguard::analysis
