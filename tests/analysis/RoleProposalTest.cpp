// Tests of the least-privilege proposal: dangerous rules removed, wildcards narrowed to what the
// other rules name, and the YAML that says so.
#include "BoundWorkload.h"
#include "PermissionsFixture.h"

#include "saguard/analysis/RoleProposal.h"
#include "saguard/report/RoleProposal.h"

#include <gtest/gtest.h>

using namespace saguard;
using namespace saguard::analysis;

namespace {

std::vector<RoleProposal> proposalsFor(const std::string &Yaml) {
  test::PermissionsOf S(Yaml);
  return proposeRoles({*S.Idx, S.Rbac, S.Options}, *S.of("web").Workload);
}

} // namespace

TEST(RoleProposal, RemovesDangerousRulesAndNarrowsWildcards) {
  auto Proposals = proposalsFor(test::boundWorkload(R"(- apiGroups: [""]
  resources: [pods, services]
  verbs: [get, list]
- apiGroups: [""]
  resources: [events]
  verbs: [create]
- apiGroups: [""]
  resources: [secrets]
  verbs: [get]
- apiGroups: [""]
  resources: [configmaps]
  verbs: ["*"]
- apiGroups: [""]
  resources: [pods/exec]
  verbs: ["*"]
)"));
  ASSERT_EQ(Proposals.size(), 1u);
  const RoleProposal &P = Proposals[0];
  EXPECT_EQ(P.Kind, "Role");
  EXPECT_EQ(P.Namespace, "shop");
  EXPECT_EQ(P.Name, "web");
  ASSERT_EQ(P.Rules.size(), 3u);
  EXPECT_EQ(P.Rules[0].Resources, (std::vector<std::string>{"pods", "services"}));
  EXPECT_EQ(P.Rules[1].Resources, (std::vector<std::string>{"events"}));
  // configmaps' `*` becomes the verbs the kept rules name.
  EXPECT_EQ(P.Rules[2].Resources, (std::vector<std::string>{"configmaps"}));
  EXPECT_EQ(P.Rules[2].Verbs, (std::vector<std::string>{"create", "get", "list"}));
  ASSERT_EQ(P.Removed.size(), 2u);
  EXPECT_NE(P.Removed[0].find("secrets"), std::string::npos) << P.Removed[0];
  EXPECT_NE(P.Removed[0].find("read secrets"), std::string::npos) << P.Removed[0];
  // pods/exec narrowed to create/get/list still execs into pods: it goes.
  EXPECT_NE(P.Removed[1].find("pods/exec"), std::string::npos) << P.Removed[1];
  EXPECT_NE(P.Removed[1].find("once narrowed"), std::string::npos) << P.Removed[1];
  ASSERT_EQ(P.Narrowed.size(), 1u);
  EXPECT_NE(P.Narrowed[0].find("configmaps"), std::string::npos);
}

TEST(RoleProposal, NothingToProposeForASafeRole) {
  EXPECT_TRUE(proposalsFor(test::boundWorkload(R"(- apiGroups: [""]
  resources: [pods]
  verbs: [get, list]
)"))
                  .empty());
}

TEST(RoleProposal, YamlIsMarkedAsAProposalAndQuotesEveryName) {
  RoleProposal P{"Role",
                 "shop",
                 "it's",
                 "RoleBinding 'web' in namespace 'shop'",
                 {{{""}, {"pods"}, {"get", "list"}, {}, {}}},
                 {"get on secrets: read secrets"},
                 {}};
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  report::writeRoleProposals({P}, "Deployment 'web'", OS);
  EXPECT_EQ(OS.str(), R"(---
# saguard PROPOSAL, review before use: Role 'it's' as Deployment 'web' would keep it without the dangerous rules (bound by RoleBinding 'web' in namespace 'shop')
# removed: get on secrets: read secrets
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: 'it''s'
  namespace: 'shop'
rules:
- apiGroups: ['']
  resources: ['pods']
  verbs: ['get', 'list']
)");
  // The YAML is a Role saguard reads back, with the rule as proposed.
  test::PermissionsOf Back(OS.str());
  ASSERT_EQ(Back.Idx->objects().size(), 1u);
  const model::Object &Role = Back.Idx->objects().front();
  ASSERT_TRUE(Role.Role);
  EXPECT_EQ(Role.Ref.Name, "it's");
  ASSERT_EQ(Role.Role->Rules.size(), 1u);
  EXPECT_EQ(Role.Role->Rules[0].Verbs.size(), 2u);
}
