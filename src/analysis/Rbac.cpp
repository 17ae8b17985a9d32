//===- Rbac.cpp - which bindings and rules reach a ServiceAccount ---------===//
#include "saguard/analysis/Rbac.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/ErrorHandling.h"

#include <algorithm>
#include <map>
#include <set>

namespace saguard::analysis {
namespace {

using Strings = std::vector<std::string_view>;

constexpr std::string_view AggregateToPrefix = "rbac.authorization.k8s.io/aggregate-to-";

//===----------------------------------------------------------------------===//
// The upstream bootstrap ClusterRoles (kubernetes plugin/pkg/auth/authorizer/rbac/bootstrappolicy
// policy.go): cluster-admin, the aggregated admin/edit/view, and the system:aggregate-to-* roles
// that hold the rules admin, edit and view gather.
//===----------------------------------------------------------------------===//

const Strings Read = {"get", "list", "watch"};
const Strings Write = {"create", "update", "patch", "delete", "deletecollection"};
const Strings ReadWrite = {"get",    "list",  "watch",  "create",
                           "update", "patch", "delete", "deletecollection"};

struct BuiltinRole {
  std::string Name;
  std::map<std::string, std::string> Labels;
  std::vector<model::LabelSelector> Selectors;
  std::vector<model::PolicyRule> Rules;
};

model::PolicyRule rule(const Strings &Verbs, const Strings &Groups, const Strings &Resources,
                       const Strings &Urls = {}) {
  model::PolicyRule R;
  R.Verbs = unlocated<std::string>(Verbs);
  R.ApiGroups = unlocated<std::string>(Groups);
  R.Resources = unlocated<std::string>(Resources);
  R.NonResourceURLs = unlocated<std::string>(Urls);
  return R;
}

std::map<std::string, std::string> aggregateLabel(std::string_view To) {
  return {{std::string(AggregateToPrefix) + std::string(To), "true"}};
}

model::LabelSelector aggregateSelector(std::string_view To) {
  model::LabelSelector S;
  S.MatchLabels = aggregateLabel(To);
  return S;
}

std::vector<BuiltinRole> makeBuiltinRoles() {
  std::vector<BuiltinRole> Roles;
  Roles.push_back(
      {"cluster-admin", {}, {}, {rule({"*"}, {"*"}, {"*"}), rule({"*"}, {}, {}, {"*"})}});
  // edit is labelled to aggregate into admin, and view into edit, so view's rules reach all three.
  Roles.push_back({"admin", {}, {aggregateSelector("admin")}, {}});
  Roles.push_back({"edit", aggregateLabel("admin"), {aggregateSelector("edit")}, {}});
  Roles.push_back({"view", aggregateLabel("edit"), {aggregateSelector("view")}, {}});
  Roles.push_back({"system:aggregate-to-admin",
                   aggregateLabel("admin"),
                   {},
                   {rule({"create"}, {"authorization.k8s.io"}, {"localsubjectaccessreviews"}),
                    rule(ReadWrite, {RbacApiGroup}, {"roles", "rolebindings"})}});
  Roles.push_back(
      {"system:aggregate-to-edit",
       aggregateLabel("edit"),
       {},
       {rule(Read, {""},
             {"pods/attach", "pods/proxy", "pods/exec", "pods/portforward", "secrets",
              "services/proxy"}),
        rule({"impersonate"}, {""}, {"serviceaccounts"}),
        rule(Write, {""}, {"pods", "pods/attach", "pods/proxy", "pods/exec", "pods/portforward"}),
        rule({"create"}, {""}, {"pods/eviction"}),
        rule(Write, {""},
             {"replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts",
              "services", "services/proxy", "persistentvolumeclaims", "configmaps", "secrets",
              "events"}),
        rule({"create"}, {""}, {"serviceaccounts/token"}),
        rule(Write, {"apps"},
             {"statefulsets", "statefulsets/scale", "daemonsets", "deployments",
              "deployments/scale", "deployments/rollback", "replicasets", "replicasets/scale"}),
        rule(Write, {"autoscaling"}, {"horizontalpodautoscalers"}),
        rule(Write, {"batch"}, {"jobs", "cronjobs"}),
        rule(Write, {"extensions"},
             {"daemonsets", "deployments", "deployments/scale", "deployments/rollback", "ingresses",
              "replicasets", "replicasets/scale", "replicationcontrollers/scale",
              "networkpolicies"}),
        rule(Write, {"policy"}, {"poddisruptionbudgets"}),
        rule(Write, {"networking.k8s.io"}, {"networkpolicies", "ingresses"})}});
  Roles.push_back(
      {"system:aggregate-to-view",
       aggregateLabel("view"),
       {},
       {rule(Read, {""},
             {"pods", "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts",
              "services", "services/status", "endpoints", "persistentvolumeclaims",
              "persistentvolumeclaims/status", "configmaps"}),
        rule(Read, {""},
             {"limitranges", "resourcequotas", "bindings", "events", "pods/status",
              "resourcequotas/status", "namespaces/status", "replicationcontrollers/status",
              "pods/log"}),
        rule(Read, {""}, {"namespaces"}), rule(Read, {"discovery.k8s.io"}, {"endpointslices"}),
        rule(Read, {"apps"},
             {"controllerrevisions", "statefulsets", "statefulsets/status", "statefulsets/scale",
              "daemonsets", "daemonsets/status", "deployments", "deployments/status",
              "deployments/scale", "replicasets", "replicasets/status", "replicasets/scale"}),
        rule(Read, {"autoscaling"},
             {"horizontalpodautoscalers", "horizontalpodautoscalers/status"}),
        rule(Read, {"batch"}, {"jobs", "cronjobs", "cronjobs/status", "jobs/status"}),
        rule(Read, {"extensions"},
             {"daemonsets", "daemonsets/status", "deployments", "deployments/scale",
              "deployments/status", "ingresses", "ingresses/status", "replicasets",
              "replicasets/scale", "replicasets/status", "replicationcontrollers/scale",
              "networkpolicies"}),
        rule(Read, {"policy"}, {"poddisruptionbudgets", "poddisruptionbudgets/status"}),
        rule(Read, {"networking.k8s.io"}, {"networkpolicies", "ingresses", "ingresses/status"})}});
  return Roles;
}

const std::vector<BuiltinRole> &builtinRoles() {
  static const std::vector<BuiltinRole> Roles = makeBuiltinRoles();
  return Roles;
}

std::string roleKey(std::string_view Kind, std::string_view Namespace, std::string_view Name) {
  return std::string(Kind) + '/' + model::namespacedName(Namespace, Name);
}

} // namespace

bool SubjectTarget::reaches(std::string_view AccountNamespace, std::string_view AccountName) const {
  switch (Reach) {
  case Nothing:
    return false;
  case Account:
    return Namespace == AccountNamespace && Name == AccountName;
  case NamespaceAccounts:
    return Namespace == AccountNamespace;
  case AllAccounts:
  case AllAuthenticated:
    return true;
  }
  llvm_unreachable("covered switch");
}

SubjectTarget resolveSubject(const model::Object &Binding, const model::Subject &Subject) {
  SubjectTarget T;
  std::string Kind = Subject.Kind.valueOr("");
  std::string NameText = Subject.Name.valueOr("");
  llvm::StringRef Name = NameText;
  if (Kind == "ServiceAccount") {
    std::string Ns = Subject.Namespace.valueOr("");
    if (Ns.empty()) {
      // A ClusterRoleBinding has no namespace to lend: the API server rejects such a subject.
      if (Binding.isKind("ClusterRoleBinding")) {
        T.MissingNamespace = true;
        return T;
      }
      Ns = Binding.Ref.Namespace;
    }
    if (Name.empty())
      return T;
    T.Reach = SubjectTarget::Account;
    T.Namespace = std::move(Ns);
    T.Name = Name.str();
  } else if (Kind == "Group") {
    if (Name == "system:serviceaccounts") {
      T.Reach = SubjectTarget::AllAccounts;
    } else if (Name == "system:authenticated") {
      T.Reach = SubjectTarget::AllAuthenticated;
    } else if (Name.consume_front("system:serviceaccounts:") && !Name.empty()) {
      T.Reach = SubjectTarget::NamespaceAccounts;
      T.Namespace = Name.str();
    }
  } else if (Kind == "User" && Name.consume_front("system:serviceaccount:")) {
    // The account's own user name: exactly `<ns>:<name>` after the prefix.
    auto [Ns, AccountName] = Name.split(':');
    if (!Ns.empty() && !AccountName.empty() && !AccountName.contains(':')) {
      T.Reach = SubjectTarget::Account;
      T.Namespace = Ns.str();
      T.Name = AccountName.str();
    }
  }
  return T;
}

std::string describeReach(const SubjectTarget &Target) {
  switch (Target.Reach) {
  case SubjectTarget::Nothing:
    return "";
  case SubjectTarget::Account:
    return "ServiceAccount '" + Target.Name + "' in namespace '" + Target.Namespace + "'";
  case SubjectTarget::NamespaceAccounts:
    return "every ServiceAccount of namespace '" + Target.Namespace + "'";
  case SubjectTarget::AllAccounts:
    return "every ServiceAccount of the cluster";
  case SubjectTarget::AllAuthenticated:
    return "every ServiceAccount and every authenticated user";
  }
  llvm_unreachable("covered switch");
}

bool subjectReachesAccount(const model::Object &Binding, const model::Subject &Subject,
                           std::string_view Namespace, std::string_view Name) {
  return resolveSubject(Binding, Subject).reaches(Namespace, Name);
}

std::string describeSubject(const model::Object &Binding, const model::Subject &Subject) {
  std::string Kind = Subject.Kind.valueOr("");
  std::string Name = Subject.Name.valueOr("");
  if (Kind == "ServiceAccount") {
    std::string Ns = Subject.Namespace.valueOr("");
    if (Ns.empty() && !Binding.isKind("ClusterRoleBinding"))
      Ns = Binding.Ref.Namespace;
    return Ns.empty() ? "ServiceAccount '" + Name + "' (no namespace)"
                      : "ServiceAccount '" + Name + "' in namespace '" + Ns + "'";
  }
  if (Kind == "Group")
    return "group '" + Name + "'";
  if (Kind == "User")
    return "user '" + Name + "'";
  return (Kind.empty() ? "subject" : Kind) + " '" + Name + "'";
}

std::string ResolvedRole::describe(bool WithOrigin) const {
  std::string Text = (Kind.empty() ? std::string("role") : Kind) + " '" + Name + "'";
  if (!Namespace.empty())
    Text += " in namespace '" + Namespace + "'";
  if (WithOrigin && Origin == RoleOrigin::BuiltIn)
    Text += " (built-in)";
  if (WithOrigin && Origin == RoleOrigin::Missing)
    Text += " (not in the analysed set)";
  return Text;
}

std::string Grant::scopePhrase() const {
  if (clusterWide())
    return "cluster-wide";
  if (Resolved && !Resolved->Namespace.empty())
    return "";
  return "in namespace '" + Scope + "'";
}

//===----------------------------------------------------------------------===//
// RbacGraph
//===----------------------------------------------------------------------===//

/// Resolves roleRefs into the graph's role table: the set's roles first, then the built-ins,
/// gathering aggregated ClusterRoles from every ClusterRole (of the set or built-in) whose labels
/// match, transitively, as the upstream aggregation controller does.
class RbacGraph::Builder {
public:
  explicit Builder(RbacGraph &G) : G(G) {
    for (const model::Object *R : G.Idx.roles())
      if (R->isKind("ClusterRole") && G.Idx.role("", R->Ref.Name) == R)
        Pool.push_back({R->Ref.Name, &R->Role->Labels, R, nullptr});
    for (const BuiltinRole &B : builtinRoles())
      if (!G.Idx.role("", B.Name))
        Pool.push_back({B.Name, &B.Labels, nullptr, &B});
  }

