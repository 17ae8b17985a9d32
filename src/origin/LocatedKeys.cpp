//===- LocatedKeys.cpp - the keys the model located in an object ------------------------------===//
#include "LocatedKeys.h"

#include "llvm/ADT/SmallVector.h"

#include <set>

namespace saguard::origin {

using namespace model;

namespace {

void addKey(std::vector<LocatedKey> &Out, SourceRange R, std::string Path, bool AtKey = true) {
  if (R.isValid())
    Out.push_back({R.Begin, std::move(Path), AtKey, std::nullopt, false});
}

void addKey(std::vector<LocatedKey> &Out, const Located<std::string> &L, std::string Path,
            bool AtKey = true) {
  if (L.isSet() && L.Range.isValid())
    Out.push_back({L.Range.Begin, std::move(Path), AtKey, *L, false});
}

void addKey(std::vector<LocatedKey> &Out, const Located<bool> &L, std::string Path) {
  if (L.isSet() && L.Range.isValid())
    Out.push_back({L.Range.Begin, std::move(Path), true, *L ? "true" : "false", true});
}

/// Kubernetes' reading (YAML 1.1) of a boolean scalar.
std::optional<bool> parseBool(StringRef S) {
  static const std::set<StringRef> True = {"true", "True", "TRUE", "yes", "Yes", "YES",
                                           "y",    "Y",    "on",   "On",  "ON"};
  static const std::set<StringRef> False = {"false", "False", "FALSE", "no",  "No", "NO",
                                            "n",     "N",     "off",   "Off", "OFF"};
  if (True.count(S))
    return true;
  if (False.count(S))
    return false;
  return std::nullopt;
}

} // namespace

std::vector<LocatedKey> locatedKeys(const Object &O) {
  std::vector<LocatedKey> Keys;
  addKey(Keys, O.Meta.Name, "metadata.name");
  addKey(Keys, O.Meta.Namespace, "metadata.namespace");
  if (O.Pod) {
    const PodSpec &Pod = *O.Pod;
    addKey(Keys, Pod.SpecKey, Pod.Path);
    addKey(Keys, Pod.ServiceAccountName, Pod.Path + ".serviceAccountName");
    addKey(Keys, Pod.ServiceAccount, Pod.Path + ".serviceAccount");
    addKey(Keys, Pod.AutomountServiceAccountToken, Pod.Path + ".automountServiceAccountToken");
    for (const ProjectedTokenVolume &V : Pod.ProjectedTokens)
      addKey(Keys, V.Range, Pod.Path + ".volumes.*.projected.sources.*.serviceAccountToken");
  }
  if (O.Account) {
    addKey(Keys, O.Account->AutomountServiceAccountToken, "automountServiceAccountToken");
    for (size_t I = 0; I < O.Account->Secrets.size(); ++I)
      addKey(Keys, O.Account->Secrets[I], "secrets." + std::to_string(I) + ".name");
  }
  if (O.Secret)
    addKey(Keys, O.Secret->Type, "type");
  if (O.Role) {
    for (size_t I = 0; I < O.Role->Rules.size(); ++I) {
      const PolicyRule &R = O.Role->Rules[I];
      std::string Rule = "rules." + std::to_string(I);
      addKey(Keys, R.Range, Rule, /*AtKey=*/false);
      auto Items = [&](const std::vector<Located<std::string>> &List, const char *Name) {
        for (size_t J = 0; J < List.size(); ++J)
          addKey(Keys, List[J], Rule + "." + Name + "." + std::to_string(J), /*AtKey=*/false);
      };
      Items(R.ApiGroups, "apiGroups");
      Items(R.Resources, "resources");
      Items(R.Verbs, "verbs");
      Items(R.ResourceNames, "resourceNames");
      Items(R.NonResourceURLs, "nonResourceURLs");
    }
    addKey(Keys, O.Role->AggregationRange, "aggregationRule");
  }
  if (O.Binding) {
    const BindingData &B = *O.Binding;
    addKey(Keys, B.RoleRefRange, "roleRef");
    addKey(Keys, B.RoleRefKind, "roleRef.kind");
    addKey(Keys, B.RoleRefName, "roleRef.name");
    for (size_t I = 0; I < B.Subjects.size(); ++I) {
      std::string Subject = "subjects." + std::to_string(I);
      addKey(Keys, B.Subjects[I].Kind, Subject + ".kind");
      addKey(Keys, B.Subjects[I].Name, Subject + ".name");
      addKey(Keys, B.Subjects[I].Namespace, Subject + ".namespace");
      addKey(Keys, B.Subjects[I].Range, Subject, /*AtKey=*/false);
    }
  }
  return Keys;
}

std::vector<StringRef> keySegments(StringRef Path) {
  llvm::SmallVector<StringRef, 8> Parts;
  Path.split(Parts, '.', -1, /*KeepEmpty=*/false);
  std::vector<StringRef> Keys;
  for (StringRef Part : Parts) {
    unsigned long long Unused;
    if (Part != "*" && Part.getAsInteger(10, Unused))
      Keys.push_back(Part);
  }
  return Keys;
}

bool sameValue(const LocatedKey &Key, StringRef Written) {
  if (!Key.Value)
    return true;
  if (Key.IsBool) {
    std::optional<bool> B = parseBool(Written);
    return B && (*B ? "true" : "false") == *Key.Value;
  }
  return Written == *Key.Value;
}

} // namespace saguard::origin
