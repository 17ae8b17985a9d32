// Unit tests of the RBAC engine: subject and roleRef resolution, aggregation, built-ins, rule
// matching and dangerous permissions.
#include "TestUtil.h"

#include "saguard/analysis/Rbac.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace saguard;
using namespace saguard::analysis;
using saguard::test::loadIndex;

namespace {

/// An Index and its RbacGraph, built from YAML.
struct Fixture {
  explicit Fixture(const std::string &Yaml) : Idx(loadIndex(Yaml)), Rbac(*Idx) {}
  std::unique_ptr<Index> Idx;
  RbacGraph Rbac;

  /// `Binding -> RoleKind/RoleName@Scope` of every grant reaching Namespace/Name.
  std::vector<std::string> grants(std::string_view Namespace, std::string_view Name) const {
    std::vector<std::string> Out;
    for (const Grant *G : Rbac.grantsTo(Namespace, Name))
      Out.push_back(G->Binding->Ref.Name + " -> " + G->RoleKind + "/" + G->RoleName + "@" +
                    G->Scope);
    return Out;
  }

  /// Whether Namespace/Name may Verb Resource of Group through some grant (names aside).
  bool can(std::string_view Namespace, std::string_view Name, std::string_view Group,
           std::string_view Resource, std::string_view Verb) const {
    for (const EffectiveRule &R : Rbac.rulesFor(Namespace, Name))
      if (ruleMatches(*R.Rule->Rule, Group, Resource, Verb))
        return true;
    return false;
  }
};

using Strings = std::vector<std::string>;

const char *const RoleAndBindings = R"(apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader, namespace: shop}
rules:
- apiGroups: [""]
  resources: [configmaps]
  verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader, namespace: other}
rules:
- apiGroups: [""]
  resources: [secrets]
  verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: web-reader, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects:
- kind: ServiceAccount
  name: web
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: pod-reader}
rules:
- apiGroups: [""]
  resources: [pods]
  verbs: [list]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: web-pods, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-reader}
subjects:
- {kind: ServiceAccount, name: web, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: web-everywhere}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-reader}
subjects:
- {kind: ServiceAccount, name: web, namespace: shop}
)";

} // namespace

TEST(Rbac, RoleBindingResolvesRoleInItsOwnNamespace) {
  Fixture F(RoleAndBindings);
  std::vector<const Grant *> Grants = F.Rbac.grantsTo("shop", "web");
  ASSERT_EQ(Grants.size(), 3u);
  const Grant &G = *Grants[0];
  EXPECT_EQ(G.Binding->Ref.Name, "web-reader");
  ASSERT_NE(G.Role, nullptr);
  EXPECT_EQ(G.Role->Ref.Namespace, "shop");
  EXPECT_EQ(G.Resolved->Origin, RoleOrigin::InSet);
  EXPECT_EQ(G.Scope, "shop");
  EXPECT_TRUE(F.can("shop", "web", "", "configmaps", "get"));
  // The Role of the same name in another namespace is not the one bound.
  EXPECT_FALSE(F.can("shop", "web", "", "secrets", "get"));
}

TEST(Rbac, RoleBindingScopesAClusterRoleToItsNamespace) {
  Fixture F(RoleAndBindings);
  EXPECT_EQ(F.grants("shop", "web"),
            (Strings{"web-reader -> Role/reader@shop", "web-pods -> ClusterRole/pod-reader@shop",
                     "web-everywhere -> ClusterRole/pod-reader@"}));
  const Grant &Scoped = *F.Rbac.grantsTo("shop", "web")[1];
  EXPECT_FALSE(Scoped.clusterWide());
  const Grant &Everywhere = *F.Rbac.grantsTo("shop", "web")[2];
  EXPECT_TRUE(Everywhere.clusterWide());
  // Both grants share one resolved ClusterRole.
  EXPECT_EQ(Scoped.Resolved, Everywhere.Resolved);
}

TEST(Rbac, ServiceAccountSubjectNamespaceDefaultsToTheRoleBindings) {
  Fixture F(RoleAndBindings);
  EXPECT_TRUE(F.Rbac.isBound("shop", "web"));
  EXPECT_FALSE(F.Rbac.isBound("other", "web"));
  EXPECT_FALSE(F.Rbac.isBound("shop", "api"));
  EXPECT_TRUE(F.Rbac.grantsTo("other", "web").empty());
}

