#include "TestUtil.h"

#include <gtest/gtest.h>

using namespace saguard;
using saguard::test::expectAnnotatedFindings;
using saguard::test::runRule;

namespace {

const char *const BoundAccount = R"(---
apiVersion: v1
kind: ServiceAccount
metadata: {name: api, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: api, namespace: shop}
roleRef: {kind: ClusterRole, name: view}
subjects: [{kind: ServiceAccount, name: api}]
)";

} // namespace

TEST(SA006, FiresOnEveryWorkloadSharingABoundAccountsToken) {
  expectAnnotatedFindings("SA006", std::string(R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: frontend, namespace: shop}
spec:
  template:
    spec:
      serviceAccountName: api                   # EXPECT: SA006
      containers: [{name: app}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: report, namespace: shop}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          serviceAccountName: api               # EXPECT: SA006
          containers: [{name: app}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: quiet, namespace: shop}
spec:
  template:
    spec:
      serviceAccountName: api
      automountServiceAccountToken: false
      containers: [{name: app}]
)") + BoundAccount);
}

TEST(SA006, SilentWithOneTokenAnUnboundAccountOrDifferentNamespaces) {
  expectAnnotatedFindings("SA006", std::string(R"(apiVersion: v1
kind: Pod
metadata: {name: a, namespace: shop}
spec: {serviceAccountName: api, containers: []}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: shop}
spec: {serviceAccountName: api, automountServiceAccountToken: false, containers: []}
---
apiVersion: v1
kind: Pod
metadata: {name: c, namespace: other}
spec: {serviceAccountName: api, containers: []}
---
apiVersion: v1
kind: Pod
metadata: {name: d, namespace: shop}
spec: {serviceAccountName: unbound, containers: []}
---
apiVersion: v1
kind: Pod
metadata: {name: e, namespace: shop}
spec: {serviceAccountName: unbound, containers: []}
)") + BoundAccount);
}

TEST(SA006, SilentForTheDefaultAccount) {
  expectAnnotatedFindings("SA006", R"(apiVersion: v1
kind: Pod
metadata: {name: a, namespace: shop}
spec: {containers: []}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: shop}
spec: {containers: []}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: default, namespace: shop}
roleRef: {kind: ClusterRole, name: view}
subjects: [{kind: ServiceAccount, name: default}]
)");
}

TEST(SA006, NamesTheOthersAndTheRoles) {
  auto Findings = runRule("SA006", std::string(R"(apiVersion: v1
kind: Pod
metadata: {name: a, namespace: shop}
spec: {serviceAccountName: api, containers: []}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: shop}
spec: {serviceAccountName: api, containers: []}
)") + BoundAccount);
  ASSERT_EQ(Findings.size(), 2u);
  EXPECT_EQ(Findings[0].Message,
            "Pod 'a' in namespace 'shop' shares ServiceAccount 'api' and its token with Pod 'b' "
            "in namespace 'shop'; each of them holds what the account is granted (ClusterRole "
            "'view' (built-in))");
  ASSERT_EQ(Findings[0].Related.size(), 1u);
  EXPECT_EQ(Findings[0].Related[0].Range.Begin.Line, 9u);
}

namespace {

/// A hook Job (or, with an empty Hook, a plain Job) of namespace shop running as `api`.
std::string jobAsApi(const std::string &Name, const std::string &Hook,
                     const std::string &Mark = "") {
  std::string Annotations = Hook.empty() ? "" : "\n  annotations: {\"helm.sh/hook\": " + Hook + "}";
  return "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: " + Name +
         "\n  namespace: shop" + Annotations +
         "\nspec:\n  template:\n    spec:\n      serviceAccountName: api" + Mark +
         "\n      containers: [{name: app}]\n---\n";
}

} // namespace

TEST(SA006, SilentAmongHelmHookObjectsOnly) {
  expectAnnotatedFindings("SA006",
                          jobAsApi("admission-create", "\"pre-install,pre-upgrade\"") +
                              jobAsApi("admission-patch", "\"post-install,post-upgrade\"") +
                              std::string(BoundAccount).substr(4));
}

TEST(SA006, AHookSharingWithARegularWorkloadStillCounts) {
  expectAnnotatedFindings("SA006",
                          jobAsApi("admission-create", "pre-install", "  # EXPECT: SA006") +
                              jobAsApi("admission-patch", "post-install", "  # EXPECT: SA006") +
                              jobAsApi("worker", "", "  # EXPECT: SA006") +
                              std::string(BoundAccount).substr(4));
}
