//===- ProposeTest.cpp - saguard permissions --propose, end to end --------===//
#include "BoundWorkload.h"
#include "RunSaguard.h"

#include <gtest/gtest.h>

using namespace saguard::test;

namespace {

const std::string Role = webRole(R"(- apiGroups: [""]
  resources: [pods]
  verbs: [get, list]
- apiGroups: [""]
  resources: [secrets]
  verbs: [get, list]
- apiGroups: [""]
  resources: ["*"]
  verbs: [watch]
)");

} // namespace

TEST(PermissionsPropose, TheProposedRoleClearsTheTokensDangers) {
  Scratch S("propose");
  std::string Path = S / "app.yaml";
  writeFile(Path, std::string(BoundWorkload) + Role);
  SaguardRun Before = runSaguard({"scan", "--format", "gcc", Path});
  EXPECT_NE(Before.Out.find("[SA005]"), std::string::npos) << Before.Out;
  EXPECT_NE(Before.Out.find("[SA007]"), std::string::npos) << Before.Out;

  SaguardRun Proposal = runSaguard({"permissions", Path, "--propose", "Deployment/shop/web"});
  ASSERT_EQ(Proposal.Exit, 0) << Proposal.Err;
  EXPECT_NE(Proposal.Out.find("# saguard PROPOSAL, review before use: Role 'web'"),
            std::string::npos)
      << Proposal.Out;
  EXPECT_NE(Proposal.Out.find("# removed: get/list on secrets"), std::string::npos);
  EXPECT_NE(Proposal.Out.find("# narrowed: watch on *"), std::string::npos) << Proposal.Out;

  // Deployed instead of the role, the proposal leaves the token nothing dangerous.
  writeFile(Path, std::string(BoundWorkload) + Proposal.Out);
  SaguardRun After = runSaguard({"scan", "--format", "gcc", Path});
  EXPECT_EQ(After.Out.find("[SA005]"), std::string::npos) << After.Out;
  EXPECT_EQ(After.Out.find("[SA007]"), std::string::npos) << After.Out;
  EXPECT_NE(After.Exit, 2) << After.Err;
}

TEST(PermissionsPropose, AnUnknownWorkloadIsAnError) {
  Scratch S("propose-unknown");
  std::string Path = S / "app.yaml";
  writeFile(Path, std::string(BoundWorkload) + Role);
  SaguardRun Run = runSaguard({"permissions", Path, "--propose", "Deployment/nope"});
  EXPECT_EQ(Run.Exit, 2);
  EXPECT_NE(Run.Err.find("no workload 'Deployment/nope' in the analysed set"), std::string::npos)
      << Run.Err;
}
