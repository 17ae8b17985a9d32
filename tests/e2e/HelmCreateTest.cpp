//===- HelmCreateTest.cpp - a chart as `helm create` makes it --------------===//
//
// Issue 3's acceptance case: the chart `helm create` writes, unchanged, gives SA002 on its
// Deployment tied to `serviceAccount.automount` in values.yaml; with serviceAccount.create=false
// it gives SA001 at templates/deployment.yaml.
//
// Where the primary location goes: a Helm finding is at the line of the deciding key inside the
// template, with the values.yaml key as a related location. So the primary is the
// template line (`automountServiceAccountToken: {{ .Values.serviceAccount.automount }}`) and
// the values.yaml line a user changes is the related location these tests require.
//
//===----------------------------------------------------------------------===//
#include "E2eUtil.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace saguard::e2e;

namespace {

/// A temporary directory holding `helm create web`.
class HelmCreate : public ::testing::Test {
protected:
  void SetUp() override {
    RunResult R = runProgram({"helm", "create", "web"}, Dir.path());
    ASSERT_EQ(R.Exit, 0) << R.Stderr;
  }
  const RunResult &saguard(std::vector<std::string> Args) { return runSaguard(Args, Dir.path()); }
  std::string line(const Json &Location) { return lineAt(Location, Dir.path()); }
  TempDir Dir;
};

TEST_F(HelmCreate, AsItComesGivesSA002TiedToServiceAccountAutomount) {
  const RunResult &R = saguard({"helm", "test", "web", "--format", "json"});
  EXPECT_EQ(R.Exit, 1) << R.Stdout << R.Stderr;
  ASSERT_TRUE(R.Report.is_object());
  EXPECT_TRUE(R.Report["errors"].empty());
  checkLocations(R.Report, Dir.path(), Dir.path() + "/web");

  std::vector<Json> Found = findingsOf(R.Report, "SA002", "Deployment", "test-web");
  ASSERT_EQ(Found.size(), 1u) << R.Report.dump(2);
  const Json &F = Found[0];
  EXPECT_EQ(F["location"].value("file", ""), "web/templates/serviceaccount.yaml");
  EXPECT_NE(line(F["location"])
                .find("automountServiceAccountToken: {{ .Values.serviceAccount.automount }}"),
            std::string::npos)
      << line(F["location"]);
  std::vector<Json> Values = relatedWith(F, "value serviceAccount.automount in values.yaml");
  ASSERT_EQ(Values.size(), 1u) << F.dump(2);
  EXPECT_EQ(Values[0].value("file", ""), "web/values.yaml");
  EXPECT_NE(line(Values[0]).find("automount: true"), std::string::npos) << line(Values[0]);
  EXPECT_EQ(relatedWith(F, "rendered at line").size(), 1u);

  // The helm test Pod runs as `default`.
  std::vector<Json> Test = findingsOf(R.Report, "SA001", "Pod", "test-web-test-connection");
  ASSERT_EQ(Test.size(), 1u);
  EXPECT_EQ(Test[0]["location"].value("file", ""), "web/templates/tests/test-connection.yaml");
}

TEST_F(HelmCreate, WithoutItsAccountGivesSA001AtTheDeploymentTemplate) {
  const RunResult &R =
      saguard({"helm", "test", "web", "--set", "serviceAccount.create=false", "--format", "json"});
  EXPECT_EQ(R.Exit, 1);
  ASSERT_TRUE(R.Report.is_object());
  checkLocations(R.Report, Dir.path(), Dir.path() + "/web");
  std::vector<Json> Found = findingsOf(R.Report, "SA001", "Deployment", "test-web");
  ASSERT_EQ(Found.size(), 1u) << R.Report.dump(2);
  EXPECT_EQ(Found[0]["location"].value("file", ""), "web/templates/deployment.yaml");
  EXPECT_NE(line(Found[0]["location"])
                .find("serviceAccountName: {{ include \"web.serviceAccountName\" . }}"),
            std::string::npos);
  std::vector<Json> Create = relatedWith(Found[0], "value serviceAccount.create in values.yaml");
  ASSERT_EQ(Create.size(), 1u);
  EXPECT_NE(Create[0].value("message", "").find("overridden by --set"), std::string::npos);
  EXPECT_TRUE(findingsOf(R.Report, "SA002", "Deployment", "").empty());
}

TEST_F(HelmCreate, ValuesFileThatSetsTheKeyIsTheRelatedLocation) {
  Dir.write("prod.yaml", "replicaCount: 2\n");
  Dir.write("over.yaml", "serviceAccount:\n  automount: true\n");
  const RunResult &R = saguard(
      {"helm", "test", "web", "-f", "over.yaml", "--values", "prod.yaml", "--format", "json"});
  ASSERT_TRUE(R.Report.is_object()) << R.Stdout << R.Stderr;
  std::vector<Json> Found = findingsOf(R.Report, "SA002", "Deployment", "test-web");
  ASSERT_EQ(Found.size(), 1u);
  std::vector<Json> Values = relatedWith(Found[0], "value serviceAccount.automount in over.yaml");
  ASSERT_EQ(Values.size(), 1u) << Found[0].dump(2);
  EXPECT_EQ(Values[0].value("file", ""), "over.yaml");
  EXPECT_EQ(Values[0].value("line", 0), 2);
}

TEST_F(HelmCreate, SubchartByAliasMapsToItsDirectory) {
  RunResult Sub = runProgram({"helm", "create", "sub"}, Dir.path());
  ASSERT_EQ(Sub.Exit, 0) << Sub.Stderr;
  std::filesystem::rename(Dir.path() + "/sub", Dir.path() + "/web/charts/sub-dir");
  std::ofstream(Dir.path() + "/web/Chart.yaml", std::ios::app)
      << "dependencies:\n  - name: sub\n    version: 0.1.0\n    alias: db\n";
  std::ofstream(Dir.path() + "/web/values.yaml", std::ios::app)
      << "db:\n  serviceAccount:\n    automount: true\n";
  const RunResult &R = saguard({"helm", "test", "web", "--format", "json"});
  EXPECT_EQ(R.Exit, 1) << R.Stdout << R.Stderr;
  ASSERT_TRUE(R.Report.is_object());
  checkLocations(R.Report, Dir.path(), Dir.path() + "/web");
  std::vector<Json> Found = findingsOf(R.Report, "SA002", "Deployment", "test-db");
  ASSERT_EQ(Found.size(), 1u) << R.Report.dump(2);
  EXPECT_EQ(Found[0]["location"].value("file", ""),
            "web/charts/sub-dir/templates/serviceaccount.yaml");
  // The parent's `db.serviceAccount.automount` overrides the subchart's own default, and is
  // named as the parent's values.yaml spells it.
  std::vector<Json> Values =
      relatedWith(Found[0], "value db.serviceAccount.automount in values.yaml");
  ASSERT_EQ(Values.size(), 1u);
  EXPECT_EQ(Values[0].value("file", ""), "web/values.yaml");
  EXPECT_NE(line(Values[0]).find("automount: true"), std::string::npos);
}

TEST_F(HelmCreate, AutoDetectsTheChart) {
  const RunResult &R = saguard({"web", "--format", "json"});
  EXPECT_EQ(R.Exit, 1);
  ASSERT_TRUE(R.Report.is_object());
  checkLocations(R.Report, Dir.path(), Dir.path() + "/web");
  EXPECT_EQ(findingsOf(R.Report, "SA002", "Deployment", "").size(), 1u);
}

} // namespace
