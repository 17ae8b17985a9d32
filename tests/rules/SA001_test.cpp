#include "RuleFixes.h"
#include "TestUtil.h"

#include <gtest/gtest.h>

using namespace saguard;
using saguard::test::expectAnnotatedFindings;
using saguard::test::runRule;

TEST(SA001, FiresWhenPodRunsAsDefaultAndNothingOptsOut) {
  expectAnnotatedFindings("SA001", R"(apiVersion: v1
kind: Pod
metadata: {name: web}
spec:                                   # EXPECT: SA001
  containers: [{name: app, image: nginx}]
)");
}

TEST(SA001, PointsAtTheAccountKeyOrTheAutomountKey) {
  expectAnnotatedFindings("SA001", R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      serviceAccountName: default             # EXPECT: SA001
      containers: [{name: app}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          automountServiceAccountToken: true  # EXPECT: SA001
          containers: [{name: app}]
)");
}

TEST(SA001, SilentWhenPodOptsOut) {
  expectAnnotatedFindings("SA001", R"(apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  automountServiceAccountToken: false
  containers: []
)");
}

TEST(SA001, SilentWhenDefaultAccountOptsOutInTheSameNamespace) {
  expectAnnotatedFindings("SA001", R"(apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: shop}
automountServiceAccountToken: false
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec: {containers: []}
---
apiVersion: v1
kind: Pod
metadata: {name: other, namespace: elsewhere}
spec: {containers: []}                  # EXPECT: SA001
)");
}

TEST(SA001, PodFieldBeatsTheAccountField) {
  expectAnnotatedFindings("SA001", R"(apiVersion: v1
kind: ServiceAccount
metadata: {name: default}
automountServiceAccountToken: false
---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  automountServiceAccountToken: yes     # EXPECT: SA001
  containers: []
)");
}

TEST(SA001, SilentForANamedAccount) {
  expectAnnotatedFindings("SA001", R"(apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  template:
    spec:
      serviceAccountName: agent
      containers: []
)");
}

TEST(SA001, EmptyAccountNameCountsAsDefault) {
  expectAnnotatedFindings("SA001", R"(apiVersion: v1
kind: Pod
metadata: {name: web}
spec:                                   # EXPECT: SA001
  serviceAccountName: ""
  containers: []
)");
}

TEST(SA001, ClusterDefaultOffOnlyFiresOnExplicitTrue) {
  analysis::AnalysisOptions Off;
  Off.ClusterAutomountDefault = false;
  expectAnnotatedFindings("SA001", R"(apiVersion: v1
kind: Pod
metadata: {name: quiet}
spec: {containers: []}
---
apiVersion: v1
kind: Pod
metadata: {name: loud}
spec:
  automountServiceAccountToken: true    # EXPECT: SA001
  containers: []
)",
                          Off);
}

TEST(SA001, AnnotationSuppressesButKeepsTheFinding) {
  auto Findings = runRule("SA001", R"(apiVersion: v1
kind: Pod
metadata:
  name: web
  annotations: {saguard.io/ignore: "SA006, SA001", saguard.io/ignore-reason: "known"}
spec: {containers: []}
)");
  ASSERT_EQ(Findings.size(), 1u);
  ASSERT_TRUE(Findings[0].Suppressed);
  EXPECT_EQ(Findings[0].Suppressed->Justification, "known");
  EXPECT_EQ(Findings[0].KeyPath, "spec.serviceAccountName");
}

TEST(SA001, IsANoteOnAHelmTestHook) {
  for (const char *Hook : {"test", "test-success", "test-failure", "pre-install,test"}) {
    SCOPED_TRACE(Hook);
    auto Findings = runRule("SA001", std::string(R"(apiVersion: v1
kind: Pod
metadata:
  name: web-test-connection
  annotations: {"helm.sh/hook": ")") + Hook + R"("}
spec:
  containers: [{name: wget, image: busybox}]
)");
    ASSERT_EQ(Findings.size(), 1u);
    EXPECT_EQ(Findings[0].Severity, analysis::Level::Note);
  }
}

