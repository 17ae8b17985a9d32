//===- DefaultSaAutomountEnabledRule.cpp - SA003 --------------------------===//
#include "saguard/analysis/Rule.h"

#include "llvm/Support/FormatVariadic.h"

namespace saguard::analysis {
namespace {

/// SA003: a namespace's `default` ServiceAccount does not opt its Pods out of automount.
class DefaultSaAutomountEnabledRule : public Rule {
public:
  model::ModelParts reads() const override { return {model::ModelPart::Accounts}; }
  void check(const AnalysisContext &Ctx, FindingSink &Out) const override {
    for (const model::Object &O : Ctx.Idx.objects()) {
      if (!O.Account || O.Ref.Name != "default")
        continue;
      const Located<bool> &Automount = O.Account->AutomountServiceAccountToken;
      if (Automount.isSet() && !*Automount)
        continue;
      // Under a cluster whose policy already opts out, only an explicit true undoes it.
      if (!Automount.isSet() && !Ctx.Options.ClusterAutomountDefault)
        continue;
      // An unset field leaves Range invalid, so the finding falls back to the object's line.
      FindingBuilder B = Out.report(
          O, Automount,
          llvm::formatv("{0} {1}, so every Pod running as it gets its API token unless the Pod "
                        "opts out",
                        describeObject(O.Ref),
                        Automount.isSet() ? "sets automountServiceAccountToken: true"
                                          : "does not set automountServiceAccountToken: false"));
      if (Automount.isSet())
        B.fix("opt the default ServiceAccount out of automount", Automount.Range, "false",
              FixKind::SetValue, "automountServiceAccountToken");
      else
        B.fix("opt the default ServiceAccount out of automount", O.Range,
              "automountServiceAccountToken: false", FixKind::AppendKey,
              "automountServiceAccountToken");
    }
  }
};

} // namespace

std::unique_ptr<Rule> createDefaultSaAutomountEnabledRule() {
  return std::make_unique<DefaultSaAutomountEnabledRule>();
}

} // namespace saguard::analysis
