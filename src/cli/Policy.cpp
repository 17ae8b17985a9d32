//===- Policy.cpp - config-file level overrides and ignores on findings ---===//
#include "saguard/cli/Driver.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace saguard::cli {
namespace {

using ObjectKey = std::tuple<std::string, std::string, std::string, std::string, std::string>;

ObjectKey keyOf(const std::string &Target, const model::ObjectRef &Ref) {
  return {Target, Ref.ApiVersion, Ref.Kind, Ref.Namespace, Ref.Name};
}

bool anyMatch(const std::vector<model::NameGlob> &Globs, const std::string &Name) {
  return std::any_of(Globs.begin(), Globs.end(),
                     [&](const model::NameGlob &G) { return G.match(Name); });
}

} // namespace

void applyPolicy(const FindingPolicy &Policy, const analysis::Index &Idx,
                 std::vector<analysis::Finding> &Findings) {
  if (!Policy.IgnoreObjects.empty() || !Policy.IgnoreAccounts.empty()) {
    // `namespace/account` of every Pod-bearing object, for findings about the Pods of an
    // ignored account.
    std::map<ObjectKey, std::string> AccountOf;
    if (!Policy.IgnoreAccounts.empty())
      for (const model::Object *W : Idx.workloads())
        AccountOf[keyOf(W->Target, W->Ref)] =
            model::namespacedName(W->Ref.Namespace, W->Pod->accountName());
    std::erase_if(Findings, [&](const analysis::Finding &F) {
      if (anyMatch(Policy.IgnoreObjects, F.Object.qualifiedName()))
        return true;
      if (Policy.IgnoreAccounts.empty())
        return false;
      if (F.Object.Kind == "ServiceAccount" &&
          anyMatch(Policy.IgnoreAccounts, model::namespacedName(F.Object.Namespace, F.Object.Name)))
        return true;
      auto It = AccountOf.find(keyOf(F.Target, F.Object));
      return It != AccountOf.end() && anyMatch(Policy.IgnoreAccounts, It->second);
    });
  }
  if (!Policy.Levels.empty())
    for (analysis::Finding &F : Findings)
      if (auto It = Policy.Levels.find(F.RuleId); It != Policy.Levels.end())
        F.Severity = It->second;
}

} // namespace saguard::cli
