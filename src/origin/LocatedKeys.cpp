//===- LocatedKeys.cpp - the keys the model located in an object ------------------------------===//
#include "LocatedKeys.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/YAMLParser.h"

namespace saguard::origin {

using namespace model;

namespace {

void addKey(std::vector<LocatedKey> &Out, const KeyLocation &K,
            std::optional<std::string> Value = std::nullopt, bool IsBool = false) {
  if (!K.Range.isValid())
    return;
  StringRef Path(K.Path.str().data(), K.Path.str().size());
  // A list entry's range starts at its value, not at a key.
  bool Entry = isIndex(Path.rsplit('.').second.empty() ? Path : Path.rsplit('.').second);
  Out.push_back({K.Range.Begin, Path.str(), !Entry, std::move(Value), IsBool});
}

void addKey(std::vector<LocatedKey> &Out, const Located<std::string> &L) {
  if (L.isSet())
    addKey(Out, L, *L);
}

void addKey(std::vector<LocatedKey> &Out, const Located<bool> &L) {
  if (L.isSet())
    addKey(Out, L, *L ? "true" : "false", /*IsBool=*/true);
}

void addKeys(std::vector<LocatedKey> &Out, const std::vector<Located<std::string>> &List) {
  for (const Located<std::string> &L : List)
    addKey(Out, L);
}

} // namespace

std::vector<LocatedKey> locatedKeys(const Object &O) {
  // Each field carries the path the loader recorded; none is spelled here.
  std::vector<LocatedKey> Keys;
  addKey(Keys, O.Meta.Name, O.Ref.Name);
  addKey(Keys, O.Meta.Namespace);
  if (O.Pod) {
    const PodSpec &Pod = *O.Pod;
    addKey(Keys, Pod.SpecKey);
    addKey(Keys, Pod.ServiceAccountName);
    addKey(Keys, Pod.ServiceAccount);
    addKey(Keys, Pod.AutomountServiceAccountToken);
    for (const ProjectedTokenVolume &V : Pod.ProjectedTokens)
      addKey(Keys, V);
  }
  if (O.Account) {
    addKey(Keys, O.Account->AutomountServiceAccountToken);
    addKeys(Keys, O.Account->Secrets);
  }
  if (O.Secret)
    addKey(Keys, O.Secret->Type);
  if (O.Role) {
    for (const PolicyRule &R : O.Role->Rules) {
      addKey(Keys, R);
      for (const auto *List :
           {&R.ApiGroups, &R.Resources, &R.Verbs, &R.ResourceNames, &R.NonResourceURLs})
        addKeys(Keys, *List);
    }
    addKey(Keys, O.Role->AggregationKey);
  }
  if (O.Binding) {
    const BindingData &B = *O.Binding;
    addKey(Keys, B.RoleRef);
    addKey(Keys, B.RoleRefKind);
    addKey(Keys, B.RoleRefName);
    for (const Subject &S : B.Subjects) {
      addKey(Keys, S.Kind);
      addKey(Keys, S.Name);
      addKey(Keys, S.Namespace);
      addKey(Keys, S);
    }
  }
  return Keys;
}

bool isIndex(StringRef Segment) {
  unsigned long long Unused;
  return !Segment.empty() && !Segment.getAsInteger(10, Unused);
}

std::vector<StringRef> keySegments(StringRef Path) {
  llvm::SmallVector<StringRef, 8> Parts;
  Path.split(Parts, '.', -1, /*KeepEmpty=*/false);
  std::vector<StringRef> Keys;
  for (StringRef Part : Parts)
    if (!isIndex(Part))
      Keys.push_back(Part);
  return Keys;
}

bool sameValue(const LocatedKey &Key, StringRef Written) {
  if (!Key.Value)
    return true;
  if (Key.IsBool) {
    // Kubernetes' reading (YAML 1.1) of a boolean scalar.
    llvm::Optional<bool> B = llvm::yaml::parseBool(Written);
    return B && (*B ? "true" : "false") == *Key.Value;
  }
  return Written == *Key.Value;
}

} // namespace saguard::origin
