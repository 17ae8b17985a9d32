#include "LoadHelpers.h"

#include <gtest/gtest.h>

using namespace saguard;
using saguard::test::load;

TEST(Loader, MapsPodSpecFieldsWithTheirKeyLines) {
  auto R = load(R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      serviceAccountName: web-sa
      automountServiceAccountToken: false
      containers: [{name: app, image: nginx}]
)");
  ASSERT_TRUE(R.Errors.empty()) << R.Errors[0].Message;
  ASSERT_EQ(R.Objects.size(), 1u);
  const model::Object &O = R.Objects[0];
  EXPECT_EQ(O.Ref.qualifiedName(), "Deployment/shop/web");
  ASSERT_TRUE(O.Pod);
  EXPECT_EQ(O.Pod->SpecKey.Path.str(), "spec.template.spec");
  EXPECT_EQ(O.Pod->accountName(), "web-sa");
  EXPECT_EQ(O.Pod->ServiceAccountName.Range.Begin, (SourcePos{9, 7}));
  ASSERT_TRUE(O.Pod->AutomountServiceAccountToken.isSet());
  EXPECT_FALSE(*O.Pod->AutomountServiceAccountToken);
  EXPECT_EQ(O.Pod->AutomountServiceAccountToken.Range.Begin, (SourcePos{10, 7}));
  EXPECT_EQ(O.Pod->SpecKey.Range.Begin, (SourcePos{8, 5}));
  EXPECT_EQ(O.Range.Begin, (SourcePos{1, 1}));
}

TEST(Loader, LinesAreOffsetByTheDocumentsPlaceInTheStream) {
  auto R = load("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: []\n", 40);
  ASSERT_EQ(R.Objects.size(), 1u);
  EXPECT_EQ(R.Objects[0].Pod->SpecKey.Range.Begin, (SourcePos{43, 1}));
  EXPECT_EQ(R.Objects[0].Range.Begin.Line, 40u);
}

TEST(Loader, NamespaceDefaultsForNamespacedKindsOnly) {
  model::LoadOptions Options;
  Options.DefaultNamespace = "team";
  auto R = load("apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a}\n", 1, Options);
  ASSERT_EQ(R.Objects.size(), 1u);
  EXPECT_EQ(R.Objects[0].Ref.Namespace, "team");
  auto C = load("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: "
                "r, namespace: ignored}\n",
                1, Options);
  ASSERT_EQ(C.Objects.size(), 1u);
  EXPECT_EQ(C.Objects[0].Ref.Namespace, "");
}

TEST(Loader, CronJobAndPodTemplateAndCustomKindsArePodBearing) {
  auto Cron = load(R"(apiVersion: batch/v1
kind: CronJob
metadata: {name: c}
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          serviceAccount: legacy
          containers: [{name: a}]
)");
  ASSERT_EQ(Cron.Objects.size(), 1u);
  ASSERT_TRUE(Cron.Objects[0].Pod);
  EXPECT_EQ(Cron.Objects[0].Pod->SpecKey.Path.str(), "spec.jobTemplate.spec.template.spec");
  EXPECT_EQ(Cron.Objects[0].Pod->accountName(), "legacy");

  auto Tpl = load("apiVersion: v1\nkind: PodTemplate\nmetadata: {name: t}\ntemplate:\n  spec:\n"
                  "    containers: [{name: a}]\n");
  ASSERT_TRUE(Tpl.Objects.at(0).Pod);
  EXPECT_EQ(Tpl.Objects[0].Pod->SpecKey.Path.str(), "template.spec");

  auto Rollout = load("apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: r}\n"
                      "spec:\n  template:\n    spec:\n      containers: [{name: a}]\n");
  ASSERT_TRUE(Rollout.Objects.at(0).Pod);
}

