//===- StreamGenerator.h - a large realistic manifest stream ----*- C++ -*-===//
#pragma once

#include <string>

namespace saguard::bench {

/// A multi-document stream of Objects objects shaped like a rendered chart: Deployments with
/// ConfigMap-sized annotations, ServiceAccounts, Roles and RoleBindings, in many namespaces.
inline std::string generateStream(unsigned Objects) {
  std::string S;
  S.reserve(Objects * 700);
  for (unsigned I = 0; I < Objects; ++I) {
    std::string N = std::to_string(I);
    std::string Ns = "team-" + std::to_string(I % 50);
    switch (I % 4) {
    case 0:
      S += "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-" + N +
           "\n  namespace: " + Ns +
           "\n  labels: {app: app-" + N + ", tier: backend}\n  annotations:\n"
           "    description: \"a service that does things, number " + N + "\"\n"
           "spec:\n  replicas: 3\n  selector:\n    matchLabels: {app: app-" + N + "}\n"
           "  template:\n    metadata:\n      labels: {app: app-" + N + "}\n    spec:\n"
           "      serviceAccountName: " + (I % 8 == 0 ? "default" : "sa-" + N) + "\n"
           "      containers:\n      - name: main\n        image: registry.example.com/app:1." + N +
           "\n        args: [\"--port=8080\", \"--verbose\"]\n        ports:\n"
           "        - containerPort: 8080\n        resources:\n          limits: {cpu: 500m, "
           "memory: 256Mi}\n        env:\n        - {name: MODE, value: production}\n";
      break;
    case 1:
      S += "---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa-" +
           std::to_string(I - 1) + "\n  namespace: " + "team-" + std::to_string((I - 1) % 50) +
           "\nautomountServiceAccountToken: " + (I % 3 ? "true" : "false") + "\n";
      break;
    case 2:
      S += "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: role-" +
           N + "\n  namespace: " + Ns +
           "\nrules:\n- apiGroups: [\"\"]\n  resources: [\"configmaps\", \"pods\"]\n"
           "  verbs: [\"get\", \"list\", \"watch\"]\n";
      break;
    default:
      S += "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n"
           "  name: bind-" + N + "\n  namespace: " + Ns +
           "\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: role-" +
           std::to_string(I - 1) + "}\nsubjects:\n- kind: ServiceAccount\n  name: sa-" +
           std::to_string(I - 3) + "\n";
    }
  }
  return S;
}

} // namespace saguard::bench
