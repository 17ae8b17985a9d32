//===- PolicyRules.cpp - what one RBAC rule allows ------------------------===//
#include "saguard/analysis/PolicyRules.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/FormatVariadic.h"

namespace saguard::analysis {
namespace {

using Strings = std::vector<std::string_view>;

/// The verbs that return an object's content.
const Strings Read = {"get", "list", "watch"};
const Strings CreateUpdatePatch = {"create", "update", "patch"};

/// Permissions of one kind of danger in one API group. Checks sharing a kind are reported
/// together.
struct DangerCheck {
  DangerKind Kind;
  std::string_view Group;
  Strings Resources;
  Strings Verbs; ///< empty: any verb the rule names
  bool ClusterScoped = false;
  bool NamedGetIsSafe = false;
};

const std::vector<DangerCheck> &dangerChecks() {
  // A Job's pod template cannot change after creation, so only its create hands out new code.
  static const std::vector<DangerCheck> Checks = {
      {DangerKind::ReadSecrets, "", {"secrets"}, Read, false, /*NamedGetIsSafe=*/true},
      {DangerKind::CreatePods, "", {"pods"}, {"create"}},
      {DangerKind::ChangeWorkloads,
       "apps",
       {"deployments", "daemonsets", "statefulsets", "replicasets"},
       CreateUpdatePatch},
      {DangerKind::ChangeWorkloads, "batch", {"jobs"}, {"create"}},
      {DangerKind::ChangeWorkloads, "batch", {"cronjobs"}, CreateUpdatePatch},
      {DangerKind::ChangeWorkloads, "", {"replicationcontrollers"}, CreateUpdatePatch},
      {DangerKind::ExecIntoPods, "", {"pods/exec", "pods/attach", "pods/portforward"}, {"create"}},
      {DangerKind::EscalateOrBind, RbacApiGroup, {"roles"}, {"escalate", "bind"}},
      {DangerKind::EscalateOrBind, RbacApiGroup, {"clusterroles"}, {"escalate", "bind"}, true},
      {DangerKind::ChangeRoleBindings, RbacApiGroup, {"rolebindings"}, CreateUpdatePatch},
      {DangerKind::ChangeRoleBindings,
       RbacApiGroup,
       {"clusterrolebindings"},
       CreateUpdatePatch,
       true},
      {DangerKind::Impersonate, "", {"serviceaccounts"}, {"impersonate"}},
      {DangerKind::Impersonate, "", {"users", "groups"}, {"impersonate"}, true},
      {DangerKind::CreateTokens, "", {"serviceaccounts/token"}, {"create"}},
      {DangerKind::ProxyToNodes, "", {"nodes/proxy"}, {}, true},
      {DangerKind::ChangeAdmissionWebhooks,
       "admissionregistration.k8s.io",
       {"mutatingwebhookconfigurations", "validatingwebhookconfigurations"},
       CreateUpdatePatch,
       true},
  };
  return Checks;
}

/// The text of a list element; a null element reads as "".
std::string_view text(const Located<std::string> &E) {
  return E.isSet() ? std::string_view(*E) : std::string_view();
}

bool contains(const std::vector<Located<std::string>> &List, std::string_view Value) {
  return llvm::any_of(List, [&](const Located<std::string> &E) { return text(E) == Value; });
}

template <typename Range> std::string join(const Range &Items, std::string_view Sep) {
  std::string Out;
  for (const auto &Item : Items) {
    if (!Out.empty())
      Out += Sep;
    Out += Item;
  }
  return Out;
}

std::string joinValues(const std::vector<Located<std::string>> &List, std::string_view Sep) {
  std::vector<std::string> Values;
  for (const Located<std::string> &E : List)
    Values.push_back(text(E).empty() ? "\"\"" : std::string(text(E)));
  return join(Values, Sep);
}

std::string qualifiedResource(std::string_view Resource, std::string_view Group) {
  std::string Out(Resource);
  if (!Group.empty()) {
    Out += '.';
    Out += Group;
  }
  return Out;
}

/// ` (only a, b)` when Rule is limited by resourceNames.
std::string namesSuffix(const model::PolicyRule &Rule) {
  if (Rule.ResourceNames.empty())
    return "";
  return " (only " + joinValues(Rule.ResourceNames, ", ") + ")";
}

} // namespace

std::string describeRule(const model::PolicyRule &Rule) {
  if (Rule.Resources.empty())
    return llvm::formatv("{0} on {1}", joinValues(Rule.Verbs, "/"),
                         joinValues(Rule.NonResourceURLs, ", "))
        .str();
  return llvm::formatv("{0} on {1} in API groups {2}{3}", joinValues(Rule.Verbs, "/"),
                       joinValues(Rule.Resources, ", "), joinValues(Rule.ApiGroups, ", "),
                       namesSuffix(Rule))
      .str();
}

bool hasWildcard(const std::vector<Located<std::string>> &List) { return contains(List, "*"); }

bool ruleMatches(const model::PolicyRule &Rule, std::string_view Group, std::string_view Resource,
                 std::string_view Verb) {
  if (!contains(Rule.Verbs, Verb) && !contains(Rule.Verbs, "*"))
    return false;
  if (!contains(Rule.ApiGroups, Group) && !contains(Rule.ApiGroups, "*"))
    return false;
  llvm::StringRef Wanted(Resource.data(), Resource.size());
  llvm::StringRef Subresource = Wanted.split('/').second;
  return llvm::any_of(Rule.Resources, [&](const Located<std::string> &E) {
    llvm::StringRef Written(text(E).data(), text(E).size());
    if (Written == "*" || Written == Wanted)
      return true;
    // `*/scale` matches the scale subresource of every resource.
    return !Subresource.empty() && Written.consume_front("*/") && Written == Subresource;
  });
}

std::string_view dangerCategory(DangerKind Kind) {
  switch (Kind) {
  case DangerKind::FullControl:
    return "full control";
  case DangerKind::EscalateOrBind:
    return "escalate or bind roles";
  case DangerKind::ChangeRoleBindings:
    return "change role bindings";
  case DangerKind::Impersonate:
    return "impersonate";
  case DangerKind::CreateTokens:
    return "create tokens";
  case DangerKind::ReadSecrets:
    return "read secrets";
  case DangerKind::ProxyToNodes:
    return "proxy to nodes";
  case DangerKind::ChangeAdmissionWebhooks:
    return "change admission webhooks";
  case DangerKind::ExecIntoPods:
    return "exec into pods";
  case DangerKind::CreatePods:
    return "create pods";
  case DangerKind::ChangeWorkloads:
    return "change workloads";
  case DangerKind::Wildcard:
    return "use wildcards";
  }
  llvm_unreachable("covered switch");
}

std::vector<DangerousPermission> dangerousPermissions(const model::PolicyRule &Rule,
                                                      bool ClusterWide) {
  std::vector<DangerousPermission> Found;
  // Non-resource rules (`nonResourceURLs`) reach no API object; only resource rules count.
  if (Rule.Resources.empty())
    return Found;
  bool Named = !Rule.ResourceNames.empty();
  bool Wild = hasWildcard(Rule.Verbs) || hasWildcard(Rule.Resources);
  // `*` on `*` in every group is everything there is; listing its parts would say less.
  if (hasWildcard(Rule.Verbs) && hasWildcard(Rule.Resources) && hasWildcard(Rule.ApiGroups) &&
      !Named)
    return {{DangerKind::FullControl, dangerCategory(DangerKind::FullControl),
             "rule " + describeRule(Rule), false}};
  // Per kind, the qualified resources it reaches with the verbs that reach each.
  using Reach = std::vector<std::pair<std::string, std::vector<std::string>>>;
  std::vector<std::pair<DangerKind, Reach>> ByKind;
  for (const DangerCheck &Check : dangerChecks()) {
    if (Check.ClusterScoped && !ClusterWide)
      continue;
    // A check without verbs (nodes/proxy) takes whatever verbs the rule names.
    std::vector<std::string> Verbs(Check.Verbs.begin(), Check.Verbs.end());
    if (Check.Verbs.empty())
      for (const Located<std::string> &V : Rule.Verbs)
        Verbs.push_back(std::string(text(V)));
    for (std::string_view Resource : Check.Resources) {
      std::vector<std::string> Allowed;
      for (const std::string &Verb : Verbs) {
        if (!ruleMatches(Rule, Check.Group, Resource, Verb))
          continue;
        if (Named && Check.NamedGetIsSafe && Verb == "get")
          continue;
        // A create of a top-level resource carries no name, so a rule limited by resourceNames
        // never allows it (a subresource create such as pods/exec names its parent).
        if (Named && Verb == "create" && Resource.find('/') == std::string_view::npos)
          continue;
        if (!llvm::is_contained(Allowed, Verb))
          Allowed.push_back(Verb);
      }
      if (Allowed.empty())
        continue;
      auto It = llvm::find_if(ByKind, [&](const auto &E) { return E.first == Check.Kind; });
      if (It == ByKind.end()) {
        ByKind.push_back({Check.Kind, {}});
        It = std::prev(ByKind.end());
      }
      It->second.push_back({qualifiedResource(Resource, Check.Group), std::move(Allowed)});
    }
  }
  for (auto &[Kind, Resources] : ByKind) {
    // A wildcard is named by its rule: the expansion says what it includes, the rule what it is.
    std::string What;
    if (Wild) {
      What = "rule " + describeRule(Rule);
    } else {
      // `create jobs.batch, create/update cronjobs.batch`: resources sharing verbs share them.
      const std::vector<std::string> *Previous = nullptr;
      for (const auto &[Resource, Verbs] : Resources) {
        if (!What.empty())
          What += ", ";
        if (!Previous || *Previous != Verbs)
          What += join(Verbs, "/") + " ";
        What += Resource;
        Previous = &Verbs;
      }
      What += namesSuffix(Rule);
    }
    Found.push_back({Kind, dangerCategory(Kind), std::move(What), Named});
  }
  // `*` in verbs or resources is dangerous whatever it reaches: it also grants what comes later.
  if (Found.empty() && Wild)
    Found.push_back({DangerKind::Wildcard, dangerCategory(DangerKind::Wildcard),
                     "rule " + describeRule(Rule), Named});
  return Found;
}

bool isCustomApiGroup(std::string_view Group) {
  llvm::StringRef G(Group.data(), Group.size());
  return G.contains('.') && !G.endswith(".k8s.io") && G != "k8s.io" && G != "*";
}

std::vector<std::string_view> reportedWildcards(const model::PolicyRule &Rule) {
  std::vector<std::string_view> Fields;
  if (hasWildcard(Rule.Verbs))
    Fields.push_back("verbs");
  if (hasWildcard(Rule.Resources))
    Fields.push_back("resources");
  if (hasWildcard(Rule.ApiGroups))
    Fields.push_back("apiGroups");
  // Inside a chart's own API groups a wildcard reaches only what the chart defines.
  if (!Rule.ApiGroups.empty() && llvm::all_of(Rule.ApiGroups, [](const Located<std::string> &G) {
        return isCustomApiGroup(text(G));
      }))
    Fields.clear();
  if (hasWildcard(Rule.NonResourceURLs))
    Fields.push_back("nonResourceURLs");
  return Fields;
}

} // namespace saguard::analysis
