//===- DefaultSaRbacBindingRule.cpp - SA004 -------------------------------===//
#include "saguard/analysis/Rule.h"

#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/FormatVariadic.h"

namespace saguard::analysis {
namespace {

/// SA004: a binding hands its role to a `default` ServiceAccount, or to a group every
/// ServiceAccount token belongs to: an error when the role grants a dangerous permission or a
/// wildcard SA007 reports, else a warning (public discovery or login APIs). It also reports a ClusterRoleBinding's ServiceAccount subject
/// without a namespace, which the API server rejects (SPEC §4 makes it an error of the binding).
class DefaultSaRbacBindingRule : public Rule {
public:
  void check(const AnalysisContext &Ctx, FindingSink &Out) const override {
    for (const model::Object *B : Ctx.Idx.bindings()) {
      const model::BindingData &Data = *B->Binding;
      const ResolvedRole *Role = Ctx.Rbac.role(Data.RoleRefKind.valueOr(""), B->Ref.Namespace,
                                               Data.RoleRefName.valueOr(""));
      std::string RoleText = Role ? Role->describe(/*WithOrigin=*/true) : "its role";
      Level Severity = Role && grantsDangerOrWildcard(*Role, B->isKind("ClusterRoleBinding"))
                           ? Level::Error
                           : Level::Warning;
      for (size_t I = 0; I < Data.Subjects.size(); ++I) {
        const model::Subject &S = Data.Subjects[I];
        SubjectTarget Target = resolveSubject(*B, S);
        std::string KeyPath = llvm::formatv("subjects[{0}]", I);
        if (Target.MissingNamespace) {
          Out.report(*B, S.Range, KeyPath,
                     llvm::formatv("{0} names {1} without a namespace; the API server rejects "
                                   "the binding, and the subject reaches no account",
                                   describeObject(B->Ref), describeSubject(*B, S)));
          continue;
        }
        std::string Whom = whom(Target);
        if (Whom.empty())
          continue;
        FindingBuilder F =
            Out.report(*B, S.Range, KeyPath,
                       llvm::formatv("{0} grants {1} to {2}, {3}", describeObject(B->Ref), RoleText,
                                     describeSubject(*B, S), Whom),
                       Severity);
        if (Role && Role->Object)
          F.related(Role->Object->Range, Role->describe() + " is defined here");
      }
    }
  }

private:
  /// Whether Role grants a dangerous permission (SA005's list) where a binding of that scope
  /// applies it, or a wildcard SA007 reports.
  static bool grantsDangerOrWildcard(const ResolvedRole &Role, bool ClusterWide) {
    for (const RoleRule &R : Role.Rules)
      if (!dangerousPermissions(*R.Rule, ClusterWide).empty() ||
          !reportedWildcards(*R.Rule).empty())
        return true;
    return false;
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
