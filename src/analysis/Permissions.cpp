//===- Permissions.cpp - what each Pod's token can do ---------------------===//
#include "saguard/analysis/Permissions.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <unordered_map>

namespace saguard::analysis {
namespace {

std::string bindingToRole(const Grant &G) {
  return describeObject(G.Binding->Ref) + " -> " + G.Resolved->describe();
}

template <typename T> void addUnique(std::vector<T> &List, const T &Value) {
  if (!llvm::is_contained(List, Value))
    List.push_back(Value);
}

std::vector<std::string> values(const std::vector<Located<std::string>> &List) {
  std::vector<std::string> Out;
  for (const Located<std::string> &E : List)
    Out.push_back(E.valueOr(""));
  return Out;
}

/// The categories of dangerous permission in Access (judged as one rule of its own).
std::vector<std::string> dangersOf(const ResourceAccess &Access) {
  if (Access.NonResourceURL)
    return {};
  model::PolicyRule Single;
  Single.ApiGroups = unlocated<std::string>(std::vector<std::string>{Access.Group});
  Single.Resources = unlocated<std::string>(std::vector<std::string>{Access.Resource});
  Single.Verbs = unlocated<std::string>(Access.Verbs);
  Single.ResourceNames = unlocated<std::string>(Access.ResourceNames);
  std::vector<std::string> Out;
  for (const DangerousPermission &D : dangerousPermissions(Single, Access.Scope.empty()))
    addUnique(Out, std::string(D.Category));
  return Out;
}

/// Verbs by resource over every rule of Grants.
std::vector<ResourceAccess> accessOf(const std::vector<GrantSummary> &Grants) {
  using Key = std::tuple<std::string, std::string, std::string, bool, std::vector<std::string>>;
  std::map<Key, ResourceAccess> ByKey;
  auto Add = [&](const Grant &G, const model::PolicyRule &Rule, std::string Group,
                 std::string Resource, bool Url) {
    std::vector<std::string> Names = values(Rule.ResourceNames);
    ResourceAccess &A = ByKey[Key(G.Scope, Group, Resource, Url, Names)];
    A.Scope = G.Scope;
    A.Group = std::move(Group);
    A.Resource = std::move(Resource);
    A.NonResourceURL = Url;
    A.ResourceNames = std::move(Names);
    for (std::string Verb : values(Rule.Verbs))
      addUnique(A.Verbs, Verb);
    addUnique(A.Via, bindingToRole(G));
  };
  for (const GrantSummary &S : Grants) {
    const Grant &G = *S.Via;
    for (const RoleRule &R : G.Resolved->Rules) {
      for (const Located<std::string> &Group : R.Rule->ApiGroups)
        for (const Located<std::string> &Resource : R.Rule->Resources)
          Add(G, *R.Rule, Group.valueOr(""), Resource.valueOr(""), false);
      // Non-resource URLs are cluster-wide by nature: a RoleBinding cannot grant them.
      if (G.clusterWide())
        for (const Located<std::string> &Url : R.Rule->NonResourceURLs)
          Add(G, *R.Rule, "", Url.valueOr(""), true);
    }
  }
  std::vector<ResourceAccess> Out;
  for (auto &[K, A] : ByKey) {
    std::sort(A.Verbs.begin(), A.Verbs.end());
    A.Dangers = dangersOf(A);
    Out.push_back(std::move(A));
  }
  return Out;
}

} // namespace

std::string_view tokenDeciderName(TokenDecider D) {
  switch (D) {
  case TokenDecider::PodField:
    return "pod field";
  case TokenDecider::AccountField:
    return "account field";
  case TokenDecider::ClusterDefault:
    return "cluster default";
  case TokenDecider::ProjectedVolume:
    return "projected volume";
  }
  llvm_unreachable("covered switch");
}

TokenStatus tokenStatus(const AnalysisContext &Ctx, const model::Object &Workload) {
  const model::PodSpec &Pod = *Workload.Pod;
  EffectiveAutomount Automount = effectiveAutomount(Ctx, Workload);
  TokenStatus S;
  S.Available = Automount.Value;
  S.Range = Automount.Range;
  const char *Value = Automount.Value ? "true" : "false";
  switch (Automount.Source) {
  case AutomountSource::Pod:
    S.DecidedBy = TokenDecider::PodField;
    S.Reason = llvm::formatv("the pod sets automountServiceAccountToken: {0}", Value);
    break;
  case AutomountSource::Account:
    S.DecidedBy = TokenDecider::AccountField;
    S.Reason = llvm::formatv("ServiceAccount '{0}' sets automountServiceAccountToken: {1}",
                             Pod.accountName(), Value);
    break;
  case AutomountSource::ClusterDefault:
    S.DecidedBy = TokenDecider::ClusterDefault;
    S.Reason = llvm::formatv("neither the pod nor ServiceAccount '{0}' sets "
                             "automountServiceAccountToken; the cluster default is {1}",
                             Pod.accountName(), Value);
    break;
  }
  if (!S.Available && !Pod.ProjectedTokens.empty()) {
    const model::ProjectedTokenVolume &Volume = Pod.ProjectedTokens.front();
    S.Available = true;
    S.DecidedBy = TokenDecider::ProjectedVolume;
    S.Range = Volume.Range;
    S.Reason = llvm::formatv("projected volume '{0}' mounts a serviceAccountToken although {1}",
                             Volume.VolumeName, S.Reason);
  }
  return S;
}

std::vector<GrantSummary> summarizeGrants(const AnalysisContext &Ctx, std::string_view Namespace,
                                          std::string_view Account) {
  std::vector<GrantSummary> Out;
  for (const Grant *G : Ctx.rbac().grantsTo(Namespace, Account)) {
    GrantSummary S{G, {}};
    for (const RoleRule &R : G->Resolved->Rules)
      for (DangerousPermission &D : dangerousPermissions(*R.Rule, G->clusterWide()))
        S.Dangers.push_back({&R, std::move(D)});
    Out.push_back(std::move(S));
  }
  return Out;
}

namespace {

/// Kinds whose cluster-wide grant is critical: they open every namespace's secrets, code or
/// identities, or every identity at once.
bool opensTheCluster(DangerKind Kind) {
  switch (Kind) {
  case DangerKind::ExecIntoPods:
  case DangerKind::CreatePods:
  case DangerKind::ChangeWorkloads:
    return false;
  default:
    return true;
  }
}

} // namespace

std::string TokenDanger::describe() const {
  std::string Where = Scope.empty() ? " in the cluster" : " in namespace '" + Scope + "'";
  std::string Text;
  switch (Kind) {
  case DangerKind::FullControl:
    Text = Scope.empty() ? "has full control of the cluster"
                         : "has full control of namespace '" + Scope + "'";
    break;
  case DangerKind::ReadSecrets:
    Text = (Named ? "can read named Secrets" : "can read every Secret") + Where;
    break;
  case DangerKind::EscalateOrBind:
    Text = "can escalate or bind roles" + Where;
    break;
  case DangerKind::ChangeRoleBindings:
    Text = "can change role bindings" + Where;
    break;
  case DangerKind::Impersonate:
    Text = "can impersonate other identities" + Where;
    break;
  case DangerKind::CreateTokens:
    Text = "can create tokens for other ServiceAccounts" + Where;
    break;
  case DangerKind::ProxyToNodes:
    Text = "can proxy to the kubelet of every node";
    break;
  case DangerKind::ChangeAdmissionWebhooks:
    Text = "can change admission webhooks";
    break;
  case DangerKind::ExecIntoPods:
    Text = "can exec into pods" + Where;
    break;
  case DangerKind::CreatePods:
    Text = "can start pods" + Where;
    break;
  case DangerKind::ChangeWorkloads:
    Text = "can create or change workloads" + Where;
    break;
  case DangerKind::Wildcard:
    Text = "can use wildcards" + Where;
    break;
  }
  std::string Listed;
  for (const std::string &E : Evidence)
    Listed += (Listed.empty() ? "" : "; ") + E;
  return Text + " (" + Listed + ")";
}

double TokenDanger::securitySeverity() const {
  if (Named)
    return 6.0;
  bool Runs = !opensTheCluster(Kind);
  if (Scope.empty())
    return Kind == DangerKind::FullControl ? 10.0 : Runs ? 8.5 : 9.0;
  return Kind == DangerKind::FullControl ? 8.5 : Runs ? 7.5 : 8.0;
}

std::vector<TokenDanger> tokenDangers(const std::vector<GrantSummary> &Grants) {
  std::vector<TokenDanger> Out;
  for (const GrantSummary &S : Grants)
    for (const auto &Entry : S.Dangers) {
      // Not a structured binding: clang 14 cannot capture one in the lambda below.
      const auto &D = Entry.second;
      auto It = llvm::find_if(
          Out, [&](const TokenDanger &T) { return T.Kind == D.Kind && T.Scope == S.Via->Scope; });
      if (It == Out.end()) {
        Out.push_back({D.Kind, S.Via->Scope, true, {}});
        It = std::prev(Out.end());
      }
      It->Named &= D.Named;
      addUnique(It->Evidence, D.What);
    }
  // What the token can do everywhere covers what it can do in one namespace, and full control of
  // the cluster covers everything: fold the covered ones in, so each danger is named once.
  auto Covers = [](const TokenDanger &Wide, const TokenDanger &D) {
    return &Wide != &D && Wide.Scope.empty() && !Wide.Named &&
           (Wide.Kind == DangerKind::FullControl || (Wide.Kind == D.Kind && !D.Scope.empty()));
  };
  std::vector<TokenDanger> Kept;
  for (const TokenDanger &D : Out) {
    auto Wide = llvm::find_if(Out, [&](const TokenDanger &W) { return Covers(W, D); });
    if (Wide == Out.end())
      Kept.push_back(D);
  }
  for (TokenDanger &K : Kept)
    for (const TokenDanger &D : Out)
      if (K.Kind == D.Kind && Covers(K, D))
        for (const std::string &E : D.Evidence)
          addUnique(K.Evidence, E);
  Out = std::move(Kept);
  std::stable_sort(Out.begin(), Out.end(), [](const TokenDanger &A, const TokenDanger &B) {
    double SA = A.securitySeverity(), SB = B.securitySeverity();
    if (SA != SB)
      return SA > SB;
    return A.Kind < B.Kind;
  });
  return Out;
}

bool WorkloadPermissions::dangerous() const {
  return llvm::any_of(Grants, [](const GrantSummary &G) { return !G.Dangers.empty(); });
}

std::vector<WorkloadPermissions> summarizePermissions(const AnalysisContext &Ctx) {
  // Workloads sharing an account share its grants: summarise each account once.
  struct AccountSummary {
    std::vector<GrantSummary> Grants;
    std::vector<ResourceAccess> Access;
  };
  std::unordered_map<std::string, AccountSummary> ByAccount;
  std::vector<WorkloadPermissions> Out;
  for (const model::Object *W : Ctx.Idx.workloads()) {
    WorkloadPermissions P;
    P.Workload = W;
    P.Location = W->Range;
    P.Account = W->Pod->accountName();
    P.AccountObject = accountOf(Ctx, *W);
    P.Token = tokenStatus(Ctx, *W);
    auto [It, Inserted] = ByAccount.try_emplace(model::namespacedName(W->Ref.Namespace, P.Account));
    if (Inserted) {
      It->second.Grants = summarizeGrants(Ctx, W->Ref.Namespace, P.Account);
      It->second.Access = accessOf(It->second.Grants);
    }
    P.Grants = It->second.Grants;
    P.Access = It->second.Access;
    Out.push_back(std::move(P));
  }
  return Out;
}

namespace {

/// Adds nodes and edges once, keeping the first label and or-ing the danger flags.
class GraphBuilder {
public:
  using NodeKind = PermissionGraph::NodeKind;

