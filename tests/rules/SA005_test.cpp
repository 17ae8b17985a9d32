#include "BoundWorkload.h"
#include "TestUtil.h"

#include <gtest/gtest.h>

using namespace saguard;
using saguard::test::boundWorkload;
using saguard::test::expectAnnotatedFindings;
using saguard::test::runRule;

namespace {

/// A ClusterRole named Account with RulesYaml, bound cluster-wide to the account
/// Namespace/Account, as documents that follow others.
std::string clusterWideGrant(const std::string &RulesYaml, const std::string &Account = "web",
                             const std::string &Namespace = "shop") {
  return R"(---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: )" + Account + R"(}
rules:
)" + RulesYaml + R"(---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: )" + Account + R"(}
roleRef: {kind: ClusterRole, name: )" + Account + R"(}
subjects: [{kind: ServiceAccount, name: )" + Account + ", namespace: " + Namespace + "}]\n";
}

} // namespace

TEST(SA005, FiresAtTheAccountKeyOfAPodWhoseTokenReadsSecrets) {
  expectAnnotatedFindings("SA005", R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: reloader, namespace: ops}
spec:
  template:
    spec:
      serviceAccountName: reloader              # EXPECT: SA005
      containers: [{name: app}]
---
apiVersion: v1
kind: Pod
metadata: {name: debug, namespace: ops}
spec:                                           # EXPECT: SA005
  containers: [{name: app}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: reloader}
rules:
- {apiGroups: [""], resources: [secrets, configmaps], verbs: [get, list, watch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: reloader}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reloader}
subjects:
- {kind: ServiceAccount, name: reloader, namespace: ops}
- {kind: ServiceAccount, name: default, namespace: ops}
)");
}

TEST(SA005, ReportsEachDangerousPermissionItFinds) {
  struct Case {
    const char *Rule;
    const char *Found;
  };
  const Case Cases[] = {
      {"- {apiGroups: [\"\"], resources: [secrets], verbs: [list]}\n", "list secrets"},
      {"- {apiGroups: [\"\"], resources: [pods], verbs: [create]}\n", "create pods"},
      {"- {apiGroups: [apps], resources: [daemonsets], verbs: [patch]}\n", "patch daemonsets.apps"},
      {"- {apiGroups: [batch], resources: [cronjobs, jobs], verbs: [create, update]}\n",
       "create jobs.batch, create/update cronjobs.batch"},
      {"- {apiGroups: [\"\"], resources: [pods/exec], verbs: [create]}\n", "create pods/exec"},
      {"- {apiGroups: [\"\"], resources: [pods/portforward], verbs: [create]}\n",
       "create pods/portforward"},
      {"- {apiGroups: [rbac.authorization.k8s.io], resources: [roles], verbs: [escalate]}\n",
       "escalate roles.rbac.authorization.k8s.io"},
      {"- {apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: [create]}\n",
       "create rolebindings.rbac.authorization.k8s.io"},
      {"- {apiGroups: [\"\"], resources: [serviceaccounts], verbs: [impersonate]}\n",
       "impersonate serviceaccounts"},
      {"- {apiGroups: [\"\"], resources: [serviceaccounts/token], verbs: [create]}\n",
       "create serviceaccounts/token"},
      {"- {apiGroups: [\"\"], resources: [configmaps], verbs: [\"*\"]}\n",
       "can use wildcards in namespace 'shop' (rule * on configmaps in API groups \"\")"},
  };
  for (const Case &C : Cases) {
    SCOPED_TRACE(C.Rule);
    auto Findings = runRule("SA005", boundWorkload(C.Rule));
    ASSERT_EQ(Findings.size(), 1u);
    EXPECT_NE(Findings[0].Message.find(C.Found), std::string::npos) << Findings[0].Message;
    EXPECT_EQ(Findings[0].KeyPath, "spec.template.spec.serviceAccountName");
  }
}

