// Tests of the permissions summary: token availability and its deciding field, verbs by
// resource, dangerous marks, and the graph.
#include "PermissionsFixture.h"

#include <gtest/gtest.h>

using namespace saguard;
using namespace saguard::analysis;

namespace {

using Summary = test::PermissionsOf;

/// `scope|group|resource|verbs|dangers` of each row.
std::vector<std::string> rows(const WorkloadPermissions &P) {
  std::vector<std::string> Out;
  for (const ResourceAccess &A : P.Access) {
    std::string Row = A.Scope + "|" + A.Group + "|" + A.Resource + "|";
    for (size_t I = 0; I < A.Verbs.size(); ++I)
      Row += (I ? "," : "") + A.Verbs[I];
    Row += "|";
    for (size_t I = 0; I < A.Dangers.size(); ++I)
      Row += (I ? "," : "") + A.Dangers[I];
    if (!A.ResourceNames.empty())
      Row += "|names:" + A.ResourceNames.front();
    if (A.NonResourceURL)
      Row += "|url";
    Out.push_back(Row);
  }
  return Out;
}

using Strings = std::vector<std::string>;

} // namespace

TEST(Permissions, TokenStatusNamesTheDecidingField) {
  Summary S(R"(apiVersion: v1
kind: ServiceAccount
metadata: {name: quiet, namespace: shop}
automountServiceAccountToken: false
---
apiVersion: v1
kind: Pod
metadata: {name: by-pod, namespace: shop}
spec:
  serviceAccountName: quiet
  automountServiceAccountToken: true
  containers: []
---
apiVersion: v1
kind: Pod
metadata: {name: by-account, namespace: shop}
spec: {serviceAccountName: quiet, containers: []}
---
apiVersion: v1
kind: Pod
metadata: {name: by-default, namespace: shop}
spec: {containers: []}
---
apiVersion: v1
kind: Pod
metadata: {name: by-volume, namespace: shop}
spec:
  serviceAccountName: quiet
  containers: []
  volumes:
  - name: kube-api
    projected:
      sources: [{serviceAccountToken: {path: token}}]
)");
  const TokenStatus &Pod = S.of("by-pod").Token;
  EXPECT_TRUE(Pod.Available);
  EXPECT_EQ(Pod.DecidedBy, TokenDecider::PodField);
  EXPECT_EQ(Pod.Range.Begin.Line, 11u);
  EXPECT_EQ(Pod.Reason, "the pod sets automountServiceAccountToken: true");

  const TokenStatus &Account = S.of("by-account").Token;
  EXPECT_FALSE(Account.Available);
  EXPECT_EQ(Account.DecidedBy, TokenDecider::AccountField);
  EXPECT_EQ(Account.Range.Begin.Line, 4u);
  EXPECT_EQ(Account.Reason, "ServiceAccount 'quiet' sets automountServiceAccountToken: false");

  const TokenStatus &Default = S.of("by-default").Token;
  EXPECT_TRUE(Default.Available);
  EXPECT_EQ(Default.DecidedBy, TokenDecider::ClusterDefault);
  EXPECT_FALSE(Default.Range.isValid());
  EXPECT_EQ(tokenDeciderName(Default.DecidedBy), "cluster default");

  const TokenStatus &Volume = S.of("by-volume").Token;
  EXPECT_TRUE(Volume.Available);
  EXPECT_EQ(Volume.DecidedBy, TokenDecider::ProjectedVolume);
  EXPECT_EQ(Volume.Range.Begin.Line, 33u);
  EXPECT_EQ(Volume.Reason, "projected volume 'kube-api' mounts a serviceAccountToken although "
                           "ServiceAccount 'quiet' sets automountServiceAccountToken: false");
}

TEST(Permissions, ClusterDefaultOffIsTheAssumption) {
  AnalysisOptions Off;
  Off.ClusterAutomountDefault = false;
  Summary S("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: []}\n", Off);
  EXPECT_FALSE(S.of("p").Token.Available);
  EXPECT_EQ(S.of("p").Token.Reason, "neither the pod nor ServiceAccount 'default' sets "
                                    "automountServiceAccountToken; the cluster default is false");
}

