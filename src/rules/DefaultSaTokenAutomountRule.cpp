//===- DefaultSaTokenAutomountRule.cpp - SA001 ----------------------------===//
#include "saguard/analysis/Rule.h"

#include "llvm/Support/FormatVariadic.h"

namespace saguard::analysis {
namespace {

/// SA001: a Pod runs as its namespace's `default` ServiceAccount and gets its token. A Helm test
/// hook lives for seconds, so there it is only a note.
class DefaultSaTokenAutomountRule : public Rule {
public:
  model::ModelParts reads() const override {
    return {model::ModelPart::PodSpecs, model::ModelPart::Accounts, model::ModelPart::Bindings};
  }
  void check(const AnalysisContext &Ctx, FindingSink &Out) const override {
    for (const model::Object *W : Ctx.Idx.workloads()) {
      const model::PodSpec &Pod = *W->Pod;
      if (Pod.accountName() != "default")
        continue;
      EffectiveAutomount Automount = effectiveAutomount(Ctx, *W);
      if (!Automount.Value)
        continue;
      const char *Why = Automount.Source == AutomountSource::Pod
                            ? "the pod sets automountServiceAccountToken: true"
                        : Automount.Source == AutomountSource::Account
                            ? "ServiceAccount 'default' sets automountServiceAccountToken: true"
                            : "nothing opts out of automount";
      KeyLocation Where = Automount.Source == AutomountSource::Pod ? Automount : Pod.accountKey();
      bool TestHook = isHelmTestHook(*W);
      FindingBuilder B =
          Out.report(*W, Where,
                     llvm::formatv("{0} mounts the API token of ServiceAccount 'default' ({1})",
                                   describeObject(W->Ref), Why),
                     TestHook ? Level::Note : Out.defaultLevel());
      // A token no binding gives anything is an unneeded token (medium), not a bound one (high).
      if (!TestHook && !Ctx.rbac().isBound(W->Ref.Namespace, "default"))
        B.securitySeverity(levelSecuritySeverity(Level::Warning));
      if (Automount.Source == AutomountSource::Account)
        B.related(Automount.Range, "ServiceAccount 'default' enables automount here");
      std::string PodKey(Pod.AutomountServiceAccountToken.Path.str());
      if (Automount.Source == AutomountSource::Pod)
        B.fix("do not mount the token", Automount.Range, "false", FixKind::SetValue, PodKey);
      else
        B.fix("do not mount the token in this pod", Pod.SpecKey.Range,
              "automountServiceAccountToken: false", FixKind::AddKeyUnder, PodKey);
    }
  }
};

} // namespace

std::unique_ptr<Rule> createDefaultSaTokenAutomountRule() {
  return std::make_unique<DefaultSaTokenAutomountRule>();
}

} // namespace saguard::analysis
