// The helper that gives every rule fixture its `kubectl get -o json` twin.
#include "KubectlJson.h"
#include "TestUtil.h"

#include <gtest/gtest.h>

using namespace saguard;
using saguard::test::kubectlJsonTwin;
using saguard::test::runRule;

namespace {

const char *const TwoDocuments = R"(apiVersion: v1
kind: ServiceAccount
metadata: {name: api, namespace: shop}
automountServiceAccountToken: no
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {tier: "1"}}
spec:
  serviceAccountName: api
  automountServiceAccountToken: yes
  containers: [{name: app, ports: [{containerPort: 80}]}]
)";

} // namespace

TEST(KubectlJsonTwin, IsPrettyPrintedAsKubectlWritesIt) {
  std::optional<std::string> Json = kubectlJsonTwin(TwoDocuments);
  ASSERT_TRUE(Json);
  EXPECT_EQ(Json->rfind("{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n        {\n", 0), 0u)
      << *Json;
  EXPECT_NE(Json->find("\"kind\": \"List\""), std::string::npos);
  // Kubernetes' YAML reader types: YAML 1.1 booleans and integers, quoted text stays text.
  EXPECT_NE(Json->find("\"automountServiceAccountToken\": false\n"), std::string::npos) << *Json;
  EXPECT_NE(Json->find("\"automountServiceAccountToken\": true,\n"), std::string::npos) << *Json;
  EXPECT_NE(Json->find("\"containerPort\": 80\n"), std::string::npos) << *Json;
  EXPECT_NE(Json->find("\"tier\": \"1\"\n"), std::string::npos) << *Json;
}

TEST(KubectlJsonTwin, OneDocumentIsAnObjectAndAliasesHaveNoTwin) {
  std::optional<std::string> One =
      kubectlJsonTwin("apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec: {containers: []}\n");
  ASSERT_TRUE(One);
  EXPECT_EQ(One->find("List"), std::string::npos);
  EXPECT_FALSE(kubectlJsonTwin("a: &x {b: 1}\nc: *x\n"));
}

TEST(KubectlJsonTwin, GivesTheSameFindingsAsItsYaml) {
  // runRule checks the twin of every fixture; this one shows it on a case with findings.
  std::optional<std::string> Json = kubectlJsonTwin(TwoDocuments);
  ASSERT_TRUE(Json);
  auto FromYaml = runRule("SA008", TwoDocuments);
  auto FromJson = runRule("SA008", *Json);
  ASSERT_EQ(FromYaml.size(), 1u);
  ASSERT_EQ(FromJson.size(), 1u);
  EXPECT_EQ(FromJson[0].Message, FromYaml[0].Message);
  EXPECT_EQ(FromJson[0].Severity, FromYaml[0].Severity);
}
