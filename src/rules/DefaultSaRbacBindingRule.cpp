//===- DefaultSaRbacBindingRule.cpp - SA004 -------------------------------===//
#include "saguard/analysis/Permissions.h"

#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <optional>

namespace saguard::analysis {
namespace {

/// SA004: a binding hands its role to a `default` ServiceAccount, or to a group every
/// ServiceAccount token belongs to: an error when the role grants a dangerous permission or a
/// wildcard SA007 reports, else a warning (public discovery or login APIs). It also reports a
/// ClusterRoleBinding's ServiceAccount subject without a namespace, which the API server rejects:
/// an error of the binding.
class DefaultSaRbacBindingRule : public Rule {
public:
  model::ModelParts reads() const override {
    return {model::ModelPart::Roles, model::ModelPart::Bindings};
  }
  void check(const AnalysisContext &Ctx, FindingSink &Out) const override {
    for (const model::Object *B : Ctx.Idx.bindings()) {
      const model::BindingData &Data = *B->Binding;
      const ResolvedRole *Role = Ctx.rbac().role(Data.RoleRefKind.valueOr(""), B->Ref.Namespace,
                                               Data.RoleRefName.valueOr(""));
      std::string RoleText = Role ? Role->describe(/*WithOrigin=*/true) : "its role";
      std::optional<double> Danger =
          Role ? dangerSeverity(*Role, B->isKind("ClusterRoleBinding") ? "" : B->Ref.Namespace)
               : std::nullopt;
      Level Severity = Danger ? Level::Error : Level::Warning;
      for (const model::Subject &S : Data.Subjects) {
        SubjectTarget Target = resolveSubject(*B, S);
        if (Target.MissingNamespace) {
          Out.report(*B, S,
                     llvm::formatv("{0} names {1} without a namespace; the API server rejects "
                                   "the binding, and the subject reaches no account",
                                   describeObject(B->Ref), describeSubject(*B, S)));
          continue;
        }
        std::string Whom = whom(Target);
        if (Whom.empty())
          continue;
        FindingBuilder F =
            Out.report(*B, S,
                       llvm::formatv("{0} grants {1} to {2}, {3}", describeObject(B->Ref), RoleText,
                                     describeSubject(*B, S), Whom),
                       Severity);
        if (Danger)
          F.securitySeverity(*Danger);
        if (Role && Role->Object)
          F.related(Role->Object->Range, Role->describe() + " is defined here");
      }
    }
  }

private:
  /// When Role grants a dangerous permission (SA005's list) in Scope (a namespace, or "" for
  /// cluster-wide), or a wildcard SA007 reports: the security-severity of the worst; else none.
  static std::optional<double> dangerSeverity(const ResolvedRole &Role, const std::string &Scope) {
    std::optional<double> Worst;
    auto Raise = [&](double Score) { Worst = std::max(Worst.value_or(0), Score); };
    for (const RoleRule &R : Role.Rules) {
      for (const DangerousPermission &D : dangerousPermissions(*R.Rule, Scope.empty()))
        Raise(TokenDanger{D.Kind, Scope, D.Named, {}}.securitySeverity());
      if (!reportedWildcards(*R.Rule).empty())
        Raise(levelSecuritySeverity(Level::Error));
    }
    return Worst;
  }

  /// Why Target is too wide a subject, or "" when it is not one SA004 reports.
  static std::string whom(const SubjectTarget &Target) {
    switch (Target.Reach) {
    case SubjectTarget::Nothing:
      return "";
    case SubjectTarget::Account:
      if (Target.Name != "default")
        return "";
      return "the account of every Pod in namespace '" + Target.Namespace + "' that names no other";
    case SubjectTarget::NamespaceAccounts:
    case SubjectTarget::AllAccounts:
    case SubjectTarget::AllAuthenticated:
      return "that is " + describeReach(Target);
    }
    llvm_unreachable("covered switch");
  }
};

} // namespace

std::unique_ptr<Rule> createDefaultSaRbacBindingRule() {
  return std::make_unique<DefaultSaRbacBindingRule>();
}

} // namespace saguard::analysis