  const ResolvedRole &resolve(std::string_view Kind, std::string_view Namespace,
                              std::string_view Name) {
    if (Kind == "ClusterRole")
      return resolveClusterRole(Name);
    std::string Key = roleKey(Kind, Namespace, Name);
    if (auto It = G.RolesByKey.find(Key); It != G.RolesByKey.end())
      return *It->second;
    ResolvedRole R;
    R.Kind = std::string(Kind);
    R.Namespace = std::string(Namespace);
    R.Name = std::string(Name);
    if (Kind == "Role")
      if (const model::Object *Obj = G.Idx.role(Namespace, Name); Obj && Obj->isKind("Role"))
        setOwnRules(R, Obj, Obj->Role->Rules, Obj->Ref.Name);
    return store(std::move(Key), std::move(R));
  }

private:
  struct Candidate {
    std::string_view Name;
    const std::map<std::string, std::string> *Labels;
    const model::Object *Object;
    const BuiltinRole *Builtin;
  };

  const ResolvedRole &store(std::string Key, ResolvedRole R) {
    G.Roles.push_back(std::move(R));
    G.RolesByKey.emplace(std::move(Key), &G.Roles.back());
    return G.Roles.back();
  }

  static void setOwnRules(ResolvedRole &R, const model::Object *Obj,
                          const std::vector<model::PolicyRule> &Rules, std::string_view Name) {
    R.Origin = Obj ? RoleOrigin::InSet : RoleOrigin::BuiltIn;
    R.Object = Obj;
    for (const model::PolicyRule &Rule : Rules)
      R.Rules.push_back({&Rule, Obj, Name, false});
  }

