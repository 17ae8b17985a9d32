#include "ReportTestUtil.h"

using namespace saguard;
using namespace saguard::report;
using namespace saguard::report::test;

namespace {

std::size_t count(const std::string &Text, std::string_view What) {
  std::size_t N = 0;
  for (std::size_t At = Text.find(What); At != std::string::npos; At = Text.find(What, At + 1))
    ++N;
  return N;
}

} // namespace

TEST(TextReporter, GroupsFindingsByObject) {
  Fixture X = Fixture::typical();
  std::string Out = render("text", X.Data);
  std::vector<std::string> L = lines(Out);
  ASSERT_GE(L.size(), 14u) << Out;
  EXPECT_EQ(L[0], "Deployment/shop/web (charts/web/templates/deployment.yaml)");
  EXPECT_EQ(L[1], "  12:7  error    deployment 'web' in namespace 'shop' mounts the API token of "
                  "ServiceAccount 'default'  [SA001]");
  EXPECT_EQ(L[2], "    note: charts/web/values.yaml:3: automount comes from "
                  "serviceAccount.automount");
  EXPECT_EQ(L[3], "    fix: opt out of the token: insert 'automountServiceAccountToken: false' at "
                  "charts/web/templates/deployment.yaml:12");
  EXPECT_EQ(L[4], "  20:9  error    deployment 'web' can read Secrets [all of them]  [SA005]");
  EXPECT_EQ(L[5], "    path:");
  EXPECT_EQ(L[6], "         Deployment 'web' runs as 'api'  "
                  "(charts/web/templates/deployment.yaml:20)");
  EXPECT_EQ(L[7], "      -> RoleBinding 'api' binds it to Role 'reader'  "
                  "(charts/web/templates/rbac.yaml:14)");
  EXPECT_EQ(L[8], "      -> Role 'reader'  (charts/web/templates/rbac.yaml:5)");
  EXPECT_EQ(L[9], "      -> rule allows get, list on secrets  (charts/web/templates/rbac.yaml:7)");
  EXPECT_EQ(L[10], "Role/shop/reader (charts/web/templates/rbac.yaml)");
  EXPECT_EQ(L[11], "  8:14  warning  role 'reader' in namespace 'shop' allows '*' in verbs  "
                   "[SA007]");
  EXPECT_EQ(L[12], "Deployment/shop/api (charts/web/templates/deployment.yaml)");
  EXPECT_EQ(L[13], "  40:7  note     deployment 'api' runs as ServiceAccount 'ghost', which is "
                   "not in the set  [SA010]");
  EXPECT_EQ(Out.find("\033["), std::string::npos) << "no colour unless asked";
}

TEST(TextReporter, ListsSuppressedFindingsApartWithTheirReason) {
  Fixture X = Fixture::typical();
  std::string Out = render("text", X.Data);
  std::size_t Section = Out.find("\nsuppressed (1):\n");
  ASSERT_NE(Section, std::string::npos) << Out;
  std::size_t Message = Out.find("rolebinding 'legacy' grants");
  EXPECT_GT(Message, Section) << "the suppressed finding is not in the main list";
  EXPECT_EQ(count(Out, "rolebinding 'legacy' grants"), 1u);
  EXPECT_NE(Out.find("  charts/web/templates/rbac.yaml:30:3: error    rolebinding 'legacy'"),
            std::string::npos)
      << Out;
  EXPECT_NE(Out.find("    RoleBinding/shop/legacy suppressed: legacy job, token revoked by "
                     "admission policy\n"),
            std::string::npos)
      << Out;
}

TEST(TextReporter, ListsInputErrorsWithFileAndLine) {
  Fixture X = Fixture::typical();
  X.Data.Errors.push_back(
      {"helm template failed (exit 1):\nError: bad values\n", {}, Root + "/charts/db"});
  std::string Out = render("text", X.Data);
  EXPECT_NE(Out.find("\ninput errors (2):\n  charts/web/templates/broken.yaml:4:9: error: document "
                     "2 is not YAML: mapping values are not allowed here\n"
                     "  charts/db: error: helm template failed (exit 1):\n"
                     "    Error: bad values\n"),
            std::string::npos)
      << Out;
}