TEST(Loader, CustomKindsWithOtherShapesLoadWithoutPods) {
  // A custom resource whose spec.template is a string, or whose template has no containers.
  model::LoadOptions KeepAll;
  KeepAll.KeepUnreadKinds = true;
  auto R = load("apiVersion: x.io/v1\nkind: Thing\nmetadata: {name: t}\nspec:\n  template: text\n",
                1, KeepAll);
  EXPECT_TRUE(R.Errors.empty());
  ASSERT_EQ(R.Objects.size(), 1u);
  EXPECT_FALSE(R.Objects[0].Pod);
  auto S = load("apiVersion: x.io/v1\nkind: Thing\nmetadata: {name: t}\nspec:\n  template:\n"
                "    spec: {replicas: 3}\n",
                1, KeepAll);
  ASSERT_EQ(S.Objects.size(), 1u);
  EXPECT_FALSE(S.Objects[0].Pod);
  auto Scalar = load("apiVersion: x.io/v1\nkind: Thing\nmetadata: {name: t}\nspec: 5\n");
  EXPECT_TRUE(Scalar.Errors.empty());
}

TEST(Loader, KindsNoRuleReadsAreCountedAndDropped) {
  auto R = load("apiVersion: v1\nkind: List\nitems:\n"
                "- {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}\n"
                "- {apiVersion: v1, kind: Secret, metadata: {name: s}, type: Opaque}\n"
                "- {apiVersion: v1, kind: Secret, metadata: {name: t}, "
                "type: kubernetes.io/service-account-token}\n"
                "- {apiVersion: v1, kind: Service, metadata: {name: svc}}\n");
  ASSERT_EQ(R.Objects.size(), 1u);
  EXPECT_EQ(R.Objects[0].Ref.Name, "t");
  EXPECT_EQ(R.Skipped, 3u);
}

TEST(Loader, KeepsOnlyTheObjectsOfTheParts) {
  std::string Stream = "apiVersion: v1\nkind: List\nitems:\n"
                       "- {apiVersion: v1, kind: ServiceAccount, metadata: {name: a}}\n"
                       "- {apiVersion: v1, kind: Secret, metadata: {name: t}, "
                       "type: kubernetes.io/service-account-token}\n"
                       "- {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: []}}\n"
                       "- {apiVersion: rbac.authorization.k8s.io/v1, kind: Role, metadata: {name: r}}\n"
                       "- {apiVersion: rbac.authorization.k8s.io/v1, kind: RoleBinding, "
                       "metadata: {name: b}, roleRef: {kind: Role, name: r}}\n";
  auto Kinds = [&](model::ModelParts Keep) {
    model::LoadOptions Options;
    Options.Keep = Keep;
    model::LoadResult R = load(Stream, 1, Options);
    std::string Out;
    for (const model::Object &O : R.Objects)
      Out += O.Ref.Kind + " ";
    return Out + std::to_string(R.Skipped) + " skipped";
  };
  EXPECT_EQ(Kinds(model::ModelParts::all()),
            "ServiceAccount Secret Pod Role RoleBinding 0 skipped");
  EXPECT_EQ(Kinds({model::ModelPart::Accounts, model::ModelPart::TokenSecrets}),
            "ServiceAccount Secret 3 skipped");
  EXPECT_EQ(Kinds({model::ModelPart::PodSpecs}), "Pod 4 skipped");
  EXPECT_EQ(Kinds({model::ModelPart::Roles, model::ModelPart::Bindings}),
            "Role RoleBinding 3 skipped");
  EXPECT_EQ(Kinds({}), "5 skipped");
}

TEST(Loader, ListItemsExpand) {
  auto R = load(R"(apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ServiceAccount
  metadata: {name: a}
- apiVersion: v1
  kind: Pod
  metadata: {name: p}
  spec: {containers: []}
)");
  ASSERT_TRUE(R.Errors.empty());
  ASSERT_EQ(R.Objects.size(), 2u);
  EXPECT_EQ(R.Objects[0].Ref.Kind, "ServiceAccount");
  EXPECT_EQ(R.Objects[1].Ref.Kind, "Pod");
  EXPECT_EQ(R.Objects[1].Range.Begin, (SourcePos{7, 3}));
}