TEST(SA001, StaysAnErrorOnOtherHelmHooks) {
  auto Findings = runRule("SA001", R"(apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations: {"helm.sh/hook": pre-upgrade}
spec:
  template:
    spec:
      containers: [{name: migrate}]
)");
  ASSERT_EQ(Findings.size(), 1u);
  EXPECT_EQ(Findings[0].Severity, analysis::Level::Error);
}

TEST(SA001, ABoundDefaultAccountRanksHighAnUnboundOneMedium) {
  const std::string Pod = R"(apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec: {containers: []}
)";
  auto Unbound = runRule("SA001", Pod);
  ASSERT_EQ(Unbound.size(), 1u);
  EXPECT_GE(Unbound[0].SecuritySeverity, 4.0);
  EXPECT_LT(Unbound[0].SecuritySeverity, 7.0);
  auto Bound = runRule("SA001", Pod + R"(---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: web, namespace: shop}
roleRef: {kind: ClusterRole, name: view}
subjects: [{kind: ServiceAccount, name: default}]
)");
  ASSERT_EQ(Bound.size(), 1u);
  EXPECT_GE(Bound[0].SecuritySeverity, 7.0);
  EXPECT_LT(Bound[0].SecuritySeverity, 9.0);
  auto Test = runRule("SA001", R"(apiVersion: v1
kind: Pod
metadata:
  name: web-test
  annotations: {"helm.sh/hook": test}
spec: {containers: []}
)");
  ASSERT_EQ(Test.size(), 1u);
  EXPECT_LT(Test[0].SecuritySeverity, 4.0) << "notes are low";
}

TEST(SA001, FixInsertsTheOptOutFirstInThePodSpec) {
  const std::string Yaml = "apiVersion: apps/v1\r\n"
                           "kind: Deployment\r\n"
                           "metadata: {name: web}\r\n"
                           "spec:\r\n"
                           "  template:\r\n"
                           "    spec:   # the pod\r\n"
                           "\r\n"
                           "       # three-space indentation is kept\r\n"
                           "       containers:\r\n"
                           "       - name: web\r\n";
  std::optional<std::string> Fixed = test::fixedBy("SA001", Yaml);
  ASSERT_TRUE(Fixed);
  // The file's CRLF line ends and the mapping's indentation; every other byte as it was.
  EXPECT_EQ(*Fixed, "apiVersion: apps/v1\r\n"
                    "kind: Deployment\r\n"
                    "metadata: {name: web}\r\n"
                    "spec:\r\n"
                    "  template:\r\n"
                    "    spec:   # the pod\r\n"
                    "\r\n"
                    "       # three-space indentation is kept\r\n"
                    "       automountServiceAccountToken: false\r\n"
                    "       containers:\r\n"
                    "       - name: web\r\n");
}

TEST(SA001, FixTurnsThePodsTrueToFalseKeepingTheComment) {
  const std::string Yaml = R"(apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  automountServiceAccountToken: True  # asked for
  containers: []
)";
  std::optional<std::string> Fixed = test::fixedBy("SA001", Yaml);
  ASSERT_TRUE(Fixed);
  EXPECT_EQ(*Fixed, R"(apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  automountServiceAccountToken: false  # asked for
  containers: []
)");
}

TEST(SA001, NoFixWhereTheTextDoesNotAllowASafeEdit) {
  // Flow style, an anchor, a value on the next line, a null key already there: each a finding
  // whose fix would be a guess or a duplicate key.
  for (const char *Yaml : {
           "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: []}\n",
           "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n"
           "spec: {automountServiceAccountToken: true, containers: []}\n",
           "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: &pod\n  containers: []\n",
           "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers: []\n"
           "  automountServiceAccountToken:\n    true\n",
           "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers: []\n"
           "  automountServiceAccountToken: ~\n",
       }) {
    auto Findings = runRule("SA001", Yaml);
    ASSERT_EQ(Findings.size(), 1u) << Yaml;
    ASSERT_EQ(Findings[0].Fixes.size(), 1u) << Yaml;
    EXPECT_FALSE(test::applyFix(Yaml, Findings[0].Fixes[0])) << Yaml;
  }
}