TEST(Rbac, ClusterRoleBindingServiceAccountWithoutNamespaceReachesNothing) {
  Fixture F(R"(apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: broken}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
- {kind: ServiceAccount, name: web}
)");
  EXPECT_FALSE(F.Rbac.isBound("default", "web"));
  EXPECT_FALSE(F.Rbac.isBound("", "web"));
  const model::Object &B = *F.Idx->bindings().front();
  SubjectTarget T = resolveSubject(B, B.Binding->Subjects.front());
  EXPECT_TRUE(T.MissingNamespace);
  EXPECT_EQ(T.Reach, SubjectTarget::Nothing);
  EXPECT_FALSE(subjectReachesAccount(B, B.Binding->Subjects.front(), "default", "web"));
}

TEST(Rbac, ServiceAccountGroupsAndAuthenticatedReachAccounts) {
  Fixture F(R"(apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: all-sa}
roleRef: {kind: ClusterRole, name: view}
subjects:
- {kind: Group, name: "system:serviceaccounts"}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: shop-sa}
roleRef: {kind: ClusterRole, name: edit}
subjects:
- {kind: Group, name: "system:serviceaccounts:shop"}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: everyone, namespace: public}
roleRef: {kind: Role, name: info}
subjects:
- {kind: Group, name: "system:authenticated"}
- {kind: Group, name: "system:unauthenticated"}
- {kind: Group, name: "system:serviceaccounts:"}
- {kind: Group, name: developers}
)");
  EXPECT_EQ(F.grants("shop", "web"),
            (Strings{"all-sa -> ClusterRole/view@", "shop-sa -> ClusterRole/edit@",
                     "everyone -> Role/info@public"}));
  EXPECT_EQ(F.grants("ops", "agent"),
            (Strings{"all-sa -> ClusterRole/view@", "everyone -> Role/info@public"}));
  const Grant &Authenticated = *F.Rbac.grantsTo("ops", "agent")[1];
  EXPECT_EQ(Authenticated.Target.Reach, SubjectTarget::AllAuthenticated);
  EXPECT_EQ(Authenticated.Resolved->Origin, RoleOrigin::Missing);
  EXPECT_EQ(F.Rbac.grants().size(), 3u) << "the other groups reach no ServiceAccount";
}

TEST(Rbac, ServiceAccountUserNameReachesItsAccount) {
  Fixture F(R"(apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: users}
roleRef: {kind: ClusterRole, name: view}
subjects:
- {kind: User, name: "system:serviceaccount:shop:web"}
- {kind: User, name: "system:serviceaccount:shop"}
- {kind: User, name: "system:serviceaccount:shop:web:extra"}
- {kind: User, name: "system:serviceaccounts:shop:api"}
- {kind: ServiceAccount, name: "system:serviceaccount:shop:api", namespace: shop}
)");
  EXPECT_EQ(F.grants("shop", "web"), (Strings{"users -> ClusterRole/view@"}));
  EXPECT_FALSE(F.Rbac.isBound("shop", "api"));
  EXPECT_EQ(F.Rbac.grantsTo("shop", "web").front()->Target.Reach, SubjectTarget::Account);
}

TEST(Rbac, BuiltInClusterAdminHasItsUpstreamRules) {
  Fixture F(R"(apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: root}
roleRef: {kind: ClusterRole, name: cluster-admin}
subjects:
- {kind: ServiceAccount, name: velero, namespace: backup}
)");
  const Grant &G = *F.Rbac.grantsTo("backup", "velero").front();
  EXPECT_EQ(G.Role, nullptr);
  EXPECT_EQ(G.Resolved->Origin, RoleOrigin::BuiltIn);
  ASSERT_EQ(G.Resolved->Rules.size(), 2u);
  EXPECT_EQ(describeRule(*G.Resolved->Rules[0].Rule), "* on * in API groups *");
  EXPECT_EQ(describeRule(*G.Resolved->Rules[1].Rule), "* on *");
  EXPECT_EQ(G.Resolved->Rules[0].Source, nullptr);
  EXPECT_EQ(G.Resolved->Rules[0].SourceName, "cluster-admin");
  EXPECT_TRUE(F.can("backup", "velero", "apps", "deployments", "delete"));
  EXPECT_TRUE(F.can("backup", "velero", "", "nodes/proxy", "get"));
}

