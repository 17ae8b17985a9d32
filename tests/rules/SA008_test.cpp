#include "PodKinds.h"
#include "RuleFixes.h"
#include "TestUtil.h"

#include <gtest/gtest.h>

using namespace saguard;
using saguard::test::expectAnnotatedFindings;
using saguard::test::inEveryPodBearingKind;
using saguard::test::runRule;

namespace {

/// The account Name of namespace shop, opting out with the given boolean spelling.
std::string optedOutAccount(const std::string &False = "false", const std::string &Name = "api") {
  return "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: " + Name +
         ", namespace: shop}\nautomountServiceAccountToken: " + False + "\n---\n";
}

} // namespace

TEST(SA008, FiresWhenThePodOverridesTheAccountsOptOut) {
  expectAnnotatedFindings("SA008", optedOutAccount() + R"(apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  template:
    spec:
      serviceAccountName: api
      automountServiceAccountToken: true        # EXPECT: SA008
      containers: [{name: db}]
)");
}

TEST(SA008, FiresInEveryPodBearingKind) {
  expectAnnotatedFindings("SA008", optedOutAccount() +
                                       inEveryPodBearingKind("serviceAccountName: api\n"
                                                             "automountServiceAccountToken: true  "
                                                             "# EXPECT: SA008\n"));
}

TEST(SA008, RelatesTheAccountKey) {
  auto Findings = runRule("SA008", optedOutAccount() + R"(apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec: {serviceAccountName: api, automountServiceAccountToken: true, containers: []}
)");
  ASSERT_EQ(Findings.size(), 1u);
  const analysis::Finding &F = Findings[0];
  EXPECT_EQ(F.Severity, analysis::Level::Warning);
  EXPECT_EQ(F.KeyPath, "spec.automountServiceAccountToken");
  EXPECT_EQ(F.Primary.Begin.Line, 9u);
  EXPECT_NE(F.Message.find("Pod 'web' in namespace 'shop'"), std::string::npos);
  EXPECT_NE(F.Message.find("ServiceAccount 'api'"), std::string::npos);
  ASSERT_EQ(F.Related.size(), 1u);
  EXPECT_EQ(F.Related[0].Range.Begin.Line, 4u);
}

TEST(SA008, ReadsYaml11Booleans) {
  expectAnnotatedFindings("SA008", optedOutAccount("no") + R"(apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  serviceAccountName: api
  automountServiceAccountToken: on              # EXPECT: SA008
  containers: []
)");
}

TEST(SA008, SilentUnlessThePodSaysTrueAndTheAccountSaysFalse) {
  expectAnnotatedFindings("SA008", optedOutAccount() + R"(apiVersion: v1
kind: Pod
metadata: {name: agrees, namespace: shop}
spec: {serviceAccountName: api, automountServiceAccountToken: false, containers: []}
---
apiVersion: v1
kind: Pod
metadata: {name: inherits, namespace: shop}
spec: {serviceAccountName: api, containers: []}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: open, namespace: shop}
automountServiceAccountToken: true
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: unset, namespace: shop}
---
apiVersion: v1
kind: Pod
metadata: {name: on-open, namespace: shop}
spec: {serviceAccountName: open, automountServiceAccountToken: true, containers: []}
---
apiVersion: v1
kind: Pod
metadata: {name: on-unset, namespace: shop}
spec: {serviceAccountName: unset, automountServiceAccountToken: true, containers: []}
---
apiVersion: v1
kind: Pod
metadata: {name: on-missing, namespace: shop}
spec: {serviceAccountName: missing, automountServiceAccountToken: true, containers: []}
)");
}

TEST(SA008, LooksTheAccountUpInThePodsNamespace) {
  expectAnnotatedFindings("SA008", optedOutAccount() + R"(apiVersion: v1
kind: Pod
metadata: {name: web, namespace: other}
spec: {serviceAccountName: api, automountServiceAccountToken: true, containers: []}
)");
}

TEST(SA008, CoversTheDefaultAccountAndAnEmptyName) {
  expectAnnotatedFindings("SA008", optedOutAccount("false", "default") + R"(apiVersion: v1
kind: Pod
metadata: {name: unnamed, namespace: shop}
spec:
  automountServiceAccountToken: true            # EXPECT: SA008
  containers: []
---
apiVersion: v1
kind: Pod
metadata: {name: empty, namespace: shop}
spec:
  serviceAccountName: ""
  automountServiceAccountToken: True            # EXPECT: SA008
  containers: []
)");
}

namespace {

/// A RoleBinding of the built-in `view` role to the account Name of namespace shop.
std::string boundTo(const std::string &Name) {
  return "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: " +
         Name + ", namespace: shop}\nroleRef: {kind: ClusterRole, name: view}\nsubjects: "
         "[{kind: ServiceAccount, name: " + Name + "}]\n";
}

const char *const PodOptingIn = R"(apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec: {serviceAccountName: api, automountServiceAccountToken: true, containers: []}
)";

} // namespace

TEST(SA008, IsANoteForTheRecommendedPatternOfABoundAccount) {
  auto Findings = runRule("SA008", optedOutAccount() + PodOptingIn + boundTo("api"));
  ASSERT_EQ(Findings.size(), 1u);
  EXPECT_EQ(Findings[0].Severity, analysis::Level::Note);
}

TEST(SA008, IsAWarningWhenNothingBindsTheAccount) {
  auto Findings = runRule("SA008", optedOutAccount() + PodOptingIn + boundTo("other"));
  ASSERT_EQ(Findings.size(), 1u);
  EXPECT_EQ(Findings[0].Severity, analysis::Level::Warning);
  EXPECT_NE(Findings[0].Message.find("no binding"), std::string::npos) << Findings[0].Message;
}

TEST(SA008, IsAWarningForTheDefaultAccountEvenWhenBound) {
  auto Findings = runRule("SA008", optedOutAccount("false", "default") + R"(apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec: {automountServiceAccountToken: true, containers: []}
)" + boundTo("default"));
  ASSERT_EQ(Findings.size(), 1u);
  EXPECT_EQ(Findings[0].Severity, analysis::Level::Warning);
}

TEST(SA008, OnlyTheWarningCarriesAFixAndItFollowsTheAccount) {
  const std::string Yaml = R"(apiVersion: v1
kind: ServiceAccount
metadata: {name: idle, namespace: shop}
automountServiceAccountToken: false
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  serviceAccountName: idle
  automountServiceAccountToken: yes
  containers: []
)";
  EXPECT_EQ(runRule("SA008", Yaml).at(0).Severity, analysis::Level::Warning);
  std::optional<std::string> Fixed = test::fixedBy("SA008", Yaml);
  ASSERT_TRUE(Fixed);
  EXPECT_NE(Fixed->find("  automountServiceAccountToken: false\n  containers"), std::string::npos);

  // Bound, the override is the recommended pattern: a note, and nothing to fix.
  auto Note = runRule("SA008", Yaml + R"(---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: b, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: ServiceAccount, name: idle, namespace: shop}]
)");
  ASSERT_EQ(Note.size(), 1u);
  EXPECT_EQ(Note[0].Severity, analysis::Level::Note);
  EXPECT_TRUE(Note[0].Fixes.empty());
}