TEST(Permissions, VerbsByResourceMergeRulesAndMarkDangers) {
  Summary S(R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      serviceAccountName: web
      containers: [{name: app}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: web, namespace: shop}
rules:
- {apiGroups: [""], resources: [configmaps, secrets], verbs: [get]}
- {apiGroups: [""], resources: [secrets], verbs: [list, watch]}
- {apiGroups: [""], resources: [secrets], verbs: [get], resourceNames: [tls]}
- {nonResourceURLs: [/metrics], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: web, namespace: shop}
roleRef: {kind: Role, name: web}
subjects: [{kind: ServiceAccount, name: web}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: metrics}
rules:
- {nonResourceURLs: [/metrics], verbs: [get]}
- {apiGroups: [apps], resources: [deployments], verbs: [patch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: metrics}
roleRef: {kind: ClusterRole, name: metrics}
subjects: [{kind: ServiceAccount, name: web, namespace: shop}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: gone, namespace: shop}
roleRef: {kind: Role, name: gone}
subjects: [{kind: ServiceAccount, name: web}]
)");
  const WorkloadPermissions &P = S.of("web");
  EXPECT_EQ(P.Account, "web");
  EXPECT_EQ(P.AccountObject, nullptr);
  EXPECT_EQ(P.Location.Begin.Line, 1u);
  // Cluster-wide rows first; the RoleBinding's non-resource URL grants nothing.
  EXPECT_EQ(rows(P), (Strings{"||/metrics|get||url", "|apps|deployments|patch|change workloads",
                              "shop||configmaps|get|", "shop||secrets|get,list,watch|read secrets",
                              "shop||secrets|get||names:tls"}));
  const ResourceAccess &Secrets = P.Access[3];
  EXPECT_EQ(Secrets.Via, (Strings{"RoleBinding 'web' in namespace 'shop' -> Role 'web' in "
                                  "namespace 'shop'"}));
  ASSERT_EQ(P.Grants.size(), 3u);
  EXPECT_EQ(P.Grants[0].Dangers.size(), 2u) << "two rules read secrets";
  EXPECT_EQ(P.Grants[1].Dangers.size(), 1u);
  EXPECT_EQ(P.Grants[2].Via->Resolved->Origin, RoleOrigin::Missing);
  EXPECT_TRUE(P.Grants[2].Dangers.empty());
  EXPECT_TRUE(P.dangerous());
}

TEST(Permissions, GraphLinksWorkloadsAccountsBindingsAndRoles) {
  Summary S(R"(apiVersion: v1
kind: Pod
metadata: {name: a, namespace: shop}
spec: {serviceAccountName: api, containers: []}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: shop}
spec: {serviceAccountName: api, automountServiceAccountToken: false, containers: []}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: api, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: crd-view
  labels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}
rules:
- {apiGroups: [example.com], resources: [widgets], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: view, namespace: shop}
roleRef: {kind: ClusterRole, name: view}
subjects: [{kind: Group, name: "system:serviceaccounts:shop"}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: root}
roleRef: {kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: api, namespace: shop}]
)");
  PermissionGraph G = buildPermissionGraph(S.Workloads);
  test::GraphLines Lines(G);
  EXPECT_EQ(Lines.Nodes,
            (Strings{"workload:Pod/shop/a !", "account:shop/api !", "binding:RoleBinding/shop/view",
                     "role:ClusterRole//view (outside)", "role:ClusterRole//crd-view",
                     "role:ClusterRole//system:aggregate-to-view (outside)",
                     "binding:ClusterRoleBinding/root !",
                     "role:ClusterRole//cluster-admin (outside) !", "workload:Pod/shop/b"}));
  EXPECT_EQ(Lines.Edges,
            (Strings{"workload:Pod/shop/a -> account:shop/api [token] !",
                     "account:shop/api -> binding:RoleBinding/shop/view [group "
                     "'system:serviceaccounts:shop']",
                     "binding:RoleBinding/shop/view -> role:ClusterRole//view [in namespace shop]",
                     "role:ClusterRole//view -> role:ClusterRole//crd-view [aggregates]",
                     "role:ClusterRole//view -> role:ClusterRole//system:aggregate-to-view "
                     "[aggregates]",
                     "account:shop/api -> binding:ClusterRoleBinding/root [] !",
                     "binding:ClusterRoleBinding/root -> role:ClusterRole//cluster-admin "
                     "[cluster-wide] !",
                     "workload:Pod/shop/b -> account:shop/api [no token]"}));
  EXPECT_EQ(G.Nodes[3].Label, "ClusterRole view\n(built-in)");
}