TEST(SA005, ClusterScopedPermissionsNeedAClusterWideGrant) {
  const char *Rules[] = {
      "- {apiGroups: [\"\"], resources: [nodes/proxy], verbs: [get]}\n",
      "- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind]}\n",
      "- {apiGroups: [admissionregistration.k8s.io], resources: "
      "[validatingwebhookconfigurations], verbs: [update]}\n",
      "- {apiGroups: [\"\"], resources: [users, groups], verbs: [impersonate]}\n",
  };
  for (const char *Rule : Rules) {
    SCOPED_TRACE(Rule);
    EXPECT_TRUE(runRule("SA005", boundWorkload(Rule)).empty()) << "a Role in a namespace";
    EXPECT_EQ(runRule("SA005", boundWorkload(Rule) + clusterWideGrant(Rule)).size(), 1u);
  }
}

TEST(SA005, SilentForHarmlessRulesAndNamedSecretGets) {
  expectAnnotatedFindings("SA005", boundWorkload(R"(- apiGroups: [""]
  resources: [configmaps, pods, pods/log, services]
  verbs: [get, list, watch]
- apiGroups: [""]
  resources: [secrets]
  resourceNames: [web-tls]
  verbs: [get]
- apiGroups: [coordination.k8s.io]
  resources: [leases]
  verbs: [create, update]
)"));
}

TEST(SA005, SilentWhenTheTokenIsNotMounted) {
  std::string Yaml = boundWorkload("- {apiGroups: [\"\"], resources: [secrets], verbs: [get]}\n");
  Yaml.replace(Yaml.find("      serviceAccountName: web\n"), 0,
               "      automountServiceAccountToken: false\n");
  expectAnnotatedFindings("SA005", Yaml);
}

TEST(SA005, ProjectedTokenVolumeCountsAsAvailable) {
  expectAnnotatedFindings("SA005", R"(apiVersion: v1
kind: ServiceAccount
metadata: {name: agent, namespace: ops}
automountServiceAccountToken: false
---
apiVersion: v1
kind: Pod
metadata: {name: agent, namespace: ops}
spec:
  serviceAccountName: agent                     # EXPECT: SA005
  containers: [{name: app}]
  volumes:
  - name: token
    projected:
      sources:
      - serviceAccountToken: {path: token}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: agent}
roleRef: {kind: ClusterRole, name: edit}
subjects: [{kind: ServiceAccount, name: agent, namespace: ops}]
)");
}

TEST(SA005, ClusterAdminReadsAsFullControlOfTheCluster) {
  auto Findings = runRule("SA005", R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: velero, namespace: velero}
spec:
  template:
    spec:
      serviceAccountName: velero
      containers: [{name: velero}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: velero, namespace: velero}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: velero}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects:
- kind: ServiceAccount
  name: velero
  namespace: velero
)");
  ASSERT_EQ(Findings.size(), 1u);
  const analysis::Finding &F = Findings[0];
  EXPECT_EQ(F.Message, "Deployment 'velero' in namespace 'velero' mounts the token of "
                       "ServiceAccount 'velero', which has full control of the cluster (rule * on "
                       "* in API groups *); granted through ClusterRoleBinding 'velero' -> "
                       "ClusterRole 'cluster-admin' (built-in)");
  EXPECT_EQ(F.Permissions, (std::vector<std::string>{"has full control of the cluster (rule * "
                                                     "on * in API groups *)"}));
  // Pod -> account -> binding subject -> roleRef of a built-in role.
  ASSERT_EQ(F.Flow.size(), 4u);
  EXPECT_EQ(F.Flow[0].Range.Begin.Line, 7u);
  EXPECT_EQ(F.Flow[1].Range.Begin.Line, 10u);
  EXPECT_EQ(F.Flow[2].Range.Begin.Line, 19u);
  EXPECT_EQ(F.Flow[3].Range.Begin.Line, 17u);
  EXPECT_EQ(F.Flow[3].Message,
            "roleRef names ClusterRole 'cluster-admin', a built-in role with its upstream rules");
  EXPECT_EQ(analysis::flowPaths(F).size(), 1u);
}