  const ResolvedRole &resolveClusterRole(std::string_view Name) {
    std::string Key = roleKey("ClusterRole", "", Name);
    if (auto It = G.RolesByKey.find(Key); It != G.RolesByKey.end())
      return *It->second;
    ResolvedRole R;
    R.Kind = "ClusterRole";
    R.Name = std::string(Name);
    const Candidate *Self = nullptr;
    for (const Candidate &C : Pool)
      if (C.Name == Name)
        Self = &C;
    if (!Self)
      return store(std::move(Key), std::move(R));
    const std::vector<model::LabelSelector> &Selectors =
        Self->Object ? Self->Object->Role->AggregationSelectors : Self->Builtin->Selectors;
    R.Aggregated = Self->Object ? Self->Object->Role->HasAggregationRule : !Selectors.empty();
    if (!R.Aggregated) {
      setOwnRules(R, Self->Object, Self->Object ? Self->Object->Role->Rules : Self->Builtin->Rules,
                  Self->Name);
      return store(std::move(Key), std::move(R));
    }
    R.Origin = Self->Object ? RoleOrigin::InSet : RoleOrigin::BuiltIn;
    R.Object = Self->Object;
    // The aggregation controller replaces an aggregated role's own rules with the union of the
    // selected roles' rules (each rule once), never selecting the role itself.
    InProgress.insert(std::string(Name));
    std::set<const model::PolicyRule *> Seen;
    for (const Candidate &C : Pool) {
      if (C.Name == Name || InProgress.count(std::string(C.Name)) ||
          !llvm::any_of(Selectors,
                        [&](const model::LabelSelector &S) { return S.matches(*C.Labels); }))
        continue;
      for (const RoleRule &Gathered : resolveClusterRole(C.Name).Rules)
        if (Seen.insert(Gathered.Rule).second)
          R.Rules.push_back({Gathered.Rule, Gathered.Source, Gathered.SourceName, true});
    }
    InProgress.erase(std::string(Name));
    return store(std::move(Key), std::move(R));
  }

