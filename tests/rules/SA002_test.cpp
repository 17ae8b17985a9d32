#include "PodKinds.h"
#include "RuleFixes.h"
#include "TestUtil.h"

#include <gtest/gtest.h>

using namespace saguard;
using saguard::test::expectAnnotatedFindings;
using saguard::test::inEveryPodBearingKind;
using saguard::test::runRule;

namespace {

/// The account `api` of namespace shop, with extra top-level lines (e.g. its automount field).
std::string apiAccount(const std::string &Extra = "") {
  return "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: api, namespace: shop}\n" + Extra +
         "---\n";
}

/// A binding of the role `reader` with one subject, given as a flow mapping.
std::string binding(const std::string &Kind, const std::string &Namespace,
                    const std::string &Subject) {
  std::string Meta = Namespace.empty() ? "{name: b}" : "{name: b, namespace: " + Namespace + "}";
  std::string RoleKind = Kind == "RoleBinding" ? "Role" : "ClusterRole";
  return "apiVersion: rbac.authorization.k8s.io/v1\nkind: " + Kind + "\nmetadata: " + Meta +
         "\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: " + RoleKind +
         ", name: reader}\nsubjects: [" + Subject + "]\n---\n";
}

const char *DeploymentAsApi = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      serviceAccountName: api
      containers: [{name: app}]
)";

} // namespace

TEST(SA002, FiresWhenNothingOptsOutAndNoBindingReachesTheAccount) {
  expectAnnotatedFindings("SA002", apiAccount() + R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      serviceAccountName: api                   # EXPECT: SA002
      containers: [{name: app}]
)");
}

TEST(SA002, FiresInEveryPodBearingKind) {
  expectAnnotatedFindings(
      "SA002", apiAccount() + inEveryPodBearingKind("serviceAccountName: api  # EXPECT: SA002\n"));
}

TEST(SA002, PointsAtTheAccountKeyWhenTheAccountTurnsAutomountOn) {
  // An account-level true (helm create's serviceAccount.automount) is not the Pod asking.
  expectAnnotatedFindings("SA002", R"(apiVersion: v1
kind: ServiceAccount
metadata: {name: api, namespace: shop}
automountServiceAccountToken: true              # EXPECT: SA002 SA002
---
apiVersion: v1
kind: Pod
metadata: {name: one, namespace: shop}
spec: {serviceAccountName: api, containers: []}
---
apiVersion: batch/v1
kind: Job
metadata: {name: two, namespace: shop}
spec: {template: {spec: {serviceAccountName: api, containers: []}}}
)");
}

TEST(SA002, ReportsTheWorkloadWithTheAccountAsRelatedLocation) {
  auto Findings = runRule("SA002", apiAccount() + DeploymentAsApi);
  ASSERT_EQ(Findings.size(), 1u);
  const analysis::Finding &F = Findings[0];
  EXPECT_EQ(F.Severity, analysis::Level::Warning);
  EXPECT_EQ(F.Object.Kind, "Deployment");
  EXPECT_EQ(F.Object.Name, "web");
  EXPECT_EQ(F.KeyPath, "spec.template.spec.serviceAccountName");
  EXPECT_EQ(F.Primary.Begin.Line, 11u);
  EXPECT_NE(F.Message.find("Deployment 'web' in namespace 'shop'"), std::string::npos);
  EXPECT_NE(F.Message.find("ServiceAccount 'api'"), std::string::npos);
  ASSERT_EQ(F.Related.size(), 1u);
  EXPECT_EQ(F.Related[0].Range.Begin.Line, 1u);
}

TEST(SA002, SilentWhenThePodAsksForTheToken) {
  expectAnnotatedFindings("SA002",
                          apiAccount("automountServiceAccountToken: true\n") +
                              inEveryPodBearingKind("serviceAccountName: api\n"
                                                    "automountServiceAccountToken: yes\n"));
}

TEST(SA002, PodFieldBeatsTheAccountField) {
  expectAnnotatedFindings("SA002",
                          apiAccount("automountServiceAccountToken: true\n") +
                              inEveryPodBearingKind("serviceAccountName: api\n"
                                                    "automountServiceAccountToken: off\n"));
}

TEST(SA002, SilentWhenTheAccountOptsOut) {
  expectAnnotatedFindings("SA002",
                          apiAccount("automountServiceAccountToken: false\n") + DeploymentAsApi);
  expectAnnotatedFindings("SA002",
                          apiAccount("automountServiceAccountToken: No\n") + DeploymentAsApi);
}

TEST(SA002, ReadsYaml11BooleansOnTheAccount) {
  expectAnnotatedFindings("SA002", R"(apiVersion: v1
kind: ServiceAccount
metadata: {name: api, namespace: shop}
automountServiceAccountToken: on                # EXPECT: SA002
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec: {serviceAccountName: api, containers: []}
)");
}

TEST(SA002, SilentForTheDefaultAccountAndAnEmptyName) {
  expectAnnotatedFindings("SA002", R"(apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: shop}
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: shop}
spec: {serviceAccountName: default, containers: []}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: shop}
spec: {serviceAccountName: "", containers: []}
)");
}

TEST(SA002, LooksTheAccountUpInThePodsNamespace) {
  // `api` exists only in shop: the Pod of namespace other has no account object (SA010's case).
  expectAnnotatedFindings("SA002", apiAccount() + R"(apiVersion: v1
kind: Pod
metadata: {name: elsewhere, namespace: other}
spec: {serviceAccountName: api, containers: []}
---
apiVersion: v1
kind: Pod
metadata: {name: here, namespace: shop}
spec: {serviceAccountName: api, containers: []}  # EXPECT: SA002
)");
}