TEST(SA005, OneFindingPerWorkloadWithACodeFlowPerGrantPath) {
  std::string Yaml =
      boundWorkload("- {apiGroups: [\"\"], resources: [secrets], verbs: [get, list]}\n") + R"(---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: web-again, namespace: shop}
roleRef: {kind: Role, name: web}
subjects: [{kind: ServiceAccount, name: web}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: all-tokens}
roleRef: {kind: ClusterRole, name: cluster-admin}
subjects: [{kind: Group, name: "system:serviceaccounts"}]
)";
  auto Findings = runRule("SA005", Yaml);
  ASSERT_EQ(Findings.size(), 1u);
  const analysis::Finding &F = Findings[0];
  auto Paths = analysis::flowPaths(F);
  ASSERT_EQ(Paths.size(), 3u) << "RoleBinding web, RoleBinding web-again, the group binding";
  for (const auto &Path : Paths) {
    ASSERT_FALSE(Path.empty());
    EXPECT_EQ(Path.front().Range.Begin.Line, 7u) << "every path starts at the Pod's account";
  }
  // Full control of the cluster covers reading the namespace's secrets: one permission.
  EXPECT_EQ(F.Permissions,
            (std::vector<std::string>{"has full control of the cluster (rule * on * in API groups "
                                      "*)"}));
  EXPECT_NE(F.Message.find("which has full control of the cluster (rule * on * in API groups *); "
                           "granted through "),
            std::string::npos)
      << F.Message;
  EXPECT_NE(F.Message.find("ClusterRoleBinding 'all-tokens' (group 'system:serviceaccounts') -> "
                           "ClusterRole 'cluster-admin' (built-in)"),
            std::string::npos)
      << F.Message;
}

TEST(SA005, CountGrowsWithWorkloadsNotWithPaths) {
  std::string Yaml;
  for (int I = 0; I < 3; ++I)
    Yaml += "apiVersion: v1\nkind: Pod\nmetadata: {name: p" + std::to_string(I) +
            ", namespace: shop}\nspec: {containers: []}\n---\n";
  for (int I = 0; I < 4; ++I)
    Yaml += "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: "
            "{name: b" + std::to_string(I) + "}\nroleRef: {kind: ClusterRole, name: edit}\n"
            "subjects: [{kind: Group, name: \"system:serviceaccounts\"}]\n---\n";
  auto Findings = runRule("SA005", Yaml);
  ASSERT_EQ(Findings.size(), 3u);
  for (const analysis::Finding &F : Findings)
    EXPECT_EQ(analysis::flowPaths(F).size(), 4u);
}

TEST(SA005, WildcardsAreExpandedIntoTheDangersTheyInclude) {
  auto Findings = runRule(
      "SA005", boundWorkload("- {apiGroups: [\"\"], resources: [secrets, configmaps], verbs: "
                           "[\"*\"]}\n- {apiGroups: [\"\"], resources: [\"*\"], verbs: [get]}\n"));
  ASSERT_EQ(Findings.size(), 1u);
  const analysis::Finding &F = Findings[0];
  ASSERT_EQ(F.Permissions.size(), 1u) << "both rules read secrets: one permission";
  EXPECT_EQ(F.Permissions[0], "can read every Secret in namespace 'shop' (rule * on secrets, "
                              "configmaps in API groups \"\"; rule get on * in API groups \"\")");
  EXPECT_EQ(F.Message.find("wildcards"), std::string::npos) << F.Message;
}

TEST(SA005, UpdateOrPatchOfJobsHandsOutNoNewCode) {
  EXPECT_TRUE(
      runRule("SA005", boundWorkload("- {apiGroups: [batch], resources: [jobs], verbs: [update, "
                                   "patch, get]}\n"))
          .empty());
  EXPECT_EQ(
      runRule("SA005", boundWorkload("- {apiGroups: [batch], resources: [jobs], verbs: [create]}\n"))
          .size(),
      1u);
}

TEST(SA005, IsAWarningWhenEveryDangerIsLimitedToNamedObjects) {
  const std::string Patch = R"(- apiGroups: [admissionregistration.k8s.io]
  resources: [validatingwebhookconfigurations]
  resourceNames: [ingress-nginx-admission]
  verbs: [get, update]
)";
  auto ClusterWide = [](const std::string &Rules) {
    return R"(apiVersion: batch/v1
kind: Job
metadata:
  name: admission-patch
  namespace: ingress
  annotations: {"helm.sh/hook": post-install}
spec:
  template:
    spec:
      serviceAccountName: admission
      containers: [{name: patch}]
)" + clusterWideGrant(Rules, "admission", "ingress");
  };
  auto Named = runRule("SA005", ClusterWide(Patch));
  ASSERT_EQ(Named.size(), 1u);
  EXPECT_EQ(Named[0].Severity, analysis::Level::Warning);
  EXPECT_NE(Named[0].Message.find("(only ingress-nginx-admission)"), std::string::npos)
      << Named[0].Message;
  auto Open = runRule("SA005", ClusterWide(Patch + "- {apiGroups: [\"\"], resources: [secrets], "
                                                   "verbs: [list]}\n"));
  ASSERT_EQ(Open.size(), 1u);
  EXPECT_EQ(Open[0].Severity, analysis::Level::Error);
}

