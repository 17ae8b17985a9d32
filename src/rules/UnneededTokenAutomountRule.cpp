//===- UnneededTokenAutomountRule.cpp - SA002 -----------------------------===//
#include "saguard/analysis/Rule.h"

#include "llvm/Support/FormatVariadic.h"

namespace saguard::analysis {
namespace {

/// SA002: a Pod gets the token of its own account although no binding gives that account any
/// role, and the Pod itself never asked for the token. A note on a Helm test hook, which lives for
/// seconds.
class UnneededTokenAutomountRule : public Rule {
public:
  model::ModelParts reads() const override {
    return {model::ModelPart::PodSpecs, model::ModelPart::Accounts, model::ModelPart::Bindings};
  }
  void check(const AnalysisContext &Ctx, FindingSink &Out) const override {
    for (const model::Object *W : Ctx.Idx.workloads()) {
      const model::PodSpec &Pod = *W->Pod;
      const std::string &AccountName = Pod.accountName();
      if (AccountName == "default")
        continue; // SA001's business
      const model::Object *Account = accountOf(Ctx, *W);
      if (!Account)
        continue; // the rule is about accounts defined in the set; a missing one is SA010's
      // A Pod-level true is the workload asking for the token; a Pod-level false opts out.
      if (Pod.AutomountServiceAccountToken.isSet())
        continue;
      EffectiveAutomount Automount = effectiveAutomount(Ctx, *W);
      if (!Automount.Value || Ctx.rbac().isBound(W->Ref.Namespace, AccountName))
        continue;
      bool AccountSaysTrue = Automount.Source == AutomountSource::Account;
      // The finding is the Pod's, about its account: at the account's `true` when it says so.
      // The pod is the narrowest place to fix: other Pods of the account may need the token.
      KeyLocation Where = Pod.accountKey();
      if (AccountSaysTrue)
        Where.Range = Automount.Range;
      Out.report(*W, Where,
                 llvm::formatv("{0} mounts the API token of ServiceAccount '{1}', which no "
                               "binding in the set grants any role ({2})",
                               describeObject(W->Ref), AccountName,
                               AccountSaysTrue
                                   ? "the account sets automountServiceAccountToken: true"
                                   : "nothing opts out of automount"),
                 isHelmTestHook(*W) ? Level::Note : Out.defaultLevel())
          .related(Account->Range,
                   llvm::formatv("ServiceAccount '{0}' is defined here", AccountName))
          .fix("do not mount the token in this pod", Pod.SpecKey.Range,
               "automountServiceAccountToken: false", FixKind::AddKeyUnder,
               std::string(Pod.AutomountServiceAccountToken.Path.str()));
    }
  }
};

} // namespace

std::unique_ptr<Rule> createUnneededTokenAutomountRule() {
  return std::make_unique<UnneededTokenAutomountRule>();
}

} // namespace saguard::analysis
