#include "TestUtil.h"

#include <gtest/gtest.h>

using namespace saguard;
using saguard::test::expectAnnotatedFindings;
using saguard::test::runRule;

TEST(SA007, FiresOnTheRuleEntryWithAStar) {
  expectAnnotatedFindings("SA007", R"(apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: application-controller}
rules:
- apiGroups:                                    # EXPECT: SA007
  - '*'
  resources:
  - '*'
  verbs:
  - '*'
- nonResourceURLs:                              # EXPECT: SA007
  - '*'
  verbs:
  - get
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: dex, namespace: auth}
rules:
- apiGroups: [dex.coreos.com]
  resources: [authcodes, connectors]
  verbs: ["*"]
- {apiGroups: [""], resources: [configmaps], verbs: [get]}
- {apiGroups: ["*"], resources: [leases], verbs: [get]}        # EXPECT: SA007
)");
}

TEST(SA007, SilentForPrefixGlobsAndPlainRules) {
  expectAnnotatedFindings("SA007", R"(apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: monitoring}
rules:
- nonResourceURLs: ["/healthz/*", "/metrics"]
  verbs: [get]
- apiGroups: [""]
  resources: [pods, pods/log]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: root}
roleRef: {kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: velero, namespace: velero}]
)");
}

TEST(SA007, NamesTheFieldsAndTheRule) {
  auto Findings = runRule("SA007", R"(apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: everything}
rules:
- {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}
)");
  ASSERT_EQ(Findings.size(), 1u);
  EXPECT_EQ(Findings[0].Message,
            "ClusterRole 'everything' has a rule with '*' in verbs, resources and apiGroups (* on "
            "* in API groups *); it also grants whatever the API server adds later");
  EXPECT_EQ(Findings[0].KeyPath, "rules.0");
  EXPECT_EQ(Findings[0].Primary.Begin.Line, 5u);
}

TEST(SA007, SilentWhenTheWildcardStaysInsideCustomGroups) {
  expectAnnotatedFindings("SA007", R"(apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: crossplane:aggregate-to-edit
  labels: {rbac.authorization.k8s.io/aggregate-to-edit: "true"}
rules:
- {apiGroups: [pkg.crossplane.io, apiextensions.crossplane.io], resources: ["*"], verbs: ["*"]}
- {apiGroups: [batch.tutorial.kubebuilder.io], resources: [cronjobs], verbs: ["*"]}
)");
}

TEST(SA007, FiresWhenAnyNamedGroupIsBuiltIn) {
  expectAnnotatedFindings("SA007", R"(apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: mixed}
rules:
- {apiGroups: [pkg.crossplane.io, ""], resources: ["*"], verbs: [get]}          # EXPECT: SA007
- {apiGroups: [apps], resources: [deployments], verbs: ["*"]}                   # EXPECT: SA007
- {apiGroups: [metrics.k8s.io], resources: ["*"], verbs: [get]}                 # EXPECT: SA007
- {apiGroups: [gateway.networking.k8s.io], resources: ["*"], verbs: [get]}      # EXPECT: SA007
- {apiGroups: ["*", example.com], resources: [widgets], verbs: [get]}           # EXPECT: SA007
- {resources: ["*"], verbs: [get]}                                              # EXPECT: SA007
)");
}

TEST(SA007, AStarInNonResourceUrlsAlwaysCounts) {
  expectAnnotatedFindings("SA007", R"(apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: urls}
rules:
- apiGroups: [example.com]                      # EXPECT: SA007
  resources: [widgets]
  nonResourceURLs: ["*"]
  verbs: [get]
)");
}