TEST(SA005, FlowEndsAtTheRuleEntryThroughAnAggregatedRole) {
  auto Findings = runRule("SA005", R"(apiVersion: v1
kind: Pod
metadata: {name: runner, namespace: ci}
spec:
  serviceAccountName: runner
  containers: [{name: app}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: ci}
aggregationRule:
  clusterRoleSelectors: [{matchLabels: {ci: "true"}}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: ci-exec
  labels: {ci: "true"}
rules:
- apiGroups: [""]
  resources: [pods/exec]
  verbs: [create]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: runner, namespace: ci}
roleRef: {kind: ClusterRole, name: ci}
subjects:
- {kind: Group, name: "system:serviceaccounts:ci"}
)");
  ASSERT_EQ(Findings.size(), 1u);
  const analysis::Finding &F = Findings[0];
  EXPECT_NE(F.Message.find("which can exec into pods in namespace 'ci' (create pods/exec); granted "
                           "through RoleBinding 'runner' in namespace 'ci' (group "
                           "'system:serviceaccounts:ci') -> ClusterRole 'ci'"),
            std::string::npos)
      << F.Message;
  std::vector<unsigned> Lines;
  for (const analysis::Note &Step : F.Flow)
    Lines.push_back(Step.Range.Begin.Line);
  // Pod account key, subject entry, aggregated role, the role it gathers from, the rule entry.
  EXPECT_EQ(Lines, (std::vector<unsigned>{5, 29, 8, 14, 20}));
  EXPECT_EQ(F.Flow.back().Message, "rule: create on pods/exec in API groups \"\"");
}

TEST(SA005, SecuritySeverityRanksWhatTheTokenCanDo) {
  auto Score = [](const std::string &Yaml) {
    auto Findings = runRule("SA005", Yaml);
    EXPECT_EQ(Findings.size(), 1u);
    return Findings.empty() ? 0.0 : Findings[0].SecuritySeverity;
  };
  const std::string ReadSecrets = "- {apiGroups: [\"\"], resources: [secrets], verbs: [list]}\n";
  double Admin =
      Score(boundWorkload("") + clusterWideGrant("- {apiGroups: [\"*\"], resources: [\"*\"], "
                                               "verbs: [\"*\"]}\n"));
  double Secrets = Score(boundWorkload("") + clusterWideGrant(ReadSecrets));
  double Namespaced = Score(boundWorkload(ReadSecrets));
  double Exec =
      Score(boundWorkload("- {apiGroups: [\"\"], resources: [pods/exec], verbs: [create]}\n"));
  EXPECT_GE(Admin, 9.0);
  EXPECT_GE(Secrets, 9.0);
  EXPECT_GT(Admin, Secrets);
  EXPECT_GE(Namespaced, 7.0);
  EXPECT_LT(Namespaced, 9.0);
  EXPECT_GE(Exec, 7.0);
  EXPECT_LT(Exec, Namespaced);
}

TEST(SA005, PermissionsAreListedOnceAndWorstFirst) {
  std::string Yaml =
      boundWorkload("- {apiGroups: [\"\"], resources: [secrets], verbs: [get]}\n"
                  "- {apiGroups: [\"\"], resources: [pods/exec], verbs: [create]}\n") +
      clusterWideGrant("- {apiGroups: [\"\"], resources: [secrets], verbs: [list]}\n");
  auto Findings = runRule("SA005", Yaml);
  ASSERT_EQ(Findings.size(), 1u);
  // The cluster-wide read covers the namespace's and takes its evidence.
  EXPECT_EQ(Findings[0].Permissions,
            (std::vector<std::string>{
                "can read every Secret in the cluster (list secrets; get secrets)",
                "can exec into pods in namespace 'shop' (create pods/exec)"}));
  EXPECT_EQ(analysis::flowPaths(Findings[0]).size(), 2u);
}
