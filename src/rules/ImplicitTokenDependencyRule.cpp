//===- ImplicitTokenDependencyRule.cpp - SA013 ----------------------------===//
#include "saguard/analysis/Rule.h"

#include "llvm/Support/FormatVariadic.h"

namespace saguard::analysis {
namespace {

/// SA013: readiness for a cluster whose default turns automount off. A Pod whose account a
/// binding reaches presumably calls the API; if neither the Pod nor its account says anything
/// about automount, its token came only from the cluster default, and it loses it when that
/// default goes. Only with `--cluster-automount-default false`: under the Kubernetes default
/// nothing changes for such a Pod. A `false` anywhere is a deliberate choice and a `true` keeps
/// the token, so either keeps the rule quiet, as does a projected token volume.
class ImplicitTokenDependencyRule : public Rule {
public:
  model::ModelParts reads() const override {
    return {model::ModelPart::PodSpecs, model::ModelPart::Accounts, model::ModelPart::Roles,
            model::ModelPart::Bindings};
  }
  void check(const AnalysisContext &Ctx, FindingSink &Out) const override {
    if (Ctx.Options.ClusterAutomountDefault)
      return;
    for (const model::Object *W : Ctx.Idx.workloads()) {
      const model::PodSpec &Pod = *W->Pod;
      if (effectiveAutomount(Ctx, *W).Source != AutomountSource::ClusterDefault ||
          !Pod.ProjectedTokens.empty())
        continue;
      std::vector<const Grant *> Grants = Ctx.rbac().grantsTo(W->Ref.Namespace, Pod.accountName());
      if (Grants.empty())
        continue;
      const Grant &First = *Grants.front();
      std::string More =
          Grants.size() > 1 ? llvm::formatv(" (and {0} more)", Grants.size() - 1).str() : "";
      // The key to add is automount, next to the key that names the account.
      Out.report(*W, {Pod.accountKey().Range, Pod.AutomountServiceAccountToken.Path},
                 llvm::formatv("{0} would lose the API token it needs; set "
                               "automountServiceAccountToken: true on this Pod: {1} gives "
                               "ServiceAccount '{2}' {3}{4}, but neither the Pod nor the account "
                               "sets automountServiceAccountToken, and the cluster default is off",
                               describeObject(W->Ref), describeObject(First.Binding->Ref),
                               Pod.accountName(), First.Resolved->describe(/*WithOrigin=*/true),
                               More))
          .related(First.Subject->Range,
                   llvm::formatv("{0} names {1}", describeObject(First.Binding->Ref),
                                 describeSubject(*First.Binding, *First.Subject)))
          .fix("keep the token this pod needs", Pod.SpecKey.Range,
               "automountServiceAccountToken: true", FixKind::AddKeyUnder,
               std::string(Pod.AutomountServiceAccountToken.Path.str()));
    }
  }
};

} // namespace

std::unique_ptr<Rule> createImplicitTokenDependencyRule() {
  return std::make_unique<ImplicitTokenDependencyRule>();
}

} // namespace saguard::analysis
