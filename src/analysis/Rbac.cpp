//===- Rbac.cpp - which bindings and rules reach a ServiceAccount ---------===//
#include "saguard/analysis/Rbac.h"

namespace saguard::analysis {

bool subjectReachesAccount(const model::Object &Binding, const model::Subject &Subject,
                           std::string_view Namespace, std::string_view Name) {
  std::string Kind = Subject.Kind.valueOr("");
  std::string SubjectName = Subject.Name.valueOr("");
  bool ClusterBinding = Binding.Ref.Kind == "ClusterRoleBinding";
  if (Kind == "ServiceAccount") {
    std::string Ns = Subject.Namespace.valueOr("");
    // A ClusterRoleBinding has no namespace to lend: the API server rejects such a subject.
    if (Ns.empty() && ClusterBinding)
      return false;
    if (Ns.empty())
      Ns = Binding.Ref.Namespace;
    return Ns == Namespace && SubjectName == Name;
  }
  if (Kind == "Group")
    return SubjectName == "system:serviceaccounts" || SubjectName == "system:authenticated" ||
           SubjectName == "system:serviceaccounts:" + std::string(Namespace);
  if (Kind == "User")
    return SubjectName ==
           "system:serviceaccount:" + std::string(Namespace) + ":" + std::string(Name);
  return false;
}

RbacGraph::RbacGraph(const Index &Idx) : Idx(Idx) {}

std::vector<Grant> RbacGraph::grantsFor(std::string_view Namespace, std::string_view Name) const {
  std::vector<Grant> Grants;
  for (const model::Object *B : Idx.bindings()) {
    for (const model::Subject &S : B->Binding->Subjects) {
      if (!subjectReachesAccount(*B, S, Namespace, Name))
        continue;
      Grant G;
      G.Binding = B;
      G.Subject = &S;
      G.RoleKind = B->Binding->RoleRefKind.valueOr("");
      G.RoleName = B->Binding->RoleRefName.valueOr("");
      G.Scope = B->Ref.Kind == "RoleBinding" ? B->Ref.Namespace : std::string();
      G.Role = Idx.role(G.RoleKind == "Role" ? B->Ref.Namespace : std::string(), G.RoleName);
      Grants.push_back(std::move(G));
    }
  }
  return Grants;
}

} // namespace saguard::analysis
