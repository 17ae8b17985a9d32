//===- PolicyRules.h - what one RBAC rule allows -------------*- C++ -*-===//
//
// One PolicyRule read alone: whether it matches a request, how it reads in a message, and which
// dangerous permissions or wildcards it grants. The RBAC graph (Rbac.h) decides whom it reaches.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "saguard/model/Object.h"

#include <string>
#include <string_view>
#include <vector>

namespace saguard::analysis {

/// The API group of Roles, ClusterRoles and their bindings.
inline constexpr std::string_view RbacApiGroup = "rbac.authorization.k8s.io";

/// Whether Rule allows Verb on Resource of API group Group, resourceNames aside: `apiGroups`
/// holds Group or `*`, `resources` holds Resource, `*`, or `*/<subresource>` for a subresource
/// (written `pods/exec`), and `verbs` holds Verb or `*` (upstream RBAC's rule matching).
bool ruleMatches(const model::PolicyRule &Rule, std::string_view Group, std::string_view Resource,
                 std::string_view Verb);

/// What Rule allows, e.g. `get/list/watch on secrets, configmaps in API groups ""` or
/// `get on /metrics`.
std::string describeRule(const model::PolicyRule &Rule);

/// Whether an element of List is exactly `*` (a prefix glob such as `/healthz/*` is not).
bool hasWildcard(const std::vector<Located<std::string>> &List);

/// Whether Group is a custom API group: it contains a dot, is not `*`, and is not a Kubernetes
/// group (`k8s.io` or ending in `.k8s.io`), e.g. `pkg.crossplane.io`.
bool isCustomApiGroup(std::string_view Group);

/// The fields of Rule holding a `*` that SA007 reports (`verbs`, `resources`, `apiGroups`,
/// `nonResourceURLs`): none when the rule names API groups and every one is custom, except that
/// a `*` in nonResourceURLs always counts.
std::vector<std::string_view> reportedWildcards(const model::PolicyRule &Rule);

/// The kinds of dangerous permission (SA005's list), in the order the worst of equal severity
/// come first.
enum class DangerKind {
  FullControl, ///< `*` on `*` in every API group
  EscalateOrBind,
  ChangeRoleBindings,
  Impersonate,
  CreateTokens,
  ReadSecrets,
  ProxyToNodes,
  ChangeAdmissionWebhooks,
  ExecIntoPods,
  CreatePods,
  ChangeWorkloads,
  Wildcard, ///< `*` in verbs or resources that reaches none of the kinds above
};

/// Short name of a kind: `full control`, `read secrets`, `use wildcards`...
std::string_view dangerCategory(DangerKind Kind);

/// One dangerous permission a rule grants (SA005's list).
struct DangerousPermission {
  DangerKind Kind = DangerKind::Wildcard;
  /// dangerCategory(Kind).
  std::string_view Category;
  /// What the rule allows, e.g. `get/list/watch secrets`, `create jobs.batch, create/update
  /// cronjobs.batch`, or for a wildcard the rule itself: `rule * on secrets in API groups ""`.
  std::string What;
  /// The rule is limited by resourceNames to named objects.
  bool Named = false;
};

/// The dangerous permissions Rule grants. A namespaced grant (ClusterWide false) cannot reach
/// cluster-scoped resources (nodes/proxy, cluster roles and bindings, users and groups, webhook
/// configurations), so those count only for cluster-wide grants. A `get` on secrets limited by
/// resourceNames is not dangerous; a `create` of a top-level resource limited by resourceNames
/// grants nothing (the request carries no name); `update`/`patch` of a Job hands out no new code
/// (its pod template cannot change). A `*` is expanded into the concrete dangers it includes;
/// `*` on `*` in every group is the single `full control` entry, and a `*` in verbs or resources
/// that includes none is `use wildcards`.
std::vector<DangerousPermission> dangerousPermissions(const model::PolicyRule &Rule,
                                                      bool ClusterWide);

} // namespace saguard::analysis
