#include "ReportTestUtil.h"

#include <filesystem>
#include <fstream>
#include <regex>

using namespace saguard;
using namespace saguard::report;
using namespace saguard::report::test;
namespace fs = std::filesystem;

namespace {

// The VS Code `$gcc` problem matcher (cpptools package.json), verbatim.
const std::regex GccMatcher(R"(^(.*):(\d+):(\d+):\s+(?:fatal\s+)?(warning|error):\s+(.*)$)");
// The same shape for notes, which `$gcc` ignores.
const std::regex NoteLine(R"(^(.*):(\d+):(\d+):\s+note:\s+(.*)$)");

} // namespace

TEST(GccReporter, OneMatchableLinePerFindingAndError) {
  Fixture X = Fixture::typical();
  std::vector<std::string> L = lines(render("gcc", X.Data));
  ASSERT_EQ(L.size(), 6u) << "1 error + 4 unsuppressed findings + 1 fix";
  EXPECT_EQ(L[0], "charts/web/templates/broken.yaml:4:9: error: document 2 is not YAML: mapping "
                  "values are not allowed here [saguard]");
  EXPECT_EQ(L[1], "charts/web/templates/deployment.yaml:12:7: error: deployment 'web' in namespace "
                  "'shop' mounts the API token of ServiceAccount 'default' [SA001]");
  // The fix follows its finding as a note at the place it edits.
  EXPECT_EQ(L[2], "charts/web/templates/deployment.yaml:12:7: note: fix: opt out of the token: "
                  "insert 'automountServiceAccountToken: false' at "
                  "charts/web/templates/deployment.yaml:12 [SA001]");
  EXPECT_EQ(L[4], "charts/web/templates/rbac.yaml:8:14: warning: role 'reader' in namespace 'shop' "
                  "allows '*' in verbs [SA007]");
  EXPECT_EQ(L[5], "charts/web/templates/deployment.yaml:40:7: note: deployment 'api' runs as "
                  "ServiceAccount 'ghost', which is not in the set [SA010]");

  for (std::size_t I : {0, 1, 3, 4}) {
    std::smatch M;
    ASSERT_TRUE(std::regex_match(L[I], M, GccMatcher)) << L[I];
    EXPECT_EQ(M[1].str().find(':'), std::string::npos) << "file group is the path: " << L[I];
  }
  std::smatch M;
  ASSERT_TRUE(std::regex_match(L[1], M, GccMatcher));
  EXPECT_EQ(M[1], "charts/web/templates/deployment.yaml");
  EXPECT_EQ(M[2], "12");
  EXPECT_EQ(M[3], "7");
  EXPECT_EQ(M[4], "error");
  EXPECT_TRUE(std::regex_match(L[2], NoteLine)) << L[2];
  EXPECT_TRUE(std::regex_match(L[5], NoteLine)) << L[5];
}

TEST(GccReporter, LeavesOutSuppressedFindings) {
  Fixture X = Fixture::typical();
  EXPECT_EQ(render("gcc", X.Data).find("legacy"), std::string::npos);
}

TEST(GccReporter, FlattensMultiLineMessages) {
  Fixture X;
  X.Data.Errors.push_back({"helm template failed (exit 1):\r\n  Error: bad\n\nvalues  \n",
                           Fixture::range(X.Values, 2, 3, 4), ""});
  std::vector<std::string> L = lines(render("gcc", X.Data));
  ASSERT_EQ(L.size(), 1u);
  EXPECT_EQ(L[0], "charts/web/values.yaml:2:3: error: helm template failed (exit 1): Error: bad "
                  "values [saguard]");
  EXPECT_TRUE(std::regex_match(L[0], GccMatcher));
}

TEST(GccReporter, FallsBackToTheTargetsChartFile) {
  fs::path Base = fs::path(testing::TempDir()) / "saguard-report-gcc";
  fs::remove_all(Base);
  fs::create_directories(Base / "charts" / "web");
  std::ofstream(Base / "charts" / "web" / "Chart.yaml") << "name: web\n";

  Fixture X;
  X.Data.SrcRoot = Base.string();
  Finding &F = X.add("SA001", Level::Error, "Deployment", "shop", "web", SourceRange{}, "m");
  F.Target = (Base / "charts" / "web").string();
  X.Data.Errors.push_back({"helm template failed", {}, F.Target});
  std::vector<std::string> L = lines(render("gcc", X.Data));
  ASSERT_EQ(L.size(), 2u);
  EXPECT_EQ(L[0], "charts/web/Chart.yaml:1:1: error: helm template failed [saguard]");
  EXPECT_EQ(L[1], "charts/web/Chart.yaml:1:1: error: m [SA001]");
  fs::remove_all(Base);
}