TEST(SA002, SilentWhenTheAccountObjectIsMissing) {
  expectAnnotatedFindings("SA002", DeploymentAsApi);
}

TEST(SA002, SilentWhenAnyKindOfSubjectReachesTheAccount) {
  const std::string Reaching[] = {
      binding("RoleBinding", "shop", "{kind: ServiceAccount, name: api, namespace: shop}"),
      binding("RoleBinding", "shop", "{kind: ServiceAccount, name: api}"),
      binding("RoleBinding", "other", "{kind: ServiceAccount, name: api, namespace: shop}"),
      binding("ClusterRoleBinding", "", "{kind: ServiceAccount, name: api, namespace: shop}"),
      binding("ClusterRoleBinding", "", "{kind: Group, name: 'system:serviceaccounts'}"),
      binding("RoleBinding", "shop", "{kind: Group, name: 'system:serviceaccounts:shop'}"),
      binding("ClusterRoleBinding", "", "{kind: Group, name: 'system:authenticated'}"),
      binding("RoleBinding", "shop", "{kind: User, name: 'system:serviceaccount:shop:api'}"),
  };
  for (const std::string &Binding : Reaching) {
    SCOPED_TRACE(Binding);
    expectAnnotatedFindings("SA002", Binding + apiAccount() + DeploymentAsApi);
  }
}

TEST(SA002, FiresWhenNoSubjectReachesTheAccount) {
  // A ClusterRoleBinding has no namespace to lend its ServiceAccount subject: it reaches nothing.
  const std::string NotReaching[] = {
      binding("ClusterRoleBinding", "", "{kind: ServiceAccount, name: api}"),
      binding("RoleBinding", "other", "{kind: ServiceAccount, name: api}"),
      binding("RoleBinding", "shop", "{kind: ServiceAccount, name: web, namespace: shop}"),
      binding("RoleBinding", "shop", "{kind: Group, name: 'system:serviceaccounts:other'}"),
      binding("RoleBinding", "shop", "{kind: User, name: 'system:serviceaccount:shop:web'}"),
      binding("RoleBinding", "shop", "{kind: User, name: api}"),
  };
  for (const std::string &Binding : NotReaching) {
    SCOPED_TRACE(Binding);
    auto Findings = runRule("SA002", Binding + apiAccount() + DeploymentAsApi);
    EXPECT_EQ(Findings.size(), 1u);
  }
}

TEST(SA002, ClusterDefaultOffOnlyFiresWhenTheAccountSaysTrue) {
  analysis::AnalysisOptions Off;
  Off.ClusterAutomountDefault = false;
  expectAnnotatedFindings("SA002", apiAccount() + DeploymentAsApi, Off);
  expectAnnotatedFindings("SA002", R"(apiVersion: v1
kind: ServiceAccount
metadata: {name: api, namespace: shop}
automountServiceAccountToken: true              # EXPECT: SA002
---
)" + std::string(DeploymentAsApi),
                          Off);
}

TEST(SA002, SilentWhenThePodOptsOutAndProjectsItsOwnToken) {
  // A projected serviceAccountToken volume is the Pod asking for a token, not automount.
  expectAnnotatedFindings("SA002", apiAccount() + R"(apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  serviceAccountName: api
  automountServiceAccountToken: false
  containers: []
  volumes:
  - name: token
    projected:
      sources:
      - serviceAccountToken: {path: token, audience: vault}
)");
}

TEST(SA002, PointsAtTheDeprecatedFieldWhenOnlyItNamesTheAccount) {
  expectAnnotatedFindings("SA002", apiAccount() + R"(apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  serviceAccount: api                           # EXPECT: SA002
  containers: []
)");
  auto Findings = runRule("SA002", apiAccount() + R"(apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec: {serviceAccountName: "", serviceAccount: api, containers: []}
)");
  ASSERT_EQ(Findings.size(), 1u);
  EXPECT_EQ(Findings[0].KeyPath, "spec.serviceAccount");
}

TEST(SA002, IsANoteOnAHelmTestHook) {
  std::string Yaml = apiAccount() + R"(apiVersion: v1
kind: Pod
metadata:
  name: web-test
  namespace: shop
  annotations: {"helm.sh/hook": test}
spec: {serviceAccountName: api, containers: []}
)";
  auto Findings = runRule("SA002", Yaml);
  ASSERT_EQ(Findings.size(), 1u);
  EXPECT_EQ(Findings[0].Severity, analysis::Level::Note);
  auto Plain = runRule("SA002", apiAccount() + DeploymentAsApi);
  ASSERT_EQ(Plain.size(), 1u);
  EXPECT_EQ(Plain[0].Severity, analysis::Level::Warning);
}

TEST(SA002, FixOptsThePodOutAndSilencesTheFinding) {
  const std::string Yaml = R"(apiVersion: v1
kind: ServiceAccount
metadata: {name: api, namespace: shop}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: job, namespace: shop}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          serviceAccountName: api
          containers: [{name: a, image: b}]
)";
  std::optional<std::string> Fixed = test::fixedBy("SA002", Yaml);
  ASSERT_TRUE(Fixed);
  EXPECT_NE(Fixed->find("        spec:\n          automountServiceAccountToken: false\n"
                        "          serviceAccountName: api\n"),
            std::string::npos)
      << *Fixed;
}
