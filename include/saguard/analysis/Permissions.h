//===- Permissions.h - what each Pod's token can do -------------*- C++ -*-===//
//
// Plain data for `saguard permissions` and the privilege paths of SA005/SA012: per Pod-bearing
// object, its account, whether its token is available and which field decided, the grants that
// reach the account and the verbs it holds by resource; and the graph workloads -> accounts ->
// bindings -> roles. The report layer prints it.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "saguard/analysis/Rule.h"

#include <string>
#include <vector>

namespace saguard::analysis {

/// Which field decided whether a Pod gets its ServiceAccount token.
enum class TokenDecider {
  PodField,        ///< the pod spec's automountServiceAccountToken
  AccountField,    ///< the ServiceAccount object's automountServiceAccountToken
  ClusterDefault,  ///< neither says: --cluster-automount-default
  ProjectedVolume, ///< automount is off, but a projected volume mounts a serviceAccountToken
};

/// `pod field`, `account field`, `cluster default`, `projected volume`.
std::string_view tokenDeciderName(TokenDecider D);

/// Whether a Pod's token is available, and why.
struct TokenStatus {
  bool Available = true;
  TokenDecider DecidedBy = TokenDecider::ClusterDefault;
  /// The deciding key (invalid for ClusterDefault).
  SourceRange Range;
  /// One clause saying why, e.g. `the pod sets automountServiceAccountToken: false`.
  std::string Reason;
};

/// Token availability of Workload's pod, with the field that decided it.
TokenStatus tokenStatus(const AnalysisContext &Ctx, const model::Object &Workload);

/// The verbs an account holds on one resource (or non-resource URL) in one scope, merged over
/// every rule that grants them.
struct ResourceAccess {
  std::string Scope;    ///< namespace, or empty for cluster-wide
  std::string Group;    ///< API group: "" is the core group, `*` every group
  std::string Resource; ///< as written (`pods/exec`, `*`), or a non-resource URL
  bool NonResourceURL = false;
  std::vector<std::string> Verbs;         ///< sorted, unique
  std::vector<std::string> ResourceNames; ///< empty: every object
  /// Dangerous permissions among them (SA005's list), e.g. `read secrets`; empty if none.
  std::vector<std::string> Dangers;
  /// The grant paths, e.g. `ClusterRoleBinding 'x' -> ClusterRole 'y'`.
  std::vector<std::string> Via;

  bool dangerous() const { return !Dangers.empty(); }
};

/// One grant that reaches a workload's account, with what is dangerous about it.
struct GrantSummary {
  const Grant *Via = nullptr;
  /// Dangerous permissions of the role's rules in the grant's scope, with the rule of each.
  std::vector<std::pair<const RoleRule *, DangerousPermission>> Dangers;
};

/// Every grant that reaches the ServiceAccount Namespace/Account, with its dangerous permissions.
std::vector<GrantSummary> summarizeGrants(const AnalysisContext &Ctx, std::string_view Namespace,
                                          std::string_view Account);

/// One dangerous permission a token carries, merged over every grant path that hands it out.
struct TokenDanger {
  DangerKind Kind = DangerKind::Wildcard;
  /// Namespace it applies in; empty when cluster-wide.
  std::string Scope;
  /// Every rule that grants it is limited by resourceNames to named objects.
  bool Named = true;
  /// What the granting rules allow, each once (DangerousPermission::What).
  std::vector<std::string> Evidence;

  /// `can read every Secret in namespace 'shop' (get/list secrets)`, `has full control of the
  /// cluster (rule * on * in API groups *)`.
  std::string describe() const;
  /// On GitHub's scale: critical (>= 9.0) cluster-wide, except pods and workloads (8.5); high
  /// (7.5-8.5) in a namespace; medium (6.0) when limited to named objects.
  double securitySeverity() const;
};

/// The dangerous permissions of Grants, each kind and scope once, the most severe first. A kind
/// granted cluster-wide covers the same kind in a namespace (whose evidence it takes), and full
/// control of the cluster covers every other danger.
std::vector<TokenDanger> tokenDangers(const std::vector<GrantSummary> &Grants);

/// What one Pod-bearing object's token can do.
struct WorkloadPermissions {
  const model::Object *Workload = nullptr;
  /// Where the workload is written: its first line, which a caller may map to the file a user
  /// edits (a template or overlay file).
  SourceRange Location;
  std::string Account;
  /// The ServiceAccount object, when the set has it.
  const model::Object *AccountObject = nullptr;
  TokenStatus Token;
  std::vector<GrantSummary> Grants;
  /// Sorted by scope (cluster-wide first), group and resource.
  std::vector<ResourceAccess> Access;

  bool dangerous() const;
};

/// The permissions of every Pod-bearing object of the set, in input order.
std::vector<WorkloadPermissions> summarizePermissions(const AnalysisContext &Ctx);

/// Workloads -> accounts -> bindings -> roles (-> the ClusterRoles an aggregated role gathers).
struct PermissionGraph {
  enum class NodeKind { Workload, Account, Binding, Role };
  struct Node {
    std::string Id; ///< stable and unique, e.g. `role:ClusterRole//edit`
    NodeKind Kind;
    std::string Label; ///< e.g. `Deployment web\nns shop`
    /// False for an account or role the analysed set does not define (built-in or missing).
    bool InSet = true;
    bool Dangerous = false;
  };
  struct Edge {
    std::string From, To;
    std::string Label; ///< e.g. the subject that ties an account to a binding
    bool Dangerous = false;
  };
  std::vector<Node> Nodes;
  std::vector<Edge> Edges;
};

/// The graph of Summary: a workload's edge to its account is dangerous when its token is
/// available and a dangerous grant reaches the account; a grant's edges are dangerous when its
/// role grants a dangerous permission in the grant's scope.
PermissionGraph buildPermissionGraph(const std::vector<WorkloadPermissions> &Summary);

/// The privilege path of a finding as FindingBuilder::step() notes: the Pod's account key (when
/// Workload is given), the ServiceAccount object (when Account is in the set), the binding's
/// subject entry, the role (its object, else the binding's roleRef), the ClusterRole an
/// aggregated rule came from, and the rule entry. Steps without a location in the set are left
/// out.
std::vector<Note> privilegePath(const model::Object *Workload, const model::Object *Account,
                                const model::Object &Binding, const model::Subject &Subject,
                                const ResolvedRole &Role, const RoleRule *Rule);

} // namespace saguard::analysis
