//===- Rbac.h - which bindings and rules reach a ServiceAccount -*- C++ -*-===//
#pragma once

#include "saguard/analysis/Index.h"

#include <string>
#include <string_view>
#include <vector>

namespace saguard::analysis {

/// Whether Subject of Binding reaches the ServiceAccount Namespace/Name (SPEC §4): a
/// ServiceAccount subject (namespace defaulting to a RoleBinding's), the groups
/// `system:serviceaccounts`, `system:serviceaccounts:<ns>`, `system:authenticated`, or the user
/// `system:serviceaccount:<ns>:<name>`. A ClusterRoleBinding's ServiceAccount subject without a
/// namespace reaches nothing.
bool subjectReachesAccount(const model::Object &Binding, const model::Subject &Subject,
                           std::string_view Namespace, std::string_view Name);

/// One way a binding hands a role's rules to an account.
struct Grant {
  const model::Object *Binding = nullptr;
  const model::Subject *Subject = nullptr;
  /// The role object when the set has it; null for a built-in or a role absent from the set.
  const model::Object *Role = nullptr;
  std::string RoleKind; ///< Role or ClusterRole
  std::string RoleName;
  /// Namespace the grant applies in; empty for cluster-wide (ClusterRoleBinding).
  std::string Scope;
};

/// RBAC resolution over an Index: bindings by the accounts they reach. Built once per run.
class RbacGraph {
public:
  explicit RbacGraph(const Index &Idx);

  /// Every grant that reaches Namespace/Name.
  std::vector<Grant> grantsFor(std::string_view Namespace, std::string_view Name) const;
  /// Whether any binding of the set reaches Namespace/Name.
  bool isBound(std::string_view Namespace, std::string_view Name) const {
    return !grantsFor(Namespace, Name).empty();
  }

private:
  const Index &Idx;
};

} // namespace saguard::analysis
