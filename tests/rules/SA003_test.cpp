#include "RuleFixes.h"
#include "TestUtil.h"

#include <gtest/gtest.h>

using namespace saguard;
using saguard::test::expectAnnotatedFindings;
using saguard::test::runRule;

TEST(SA003, FiresOnTheFirstLineWhenTheDefaultAccountLeavesAutomountUnset) {
  expectAnnotatedFindings("SA003", R"(apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
---
apiVersion: v1                                  # EXPECT: SA003
kind: ServiceAccount
metadata: {name: default, namespace: shop}
)");
}

TEST(SA003, PointsAtTheKeyWhenItSetsTrue) {
  expectAnnotatedFindings("SA003", R"(apiVersion: v1
kind: ServiceAccount
metadata:
  name: default
  namespace: shop
automountServiceAccountToken: true              # EXPECT: SA003
---
kind: ServiceAccount
apiVersion: v1
metadata: {name: default, namespace: other}
automountServiceAccountToken: Yes               # EXPECT: SA003
)");
}

TEST(SA003, SilentWhenTheDefaultAccountOptsOut) {
  expectAnnotatedFindings("SA003", R"(apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: shop}
automountServiceAccountToken: false
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: other}
automountServiceAccountToken: off
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: third}
automountServiceAccountToken: NO
)");
}

TEST(SA003, SilentForOtherAccounts) {
  expectAnnotatedFindings("SA003", R"(apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: shop}
automountServiceAccountToken: true
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: default-reader, namespace: shop}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: default, namespace: shop}
)");
}

TEST(SA003, ClusterDefaultOffOnlyFiresOnExplicitTrue) {
  analysis::AnalysisOptions Off;
  Off.ClusterAutomountDefault = false;
  expectAnnotatedFindings("SA003", R"(apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: quiet}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: loud}
automountServiceAccountToken: true              # EXPECT: SA003
)",
                          Off);
}

TEST(SA003, FixesTheTrueAndAppendsTheOptOutWhenUnset) {
  const std::string Yaml = R"(apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: shop}
automountServiceAccountToken: true
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: default}
)";
  auto Findings = runRule("SA003", Yaml);
  ASSERT_EQ(Findings.size(), 2u);
  const analysis::Finding &WithKey = Findings[0];
  EXPECT_EQ(WithKey.Severity, analysis::Level::Warning);
  EXPECT_EQ(WithKey.KeyPath, "automountServiceAccountToken");
  EXPECT_NE(WithKey.Message.find("ServiceAccount 'default' in namespace 'shop'"),
            std::string::npos);
  ASSERT_EQ(WithKey.Fixes.size(), 1u);
  EXPECT_EQ(WithKey.Fixes[0].Kind, analysis::FixKind::SetValue);
  EXPECT_EQ(WithKey.Fixes[0].Replacement, "false");
  EXPECT_EQ(WithKey.Fixes[0].Range.Begin, (SourcePos{4, 1}));
  EXPECT_EQ(WithKey.Fixes[0].Range.End, (SourcePos{4, 35}));
  const analysis::Finding &Unset = Findings[1];
  EXPECT_EQ(Unset.Primary.Begin.Line, 6u);
  EXPECT_NE(Unset.Message.find("in namespace 'default'"), std::string::npos);
  ASSERT_EQ(Unset.Fixes.size(), 1u);
  EXPECT_EQ(Unset.Fixes[0].Kind, analysis::FixKind::AppendKey);

  // Applied, each fix silences its finding and changes only its line.
  std::optional<std::string> Fixed = test::applyFix(Yaml, WithKey.Fixes[0]);
  ASSERT_TRUE(Fixed);
  Fixed = test::applyFix(*Fixed, Unset.Fixes[0]);
  ASSERT_TRUE(Fixed);
  EXPECT_EQ(*Fixed, R"(apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: shop}
automountServiceAccountToken: false
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: default}
automountServiceAccountToken: false
)");
  EXPECT_TRUE(runRule("SA003", *Fixed).empty());
}

TEST(SA003, ListItemsCount) {
  expectAnnotatedFindings("SA003", R"(apiVersion: v1
kind: List
items:
- apiVersion: v1                                # EXPECT: SA003
  kind: ServiceAccount
  metadata: {name: default, namespace: shop}
)");
}
