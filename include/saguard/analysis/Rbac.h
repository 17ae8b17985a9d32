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
#include "saguard/analysis/PolicyRules.h"

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
