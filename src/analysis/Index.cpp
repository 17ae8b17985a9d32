//===- Index.cpp - the analysed set, indexed for the rules ----------------===//
#include "saguard/analysis/Index.h"

namespace saguard::analysis {

void Index::add(model::Object Obj) { Objects.push_back(std::move(Obj)); }

void Index::finalize() {
  Workloads.clear();
  Roles.clear();
  Bindings.clear();
  AccountsByKey.clear();
  RolesByKey.clear();
  for (const model::Object &O : Objects) {
    if (O.Pod)
      Workloads.push_back(&O);
    if (O.Account)
      AccountsByKey.emplace(NameKey(O.Ref.Namespace, O.Ref.Name), &O);
    if (O.Role) {
      Roles.push_back(&O);
      RolesByKey.emplace(NameKey(O.Ref.Namespace, O.Ref.Name), &O);
    }
    if (O.Binding)
      Bindings.push_back(&O);
  }
}

const model::Object *Index::serviceAccount(std::string_view Namespace,
                                           std::string_view Name) const {
  auto It = AccountsByKey.find(NameKey(Namespace, Name));
  return It == AccountsByKey.end() ? nullptr : It->second;
}

const model::Object *Index::role(std::string_view Namespace, std::string_view Name) const {
  auto It = RolesByKey.find(NameKey(Namespace, Name));
  return It == RolesByKey.end() ? nullptr : It->second;
}

} // namespace saguard::analysis
