#include "PodKinds.h"
#include "RuleFixes.h"
#include "TestUtil.h"

#include <gtest/gtest.h>

using namespace saguard;
using saguard::test::expectAnnotatedFindings;
using saguard::test::inEveryPodBearingKind;
using saguard::test::runRule;

namespace {

analysis::AnalysisOptions clusterDefaultOff() {
  analysis::AnalysisOptions Options;
  Options.ClusterAutomountDefault = false;
  return Options;
}

/// The account `api` of namespace shop (with extra top-level lines), bound to the built-in
/// `view` role.
std::string boundApi(const std::string &Extra = "") {
  return "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: api, namespace: shop}\n" + Extra +
         R"(---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: api, namespace: shop}
roleRef: {kind: ClusterRole, name: view}
subjects: [{kind: ServiceAccount, name: api}]
---
)";
}

const char *const ControllerAsApi = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: controller, namespace: shop}
spec:
  template:
    spec:
      serviceAccountName: api                   # EXPECT: SA013
      containers: [{name: app}]
)";

} // namespace

TEST(SA013, FiresWhenABoundAccountsTokenComesOnlyFromTheClusterDefault) {
  expectAnnotatedFindings("SA013", boundApi() + ControllerAsApi, clusterDefaultOff());
}

TEST(SA013, FiresInEveryPodBearingKind) {
  expectAnnotatedFindings("SA013",
                          boundApi() + inEveryPodBearingKind("serviceAccountName: api  "
                                                             "# EXPECT: SA013\n"),
                          clusterDefaultOff());
}

TEST(SA013, SaysWhatToDo) {
  auto Findings = runRule("SA013", boundApi() + ControllerAsApi, clusterDefaultOff());
  ASSERT_EQ(Findings.size(), 1u);
  const analysis::Finding &F = Findings[0];
  EXPECT_EQ(F.Severity, analysis::Level::Warning);
  EXPECT_EQ(F.Message.rfind("Deployment 'controller' in namespace 'shop' would lose the API token "
                            "it needs; set automountServiceAccountToken: true on this Pod: "
                            "RoleBinding 'api' in namespace 'shop' gives ServiceAccount 'api' "
                            "ClusterRole 'view' (built-in)",
                            0),
            0u)
      << F.Message;
  EXPECT_EQ(F.KeyPath, "spec.template.spec.automountServiceAccountToken");
  ASSERT_EQ(F.Related.size(), 1u);
  EXPECT_EQ(F.Related[0].Range.Begin.Line, 9u) << "the binding's subject";
}

TEST(SA013, SilentUnderTheKubernetesDefault) {
  std::string Yaml = boundApi() + ControllerAsApi;
  EXPECT_TRUE(runRule("SA013", Yaml).empty());
}

TEST(SA013, SilentWhenAnythingSaysTrueOrFalse) {
  std::string Pod = ControllerAsApi;
  Pod.replace(Pod.find("  # EXPECT: SA013"), std::string("  # EXPECT: SA013").size(), "");
  std::string PodTrue = Pod;
  PodTrue.replace(PodTrue.find("      containers"), 0,
                  "      automountServiceAccountToken: true\n");
  std::string PodFalse = Pod;
  PodFalse.replace(PodFalse.find("      containers"), 0,
                   "      automountServiceAccountToken: false\n");
  expectAnnotatedFindings("SA013", boundApi() + PodTrue, clusterDefaultOff());
  expectAnnotatedFindings("SA013", boundApi() + PodFalse, clusterDefaultOff());
  expectAnnotatedFindings("SA013", boundApi("automountServiceAccountToken: true\n") + Pod,
                          clusterDefaultOff());
  expectAnnotatedFindings("SA013", boundApi("automountServiceAccountToken: false\n") + Pod,
                          clusterDefaultOff());
}

TEST(SA013, SilentForAnUnboundAccountOrAProjectedToken) {
  expectAnnotatedFindings("SA013", R"(apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec: {serviceAccountName: web, containers: []}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: api, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: api, namespace: shop}
roleRef: {kind: ClusterRole, name: view}
subjects: [{kind: ServiceAccount, name: api}]
---
apiVersion: v1
kind: Pod
metadata: {name: projected, namespace: shop}
spec:
  serviceAccountName: api
  containers: []
  volumes:
  - name: token
    projected:
      sources:
      - serviceAccountToken: {path: token}
)",
                          clusterDefaultOff());
}

TEST(SA013, CoversTheBoundDefaultAccountAndGroupSubjects) {
  expectAnnotatedFindings("SA013", R"(apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:                                           # EXPECT: SA013
  containers: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: all}
roleRef: {kind: ClusterRole, name: view}
subjects: [{kind: Group, name: "system:serviceaccounts:shop"}]
)",
                          clusterDefaultOff());
}

TEST(SA013, FixKeepsTheTokenExplicitly) {
  const std::string Yaml = boundApi() + ControllerAsApi;
  std::optional<std::string> Fixed = test::fixedBy("SA013", Yaml, clusterDefaultOff());
  ASSERT_TRUE(Fixed);
  EXPECT_EQ(*Fixed, boundApi() + R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: controller, namespace: shop}
spec:
  template:
    spec:
      automountServiceAccountToken: true
      serviceAccountName: api                   # EXPECT: SA013
      containers: [{name: app}]
)");
}