TEST(Loader, RbacObjectsMap) {
  auto Role = load(R"(apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: agg
  labels: {a: b}
aggregationRule:
  clusterRoleSelectors:
  - matchLabels: {rbac.example.com/aggregate: "true"}
rules:
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list"]
  resourceNames: [one]
)");
  ASSERT_TRUE(Role.Errors.empty());
  const model::Object &R = Role.Objects.at(0);
  ASSERT_TRUE(R.Role);
  EXPECT_TRUE(R.Role->HasAggregationRule);
  ASSERT_EQ(R.Role->AggregationSelectors.size(), 1u);
  EXPECT_TRUE(R.Role->AggregationSelectors[0].matches({{"rbac.example.com/aggregate", "true"}}));
  ASSERT_EQ(R.Role->Rules.size(), 1u);
  EXPECT_EQ(R.Role->Rules[0].Verbs.size(), 2u);
  EXPECT_EQ(*R.Role->Rules[0].Verbs[1], "list");
  EXPECT_EQ(R.Role->Rules[0].Range.Begin.Line, 10u);
  EXPECT_EQ(R.Role->Labels.at("a"), "b");

  auto Binding = load(R"(apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: b, namespace: ns}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}
subjects:
- kind: ServiceAccount
  name: default
- kind: Group
  name: system:serviceaccounts
)");
  const model::Object &B = Binding.Objects.at(0);
  ASSERT_TRUE(B.Binding);
  EXPECT_EQ(*B.Binding->RoleRefKind, "Role");
  ASSERT_EQ(B.Binding->Subjects.size(), 2u);
  EXPECT_EQ(B.Binding->Subjects[1].Range.Begin.Line, 8u);
  EXPECT_FALSE(B.Binding->Subjects[0].Namespace.isSet());
}

TEST(Loader, ServiceAccountSecretsAndProjectedTokens) {
  auto SA = load("apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a}\n"
                 "automountServiceAccountToken: no\nsecrets:\n- name: a-token-x\n");
  const model::Object &A = SA.Objects.at(0);
  ASSERT_TRUE(A.Account);
  EXPECT_FALSE(*A.Account->AutomountServiceAccountToken);
  ASSERT_EQ(A.Account->Secrets.size(), 1u);
  EXPECT_EQ(*A.Account->Secrets[0], "a-token-x");

  auto Pod = load(R"(apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: []
  volumes:
  - name: tok
    projected:
      sources:
      - serviceAccountToken:
          path: token
)");
  ASSERT_EQ(Pod.Objects.at(0).Pod->ProjectedTokens.size(), 1u);
  EXPECT_EQ(Pod.Objects[0].Pod->ProjectedTokens[0].VolumeName, "tok");
  EXPECT_EQ(Pod.Objects[0].Pod->ProjectedTokens[0].Range.Begin, (SourcePos{10, 9}));
}