TEST(Rbac, BuiltInAdminEditViewNestAsUpstream) {
  Fixture F(R"(apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: a, namespace: shop}
roleRef: {kind: ClusterRole, name: admin}
subjects: [{kind: ServiceAccount, name: admin}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: e, namespace: shop}
roleRef: {kind: ClusterRole, name: edit}
subjects: [{kind: ServiceAccount, name: editor}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: v, namespace: shop}
roleRef: {kind: ClusterRole, name: view}
subjects: [{kind: ServiceAccount, name: viewer}]
)");
  for (const char *Account : {"admin", "editor", "viewer"}) {
    SCOPED_TRACE(Account);
    EXPECT_TRUE(F.can("shop", Account, "apps", "deployments", "list"));
    EXPECT_FALSE(F.can("shop", Account, "", "nodes", "list"));
  }
  EXPECT_TRUE(F.can("shop", "admin", "rbac.authorization.k8s.io", "rolebindings", "create"));
  EXPECT_FALSE(F.can("shop", "editor", "rbac.authorization.k8s.io", "rolebindings", "create"));
  EXPECT_TRUE(F.can("shop", "admin", "", "pods/exec", "create"));
  EXPECT_TRUE(F.can("shop", "editor", "", "secrets", "get"));
  EXPECT_FALSE(F.can("shop", "viewer", "", "secrets", "get"));
  EXPECT_FALSE(F.can("shop", "viewer", "", "pods", "create"));
  const Grant &Edit = *F.Rbac.grantsTo("shop", "editor").front();
  EXPECT_TRUE(Edit.Resolved->Aggregated);
  for (const RoleRule &R : Edit.Resolved->Rules) {
    EXPECT_TRUE(R.Aggregated);
    EXPECT_TRUE(R.SourceName == "system:aggregate-to-edit" ||
                R.SourceName == "system:aggregate-to-view")
        << R.SourceName;
  }
}

