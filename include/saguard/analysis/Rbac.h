//===- Rbac.h - which bindings and rules reach a ServiceAccount -*- C++ -*-===//
//
// The RBAC engine: subjects resolved to the accounts they reach, roleRefs resolved to roles (the
// set's, the upstream built-ins, or "not in the analysed set"), aggregated ClusterRoles gathered
// by label, and rules matched against permissions. Everything is indexed once per run, so a
// per-account question costs what the account's grants cost, not a scan of every binding.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "saguard/analysis/Index.h"

#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace saguard::analysis {

/// The ServiceAccounts a binding subject stands for.
struct SubjectTarget {
  enum Kind {
    Nothing,           ///< a user, a group or a kind that is no ServiceAccount identity
    Account,           ///< one account: a ServiceAccount subject or its user name
    NamespaceAccounts, ///< group `system:serviceaccounts:<ns>`
    AllAccounts,       ///< group `system:serviceaccounts`
    AllAuthenticated,  ///< group `system:authenticated`
  };
  Kind Reach = Nothing;
  std::string Namespace; ///< for Account and NamespaceAccounts
  std::string Name;      ///< for Account
  /// A ServiceAccount subject of a ClusterRoleBinding without a namespace: the API server rejects
  /// it and it reaches nothing.
  bool MissingNamespace = false;

  /// Whether the target includes the account Namespace/Name.
  bool reaches(std::string_view AccountNamespace, std::string_view AccountName) const;
};

/// What Subject of Binding stands for: a ServiceAccount subject (namespace defaulting to a
/// RoleBinding's), the groups `system:serviceaccounts`, `system:serviceaccounts:<ns>`,
/// `system:authenticated`, or the user `system:serviceaccount:<ns>:<name>`.
SubjectTarget resolveSubject(const model::Object &Binding, const model::Subject &Subject);

/// Whom a target stands for, in words: `ServiceAccount 'web' in namespace 'shop'`, `every
/// ServiceAccount of namespace 'shop'`, `every ServiceAccount of the cluster`, `every
/// ServiceAccount and every authenticated user`; "" for Nothing.
std::string describeReach(const SubjectTarget &Target);

/// Whether Subject of Binding reaches the ServiceAccount Namespace/Name. A
/// ClusterRoleBinding's ServiceAccount subject without a namespace reaches nothing.
bool subjectReachesAccount(const model::Object &Binding, const model::Subject &Subject,
                           std::string_view Namespace, std::string_view Name);

/// How a message names a subject: `ServiceAccount 'web' in namespace 'shop'`, `group
/// 'system:authenticated'`, `user 'alice'`.
std::string describeSubject(const model::Object &Binding, const model::Subject &Subject);

/// Where the rules of a bound role come from.
enum class RoleOrigin {
  InSet,   ///< the analysed set defines the role
  BuiltIn, ///< an upstream bootstrap ClusterRole (cluster-admin, admin, edit, view) not in the set
  Missing, ///< neither: the binding names a role the analysed set does not contain
};

/// One rule a role grants, and which manifest holds its text.
struct RoleRule {
  const model::PolicyRule *Rule = nullptr;
  /// The role object whose `rules:` hold the rule: the bound role itself, or the ClusterRole an
  /// aggregated role gathered it from; null when that role is a built-in.
  const model::Object *Source = nullptr;
  /// The name of that role (also for a built-in, e.g. `system:aggregate-to-edit`).
  std::string_view SourceName;
  /// True when the rule reached the role through an aggregationRule.
  bool Aggregated = false;
};

/// A role as bindings see it: its identity, where it comes from, and every rule it grants.
struct ResolvedRole {
  std::string Kind;      ///< Role or ClusterRole (as the roleRef says)
  std::string Namespace; ///< the Role's namespace; empty for a ClusterRole
  std::string Name;
  RoleOrigin Origin = RoleOrigin::Missing;
  /// The role object, for InSet.
  const model::Object *Object = nullptr;
  /// True for a ClusterRole with an aggregationRule (its rules are gathered, not written).
  bool Aggregated = false;
  std::vector<RoleRule> Rules;

  /// `ClusterRole 'edit'`, `Role 'web' in namespace 'shop'`; with WithOrigin, a role the set
  /// does not define is marked `(built-in)` or `(not in the analysed set)`.
  std::string describe(bool WithOrigin = false) const;
};

/// One way a binding hands a role's rules to ServiceAccounts: one subject of one binding.
struct Grant {
  const model::Object *Binding = nullptr;
  const model::Subject *Subject = nullptr;
  /// The role object when the set has it; null for a built-in or a role absent from the set.
  const model::Object *Role = nullptr;
  std::string RoleKind; ///< Role or ClusterRole
  std::string RoleName;
  /// Namespace the grant applies in; empty for cluster-wide (ClusterRoleBinding).
  std::string Scope;
  /// The bound role, resolved (never null for a grant of an RbacGraph).
  const ResolvedRole *Resolved = nullptr;
  /// The accounts the subject stands for.
  SubjectTarget Target;

  bool clusterWide() const { return Scope.empty(); }
  /// Where the grant applies, for messages: `cluster-wide`, `in namespace 'shop'` for a
  /// ClusterRole a RoleBinding scopes, or "" for a Role (its own namespace says it).
  std::string scopePhrase() const;
};

/// One rule an account holds, with its provenance.
struct EffectiveRule {
  const Grant *Via = nullptr;
  const RoleRule *Rule = nullptr;
};

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

/// RBAC resolution over an Index: bindings by the accounts they reach, roles resolved with
/// aggregation and built-ins. Built once per run; the Index must outlive it.
class RbacGraph {
public:
  explicit RbacGraph(const Index &Idx);
  RbacGraph(const RbacGraph &) = delete;
  RbacGraph &operator=(const RbacGraph &) = delete;

  /// Every grant that reaches the ServiceAccount Namespace/Name, in binding and subject order.
  std::vector<const Grant *> grantsTo(std::string_view Namespace, std::string_view Name) const;
  /// The same grants, copied.
  std::vector<Grant> grantsFor(std::string_view Namespace, std::string_view Name) const;
  /// Whether any binding of the set reaches Namespace/Name.
  bool isBound(std::string_view Namespace, std::string_view Name) const;
  /// Every rule the account Namespace/Name holds, with the grant and role it came through.
  std::vector<EffectiveRule> rulesFor(std::string_view Namespace, std::string_view Name) const;

  /// The role a roleRef of kind Kind names (Namespace: the binding's, used for a Role), or null
  /// when no binding of the set names it and the set does not define it.
  const ResolvedRole *role(std::string_view Kind, std::string_view Namespace,
                           std::string_view Name) const;
  /// Every grant of the set that reaches some ServiceAccount, in binding order.
  const std::deque<Grant> &grants() const { return Grants; }

private:
  class Builder;

  const Index &Idx;
  std::deque<ResolvedRole> Roles;
  std::unordered_map<std::string, const ResolvedRole *> RolesByKey;
  std::deque<Grant> Grants;
  /// Indexes into Grants, ascending: by `ns/name` of one account, by namespace of a
  /// `system:serviceaccounts:<ns>` group, and the grants every account gets.
  std::unordered_map<std::string, std::vector<size_t>> ByAccount, ByNamespace;
  std::vector<size_t> ToEveryone;
};

} // namespace saguard::analysis
