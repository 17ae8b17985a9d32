//===- AutomountOverrideRule.cpp - SA008 ----------------------------------===//
#include "saguard/analysis/Rule.h"

#include "llvm/Support/FormatVariadic.h"

namespace saguard::analysis {
namespace {

/// SA008: a Pod turns automount back on for an account that opts out of it. That is the
/// recommended pattern (the account opts out, the one Pod that calls the API opts in), so it is a
/// note; a warning only when the token serves nothing: the account is `default`, or no binding
/// of the set reaches it.
class AutomountOverrideRule : public Rule {
public:
  model::ModelParts reads() const override {
    return {model::ModelPart::PodSpecs, model::ModelPart::Accounts, model::ModelPart::Bindings};
  }
  void check(const AnalysisContext &Ctx, FindingSink &Out) const override {
    for (const model::Object *W : Ctx.Idx.workloads()) {
      const model::PodSpec &Pod = *W->Pod;
      if (!Pod.AutomountServiceAccountToken.isSet() || !*Pod.AutomountServiceAccountToken)
        continue;
      const model::Object *Account = accountOf(Ctx, *W);
      if (!Account)
        continue;
      const Located<bool> &AccountField = Account->Account->AutomountServiceAccountToken;
      if (!AccountField.isSet() || *AccountField)
        continue;
      const std::string &Name = Pod.accountName();
      std::string Why;
      if (Name == "default")
        Why = "; every Pod of the namespace that names no account runs as it";
      else if (!Ctx.rbac().isBound(W->Ref.Namespace, Name))
        Why = "; no binding in the set reaches the account, so the token serves nothing";
      FindingBuilder B =
          Out.report(*W, Pod.AutomountServiceAccountToken,
                     llvm::formatv("{0} sets automountServiceAccountToken: true, overriding "
                                   "ServiceAccount '{1}' which opts out of automount{2}",
                                   describeObject(W->Ref), Name, Why),
                     Why.empty() ? Level::Note : Level::Warning);
      B.related(AccountField.Range,
                llvm::formatv("ServiceAccount '{0}' sets automountServiceAccountToken: false",
                              Pod.accountName()));
      // Only a token that serves nothing is mechanically removable; the note's override is
      // the recommended pattern.
      if (!Why.empty())
        B.fix("follow the account and do not mount the token",
              Pod.AutomountServiceAccountToken.Range, "false", FixKind::SetValue,
              std::string(Pod.AutomountServiceAccountToken.Path.str()));
    }
  }
};

} // namespace

std::unique_ptr<Rule> createAutomountOverrideRule() {
  return std::make_unique<AutomountOverrideRule>();
}

} // namespace saguard::analysis
