//===- ClusterAdminBindingRule.cpp - SA012 --------------------------------===//
#include "saguard/analysis/Permissions.h"

#include "llvm/Support/FormatVariadic.h"

namespace saguard::analysis {
namespace {

/// SA012: a binding gives `cluster-admin` to a ServiceAccount, a service-account group or
/// `system:authenticated`: a token that can do anything.
class ClusterAdminBindingRule : public Rule {
public:
  model::ModelParts reads() const override {
    return {model::ModelPart::PodSpecs, model::ModelPart::Accounts, model::ModelPart::Roles,
            model::ModelPart::Bindings};
  }
  void check(const AnalysisContext &Ctx, FindingSink &Out) const override {
    for (const model::Object *B : Ctx.Idx.bindings()) {
      const model::BindingData &Data = *B->Binding;
      if (Data.RoleRefKind.valueOr("") != "ClusterRole" ||
          Data.RoleRefName.valueOr("") != "cluster-admin")
        continue;
      const ResolvedRole *Role = Ctx.rbac().role("ClusterRole", "", "cluster-admin");
      if (!Role)
        continue;
      std::string Power = B->isKind("ClusterRoleBinding")
                              ? std::string("full control of the cluster")
                              : "full control of namespace '" + B->Ref.Namespace + "'";
      for (const model::Subject &S : Data.Subjects) {
        SubjectTarget Target = resolveSubject(*B, S);
        if (Target.Reach == SubjectTarget::Nothing)
          continue;
        std::string Who = describeSubject(*B, S);
        if (Target.Reach != SubjectTarget::Account)
          Who += " (" + describeReach(Target) + ")";
        FindingBuilder F =
            Out.report(*B, S,
                       llvm::formatv("{0} gives {1} to {2}: {3}", describeObject(B->Ref),
                                     Role->describe(/*WithOrigin=*/true), Who, Power));
        // Full control of one namespace is high; of the cluster, the table's critical score.
        if (!B->isKind("ClusterRoleBinding"))
          F.securitySeverity(8.5);
        const model::Object *Workload = nullptr;
        const model::Object *Account = nullptr;
        if (Target.Reach == SubjectTarget::Account) {
          Workload = firstWorkloadOf(Ctx, Target.Namespace, Target.Name);
          Account = Ctx.Idx.serviceAccount(Target.Namespace, Target.Name);
        }
        const RoleRule *First = Role->Rules.empty() ? nullptr : &Role->Rules.front();
        for (Note &Step : privilegePath(Workload, Account, *B, S, *Role, First))
          F.step(Step.Range, std::move(Step.Message));
        F.related(Data.RoleRef.Range, "roleRef: ClusterRole 'cluster-admin'");
        if (Role->Object)
          F.related(Role->Object->Range, "ClusterRole 'cluster-admin' is defined here");
      }
    }
  }

private:
  /// The first Pod-bearing object running as Namespace/Name, for the start of the path.
  static const model::Object *firstWorkloadOf(const AnalysisContext &Ctx,
                                              std::string_view Namespace, std::string_view Name) {
    for (const model::Object *W : Ctx.Idx.workloads())
      if (W->Ref.Namespace == Namespace && W->Pod->accountName() == Name)
        return W;
    return nullptr;
  }
};

} // namespace

std::unique_ptr<Rule> createClusterAdminBindingRule() {
  return std::make_unique<ClusterAdminBindingRule>();
}

} // namespace saguard::analysis
