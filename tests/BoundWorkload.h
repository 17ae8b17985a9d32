//===- BoundWorkload.h - a workload whose account a Role is bound to, as YAML -*- C++ -*-===//
//
// The smallest stream in which a Pod's token carries a Role's rules, shared by the tests of the
// rules, the permissions proposal and the `permissions` command.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <string>

namespace saguard::test {

/// Deployment `web` in namespace shop, running as ServiceAccount `web` (line 7), that account,
/// and RoleBinding `web` binding it to Role `web`; the Role itself is webRole's.
inline const char *const BoundWorkload = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      serviceAccountName: web
      containers: [{name: app, image: web}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: web, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: web}
subjects: [{kind: ServiceAccount, name: web, namespace: shop}]
)";

/// Role `web` in namespace shop with RulesYaml (list entries, each line ending in a newline),
/// as a document that follows others.
inline std::string webRole(const std::string &RulesYaml) {
  return R"(---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: web, namespace: shop}
rules:
)" + RulesYaml;
}

/// BoundWorkload with its Role holding RulesYaml.
inline std::string boundWorkload(const std::string &RulesYaml) {
  return BoundWorkload + webRole(RulesYaml);
}

} // namespace saguard::test