TEST(Loader, EveryLocatedFieldKnowsItsKeyPath) {
  auto Role = load(R"(apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: r
  annotations: {saguard.io/ignore: SA007}
rules:
- apiGroups: [""]
  resources: [pods]
  verbs: [get]
- apiGroups: [""]
  resources: [secrets]
  verbs: [get, list, watch]
aggregationRule:
  clusterRoleSelectors: []
)");
  ASSERT_EQ(Role.Objects.size(), 1u);
  const model::Object &R = Role.Objects[0];
  EXPECT_EQ(R.Meta.Name.Path.str(), "metadata.name");
  EXPECT_EQ(R.Meta.Annotations.at("saguard.io/ignore").Path.str(),
            "metadata.annotations.saguard.io/ignore");
  ASSERT_EQ(R.Role->Rules.size(), 2u);
  EXPECT_EQ(R.Role->Rules[1].Path.str(), "rules.1");
  EXPECT_EQ(R.Role->Rules[1].Range.Begin, (SourcePos{10, 3}));
  EXPECT_EQ(R.Role->Rules[1].Verbs.at(2).Path.str(), "rules.1.verbs.2");
  EXPECT_EQ(R.Role->Rules[0].Resources.at(0).Path.str(), "rules.0.resources.0");
  EXPECT_EQ(R.Role->AggregationKey.Path.str(), "aggregationRule");

  auto Binding = load(R"(apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: b, namespace: n}
roleRef: {kind: Role, name: r, apiGroup: rbac.authorization.k8s.io}
subjects:
- {kind: User, name: u}
- kind: ServiceAccount
  name: s
)");
  const model::BindingData &B = *Binding.Objects.at(0).Binding;
  EXPECT_EQ(B.RoleRef.Path.str(), "roleRef");
  EXPECT_EQ(B.RoleRefName.Path.str(), "roleRef.name");
  ASSERT_EQ(B.Subjects.size(), 2u);
  EXPECT_EQ(B.Subjects[1].Path.str(), "subjects.1");
  EXPECT_EQ(B.Subjects[1].Name.Path.str(), "subjects.1.name");
  // An absent key still knows where it would be.
  EXPECT_FALSE(B.Subjects[1].Namespace.isSet());
  EXPECT_EQ(B.Subjects[1].Namespace.Path.str(), "subjects.1.namespace");

  // The index is the entry's in the file, even when an entry before it names nothing.
  auto Account = load("apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a}\n"
                      "secrets:\n- {}\n- name: a-token-x\n");
  const model::ServiceAccountData &A = *Account.Objects.at(0).Account;
  ASSERT_EQ(A.Secrets.size(), 1u);
  EXPECT_EQ(A.Secrets[0].Path.str(), "secrets.1.name");
  EXPECT_EQ(A.AutomountServiceAccountToken.Path.str(), "automountServiceAccountToken");

  auto Cron = load(R"(apiVersion: batch/v1
kind: CronJob
metadata: {name: c}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers: []
          volumes:
          - name: other
          - name: tok
            projected:
              sources:
              - configMap: {name: x}
              - serviceAccountToken: {path: token}
)");
  const model::PodSpec &Pod = *Cron.Objects.at(0).Pod;
  EXPECT_EQ(Pod.SpecKey.Path.str(), "spec.jobTemplate.spec.template.spec");
  EXPECT_EQ(Pod.AutomountServiceAccountToken.Path.str(),
            "spec.jobTemplate.spec.template.spec.automountServiceAccountToken");
  EXPECT_EQ(Pod.accountKey().Path.str(), "spec.jobTemplate.spec.template.spec.serviceAccountName");
  ASSERT_EQ(Pod.ProjectedTokens.size(), 1u);
  EXPECT_EQ(
      Pod.ProjectedTokens[0].Path.str(),
      "spec.jobTemplate.spec.template.spec.volumes.1.projected.sources.1.serviceAccountToken");
}

TEST(Loader, EmptyAndCommentOnlyDocumentsAddNothing) {
  EXPECT_TRUE(load("").Objects.empty());
  EXPECT_TRUE(load("# just a comment\n\n").Errors.empty());
  EXPECT_TRUE(load("# just a comment\n\n").Objects.empty());
}

TEST(Loader, JsonDocumentsMap) {
  auto R = load(R"({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "j"},
 "spec": {"automountServiceAccountToken": true, "containers": []}})");
  ASSERT_TRUE(R.Errors.empty());
  ASSERT_TRUE(R.Objects.at(0).Pod);
  EXPECT_TRUE(*R.Objects[0].Pod->AutomountServiceAccountToken);
  EXPECT_EQ(R.Objects[0].Pod->AutomountServiceAccountToken.Range.Begin.Line, 2u);
}

TEST(LabelSelector, MatchesAsKubernetesSelectors) {
  model::LabelSelector Empty;
  EXPECT_TRUE(Empty.matches({}));
  EXPECT_TRUE(Empty.matches({{"a", "b"}}));
  model::LabelSelector Sel;
  Sel.MatchLabels = {{"app", "web"}};
  Sel.MatchExpressions = {{"tier", "In", {"front", "back"}}, {"legacy", "DoesNotExist", {}}};
  EXPECT_TRUE(Sel.matches({{"app", "web"}, {"tier", "back"}}));
  EXPECT_FALSE(Sel.matches({{"app", "web"}, {"tier", "db"}}));
  EXPECT_FALSE(Sel.matches({{"app", "web"}, {"tier", "front"}, {"legacy", "1"}}));
  EXPECT_FALSE(Sel.matches({{"tier", "front"}}));
  model::LabelSelector Bad;
  Bad.MatchExpressions = {{"a", "Near", {}}};
  EXPECT_FALSE(Bad.matches({{"a", "b"}}));
}
