#include "TestUtil.h"

#include <gtest/gtest.h>

using namespace saguard;
using saguard::test::expectAnnotatedFindings;
using saguard::test::runRule;

TEST(SA004, FiresOnTheDefaultServiceAccountSubject) {
  expectAnnotatedFindings("SA004", R"(apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: workflow, namespace: argo}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: executor}
subjects:
- kind: ServiceAccount                          # EXPECT: SA004
  name: default
- kind: ServiceAccount
  name: argo
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: everywhere}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
- {kind: ServiceAccount, name: default, namespace: shop}       # EXPECT: SA004
- {kind: User, name: "system:serviceaccount:shop:default"}     # EXPECT: SA004
- {kind: User, name: "system:serviceaccount:shop:web"}
)");
}

TEST(SA004, FiresOnGroupsEveryTokenBelongsTo) {
  expectAnnotatedFindings("SA004", R"(apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: public-key, namespace: kube-system}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: key-reader}
subjects:
- apiGroup: rbac.authorization.k8s.io           # EXPECT: SA004
  kind: Group
  name: system:authenticated
- {kind: Group, name: "system:serviceaccounts"}               # EXPECT: SA004
- {kind: Group, name: "system:serviceaccounts:kube-system"}   # EXPECT: SA004
- {kind: Group, name: "system:unauthenticated"}
- {kind: Group, name: developers}
- {kind: User, name: alice}
)");
}

TEST(SA004, ReportsAClusterRoleBindingServiceAccountWithoutNamespace) {
  expectAnnotatedFindings("SA004", R"(apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: controller}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: controller}
subjects:
- kind: ServiceAccount                          # EXPECT: SA004
  name: controller
- kind: ServiceAccount
  name: controller
  namespace: ops
)");
  auto Findings = runRule("SA004", R"(apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: controller}
roleRef: {kind: ClusterRole, name: controller}
subjects: [{kind: ServiceAccount, name: default}]
)");
  ASSERT_EQ(Findings.size(), 1u) << "one finding: the missing namespace, not a default account";
  EXPECT_EQ(Findings[0].Severity, analysis::Level::Error);
  EXPECT_EQ(Findings[0].Message,
            "ClusterRoleBinding 'controller' names ServiceAccount 'default' (no namespace) "
            "without a namespace; the API server rejects the binding, and the subject reaches "
            "no account");
  EXPECT_EQ(Findings[0].KeyPath, "subjects.0");
}

TEST(SA004, SilentForNamedAccountsAndOtherSubjects) {
  expectAnnotatedFindings("SA004", R"(apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: web, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: web}
subjects:
- {kind: ServiceAccount, name: web}
- {kind: ServiceAccount, name: default-backend}
- {kind: User, name: default}
- {kind: Group, name: default}
)");
}

TEST(SA004, NamesTheRoleAndWhomItReaches) {
  auto Findings = runRule("SA004", R"(apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: executor, namespace: argo}
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: workflow, namespace: argo}
roleRef: {kind: Role, name: executor}
subjects: [{kind: ServiceAccount, name: default}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: all}
roleRef: {kind: ClusterRole, name: view}
subjects: [{kind: Group, name: "system:authenticated"}]
)");
  ASSERT_EQ(Findings.size(), 2u);
  EXPECT_EQ(Findings[0].Message,
            "RoleBinding 'workflow' in namespace 'argo' grants Role 'executor' in namespace "
            "'argo' to ServiceAccount 'default' in namespace 'argo', the account of every Pod in "
            "namespace 'argo' that names no other");
  ASSERT_EQ(Findings[0].Related.size(), 1u);
  EXPECT_EQ(Findings[0].Related[0].Range.Begin.Line, 1u);
  EXPECT_EQ(Findings[1].Message,
            "ClusterRoleBinding 'all' grants ClusterRole 'view' (built-in) to group "
            "'system:authenticated', that is every ServiceAccount and every authenticated user");
  EXPECT_TRUE(Findings[1].Related.empty()) << "a built-in role has no place in the set";
}

namespace {

/// A ClusterRole `r` with one rule, bound cluster-wide to `system:authenticated`.
std::string authenticatedBoundTo(const std::string &Rule) {
  return R"(apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: r}
rules:
- )" + Rule + R"(
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: r}
roleRef: {kind: ClusterRole, name: r}
subjects: [{kind: Group, name: "system:authenticated"}]
)";
}

analysis::Level levelFor(const std::string &Rule) {
  auto Findings = runRule("SA004", authenticatedBoundTo(Rule));
  EXPECT_EQ(Findings.size(), 1u) << Rule;
  return Findings.empty() ? analysis::Level::Note : Findings[0].Severity;
}

} // namespace

TEST(SA004, IsAWarningWhenTheRoleGrantsNothingDangerous) {
  EXPECT_EQ(levelFor("{apiGroups: [authentication.k8s.io], resources: [selfsubjectreviews], "
                     "verbs: [create]}"),
            analysis::Level::Warning);
  EXPECT_EQ(levelFor("{nonResourceURLs: [\"/healthz/*\", /version], verbs: [get]}"),
            analysis::Level::Warning)
      << "a prefix glob is not a wildcard SA007 reports";
  EXPECT_EQ(levelFor("{apiGroups: [pinniped.dev], resources: [widgets], verbs: [get, list]}"),
            analysis::Level::Warning);
}

TEST(SA004, IsAnErrorWhenTheRoleGrantsADangerOrAReportedWildcard) {
  EXPECT_EQ(levelFor("{apiGroups: [\"\"], resources: [secrets], verbs: [list]}"),
            analysis::Level::Error);
  EXPECT_EQ(levelFor("{apiGroups: [\"\"], resources: [\"*\"], verbs: [get]}"),
            analysis::Level::Error);
  EXPECT_EQ(levelFor("{nonResourceURLs: [\"*\"], verbs: [get]}"), analysis::Level::Error);
}

TEST(SA004, SecuritySeverityFollowsWhatTheRoleGrants) {
  auto Score = [](const std::string &Rule) {
    auto Findings = runRule("SA004", authenticatedBoundTo(Rule));
    EXPECT_EQ(Findings.size(), 1u) << Rule;
    return Findings.empty() ? 0.0 : Findings[0].SecuritySeverity;
  };
  EXPECT_GE(Score("{apiGroups: [\"\"], resources: [secrets], verbs: [list]}"), 9.0)
      << "every authenticated user reads every Secret: critical";
  EXPECT_LT(Score("{apiGroups: [authentication.k8s.io], resources: [selfsubjectreviews], verbs: "
                  "[create]}"),
            7.0);
}
