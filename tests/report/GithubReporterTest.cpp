#include "ReportTestUtil.h"

using namespace saguard;
using namespace saguard::report;
using namespace saguard::report::test;

TEST(GithubReporter, OneWorkflowCommandPerFindingAndError) {
  Fixture X = Fixture::typical();
  std::vector<std::string> L = lines(render("github", X.Data));
  ASSERT_EQ(L.size(), 5u);
  EXPECT_EQ(L[0], "::error file=charts/web/templates/broken.yaml,line=4,col=9,title=saguard::"
                  "document 2 is not YAML: mapping values are not allowed here");
  EXPECT_EQ(L[1], "::error file=charts/web/templates/deployment.yaml,line=12,col=7,title=SA001::"
                  "deployment 'web' in namespace 'shop' mounts the API token of ServiceAccount "
                  "'default'");
  EXPECT_EQ(
      L[3].rfind("::warning file=charts/web/templates/rbac.yaml,line=8,col=14,title=SA007::", 0),
      0u)
      << L[3];
  EXPECT_EQ(L[4].rfind("::notice file=charts/web/templates/deployment.yaml,line=40,col=7,"
                       "title=SA010::",
                       0),
            0u)
      << L[4];
}

TEST(GithubReporter, LeavesOutSuppressedFindings) {
  Fixture X = Fixture::typical();
  EXPECT_EQ(render("github", X.Data).find("legacy"), std::string::npos);
}

TEST(GithubReporter, EscapesDataAndProperties) {
  Fixture X;
  FileId Odd = X.Files->intern(Root + "/charts/a,b:c%d.yaml");
  X.add("SA001", Level::Warning, "Deployment", "shop", "web", Fixture::range(Odd, 2, 3, 4),
        "100% sure:\r\nline two, and: more");
  std::vector<std::string> L = lines(render("github", X.Data));
  ASSERT_EQ(L.size(), 1u);
  EXPECT_EQ(L[0], "::warning file=charts/a%2Cb%3Ac%25d.yaml,line=2,col=3,title=SA001::"
                  "100%25 sure:%0D%0Aline two, and: more");
}

TEST(GithubReporter, ErrorWithoutAPlaceHasOnlyATitle) {
  Fixture X;
  X.Data.Errors.push_back({"kustomize failed:\nError: no such file\n", {}, ""});
  EXPECT_EQ(render("github", X.Data),
            "::error title=saguard::kustomize failed:%0AError: no such file\n");
}

TEST(GithubReporter, AnnotatesAtMostTheLimitPerSeverity) {
  Fixture X;
  for (unsigned I = 1; I <= 12; ++I)
    X.add("SA001", Level::Error, "Deployment", "shop", "web-" + std::to_string(I),
          Fixture::range(X.Deployment, I, 1, 2), "finding " + std::to_string(I));
  X.add("SA007", Level::Warning, "Role", "shop", "r", Fixture::range(X.Rbac, 1, 1, 2), "w");
  std::vector<std::string> L = lines(render("github", X.Data));
  ASSERT_EQ(L.size(), 14u);
  for (std::size_t I = 0; I < 10; ++I)
    EXPECT_EQ(L[I].rfind("::error ", 0), 0u) << L[I];
  EXPECT_EQ(L[10], "charts/web/templates/deployment.yaml:11:1: error: finding 11 [SA001]");
  EXPECT_EQ(L[11], "charts/web/templates/deployment.yaml:12:1: error: finding 12 [SA001]");
  EXPECT_EQ(L[12].rfind("::warning ", 0), 0u) << "warnings have their own quota";
  EXPECT_NE(L[13].find("2 findings printed without annotation"), std::string::npos) << L[13];

  L = lines(render("github", X.Data, {.GithubAnnotationLimit = 0}));
  EXPECT_EQ(L.size(), 13u);
}

TEST(GithubReporter, StatesTheAutomountAssumption) {
  Fixture X;
  X.Data.ClusterAutomountDefault = false;
  std::string Out = render("github", X.Data);
  EXPECT_EQ(Out.rfind("::notice title=saguard::assumed", 0), 0u) << Out;
}