  void node(const std::string &Id, NodeKind Kind, std::string Label, bool InSet, bool Dangerous) {
    auto [It, Inserted] = Nodes.try_emplace(Id, G.Nodes.size());
    if (Inserted)
      G.Nodes.push_back({Id, Kind, std::move(Label), InSet, Dangerous});
    else
      G.Nodes[It->second].Dangerous |= Dangerous;
  }

  void edge(const std::string &From, const std::string &To, std::string Label, bool Dangerous) {
    auto [It, Inserted] = Edges.try_emplace(From + "\n" + To + "\n" + Label, G.Edges.size());
    if (Inserted)
      G.Edges.push_back({From, To, std::move(Label), Dangerous});
    else
      G.Edges[It->second].Dangerous |= Dangerous;
  }

  PermissionGraph take() { return std::move(G); }

private:
  PermissionGraph G;
  std::unordered_map<std::string, size_t> Nodes, Edges;
};

std::string objectLabel(const model::ObjectRef &Ref) {
  std::string Label = Ref.Kind + " " + Ref.Name;
  if (!Ref.Namespace.empty())
    Label += "\nns " + Ref.Namespace;
  return Label;
}

std::string roleLabel(const ResolvedRole &Role) {
  std::string Label = Role.Kind + " " + Role.Name;
  if (!Role.Namespace.empty())
    Label += "\nns " + Role.Namespace;
  if (Role.Origin == RoleOrigin::BuiltIn)
    Label += "\n(built-in)";
  else if (Role.Origin == RoleOrigin::Missing)
    Label += "\n(not in the analysed set)";
  return Label;
}

std::string roleId(std::string_view Kind, std::string_view Namespace, std::string_view Name) {
  return llvm::formatv("role:{0}/{1}/{2}", Kind, Namespace, Name).str();
}

} // namespace

PermissionGraph buildPermissionGraph(const std::vector<WorkloadPermissions> &Summary) {
  using NodeKind = PermissionGraph::NodeKind;
  GraphBuilder B;
  for (const WorkloadPermissions &P : Summary) {
    const model::ObjectRef &W = P.Workload->Ref;
    bool Dangerous = P.Token.Available && P.dangerous();
    std::string WorkloadId = "workload:" + W.qualifiedName();
    std::string AccountId = "account:" + model::namespacedName(W.Namespace, P.Account);
    B.node(WorkloadId, NodeKind::Workload, objectLabel(W), true, Dangerous);
    B.node(AccountId, NodeKind::Account,
           "ServiceAccount " + P.Account + (W.Namespace.empty() ? "" : "\nns " + W.Namespace),
           P.AccountObject != nullptr, Dangerous);
    B.edge(WorkloadId, AccountId, P.Token.Available ? "token" : "no token", Dangerous);
    for (const GrantSummary &S : P.Grants) {
      const Grant &G = *S.Via;
      const ResolvedRole &Role = *G.Resolved;
      bool GrantDangerous = !S.Dangers.empty();
      std::string BindingId = "binding:" + G.Binding->Ref.qualifiedName();
      std::string RoleId = roleId(Role.Kind, Role.Namespace, Role.Name);
      B.node(BindingId, NodeKind::Binding, objectLabel(G.Binding->Ref), true, GrantDangerous);
      B.node(RoleId, NodeKind::Role, roleLabel(Role), Role.Origin == RoleOrigin::InSet,
             GrantDangerous);
      // Name the subject on the edge unless it is the account itself.
      std::string Via = G.Target.Reach == SubjectTarget::Account
                            ? std::string()
                            : describeSubject(*G.Binding, *G.Subject);
      B.edge(AccountId, BindingId, std::move(Via), GrantDangerous);
      B.edge(BindingId, RoleId, G.clusterWide() ? "cluster-wide" : "in namespace " + G.Scope,
             GrantDangerous);
      for (const RoleRule &R : Role.Rules) {
        if (!R.Aggregated)
          continue;
        bool RuleDangerous = llvm::any_of(
            S.Dangers, [&](const auto &D) { return D.first->SourceName == R.SourceName; });
        std::string SourceId = roleId("ClusterRole", "", R.SourceName);
        B.node(SourceId, NodeKind::Role,
               "ClusterRole " + std::string(R.SourceName) + (R.Source ? "" : "\n(built-in)"),
               R.Source != nullptr, RuleDangerous);
        B.edge(RoleId, SourceId, "aggregates", RuleDangerous);
      }
    }
  }
  return B.take();
}

std::vector<Note> privilegePath(const model::Object *Workload, const model::Object *Account,
                                const model::Object &Binding, const model::Subject &Subject,
                                const ResolvedRole &Role, const RoleRule *Rule) {
  std::vector<Note> Steps;
  auto Add = [&Steps](SourceRange Range, std::string Message) {
    if (Range.isValid())
      Steps.push_back({Range, std::move(Message)});
  };
  if (Workload) {
    const model::PodSpec &Pod = *Workload->Pod;
    SourceRange Where = Pod.accountKey().Range;
    if (!Where.isValid())
      Where = Pod.SpecKey.Range.isValid() ? Pod.SpecKey.Range : Workload->Range;
    Add(Where, llvm::formatv("{0} runs as ServiceAccount '{1}'", describeObject(Workload->Ref),
                             Pod.accountName()));
  }
  if (Account)
    Add(Account->Range, describeObject(Account->Ref));
  Add(Subject.Range, llvm::formatv("{0} names {1} as a subject", describeObject(Binding.Ref),
                                   describeSubject(Binding, Subject)));
  if (Role.Object)
    Add(Role.Object->Range, Role.describe() + (Role.Aggregated ? " (aggregated)" : ""));
  else
    Add(Binding.Binding->RoleRef.Range,
        llvm::formatv("roleRef names {0}, {1}", Role.describe(),
                      Role.Origin == RoleOrigin::BuiltIn ? "a built-in role with its upstream rules"
                                                         : "which is not in the analysed set"));
  if (Rule && Rule->Source) {
    if (Rule->Aggregated)
      Add(Rule->Source->Range, llvm::formatv("{0} gathers the rules of {1} by label",
                                             Role.describe(), describeObject(Rule->Source->Ref)));
    Add(Rule->Rule->Range, "rule: " + describeRule(*Rule->Rule));
  }
  return Steps;
}

} // namespace saguard::analysis
