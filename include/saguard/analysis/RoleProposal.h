//===- RoleProposal.h - the role a workload keeps without its dangers -*- C++ -*-===//
//
// `saguard permissions --propose WORKLOAD`: each role bound to the workload's account, with the
// rules SA005 flags as dangerous removed and the `*` of the rules SA007 flags replaced by what
// the role's other rules name. A starting point for a least-privilege role, never applied.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "saguard/analysis/Rule.h"

#include <string>
#include <vector>

namespace saguard::analysis {

/// One rule of a proposed role, each list sorted as written.
struct ProposedRule {
  std::vector<std::string> ApiGroups, Resources, Verbs, ResourceNames, NonResourceURLs;
};

/// What one bound role would keep.
struct RoleProposal {
  std::string Kind;      ///< Role or ClusterRole
  std::string Namespace; ///< empty for a ClusterRole
  std::string Name;
  /// How the account gets it, e.g. `RoleBinding 'web' in namespace 'shop'`.
  std::string BoundBy;
  std::vector<ProposedRule> Rules;
  /// One line per rule taken out or narrowed: what it allowed and why it changed.
  std::vector<std::string> Removed, Narrowed;
};

/// The roles bound to Workload's account, each as it would be without the dangerous rules and
/// wildcards; a role with nothing to change is left out.
std::vector<RoleProposal> proposeRoles(const AnalysisContext &Ctx, const model::Object &Workload);

} // namespace saguard::analysis