TEST(TextReporter, EndsWithAOneLineSummary) {
  Fixture X = Fixture::typical();
  std::vector<std::string> L = lines(render("text", X.Data));
  ASSERT_FALSE(L.empty());
  EXPECT_EQ(L.back(), "2 errors, 1 warning, 1 note in 3 objects (1 suppressed); 1 input error");

  X.Data.ObjectsAnalysed = 12;
  X.Data.Errors.clear();
  L = lines(render("text", X.Data));
  EXPECT_EQ(L.back(), "2 errors, 1 warning, 1 note in 3 objects (of 12 analysed) (1 suppressed)");
}

TEST(TextReporter, SummarySaysWhenAutomountOffWasAssumed) {
  Fixture X = Fixture::typical();
  X.Data.ClusterAutomountDefault = false;
  std::vector<std::string> L = lines(render("text", X.Data));
  EXPECT_NE(L.back().find("--cluster-automount-default false"), std::string::npos) << L.back();
  EXPECT_EQ(L.back().rfind("2 errors", 0), 0u) << L.back();
}

TEST(TextReporter, EmptyReportSaysNoFindings) {
  Fixture X;
  EXPECT_EQ(render("text", X.Data), "no findings\n");
  X.Data.ObjectsAnalysed = 1;
  EXPECT_EQ(render("text", X.Data), "no findings in 1 object\n");
}

TEST(TextReporter, NamesTheFileOfAFindingOutsideTheObjectsFile) {
  Fixture X;
  X.add("SA001", Level::Error, "Deployment", "shop", "web", Fixture::range(X.Deployment, 12, 7, 19),
        "first");
  X.add("SA005", Level::Error, "Deployment", "shop", "web", Fixture::range(X.Values, 3, 1, 9),
        "second");
  std::vector<std::string> L = lines(render("text", X.Data));
  ASSERT_GE(L.size(), 3u);
  EXPECT_EQ(L[1], "  12:7  error    first  [SA001]");
  EXPECT_EQ(L[2], "  charts/web/values.yaml:3:1  error    second  [SA005]");
}

TEST(TextReporter, ColoursLevelsWhenAsked) {
  Fixture X = Fixture::typical();
  std::string Out = render("text", X.Data, {.Color = true});
  EXPECT_NE(Out.find("\033[1;31merror\033[0m"), std::string::npos) << Out;
  EXPECT_NE(Out.find("\033[1;35mwarning\033[0m"), std::string::npos) << Out;
  EXPECT_NE(Out.find("\033[1;36mnote\033[0m"), std::string::npos) << Out;
  EXPECT_NE(Out.find("\033[1mDeployment/shop/web"), std::string::npos) << Out;
}

TEST(TextReporter, PrintsABlockPerGrantPath) {
  Fixture X = Fixture::typical();
  Finding &Access = X.Data.Findings[1];
  ASSERT_EQ(Access.RuleId, "SA005");
  Access.FlowStarts = {2};
  std::string Out = render("text", X.Data);
  EXPECT_NE(Out.find("    path 1 of 2:\n         Deployment 'web' runs as 'api'  "
                     "(charts/web/templates/deployment.yaml:20)\n      -> RoleBinding 'api' binds "
                     "it to Role 'reader'  (charts/web/templates/rbac.yaml:14)\n    path 2 of 2:\n"
                     "         Role 'reader'  (charts/web/templates/rbac.yaml:5)\n      -> rule "
                     "allows get, list on secrets  (charts/web/templates/rbac.yaml:7)\n"),
            std::string::npos)
      << Out;
  EXPECT_EQ(count(Out, "path:"), 0u);
}
