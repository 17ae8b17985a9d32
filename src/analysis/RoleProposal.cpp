//===- RoleProposal.cpp - the role a workload keeps without its dangers ---===//
#include "saguard/analysis/RoleProposal.h"

#include "llvm/ADT/STLExtras.h"

#include <set>

namespace saguard::analysis {
namespace {

std::vector<std::string> valuesOf(const std::vector<Located<std::string>> &List) {
  std::vector<std::string> Out;
  for (const Located<std::string> &L : List)
    Out.push_back(L.valueOr(""));
  return Out;
}

/// The dangers a rule's categories name, `read secrets, exec into pods`.
std::string categories(const std::vector<DangerousPermission> &Dangers) {
  std::set<std::string_view> Seen;
  std::string Out;
  for (const DangerousPermission &D : Dangers)
    if (Seen.insert(D.Category).second)
      Out += (Out.empty() ? "" : ", ") + std::string(D.Category);
  return Out;
}

/// List with each `*` replaced by Named (what the other rules name); unchanged without a `*`.
std::vector<std::string> narrowed(const std::vector<std::string> &List,
                                  const std::set<std::string> &Named) {
  if (!llvm::is_contained(List, "*"))
    return List;
  std::set<std::string> Out(Named.begin(), Named.end());
  for (const std::string &S : List)
    if (S != "*")
      Out.insert(S);
  return {Out.begin(), Out.end()};
}

bool isWild(const model::PolicyRule &P) {
  return hasWildcard(P.ApiGroups) || hasWildcard(P.Resources) || hasWildcard(P.Verbs) ||
         hasWildcard(P.NonResourceURLs);
}

} // namespace

std::vector<RoleProposal> proposeRoles(const AnalysisContext &Ctx, const model::Object &Workload) {
  std::vector<RoleProposal> Out;
  std::set<const ResolvedRole *> Done;
  for (const Grant *G : Ctx.rbac().grantsTo(Workload.Ref.Namespace, Workload.Pod->accountName())) {
    if (!G->Resolved || !Done.insert(G->Resolved).second)
      continue;
    const ResolvedRole &Role = *G->Resolved;
    // What the rules that stay name: the vocabulary a wildcard narrows to.
    std::set<std::string> Groups, Resources, Verbs;
    for (const RoleRule &R : Role.Rules) {
      const model::PolicyRule &P = *R.Rule;
      if (isWild(P) || !dangerousPermissions(P, G->clusterWide()).empty())
        continue;
      for (const std::string &S : valuesOf(P.ApiGroups))
        Groups.insert(S);
      for (const std::string &S : valuesOf(P.Resources))
        Resources.insert(S);
      for (const std::string &S : valuesOf(P.Verbs))
        Verbs.insert(S);
    }
    RoleProposal Proposal{
        Role.Kind, Role.Namespace, Role.Name, describeObject(G->Binding->Ref), {}, {}, {}};
    for (const RoleRule &R : Role.Rules) {
      const model::PolicyRule &P = *R.Rule;
      ProposedRule Kept{valuesOf(P.ApiGroups), valuesOf(P.Resources), valuesOf(P.Verbs),
                        valuesOf(P.ResourceNames), valuesOf(P.NonResourceURLs)};
      std::vector<DangerousPermission> Dangers = dangerousPermissions(P, G->clusterWide());
      bool Wild = isWild(P);
      std::string What = describeRule(P);
      if (!Wild && Dangers.empty()) {
        Proposal.Rules.push_back(std::move(Kept));
        continue;
      }
      if (!Wild) {
        Proposal.Removed.push_back(What + ": " + categories(Dangers));
        continue;
      }
      // A `*` becomes what the other rules name; a URL wildcard has nothing to narrow to.
      model::PolicyRule Narrow = P;
      Narrow.ApiGroups = unlocated<std::string>(narrowed(Kept.ApiGroups, Groups));
      Narrow.Resources = unlocated<std::string>(narrowed(Kept.Resources, Resources));
      Narrow.Verbs = unlocated<std::string>(narrowed(Kept.Verbs, Verbs));
      std::vector<DangerousPermission> Left = dangerousPermissions(Narrow, G->clusterWide());
      bool Empty =
          hasWildcard(P.NonResourceURLs) ||
          (P.NonResourceURLs.empty() && (Narrow.ApiGroups.empty() || Narrow.Resources.empty())) ||
          Narrow.Verbs.empty();
      if (Empty || !Left.empty()) {
        Proposal.Removed.push_back(What + ": " +
                                   (Empty ? "its wildcard names nothing the other rules name"
                                          : "still " + categories(Left) + " once narrowed"));
        continue;
      }
      Proposal.Narrowed.push_back(What + ": narrowed to " + describeRule(Narrow) +
                                  ", what the other rules name");
      Proposal.Rules.push_back({valuesOf(Narrow.ApiGroups), valuesOf(Narrow.Resources),
                                valuesOf(Narrow.Verbs), Kept.ResourceNames, Kept.NonResourceURLs});
    }
    if (!Proposal.Removed.empty() || !Proposal.Narrowed.empty())
      Out.push_back(std::move(Proposal));
  }
  return Out;
}

} // namespace saguard::analysis
