#include "PodKinds.h"
#include "TestUtil.h"

#include <gtest/gtest.h>

using namespace saguard;
using saguard::test::expectAnnotatedFindings;
using saguard::test::inEveryPodBearingKind;
using saguard::test::runRule;

TEST(SA010, FiresWhenTheAccountIsNotInTheSet) {
  expectAnnotatedFindings("SA010", R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      serviceAccountName: web-sa                # EXPECT: SA010
      containers: [{name: app}]
)");
}

TEST(SA010, FiresInEveryPodBearingKind) {
  expectAnnotatedFindings("SA010",
                          inEveryPodBearingKind("serviceAccountName: ghost  # EXPECT: SA010\n"));
}

TEST(SA010, SilentWhenTheAccountIsDefinedInThePodsNamespace) {
  expectAnnotatedFindings("SA010", "apiVersion: v1\nkind: ServiceAccount\n"
                                   "metadata: {name: ghost, namespace: shop}\n---\n" +
                                       inEveryPodBearingKind("serviceAccountName: ghost\n"));
}

TEST(SA010, FiresWhenTheAccountIsDefinedInAnotherNamespaceOnly) {
  expectAnnotatedFindings("SA010", R"(apiVersion: v1
kind: ServiceAccount
metadata: {name: api, namespace: other}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec: {serviceAccountName: api, containers: []}  # EXPECT: SA010
)");
}

TEST(SA010, SilentForTheDefaultAccount) {
  expectAnnotatedFindings("SA010", R"(apiVersion: v1
kind: Pod
metadata: {name: unnamed}
spec: {containers: []}
---
apiVersion: v1
kind: Pod
metadata: {name: explicit}
spec: {serviceAccountName: default, containers: []}
---
apiVersion: v1
kind: Pod
metadata: {name: empty}
spec: {serviceAccountName: "", serviceAccount: "", containers: []}
---
apiVersion: v1
kind: Pod
metadata: {name: null}
spec: {serviceAccountName: null, containers: []}
)");
}

TEST(SA010, PointsAtTheDeprecatedFieldWhenOnlyItNamesTheAccount) {
  expectAnnotatedFindings("SA010", R"(apiVersion: v1
kind: Pod
metadata: {name: old, namespace: shop}
spec:
  serviceAccountName: ""
  serviceAccount: legacy                        # EXPECT: SA010
  containers: []
)");
  auto Findings = runRule("SA010", R"(apiVersion: v1
kind: PodTemplate
metadata: {name: tpl, namespace: shop}
template:
  spec:
    serviceAccount: legacy
    containers: []
)");
  ASSERT_EQ(Findings.size(), 1u);
  EXPECT_EQ(Findings[0].Severity, analysis::Level::Note);
  EXPECT_EQ(Findings[0].KeyPath, "template.spec.serviceAccount");
  EXPECT_EQ(Findings[0].Primary.Begin.Line, 6u);
  EXPECT_NE(Findings[0].Message.find("PodTemplate 'tpl' in namespace 'shop'"), std::string::npos);
  EXPECT_NE(Findings[0].Message.find("ServiceAccount 'legacy'"), std::string::npos);
}
