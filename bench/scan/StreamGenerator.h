//===- StreamGenerator.h - a large realistic manifest stream ----*- C++ -*-===//
#pragma once

#include <string>

namespace saguard::bench {

/// A multi-document stream of Objects objects shaped like rendered charts (the corpus averages
/// 600-1,200 bytes per object outside CRDs): Deployments with full pod specs, Services,
/// ConfigMaps, ServiceAccounts, Roles and RoleBindings, in 50 namespaces. With GroupBindings,
/// that many RoleBindings, spread evenly, are ClusterRoleBindings of the built-in `edit` role to
/// the group `system:serviceaccounts` (a pattern that reaches every account's token, which is
/// what multiplied grant paths).
inline std::string generateStream(unsigned Objects, unsigned GroupBindings = 0) {
  std::string S;
  S.reserve(Objects * 1000);
  unsigned Apps = (Objects + 5) / 6;
  unsigned Stride = GroupBindings ? (Apps > GroupBindings ? Apps / GroupBindings : 1) : 0;
  for (unsigned I = 0; I < Objects; ++I) {
    std::string App = "app-" + std::to_string(I / 6);
    std::string Ns = "team-" + std::to_string((I / 6) % 50);
    std::string Meta = "metadata:\n  name: " + App + "\n  namespace: " + Ns +
                       "\n  labels:\n    app.kubernetes.io/name: " + App +
                       "\n    app.kubernetes.io/instance: release\n"
                       "    app.kubernetes.io/managed-by: Helm\n    helm.sh/chart: app-1.2.3\n";
    switch (I % 6) {
    case 0:
      S += "---\n# Source: app/templates/deployment.yaml\napiVersion: apps/v1\nkind: Deployment\n" +
           Meta +
           "spec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: " +
           App + "\n  template:\n    metadata:\n      labels:\n        app.kubernetes.io/name: " +
           App + "\n      annotations:\n        checksum/config: 4f53cda18c2baa0c0354bb5f9a3ecbe5"
           "ed12ab4d8e11ba873c2f11161202b945\n    spec:\n      serviceAccountName: " +
           (I % 12 == 0 ? std::string("default") : App) +
           "\n      securityContext:\n        runAsNonRoot: true\n        runAsUser: 1000\n"
           "      containers:\n      - name: main\n        image: registry.example.com/" + App +
           ":1.4.2\n        imagePullPolicy: IfNotPresent\n        args: [\"--port=8080\", "
           "\"--log-level=info\"]\n        ports:\n        - name: http\n          containerPort: "
           "8080\n          protocol: TCP\n        env:\n        - name: MODE\n          value: "
           "production\n        - name: POD_NAME\n          valueFrom:\n            fieldRef: "
           "{fieldPath: metadata.name}\n        livenessProbe:\n          httpGet: {path: "
           "/healthz, port: http}\n        readinessProbe:\n          httpGet: {path: /ready, "
           "port: http}\n        resources:\n          limits: {cpu: 500m, memory: 256Mi}\n"
           "          requests: {cpu: 100m, memory: 128Mi}\n        volumeMounts:\n        - name: "
           "config\n          mountPath: /etc/app\n      volumes:\n      - name: config\n"
           "        configMap:\n          name: " + App + "\n";
      break;
    case 1:
      S += "---\n# Source: app/templates/service.yaml\napiVersion: v1\nkind: Service\n" + Meta +
           "spec:\n  type: ClusterIP\n  ports:\n  - port: 80\n    targetPort: http\n    protocol: "
           "TCP\n    name: http\n  selector:\n    app.kubernetes.io/name: " + App + "\n";
      break;
    case 2:
      S += "---\n# Source: app/templates/configmap.yaml\napiVersion: v1\nkind: ConfigMap\n" + Meta +
           "data:\n  app.yaml: |\n    server:\n      port: 8080\n      timeout: 30s\n    "
           "logging:\n      level: info\n      format: json\n    features:\n      cache: true\n"
           "      metrics: true\n";
      break;
    case 3:
      S += "---\n# Source: app/templates/serviceaccount.yaml\napiVersion: v1\nkind: "
           "ServiceAccount\n" + Meta + "automountServiceAccountToken: " +
           (I % 4 == 3 ? "true" : "false") + "\n";
      break;
    case 4:
      S += "---\n# Source: app/templates/role.yaml\napiVersion: rbac.authorization.k8s.io/v1\n"
           "kind: Role\n" + Meta +
           "rules:\n- apiGroups: [\"\"]\n  resources: [\"configmaps\", \"pods\"]\n"
           "  verbs: [\"get\", \"list\", \"watch\"]\n";
      break;
    default:
      if (Stride && (I / 6) % Stride == 0 && (I / 6) / Stride < GroupBindings) {
        S += "---\n# Source: app/templates/clusterrolebinding.yaml\napiVersion: "
             "rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: "
             "all-accounts-" + App + "\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: "
             "ClusterRole\n  name: edit\nsubjects:\n- apiGroup: rbac.authorization.k8s.io\n  kind: "
             "Group\n  name: system:serviceaccounts\n";
        break;
      }
      S += "---\n# Source: app/templates/rolebinding.yaml\napiVersion: "
           "rbac.authorization.k8s.io/v1\nkind: RoleBinding\n" + Meta +
           "roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: " + App +
           "\nsubjects:\n- kind: ServiceAccount\n  name: " + App + "\n  namespace: " + Ns + "\n";
    }
  }
  return S;
}

} // namespace saguard::bench
