//===- DeprecatedServiceAccountFieldRule.cpp - SA011 ----------------------===//
#include "saguard/analysis/Rule.h"

#include "llvm/Support/FormatVariadic.h"

namespace saguard::analysis {
namespace {

/// SA011: a Pod uses the deprecated `serviceAccount` field; a warning when it names another
/// account than `serviceAccountName`, which is the one the Pod runs as.
class DeprecatedServiceAccountFieldRule : public Rule {
public:
  model::ModelParts reads() const override { return {model::ModelPart::PodSpecs}; }
  void check(const AnalysisContext &Ctx, FindingSink &Out) const override {
    for (const model::Object *W : Ctx.Idx.workloads()) {
      const model::PodSpec &Pod = *W->Pod;
      // An empty or null value counts as unset, as in Kubernetes.
      if (!Pod.ServiceAccount.isSet() || Pod.ServiceAccount->empty())
        continue;
      const std::string &Deprecated = *Pod.ServiceAccount;
      std::string What = describeObject(W->Ref);
      std::string Name = Pod.ServiceAccountName.valueOr("");
      if (!Name.empty() && Name != Deprecated) {
        Out.report(*W, Pod.ServiceAccount,
                   llvm::formatv("{0} sets the deprecated serviceAccount '{1}', which differs "
                                 "from serviceAccountName '{2}'; the Pod runs as '{2}'",
                                 What, Deprecated, Name),
                   Level::Warning)
            .related(Pod.ServiceAccountName.Range, "serviceAccountName is set here");
        continue;
      }
      FindingBuilder B =
          Out.report(*W, Pod.ServiceAccount,
                     llvm::formatv("{0} sets the deprecated field serviceAccount; use "
                                   "serviceAccountName",
                                   What));
      // Renaming the key is safe only when it does not create a duplicate key.
      if (!Pod.ServiceAccountName.isSet())
        B.fix("rename the field to serviceAccountName", Pod.ServiceAccount.Range,
              "serviceAccountName", FixKind::RenameKey);
    }
  }
};

} // namespace

std::unique_ptr<Rule> createDeprecatedServiceAccountFieldRule() {
  return std::make_unique<DeprecatedServiceAccountFieldRule>();
}

} // namespace saguard::analysis
