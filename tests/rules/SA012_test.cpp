#include "TestUtil.h"

#include <gtest/gtest.h>

using namespace saguard;
using saguard::test::expectAnnotatedFindings;
using saguard::test::runRule;

TEST(SA012, FiresOnServiceAccountsAndTheirGroups) {
  expectAnnotatedFindings("SA012", R"(apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: headlamp-admin}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
- kind: ServiceAccount                          # EXPECT: SA012
  name: headlamp
  namespace: kube-system
- kind: User
  name: alice
- {kind: Group, name: "system:masters"}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ns-admin, namespace: ci}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects:
- {kind: Group, name: "system:serviceaccounts:ci"}            # EXPECT: SA012
- {kind: Group, name: "system:authenticated"}                 # EXPECT: SA012
- {kind: User, name: "system:serviceaccount:ci:runner"}       # EXPECT: SA012
)");
}

TEST(SA012, SilentForOtherRolesAndPeople) {
  expectAnnotatedFindings("SA012", R"(apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: admins}
roleRef: {kind: ClusterRole, name: cluster-admin}
subjects:
- {kind: Group, name: platform-team}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ns-admin}
roleRef: {kind: ClusterRole, name: admin}
subjects:
- {kind: ServiceAccount, name: web, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: local, namespace: shop}
roleRef: {kind: Role, name: cluster-admin}
subjects:
- {kind: ServiceAccount, name: web}
)");
}

TEST(SA012, FlowGoesFromThePodToTheRole) {
  auto Findings = runRule("SA012", R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: headlamp, namespace: kube-system}
spec:
  template:
    spec:
      serviceAccountName: headlamp
      containers: [{name: app}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: headlamp-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects:
- {kind: ServiceAccount, name: headlamp, namespace: kube-system}
)");
  ASSERT_EQ(Findings.size(), 1u);
  const analysis::Finding &F = Findings[0];
  EXPECT_EQ(F.Message, "ClusterRoleBinding 'headlamp-admin' gives ClusterRole 'cluster-admin' "
                       "(built-in) to ServiceAccount 'headlamp' in namespace 'kube-system': "
                       "full control of the cluster");
  EXPECT_EQ(F.Primary.Begin.Line, 15u);
  std::vector<unsigned> Lines;
  for (const analysis::Note &Step : F.Flow)
    Lines.push_back(Step.Range.Begin.Line);
  EXPECT_EQ(Lines, (std::vector<unsigned>{7, 15, 13}));
  ASSERT_FALSE(F.Related.empty());
  EXPECT_EQ(F.Related[0].Range.Begin.Line, 13u);
}

TEST(SA012, ClusterWideIsCriticalANamespaceHigh) {
  auto Findings = runRule("SA012", R"(apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: everywhere}
roleRef: {kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: ops, namespace: ops}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: here, namespace: ops}
roleRef: {kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: ops}]
)");
  ASSERT_EQ(Findings.size(), 2u);
  EXPECT_GE(Findings[0].SecuritySeverity, 9.0);
  EXPECT_GE(Findings[1].SecuritySeverity, 7.0);
  EXPECT_LT(Findings[1].SecuritySeverity, 9.0);
}
