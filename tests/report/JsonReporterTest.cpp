#include "ReportTestUtil.h"

#include <nlohmann/json.hpp>

using namespace saguard;
using namespace saguard::report;
using namespace saguard::report::test;
using nlohmann::json;

namespace {

json renderJson(const ReportData &Data) {
  std::string Out = render("json", Data);
  json J = json::parse(Out, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(J.is_discarded()) << Out;
  return J;
}

} // namespace

TEST(JsonReporter, FindingHasTheDocumentedFields) {
  Fixture X = Fixture::typical();
  json J = renderJson(X.Data);
  ASSERT_TRUE(J.is_object());
  ASSERT_TRUE(J["findings"].is_array());
  ASSERT_EQ(J["findings"].size(), 5u) << "suppressed findings are listed too, marked";

  const json &F = J["findings"][0];
  EXPECT_EQ(F["ruleId"], "SA001");
  EXPECT_EQ(F["ruleName"], "default-sa-token-automount");
  EXPECT_EQ(F["level"], "error");
  EXPECT_EQ(F["message"], "deployment 'web' in namespace 'shop' mounts the API token of "
                          "ServiceAccount 'default'");
  EXPECT_EQ(F["object"], json({{"apiVersion", "apps/v1"},
                               {"kind", "Deployment"},
                               {"namespace", "shop"},
                               {"name", "web"}}));
  EXPECT_EQ(F["location"]["file"], "charts/web/templates/deployment.yaml");
  EXPECT_EQ(F["location"]["line"], 12);
  EXPECT_EQ(F["location"]["column"], 7);
  EXPECT_EQ(F["location"]["endLine"], 12);
  EXPECT_EQ(F["location"]["endColumn"], 19);
  ASSERT_EQ(F["related"].size(), 1u);
  EXPECT_EQ(F["related"][0]["file"], "charts/web/values.yaml");
  EXPECT_EQ(F["related"][0]["line"], 3);
  EXPECT_EQ(F["related"][0]["column"], 1);
  EXPECT_EQ(F["related"][0]["message"], "automount comes from serviceAccount.automount");
  EXPECT_EQ(F["keyPath"], "spec.template.spec.automountServiceAccountToken");
  EXPECT_EQ(F["target"], "charts/web");
  EXPECT_TRUE(F["suppressed"].is_null());
  EXPECT_TRUE(F["fingerprint"].is_string());
  ASSERT_EQ(F["fixes"].size(), 1u);
  EXPECT_EQ(F["fixes"][0]["description"], "opt out of the token");
  EXPECT_EQ(F["fixes"][0]["file"], "charts/web/templates/deployment.yaml");
  EXPECT_EQ(F["fixes"][0]["replacement"], "automountServiceAccountToken: false\n      ");
}

TEST(JsonReporter, KeepsTheDocumentedKeyOrder) {
  Fixture X = Fixture::typical();
  std::string Out = render("json", X.Data);
  std::size_t Last = 0;
  for (std::string_view Key : {"\"findings\"", "\"ruleId\"", "\"ruleName\"", "\"level\"",
                               "\"message\"", "\"object\"", "\"location\"", "\"related\""}) {
    std::size_t At = Out.find(Key);
    ASSERT_NE(At, std::string::npos) << Key;
    EXPECT_GT(At, Last) << Key;
    Last = At;
  }
  EXPECT_GT(Out.find("\"errors\""), Out.find("\"findings\""));
}

TEST(JsonReporter, FlowAndSuppressionAreAdded) {
  Fixture X = Fixture::typical();
  json J = renderJson(X.Data);
  const json &Access = J["findings"][1];
  ASSERT_EQ(Access["flows"].size(), 1u);
  const json &Flow = Access["flows"][0];
  ASSERT_EQ(Flow.size(), 4u);
  EXPECT_EQ(Flow[1]["file"], "charts/web/templates/rbac.yaml");
  EXPECT_EQ(Flow[1]["line"], 14);
  EXPECT_EQ(Flow[3]["message"], "rule allows get, list on secrets");

  X.Data.Findings[1].FlowStarts = {1};
  X.Data.Findings[1].Permissions = {"can read every Secret in namespace 'shop' (get secrets)"};
  const json Split = renderJson(X.Data)["findings"][1];
  ASSERT_EQ(Split["flows"].size(), 2u);
  EXPECT_EQ(Split["flows"][1].size(), 3u);
  EXPECT_EQ(Split["permissions"][0], "can read every Secret in namespace 'shop' (get secrets)");

  const json &Quiet = J["findings"][4];
  EXPECT_EQ(Quiet["ruleId"], "SA004");
  EXPECT_EQ(Quiet["suppressed"]["justification"], "legacy job, token revoked by admission policy");
  EXPECT_EQ(J["summary"]["suppressed"], 1);
  EXPECT_EQ(J["summary"]["errors"], 2);
  EXPECT_EQ(J["summary"]["warnings"], 1);
  EXPECT_EQ(J["summary"]["notes"], 1);
}

TEST(JsonReporter, ErrorsHaveMessageFileLineColumn) {
  Fixture X = Fixture::typical();
  X.Data.Errors.push_back({"helm template failed (exit 1)", {}, Root + "/charts/db"});
  json J = renderJson(X.Data);
  ASSERT_EQ(J["errors"].size(), 2u);
  const json &E = J["errors"][0];
  EXPECT_EQ(E["message"], "document 2 is not YAML: mapping values are not allowed here");
  EXPECT_EQ(E["file"], "charts/web/templates/broken.yaml");
  EXPECT_EQ(E["line"], 4);
  EXPECT_EQ(E["column"], 9);
  // An error about a whole target keeps the fields, null, and names the target.
  const json &Whole = J["errors"][1];
  EXPECT_TRUE(Whole.contains("file") && Whole["file"].is_null());
  EXPECT_TRUE(Whole.contains("line") && Whole["line"].is_null());
  EXPECT_TRUE(Whole.contains("column") && Whole["column"].is_null());
  EXPECT_EQ(Whole["target"], "charts/db");
}

TEST(JsonReporter, EmptyReportHasBothArrays) {
  Fixture X;
  json J = renderJson(X.Data);
  EXPECT_EQ(J["findings"], json::array());
  EXPECT_EQ(J["errors"], json::array());
}

TEST(JsonReporter, InvalidUtf8DoesNotThrow) {
  Fixture X;
  X.add("SA001", Level::Error, "Deployment", "shop", "we\xff\xfe",
        Fixture::range(X.Deployment, 1, 1, 2), "name 'we\xff\xfe' is not UTF-8");
  std::string Out;
  EXPECT_NO_THROW(Out = render("json", X.Data));
  json J = json::parse(Out, nullptr, false);
  ASSERT_FALSE(J.is_discarded()) << Out;
  EXPECT_EQ(J["findings"][0]["message"], "name 'we\xEF\xBF\xBD\xEF\xBF\xBD' is not UTF-8");
}

TEST(JsonReporter, FingerprintIgnoresLineMoves) {
  Fixture A, B;
  A.add("SA001", Level::Error, "Deployment", "shop", "web", Fixture::range(A.Deployment, 12, 7, 9),
        "m");
  B.add("SA001", Level::Error, "Deployment", "shop", "web", Fixture::range(B.Deployment, 30, 7, 9),
        "m");
  EXPECT_EQ(renderJson(A.Data)["findings"][0]["fingerprint"],
            renderJson(B.Data)["findings"][0]["fingerprint"]);
}
