#include "TestUtil.h"

#include <gtest/gtest.h>

using namespace saguard;
using saguard::test::expectAnnotatedFindings;
using saguard::test::runRule;

TEST(SA009, FiresOnTheTypeOfATokenSecret) {
  expectAnnotatedFindings("SA009", R"(apiVersion: v1
kind: Secret
metadata:
  name: api-token
  namespace: shop
  annotations: {kubernetes.io/service-account.name: api}
type: kubernetes.io/service-account-token        # EXPECT: SA009
---
apiVersion: v1
kind: Secret
metadata: {name: quoted, namespace: shop}
type: "kubernetes.io/service-account-token"      # EXPECT: SA009
)");
}

TEST(SA009, SilentForOtherSecrets) {
  expectAnnotatedFindings("SA009", R"(apiVersion: v1
kind: Secret
metadata: {name: plain, namespace: shop}
type: Opaque
---
apiVersion: v1
kind: Secret
metadata: {name: untyped, namespace: shop}
stringData: {password: hunter2}
---
apiVersion: v1
kind: Secret
metadata: {name: registry, namespace: shop}
type: kubernetes.io/dockerconfigjson
---
apiVersion: v1
kind: ConfigMap
metadata: {name: lookalike, namespace: shop}
data: {type: kubernetes.io/service-account-token}
)");
}

TEST(SA009, FiresOnTheAccountEntryThatNamesATokenSecret) {
  expectAnnotatedFindings("SA009", R"(apiVersion: v1
kind: Secret
metadata: {name: api-token, namespace: shop}
type: kubernetes.io/service-account-token        # EXPECT: SA009
---
apiVersion: v1
kind: Secret
metadata: {name: api-config, namespace: shop}
type: Opaque
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: api, namespace: shop}
secrets:
- name: api-config
- name: api-token                                # EXPECT: SA009
- name: not-in-the-set
)");
}

TEST(SA009, MatchesTheSecretInTheAccountsNamespaceOnly) {
  expectAnnotatedFindings("SA009", R"(apiVersion: v1
kind: Secret
metadata: {name: api-token, namespace: other}
type: kubernetes.io/service-account-token        # EXPECT: SA009
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: api, namespace: shop}
secrets: [{name: api-token}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: api, namespace: other}
secrets: [{name: api-token}]                     # EXPECT: SA009
)");
}

TEST(SA009, RelatesTheSecretAndTheAccount) {
  auto Findings = runRule("SA009", R"(apiVersion: v1
kind: ServiceAccount
metadata: {name: api, namespace: shop}
secrets:
- name: api-token
---
apiVersion: v1
kind: Secret
metadata:
  name: api-token
  namespace: shop
  annotations: {kubernetes.io/service-account.name: api}
type: kubernetes.io/service-account-token
)");
  ASSERT_EQ(Findings.size(), 2u);
  const analysis::Finding &OnAccount = Findings[0];
  EXPECT_EQ(OnAccount.Object.Kind, "ServiceAccount");
  EXPECT_EQ(OnAccount.Primary.Begin.Line, 5u);
  EXPECT_EQ(OnAccount.KeyPath, "secrets.0.name");
  EXPECT_NE(OnAccount.Message.find("ServiceAccount 'api' in namespace 'shop'"), std::string::npos);
  ASSERT_EQ(OnAccount.Related.size(), 1u);
  EXPECT_EQ(OnAccount.Related[0].Range.Begin.Line, 13u);
  const analysis::Finding &OnSecret = Findings[1];
  EXPECT_EQ(OnSecret.Severity, analysis::Level::Warning);
  EXPECT_EQ(OnSecret.Object.Kind, "Secret");
  EXPECT_EQ(OnSecret.KeyPath, "type");
  EXPECT_NE(OnSecret.Message.find("Secret 'api-token' in namespace 'shop'"), std::string::npos);
  ASSERT_EQ(OnSecret.Related.size(), 1u);
  EXPECT_EQ(OnSecret.Related[0].Range.Begin.Line, 1u);
}
