#include "PodKinds.h"
#include "RuleFixes.h"
#include "TestUtil.h"

#include <gtest/gtest.h>

using namespace saguard;
using saguard::test::expectAnnotatedFindings;
using saguard::test::inEveryPodBearingKind;
using saguard::test::runRule;

TEST(SA011, FiresWhenThePodSetsTheDeprecatedField) {
  expectAnnotatedFindings("SA011", R"(apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: ops}
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          serviceAccount: backup                # EXPECT: SA011
          containers: [{name: backup}]
)");
}

TEST(SA011, FiresInEveryPodBearingKind) {
  expectAnnotatedFindings("SA011", inEveryPodBearingKind("serviceAccountName: api\n"
                                                         "serviceAccount: api  # EXPECT: SA011\n"));
}

TEST(SA011, SilentWithoutTheDeprecatedField) {
  expectAnnotatedFindings("SA011", inEveryPodBearingKind("serviceAccountName: api\n") + R"(---
apiVersion: v1
kind: Pod
metadata: {name: empty}
spec: {serviceAccount: "", containers: []}
---
apiVersion: v1
kind: Pod
metadata: {name: nulled}
spec: {serviceAccount: ~, containers: []}
)");
}

TEST(SA011, IsANoteWithARenameFixWhenOnlyTheDeprecatedFieldIsSet) {
  const std::string Yaml = R"(apiVersion: v1
kind: Pod
metadata: {name: old, namespace: shop}
spec:
  serviceAccount: legacy
  containers: []
)";
  auto Findings = runRule("SA011", Yaml);
  ASSERT_EQ(Findings.size(), 1u);
  const analysis::Finding &F = Findings[0];
  EXPECT_EQ(F.Severity, analysis::Level::Note);
  EXPECT_EQ(F.KeyPath, "spec.serviceAccount");
  EXPECT_EQ(F.Primary.Begin.Line, 5u);
  EXPECT_NE(F.Message.find("Pod 'old' in namespace 'shop'"), std::string::npos);
  ASSERT_EQ(F.Fixes.size(), 1u);
  EXPECT_EQ(F.Fixes[0].Kind, analysis::FixKind::RenameKey);
  EXPECT_EQ(F.Fixes[0].Replacement, "serviceAccountName");
  EXPECT_EQ(F.Fixes[0].Range.Begin, (SourcePos{5, 3}));
  EXPECT_EQ(F.Fixes[0].Range.End, (SourcePos{5, 25}));
  std::optional<std::string> Fixed = test::applyFix(Yaml, F.Fixes[0]);
  ASSERT_TRUE(Fixed);
  EXPECT_EQ(*Fixed, R"(apiVersion: v1
kind: Pod
metadata: {name: old, namespace: shop}
spec:
  serviceAccountName: legacy
  containers: []
)");
  EXPECT_TRUE(runRule("SA011", *Fixed).empty());
}

TEST(SA011, IsANoteWithoutAFixWhenBothFieldsAgree) {
  auto Findings = runRule("SA011", R"(apiVersion: v1
kind: Pod
metadata: {name: same}
spec: {serviceAccountName: api, serviceAccount: api, containers: []}
---
apiVersion: v1
kind: Pod
metadata: {name: emptyname}
spec: {serviceAccountName: "", serviceAccount: api, containers: []}
)");
  ASSERT_EQ(Findings.size(), 2u);
  for (const analysis::Finding &F : Findings) {
    EXPECT_EQ(F.Severity, analysis::Level::Note);
    EXPECT_TRUE(F.Fixes.empty());
  }
}

TEST(SA011, IsAWarningWhenTheFieldsDisagree) {
  const char *Disagreeing = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      serviceAccountName: web
      serviceAccount: admin                     # EXPECT: SA011
      containers: [{name: app}]
)";
  expectAnnotatedFindings("SA011", Disagreeing);
  auto Findings = runRule("SA011", Disagreeing);
  ASSERT_EQ(Findings.size(), 1u);
  const analysis::Finding &F = Findings[0];
  EXPECT_EQ(F.Severity, analysis::Level::Warning);
  EXPECT_EQ(F.KeyPath, "spec.template.spec.serviceAccount");
  EXPECT_NE(F.Message.find("Deployment 'web' in namespace 'shop'"), std::string::npos);
  EXPECT_NE(F.Message.find("'admin'"), std::string::npos);
  EXPECT_NE(F.Message.find("'web'"), std::string::npos);
  ASSERT_EQ(F.Related.size(), 1u);
  EXPECT_EQ(F.Related[0].Range.Begin.Line, 7u);
}