  RbacGraph &G;
  std::vector<Candidate> Pool;
  std::set<std::string> InProgress;
};

RbacGraph::RbacGraph(const Index &Idx) : Idx(Idx) {
  Builder B(*this);
  for (const model::Object *Binding : Idx.bindings()) {
    const model::BindingData &Data = *Binding->Binding;
    std::string Kind = Data.RoleRefKind.valueOr("");
    std::string Name = Data.RoleRefName.valueOr("");
    const ResolvedRole &Role = B.resolve(Kind, Binding->Ref.Namespace, Name);
    for (const model::Subject &S : Data.Subjects) {
      SubjectTarget Target = resolveSubject(*Binding, S);
      if (Target.Reach == SubjectTarget::Nothing)
        continue;
      Grant G;
      G.Binding = Binding;
      G.Subject = &S;
      G.Role = Role.Object;
      G.RoleKind = Kind;
      G.RoleName = Name;
      G.Scope = Binding->isKind("RoleBinding") ? Binding->Ref.Namespace : std::string();
      G.Resolved = &Role;
      G.Target = std::move(Target);
      size_t At = Grants.size();
      switch (G.Target.Reach) {
      case SubjectTarget::Account:
        ByAccount[model::namespacedName(G.Target.Namespace, G.Target.Name)].push_back(At);
        break;
      case SubjectTarget::NamespaceAccounts:
        ByNamespace[G.Target.Namespace].push_back(At);
        break;
      case SubjectTarget::AllAccounts:
      case SubjectTarget::AllAuthenticated:
        ToEveryone.push_back(At);
        break;
      case SubjectTarget::Nothing:
        llvm_unreachable("skipped above");
      }
      Grants.push_back(std::move(G));
    }
  }
  // Roles no binding names are resolved too, so role() answers for every role of the set.
  for (const model::Object *R : Idx.roles())
    B.resolve(R->Ref.Kind, R->Ref.Namespace, R->Ref.Name);
}

std::vector<const Grant *> RbacGraph::grantsTo(std::string_view Namespace,
                                               std::string_view Name) const {
  std::vector<size_t> At = ToEveryone;
  if (auto It = ByNamespace.find(std::string(Namespace)); It != ByNamespace.end())
    At.insert(At.end(), It->second.begin(), It->second.end());
  if (auto It = ByAccount.find(model::namespacedName(Namespace, Name)); It != ByAccount.end())
    At.insert(At.end(), It->second.begin(), It->second.end());
  std::sort(At.begin(), At.end());
  std::vector<const Grant *> Out;
  Out.reserve(At.size());
  for (size_t I : At)
    Out.push_back(&Grants[I]);
  return Out;
}

std::vector<Grant> RbacGraph::grantsFor(std::string_view Namespace, std::string_view Name) const {
  std::vector<Grant> Out;
  for (const Grant *G : grantsTo(Namespace, Name))
    Out.push_back(*G);
  return Out;
}

bool RbacGraph::isBound(std::string_view Namespace, std::string_view Name) const {
  return !ToEveryone.empty() || ByNamespace.count(std::string(Namespace)) ||
         ByAccount.count(model::namespacedName(Namespace, Name));
}

std::vector<EffectiveRule> RbacGraph::rulesFor(std::string_view Namespace,
                                               std::string_view Name) const {
  std::vector<EffectiveRule> Out;
  for (const Grant *G : grantsTo(Namespace, Name))
    for (const RoleRule &R : G->Resolved->Rules)
      Out.push_back({G, &R});
  return Out;
}

const ResolvedRole *RbacGraph::role(std::string_view Kind, std::string_view Namespace,
                                    std::string_view Name) const {
  auto It = RolesByKey.find(roleKey(Kind, Kind == "ClusterRole" ? "" : Namespace, Name));
  return It == RolesByKey.end() ? nullptr : It->second;
}

} // namespace saguard::analysis