TEST(Rbac, BuiltInsGatherTheSetsAggregateToRoles) {
  Fixture F(R"(apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: rollouts-view
  labels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}
rules:
- {apiGroups: [argoproj.io], resources: [rollouts], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: rollouts-edit
  labels: {rbac.authorization.k8s.io/aggregate-to-edit: "true"}
rules:
- {apiGroups: [argoproj.io], resources: [rollouts], verbs: [update]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: rollouts-admin
  labels: {rbac.authorization.k8s.io/aggregate-to-admin: "true"}
rules:
- {apiGroups: [argoproj.io], resources: [rollouts], verbs: [delete]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: not-aggregated
  labels: {rbac.authorization.k8s.io/aggregate-to-view: "false"}
rules:
- {apiGroups: [argoproj.io], resources: [rollouts], verbs: [patch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: bindings}
roleRef: {kind: ClusterRole, name: view}
subjects:
- {kind: ServiceAccount, name: viewer, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: edit}
roleRef: {kind: ClusterRole, name: edit}
subjects:
- {kind: ServiceAccount, name: editor, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: admin}
roleRef: {kind: ClusterRole, name: admin}
subjects:
- {kind: ServiceAccount, name: admin, namespace: shop}
)");
  auto Verbs = [&](const char *Account) {
    Strings Out;
    for (const char *Verb : {"get", "update", "delete", "patch"})
      if (F.can("shop", Account, "argoproj.io", "rollouts", Verb))
        Out.push_back(Verb);
    return Out;
  };
  EXPECT_EQ(Verbs("viewer"), (Strings{"get"}));
  EXPECT_EQ(Verbs("editor"), (Strings{"get", "update"}));
  EXPECT_EQ(Verbs("admin"), (Strings{"get", "update", "delete"}));
  // The gathered rule points at the set's role that holds its text.
  for (const EffectiveRule &R : F.Rbac.rulesFor("shop", "viewer"))
    if (R.Rule->SourceName == "rollouts-view") {
      ASSERT_NE(R.Rule->Source, nullptr);
      EXPECT_EQ(R.Rule->Source->Ref.Name, "rollouts-view");
      EXPECT_TRUE(R.Rule->Aggregated);
      EXPECT_EQ(R.Rule->Rule->Range.Begin.Line, 7u);
    }
}

TEST(Rbac, AggregatedClusterRoleSelectsByLabelsAndExpressions) {
  Fixture F(R"(apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: monitoring}
aggregationRule:
  clusterRoleSelectors:
  - matchLabels: {example.com/aggregate-to-monitoring: "true"}
  - matchExpressions:
    - {key: tier, operator: In, values: [metrics, logs]}
    - {key: deprecated, operator: DoesNotExist}
rules:
- {apiGroups: [""], resources: [secrets], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: by-label
  labels: {example.com/aggregate-to-monitoring: "true"}
rules:
- {apiGroups: [""], resources: [services], verbs: [list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: by-expression
  labels: {tier: logs}
rules:
- {apiGroups: [""], resources: [endpoints], verbs: [list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: excluded
  labels: {tier: logs, deprecated: "yes"}
rules:
- {apiGroups: [""], resources: [configmaps], verbs: [list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: monitoring}
roleRef: {kind: ClusterRole, name: monitoring}
subjects:
- {kind: ServiceAccount, name: prometheus, namespace: mon}
)");
  EXPECT_TRUE(F.can("mon", "prometheus", "", "services", "list"));
  EXPECT_TRUE(F.can("mon", "prometheus", "", "endpoints", "list"));
  EXPECT_FALSE(F.can("mon", "prometheus", "", "configmaps", "list"));
  // The controller replaces an aggregated role's own rules.
  EXPECT_FALSE(F.can("mon", "prometheus", "", "secrets", "get"));
  const ResolvedRole *Role = F.Rbac.role("ClusterRole", "", "monitoring");
  ASSERT_NE(Role, nullptr);
  EXPECT_TRUE(Role->Aggregated);
  EXPECT_EQ(Role->Origin, RoleOrigin::InSet);
  EXPECT_EQ(Role->Rules.size(), 2u);
}

TEST(Rbac, NestedAndCyclicAggregationTerminates) {
  Fixture F(R"(apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: a, labels: {ring: a}}
aggregationRule: {clusterRoleSelectors: [{matchLabels: {ring: b}}]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: b, labels: {ring: b}}
aggregationRule: {clusterRoleSelectors: [{matchLabels: {ring: a}}, {matchLabels: {leaf: "y"}}]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: leaf, labels: {leaf: "y"}}
rules:
- {apiGroups: [""], resources: [pods], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: a}
roleRef: {kind: ClusterRole, name: a}
subjects: [{kind: ServiceAccount, name: x, namespace: ns}]
)");
  EXPECT_TRUE(F.can("ns", "x", "", "pods", "get"));
  ASSERT_EQ(F.Rbac.rulesFor("ns", "x").size(), 1u);
  EXPECT_EQ(F.Rbac.rulesFor("ns", "x").front().Rule->SourceName, "leaf");
}

TEST(Rbac, TheSetsRoleOverridesTheBuiltIn) {
  Fixture F(R"(apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: edit}
rules:
- {apiGroups: [""], resources: [configmaps], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: e, namespace: shop}
roleRef: {kind: ClusterRole, name: edit}
subjects: [{kind: ServiceAccount, name: web}]
)");
  const Grant &G = *F.Rbac.grantsTo("shop", "web").front();
  EXPECT_EQ(G.Resolved->Origin, RoleOrigin::InSet);
  ASSERT_NE(G.Role, nullptr);
  EXPECT_TRUE(F.can("shop", "web", "", "configmaps", "get"));
  EXPECT_FALSE(F.can("shop", "web", "", "secrets", "get"));
}

TEST(Rbac, RoleAbsentFromTheSetIsAGrantWithoutRules) {
  Fixture F(R"(apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: b, namespace: shop}
roleRef: {kind: Role, name: elsewhere}
subjects: [{kind: ServiceAccount, name: web}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: c}
roleRef: {kind: ClusterRole, name: "system:auth-delegator"}
subjects: [{kind: ServiceAccount, name: web, namespace: shop}]
)");
  std::vector<const Grant *> Grants = F.Rbac.grantsTo("shop", "web");
  ASSERT_EQ(Grants.size(), 2u);
  for (const Grant *G : Grants) {
    EXPECT_EQ(G->Resolved->Origin, RoleOrigin::Missing);
    EXPECT_TRUE(G->Resolved->Rules.empty());
  }
  EXPECT_EQ(Grants[0]->Resolved->describe(true),
            "Role 'elsewhere' in namespace 'shop' (not in the analysed set)");
  EXPECT_TRUE(F.Rbac.isBound("shop", "web"));
  EXPECT_TRUE(F.Rbac.rulesFor("shop", "web").empty());
}

namespace {

model::PolicyRule makeRule(Strings Groups, Strings Resources, Strings Verbs, Strings Names = {},
                           Strings Urls = {}) {
  auto Fill = [](const Strings &From) { return unlocated<std::string>(From); };
  model::PolicyRule R;
  R.ApiGroups = Fill(Groups);
  R.Resources = Fill(Resources);
  R.Verbs = Fill(Verbs);
  R.ResourceNames = Fill(Names);
  R.NonResourceURLs = Fill(Urls);
  return R;
}

Strings categories(const model::PolicyRule &Rule, bool ClusterWide = true) {
  Strings Out;
  for (const DangerousPermission &D : dangerousPermissions(Rule, ClusterWide))
    Out.push_back(std::string(D.Category) + ": " + D.What);
  return Out;
}

} // namespace

TEST(Rbac, RuleMatchesGroupResourceAndVerb) {
  model::PolicyRule R = makeRule({"", "apps"}, {"pods", "deployments"}, {"get", "list"});
  EXPECT_TRUE(ruleMatches(R, "", "pods", "get"));
  EXPECT_TRUE(ruleMatches(R, "apps", "deployments", "list"));
  EXPECT_FALSE(ruleMatches(R, "batch", "pods", "get"));
  EXPECT_FALSE(ruleMatches(R, "", "pods", "create"));
  EXPECT_FALSE(ruleMatches(R, "", "pods/exec", "get"))
      << "a resource does not cover its subresources";
  EXPECT_TRUE(ruleMatches(makeRule({"*"}, {"pods"}, {"get"}), "anything.io", "pods", "get"));
  EXPECT_TRUE(ruleMatches(makeRule({""}, {"*"}, {"get"}), "", "pods/exec", "get"));
  EXPECT_TRUE(ruleMatches(makeRule({""}, {"pods"}, {"*"}), "", "pods", "escalate"));
  EXPECT_TRUE(ruleMatches(makeRule({""}, {"*/exec"}, {"create"}), "", "pods/exec", "create"));
  EXPECT_FALSE(ruleMatches(makeRule({""}, {"*/exec"}, {"create"}), "", "pods", "create"));
  EXPECT_FALSE(ruleMatches(makeRule({}, {"pods"}, {"get"}), "", "pods", "get"));
}

TEST(Rbac, WildcardIsOnlyAnElementEqualToStar) {
  EXPECT_TRUE(hasWildcard(makeRule({"*"}, {}, {}).ApiGroups));
  EXPECT_FALSE(hasWildcard(makeRule({}, {}, {}, {}, {"/healthz/*"}).NonResourceURLs));
  EXPECT_FALSE(hasWildcard(makeRule({}, {"pods/*"}, {}).Resources));
}

TEST(Rbac, DangerousPermissionsNameWhatTheyFound) {
  EXPECT_EQ(categories(makeRule({""}, {"secrets", "configmaps"}, {"get", "list", "watch"})),
            (Strings{"read secrets: get/list/watch secrets"}));
  EXPECT_EQ(categories(makeRule({""}, {"pods"}, {"create", "delete"})),
            (Strings{"create pods: create pods"}));
  EXPECT_EQ(categories(makeRule({"apps", "batch"}, {"deployments", "cronjobs"}, {"patch"})),
            (Strings{"change workloads: patch deployments.apps, cronjobs.batch"}));
  EXPECT_EQ(categories(makeRule({""}, {"replicationcontrollers"}, {"update"})),
            (Strings{"change workloads: update replicationcontrollers"}));
  EXPECT_EQ(categories(makeRule({""}, {"pods/exec", "pods/attach", "pods/portforward", "pods/log"},
                                {"create", "get"})),
            (Strings{"exec into pods: create pods/exec, pods/attach, pods/portforward"}));
  EXPECT_EQ(categories(makeRule({"rbac.authorization.k8s.io"}, {"clusterroles", "roles"},
                                {"bind", "escalate"})),
            (Strings{"escalate or bind roles: escalate/bind roles.rbac.authorization.k8s.io, "
                     "clusterroles.rbac.authorization.k8s.io"}));
  EXPECT_EQ(categories(makeRule({"rbac.authorization.k8s.io"}, {"rolebindings"}, {"create"})),
            (Strings{"change role bindings: create rolebindings.rbac.authorization.k8s.io"}));
  EXPECT_EQ(categories(makeRule({""}, {"users", "groups", "serviceaccounts"}, {"impersonate"})),
            (Strings{"impersonate: impersonate serviceaccounts, users, groups"}));
  EXPECT_EQ(categories(makeRule({""}, {"serviceaccounts/token"}, {"create"})),
            (Strings{"create tokens: create serviceaccounts/token"}));
  EXPECT_EQ(categories(makeRule({""}, {"nodes/proxy"}, {"get"})),
            (Strings{"proxy to nodes: get nodes/proxy"}));
  EXPECT_EQ(categories(makeRule({"admissionregistration.k8s.io"}, {"mutatingwebhookconfigurations"},
                                {"update"})),
            (Strings{"change admission webhooks: update "
                     "mutatingwebhookconfigurations.admissionregistration.k8s.io"}));
  EXPECT_EQ(categories(makeRule({"*"}, {"*"}, {"*"})),
            (Strings{"full control: rule * on * in API groups *"}));
  EXPECT_EQ(categories(makeRule({"dex.coreos.com"}, {"*"}, {"get"})),
            (Strings{"use wildcards: rule get on * in API groups dex.coreos.com"}));
  EXPECT_EQ(categories(makeRule({""}, {"configmaps"}, {"*"})),
            (Strings{"use wildcards: rule * on configmaps in API groups \"\""}));
}

TEST(Rbac, WildcardsExpandIntoTheConcreteDangersTheyInclude) {
  EXPECT_EQ(categories(makeRule({""}, {"secrets", "configmaps"}, {"*"})),
            (Strings{"read secrets: rule * on secrets, configmaps in API groups \"\""}));
  EXPECT_EQ(categories(makeRule({""}, {"*"}, {"get", "create"}), /*ClusterWide=*/false),
            (Strings{"read secrets: rule get/create on * in API groups \"\"",
                     "create pods: rule get/create on * in API groups \"\"",
                     "change workloads: rule get/create on * in API groups \"\"",
                     "exec into pods: rule get/create on * in API groups \"\"",
                     "create tokens: rule get/create on * in API groups \"\""}));
  EXPECT_EQ(categories(makeRule({"*"}, {"*"}, {"*"}, {"one"})).size(), 9u)
      << "limited by resourceNames, `*` on `*` is not full control: no named create";
}

TEST(Rbac, UpdateOrPatchOfJobsIsNotDangerous) {
  EXPECT_TRUE(categories(makeRule({"batch"}, {"jobs"}, {"update", "patch"})).empty());
  EXPECT_EQ(categories(makeRule({"batch"}, {"jobs", "cronjobs"}, {"create", "patch"})),
            (Strings{"change workloads: create jobs.batch, create/patch cronjobs.batch"}));
}

TEST(Rbac, WildcardsInsideCustomGroupsAreNotReported) {
  EXPECT_TRUE(isCustomApiGroup("pkg.crossplane.io"));
  EXPECT_TRUE(isCustomApiGroup("cluster.x-k8s.io"));
  EXPECT_FALSE(isCustomApiGroup(""));
  EXPECT_FALSE(isCustomApiGroup("apps"));
  EXPECT_FALSE(isCustomApiGroup("metrics.k8s.io"));
  EXPECT_FALSE(isCustomApiGroup("*"));
  using Fields = std::vector<std::string_view>;
  EXPECT_EQ(reportedWildcards(makeRule({"pkg.crossplane.io"}, {"*"}, {"*"})), Fields{});
  EXPECT_EQ(reportedWildcards(makeRule({"pkg.crossplane.io", "apps"}, {"*"}, {"get"})),
            Fields{"resources"});
  EXPECT_EQ(reportedWildcards(makeRule({"*"}, {"pods"}, {"get"})), Fields{"apiGroups"});
  EXPECT_EQ(reportedWildcards(makeRule({"example.com"}, {"w"}, {"get"}, {}, {"*"})),
            Fields{"nonResourceURLs"});
}

TEST(Rbac, HarmlessRulesAreNotDangerous) {
  EXPECT_TRUE(
      categories(makeRule({""}, {"configmaps", "pods", "pods/log"}, {"get", "list"})).empty());
  EXPECT_TRUE(categories(makeRule({"apps"}, {"deployments"}, {"get", "list", "watch"})).empty());
  EXPECT_TRUE(categories(makeRule({""}, {"pods/eviction"}, {"create"})).empty());
  EXPECT_TRUE(categories(makeRule({}, {}, {"*"}, {}, {"*"})).empty()) << "non-resource URLs";
  EXPECT_TRUE(categories(makeRule({"extensions"}, {"deployments"}, {"create"})).empty())
      << "the group is matched too";
}

TEST(Rbac, ResourceNamesLimitSomeDangers) {
  // A named get of secrets is the one exemption; list and watch stay dangerous.
  EXPECT_TRUE(categories(makeRule({""}, {"secrets"}, {"get"}, {"tls"})).empty());
  EXPECT_EQ(categories(makeRule({""}, {"secrets"}, {"get", "watch"}, {"tls"})),
            (Strings{"read secrets: watch secrets (only tls)"}));
  // A create carries no name, so a named create of a top-level resource allows nothing...
  EXPECT_TRUE(categories(makeRule({""}, {"pods"}, {"create"}, {"web"})).empty());
  // ...but a subresource create names its parent.
  EXPECT_EQ(categories(makeRule({""}, {"pods/exec"}, {"create"}, {"web"})),
            (Strings{"exec into pods: create pods/exec (only web)"}));
  EXPECT_EQ(categories(makeRule({"apps"}, {"deployments"}, {"patch"}, {"web"})),
            (Strings{"change workloads: patch deployments.apps (only web)"}));
}

TEST(Rbac, NamespacedGrantsCannotReachClusterScopedResources) {
  model::PolicyRule Nodes = makeRule({""}, {"nodes/proxy"}, {"get"});
  EXPECT_FALSE(categories(Nodes, /*ClusterWide=*/true).empty());
  EXPECT_TRUE(categories(Nodes, /*ClusterWide=*/false).empty());
  model::PolicyRule Bindings =
      makeRule({"rbac.authorization.k8s.io"}, {"rolebindings", "clusterrolebindings"}, {"create"});
  EXPECT_EQ(categories(Bindings, false),
            (Strings{"change role bindings: create rolebindings.rbac.authorization.k8s.io"}));
  EXPECT_EQ(categories(makeRule({""}, {"users", "serviceaccounts"}, {"impersonate"}), false),
            (Strings{"impersonate: impersonate serviceaccounts"}));
  EXPECT_EQ(categories(makeRule({"*"}, {"*"}, {"*"}), false).size(), 1u)
      << "a wildcard is dangerous in a namespace too";
}

TEST(Rbac, ManyBindingsAreIndexedByAccount) {
  std::string Yaml;
  for (int I = 0; I < 2000; ++I)
    Yaml += "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b" +
            std::to_string(I) + ", namespace: ns" + std::to_string(I % 50) +
            "}\nroleRef: {kind: ClusterRole, name: view}\nsubjects: [{kind: ServiceAccount, "
            "name: sa" +
            std::to_string(I) + "}]\n";
  Fixture F(Yaml);
  for (int I = 0; I < 2000; I += 97) {
    std::vector<const Grant *> Grants =
        F.Rbac.grantsTo("ns" + std::to_string(I % 50), "sa" + std::to_string(I));
    ASSERT_EQ(Grants.size(), 1u);
    EXPECT_EQ(Grants.front()->Binding->Ref.Name, "b" + std::to_string(I));
  }
  EXPECT_FALSE(F.Rbac.isBound("ns1", "sa0"));
}
