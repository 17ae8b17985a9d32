#include "ReportTestUtil.h"
#include "SarifValidator.h"

#include "saguard/report/SarifReport.h"
#include "saguard/rules/RuleRegistry.h"

#include "sarif/Fingerprint.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

using namespace saguard;
using namespace saguard::report;
using namespace saguard::report::test;
using namespace saguard::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

json renderSarif(const ReportData &Data, ReporterOptions Options = {}) {
  std::string Out = render("sarif", Data, Options);
  json J = json::parse(Out, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(J.is_discarded()) << Out;
  return J;
}

const json &run0(const json &Log) { return Log["runs"][0]; }

std::string lineHash(const json &Result) {
  return Result["partialFingerprints"]["primaryLocationLineHash"];
}

} // namespace

TEST(SarifReporter, OneRunWithTheFullRuleTable) {
  Fixture X = Fixture::typical();
  json Log = renderSarif(X.Data);
  EXPECT_EQ(Log["version"], "2.1.0");
  ASSERT_EQ(Log["runs"].size(), 1u);
  const json &Driver = run0(Log)["tool"]["driver"];
  EXPECT_EQ(Driver["name"], "saguard");
  EXPECT_EQ(Driver["version"], "0.1.0");
  EXPECT_EQ(Driver["semanticVersion"], "0.1.0");

  const json &Rules = Driver["rules"];
  ASSERT_EQ(Rules.size(), testRules().size()) << "every rule, not only those that fired";
  for (std::size_t I = 0; I < testRules().size(); ++I) {
    EXPECT_EQ(Rules[I]["id"], std::string(testRules()[I].Id));
    EXPECT_EQ(Rules[I]["name"], std::string(testRules()[I].Name));
    EXPECT_EQ(Rules[I]["shortDescription"]["text"], std::string(testRules()[I].Summary));
    EXPECT_FALSE(Rules[I]["fullDescription"]["text"].get<std::string>().empty());
    EXPECT_FALSE(Rules[I]["help"]["text"].get<std::string>().empty());
    EXPECT_EQ(Rules[I]["helpUri"], "https://github.com/saguard/saguard/blob/main/docs/rules/" +
                                       std::string(testRules()[I].Id) + ".md");
    EXPECT_EQ(Rules[I]["properties"]["precision"], "high");
    const json &Tags = Rules[I]["properties"]["tags"];
    EXPECT_NE(std::find(Tags.begin(), Tags.end(), "security"), Tags.end());
    EXPECT_NE(std::find(Tags.begin(), Tags.end(), "kubernetes"), Tags.end());
  }
  EXPECT_EQ(Rules[0]["defaultConfiguration"]["level"], "error");
  EXPECT_EQ(Rules[0]["properties"]["security-severity"], "8.0");
  EXPECT_EQ(Rules[3]["defaultConfiguration"]["level"], "warning");
  EXPECT_EQ(Rules[3]["properties"]["security-severity"], "5.0");
  EXPECT_EQ(Rules[4]["defaultConfiguration"]["level"], "note");
  EXPECT_EQ(Rules[4]["properties"]["security-severity"], "2.0");
  const json &Tags0 = Rules[0]["properties"]["tags"];
  EXPECT_NE(std::find(Tags0.begin(), Tags0.end(), "serviceaccount"), Tags0.end());
  const json &Tags3 = Rules[3]["properties"]["tags"];
  EXPECT_NE(std::find(Tags3.begin(), Tags3.end(), "rbac"), Tags3.end());
}

TEST(SarifReporter, RuleDescriptionsComeFromTheHelpPage) {
  Fixture X;
  json Rule = run0(renderSarif(X.Data))["tool"]["driver"]["rules"][0];
  EXPECT_EQ(Rule["fullDescription"]["text"],
            "A Pod-bearing object runs as its namespace's default ServiceAccount, and the "
            "account's API token is mounted into it (see the docs).");
  EXPECT_EQ(Rule["help"]["markdown"], std::string(SA001Help));
  std::string HelpText = Rule["help"]["text"];
  EXPECT_EQ(HelpText.find("```"), std::string::npos) << HelpText;
  EXPECT_EQ(HelpText.find("## "), std::string::npos) << HelpText;
  EXPECT_NE(HelpText.find("    automountServiceAccountToken: false"), std::string::npos)
      << HelpText;
  EXPECT_NE(HelpText.find("the docs (https://kubernetes.io/docs)"), std::string::npos) << HelpText;
}

TEST(SarifReporter, WhatParagraphHandlesMissingSections) {
  EXPECT_EQ(whatParagraph(""), "");
  EXPECT_EQ(whatParagraph("# X\n\n## Why\n\nno what here\n"), "");
  EXPECT_EQ(whatParagraph("## What\r\n\r\nfirst\r\nline\r\n\r\nsecond\r\n"), "first line");
  std::string Long(3000, 'x');
  Fixture X;
  analysis::RuleInfo Rule = testRules()[0];
  std::string Page = "## What\n\n" + Long + "\n";
  Rule.Help = Page;
  EXPECT_LE(ruleDescriptor(Rule).FullDescription.size(), 1024u);
}

TEST(SarifReporter, ResultsPointAtRelativeUrisWithRuleIndex) {
  Fixture X = Fixture::typical();
  json Log = renderSarif(X.Data);
  const json &Run = run0(Log);
  const json &Rules = Run["tool"]["driver"]["rules"];
  ASSERT_EQ(Run["results"].size(), 5u);
  for (const json &R : Run["results"]) {
    ASSERT_TRUE(R.contains("ruleIndex")) << R.dump();
    EXPECT_EQ(Rules[R["ruleIndex"].get<std::size_t>()]["id"], R["ruleId"]) << R.dump();
    const json &Physical = R["locations"][0]["physicalLocation"];
    std::string Uri = Physical["artifactLocation"]["uri"];
    EXPECT_EQ(Uri.rfind("charts/web/templates/", 0), 0u) << Uri;
    EXPECT_EQ(Physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
  }
  const json &First = Run["results"][0];
  EXPECT_EQ(First["ruleId"], "SA001");
  EXPECT_EQ(First["ruleIndex"], 0);
  EXPECT_EQ(First["level"], "error");
  EXPECT_EQ(First["locations"][0]["physicalLocation"]["region"],
            json({{"startLine", 12}, {"startColumn", 7}, {"endLine", 12}, {"endColumn", 19}}));
  EXPECT_EQ(Run["results"][2]["level"], "warning");
  EXPECT_EQ(Run["results"][3]["level"], "note");
  EXPECT_EQ(Run["columnKind"], "unicodeCodePoints");
  EXPECT_EQ(Run["originalUriBaseIds"]["%SRCROOT%"]["uri"], "file:///repo/");
  EXPECT_EQ(Run["automationDetails"]["id"], "saguard/charts-web/");
}

TEST(SarifReporter, LogicalLocationIsTheObject) {
  Fixture X = Fixture::typical();
  X.add("SA004", Level::Error, "ClusterRoleBinding", "", "everyone",
        Fixture::range(X.Rbac, 50, 1, 5), "cluster-scoped");
  json Run = run0(renderSarif(X.Data));
  const json &Logical = Run["results"][0]["locations"][0]["logicalLocations"][0];
  EXPECT_EQ(Logical["fullyQualifiedName"], "Deployment/shop/web");
  EXPECT_EQ(Logical["kind"], "resource");
  EXPECT_EQ(Run["results"][5]["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
            "ClusterRoleBinding/everyone");
}

TEST(SarifReporter, MessageLinksRelatedLocations) {
  Fixture X = Fixture::typical();
  json Run = run0(renderSarif(X.Data));
  const json &First = Run["results"][0];
  EXPECT_EQ(First["message"]["text"],
            "deployment 'web' in namespace 'shop' mounts the API token of ServiceAccount "
            "'default' (see [automount comes from serviceAccount.automount](1))");
  ASSERT_EQ(First["relatedLocations"].size(), 1u);
  const json &Related = First["relatedLocations"][0];
  EXPECT_EQ(Related["id"], 1);
  EXPECT_EQ(Related["physicalLocation"]["artifactLocation"]["uri"], "charts/web/values.yaml");
  EXPECT_EQ(Related["physicalLocation"]["region"]["startLine"], 3);
  EXPECT_EQ(Related["message"]["text"], "automount comes from serviceAccount.automount");
  // Brackets of the finding's own text are escaped so they do not read as links.
  EXPECT_EQ(Run["results"][1]["message"]["text"],
            "deployment 'web' can read Secrets \\[all of them\\]");
}

TEST(SarifReporter, FlowBecomesOneThreadFlow) {
  Fixture X = Fixture::typical();
  json Run = run0(renderSarif(X.Data));
  const json &Access = Run["results"][1];
  ASSERT_EQ(Access["codeFlows"].size(), 1u);
  ASSERT_EQ(Access["codeFlows"][0]["threadFlows"].size(), 1u);
  const json &Steps = Access["codeFlows"][0]["threadFlows"][0]["locations"];
  ASSERT_EQ(Steps.size(), 4u);
  EXPECT_EQ(Steps[0]["location"]["message"]["text"], "Deployment 'web' runs as 'api'");
  EXPECT_EQ(Steps[1]["location"]["physicalLocation"]["artifactLocation"]["uri"],
            "charts/web/templates/rbac.yaml");
  EXPECT_EQ(Steps[1]["location"]["physicalLocation"]["region"]["startLine"], 14);
  EXPECT_EQ(Steps[3]["location"]["message"]["text"], "rule allows get, list on secrets");
  EXPECT_FALSE(Run["results"][0].contains("codeFlows"));
}

TEST(SarifReporter, FixesAndSuppressions) {
  Fixture X = Fixture::typical();
  json Run = run0(renderSarif(X.Data));
  const json &Fix = Run["results"][0]["fixes"][0];
  EXPECT_EQ(Fix["description"]["text"], "opt out of the token");
  const json &Change = Fix["artifactChanges"][0];
  EXPECT_EQ(Change["artifactLocation"]["uri"], "charts/web/templates/deployment.yaml");
  EXPECT_EQ(Change["replacements"][0]["deletedRegion"],
            json({{"startLine", 12}, {"startColumn", 7}, {"endLine", 12}, {"endColumn", 7}}));
  EXPECT_EQ(Change["replacements"][0]["insertedContent"]["text"],
            "automountServiceAccountToken: false\n      ");

  const json &Quiet = Run["results"][4];
  EXPECT_EQ(Quiet["ruleId"], "SA004");
  ASSERT_EQ(Quiet["suppressions"].size(), 1u);
  EXPECT_EQ(Quiet["suppressions"][0]["kind"], "inSource");
  EXPECT_EQ(Quiet["suppressions"][0]["justification"],
            "legacy job, token revoked by admission policy");
  EXPECT_FALSE(Run["results"][0].contains("suppressions"));
}

TEST(SarifReporter, SuppressedFindingsCanBeLeftOutForGithub) {
  Fixture X = Fixture::typical();
  json Results = run0(renderSarif(X.Data, {.SarifOmitSuppressed = true}))["results"];
  ASSERT_EQ(Results.size(), 4u);
  for (const json &R : Results)
    EXPECT_FALSE(R.contains("suppressions")) << R.dump();
}

TEST(SarifReporter, FingerprintsSurviveLineMoves) {
  Fixture A = Fixture::typical();
  Fixture B = Fixture::typical();
  for (Finding &F : B.Data.Findings) {
    F.Primary.Begin.Line += 7;
    F.Primary.End.Line += 7;
  }
  json RunA = run0(renderSarif(A.Data));
  json RunB = run0(renderSarif(B.Data));
  ASSERT_EQ(RunA["results"].size(), RunB["results"].size());
  for (std::size_t I = 0; I < RunA["results"].size(); ++I) {
    EXPECT_NE(RunA["results"][I]["locations"], RunB["results"][I]["locations"]);
    EXPECT_EQ(RunA["results"][I]["partialFingerprints"], RunB["results"][I]["partialFingerprints"]);
  }
  const json &Prints = RunA["results"][0]["partialFingerprints"];
  EXPECT_TRUE(Prints.contains("primaryLocationLineHash"));
  EXPECT_TRUE(Prints.contains("saguard/v2"));
  EXPECT_EQ(lineHash(RunA["results"][0]),
            sarif::primaryLocationLineHash(semanticKey(A.Data.Findings[0], Root)));
}

TEST(SarifReporter, FingerprintsSeparateObjectsOnOneTemplateLine) {
  // A `range` loop renders two Deployments from one template line.
  Fixture X;
  X.add("SA001", Level::Error, "Deployment", "shop", "web-a",
        Fixture::range(X.Deployment, 12, 7, 9), "a");
  X.add("SA001", Level::Error, "Deployment", "shop", "web-b",
        Fixture::range(X.Deployment, 12, 7, 9), "b");
  // One rule reporting the same key path twice on one object still gives two alerts.
  X.add("SA007", Level::Warning, "Role", "shop", "r", Fixture::range(X.Rbac, 3, 1, 2), "c");
  X.add("SA007", Level::Warning, "Role", "shop", "r", Fixture::range(X.Rbac, 4, 1, 2), "d");
  json Results = run0(renderSarif(X.Data))["results"];
  ASSERT_EQ(Results.size(), 4u);
  EXPECT_NE(lineHash(Results[0]), lineHash(Results[1]));
  EXPECT_NE(lineHash(Results[2]), lineHash(Results[3]));
  EXPECT_NE(Results[2]["partialFingerprints"]["saguard/v2"],
            Results[3]["partialFingerprints"]["saguard/v2"]);
}

TEST(SarifReporter, InputErrorsBecomeNotificationsAndFailTheExecution) {
  Fixture X = Fixture::typical();
  X.Data.Errors.push_back({"helm template failed (exit 1)", {}, Root + "/charts/db"});
  json Invocation = run0(renderSarif(X.Data))["invocations"][0];
  EXPECT_EQ(Invocation["executionSuccessful"], false);
  const json &Notes = Invocation["toolExecutionNotifications"];
  ASSERT_EQ(Notes.size(), 2u);
  EXPECT_EQ(Notes[0]["level"], "error");
  EXPECT_EQ(Notes[0]["message"]["text"],
            "document 2 is not YAML: mapping values are not allowed here");
  const json &Physical = Notes[0]["locations"][0]["physicalLocation"];
  EXPECT_EQ(Physical["artifactLocation"]["uri"], "charts/web/templates/broken.yaml");
  EXPECT_EQ(Physical["region"]["startLine"], 4);
  EXPECT_EQ(Physical["region"]["startColumn"], 9);
  EXPECT_EQ(Notes[1]["level"], "error");
  EXPECT_EQ(Notes[1]["message"]["text"], "charts/db: helm template failed (exit 1)");
  EXPECT_FALSE(Notes[1].contains("locations"));
}

TEST(SarifReporter, CleanRunIsSuccessful) {
  Fixture X = Fixture::typical();
  X.Data.Errors.clear();
  json Invocation = run0(renderSarif(X.Data))["invocations"][0];
  EXPECT_EQ(Invocation["executionSuccessful"], true);
  EXPECT_FALSE(Invocation.contains("toolExecutionNotifications"));
}

TEST(SarifReporter, StatesTheAutomountAssumption) {
  Fixture X;
  X.Data.ClusterAutomountDefault = false;
  json Invocation = run0(renderSarif(X.Data))["invocations"][0];
  EXPECT_EQ(Invocation["executionSuccessful"], true);
  ASSERT_EQ(Invocation["toolExecutionNotifications"].size(), 1u);
  EXPECT_EQ(Invocation["toolExecutionNotifications"][0]["level"], "note");
}

TEST(SarifReporter, KeepsTheMostSevereWithinTheResultLimit) {
  Fixture X;
  X.add("SA010", Level::Note, "Deployment", "shop", "n", Fixture::range(X.Deployment, 1, 1, 2),
        "n");
  X.add("SA007", Level::Warning, "Role", "shop", "w", Fixture::range(X.Rbac, 2, 1, 2), "w");
  X.add("SA001", Level::Error, "Deployment", "shop", "quiet", Fixture::range(X.Deployment, 3, 1, 2),
        "quiet")
      .Suppressed = analysis::Suppression{"ok"};
  X.add("SA001", Level::Error, "Deployment", "shop", "e", Fixture::range(X.Deployment, 4, 1, 2),
        "e");
  json Run = run0(renderSarif(X.Data, {.MaxSarifResults = 2}));
  ASSERT_EQ(Run["results"].size(), 2u);
  EXPECT_EQ(Run["results"][0]["message"]["text"], "e") << "unsuppressed before suppressed";
  EXPECT_EQ(Run["results"][1]["message"]["text"], "quiet");
  const json &Notes = Run["invocations"][0]["toolExecutionNotifications"];
  ASSERT_EQ(Notes.size(), 1u);
  EXPECT_NE(Notes[0]["message"]["text"].get<std::string>().find("2 less severe results"),
            std::string::npos)
      << Notes.dump();
}

TEST(SarifReporter, WritesResultByResultTheRunsBuiltWhole) {
  // The reporter makes each result as it writes it and copies no slice's findings; its log must
  // be the one of the runs built whole, byte for byte: two runs, the limit cutting one, a
  // baseline with a result gone from the second.
  Fixture X = Fixture::typical();
  X.add("SA001", Level::Error, "Deployment", "shop", "other", Fixture::range(X.Deployment, 50, 7, 9),
        "another token");
  X.Data.Baseline.assign(X.Data.Findings.size(), sarif::BaselineState::New);
  X.Data.Baseline[1] = sarif::BaselineState::Unchanged;
  sarif::Result Gone;
  Gone.RuleId = "SA007";
  Gone.Message = "gone";
  Gone.Locations = {{.Physical = {"charts/web/templates/rbac.yaml",
                                  std::string(sarif::SrcRootBaseId), {3, 1, 3, 2}}}};
  Gone.Properties = {{"saguardRun", "saguard/second/"}};
  X.Data.Absent = {Gone};
  RunSlice First, Second;
  First.AutomationId = "saguard/first/";
  First.FindingsEnd = 3;
  First.ErrorsEnd = X.Data.Errors.size();
  Second.AutomationId = "saguard/second/";
  Second.FindingsBegin = 3;
  Second.FindingsEnd = X.Data.Findings.size();
  Second.ErrorsBegin = Second.ErrorsEnd = X.Data.Errors.size();
  X.Data.Runs = {First, Second};
  for (std::size_t Max : {std::size_t(2), std::size_t(25'000)}) {
    ReporterOptions Options;
    Options.MaxSarifResults = Max;
    std::vector<sarif::Run> Whole;
    for (const RunSlice &S : X.Data.Runs)
      Whole.push_back(buildSarifRun(sliceOf(X.Data, S), Options));
    std::string Expected;
    sarif::writeLog(Whole, [&](std::string_view Piece) { Expected += Piece; });
    EXPECT_EQ(render("sarif", X.Data, Options), Expected) << "at most " << Max << " results";
  }
}

TEST(SarifReporter, DefaultLimitIsGithubs) {
  Fixture X;
  for (unsigned I = 0; I <= 25'000; ++I)
    X.add("SA010", I == 0 ? Level::Note : Level::Warning, "Deployment", "shop",
          "d" + std::to_string(I), Fixture::range(X.Deployment, I + 1, 1, 2), "m");
  sarif::Run Run = buildSarifRun(X.Data);
  ASSERT_EQ(Run.Results.size(), 25'000u);
  EXPECT_EQ(Run.Results.back().Lvl, sarif::Level::Warning) << "the note was dropped";
  ASSERT_EQ(Run.Notifications.size(), 1u);
  EXPECT_NE(Run.Notifications[0].Message.find("1 less severe"), std::string::npos);
}

TEST(SarifReporter, FindingWithoutAFileFallsBackToTheTarget) {
  fs::path Base = fs::path(testing::TempDir()) / "saguard-report-sarif";
  fs::remove_all(Base);
  fs::create_directories(Base / "overlays" / "prod");
  std::ofstream(Base / "overlays" / "prod" / "kustomization.yaml") << "resources: []\n";

  Fixture X;
  X.Data.SrcRoot = Base.string();
  X.add("SA001", Level::Error, "Deployment", "shop", "web", SourceRange{}, "m").Target =
      (Base / "overlays" / "prod").string();
  json Run = run0(renderSarif(X.Data));
  ASSERT_EQ(Run["results"].size(), 1u) << "a result must keep a physical location";
  const json &Physical = Run["results"][0]["locations"][0]["physicalLocation"];
  EXPECT_EQ(Physical["artifactLocation"]["uri"], "overlays/prod/kustomization.yaml");
  EXPECT_EQ(Physical["region"]["startLine"], 1);
  fs::remove_all(Base);
}

TEST(SarifReporter, FileOutsideTheRootIsAnAbsoluteUri) {
  Fixture X;
  FileId Tmp = X.Files->intern("/tmp/render/web.yaml");
  X.add("SA001", Level::Error, "Deployment", "shop", "web", Fixture::range(Tmp, 2, 1, 3), "m");
  json Location = run0(renderSarif(X.Data))["results"][0]["locations"][0];
  EXPECT_EQ(Location["physicalLocation"]["artifactLocation"]["uri"], "file:///tmp/render/web.yaml");
  EXPECT_FALSE(Location["physicalLocation"]["artifactLocation"].contains("uriBaseId"));
}

TEST(SarifReporter, RuleMissingFromTheTableGetsADescriptor) {
  Fixture X;
  Finding &F = X.add("SA099", Level::Warning, "Pod", "shop", "p",
                     Fixture::range(X.Deployment, 1, 1, 2), "m");
  F.RuleName = "made-up-rule";
  json Run = run0(renderSarif(X.Data));
  const json &Rules = Run["tool"]["driver"]["rules"];
  ASSERT_EQ(Rules.size(), testRules().size() + 1);
  EXPECT_EQ(Rules.back()["id"], "SA099");
  EXPECT_EQ(Run["results"][0]["ruleIndex"], testRules().size());
}

class SarifSchema : public testing::Test {
protected:
  void SetUp() override { requireSarifValidator(); }
};

TEST_F(SarifSchema, TypicalReportIsValidForGithub) {
  Fixture X = Fixture::typical();
  X.Data.Errors.push_back({"helm template failed (exit 1)", {}, Root + "/charts/db"});
  X.Data.ClusterAutomountDefault = false;
  FileId Tmp = X.Files->intern("/tmp/render/web.yaml");
  X.add("SA001", Level::Error, "Deployment", "shop", "tmp", Fixture::range(Tmp, 2, 1, 3),
        "rendered only")
      .Related = {{Fixture::range(Tmp, 1, 1, 1), ""}, {SourceRange{}, "nowhere"}};
  CommandOutcome Result = validateSarif(render("sarif", X.Data), "saguard-report-typical.sarif");
  EXPECT_EQ(Result.Status, 0) << Result.Output;
  EXPECT_NE(Result.Output.find("valid SARIF 2.1.0"), std::string::npos) << Result.Output;
}

TEST_F(SarifSchema, EmptyReportIsValidForGithub) {
  Fixture X;
  CommandOutcome Result = validateSarif(render("sarif", X.Data), "saguard-report-empty.sarif");
  EXPECT_EQ(Result.Status, 0) << Result.Output;
}

TEST_F(SarifSchema, ValidatorCatchesABrokenReport) {
  // Proves the checks above can fail.
  Fixture X = Fixture::typical();
  json Log = renderSarif(X.Data);
  Log["runs"][0]["results"][0].erase("locations");
  Log["runs"][0]["tool"]["driver"]["rules"][0]["properties"]["security-severity"] = 8;
  CommandOutcome Result = validateSarif(Log.dump(), "saguard-report-broken.sarif");
  EXPECT_EQ(Result.Status, 1) << Result.Output;
}

TEST(SarifReporter, EachGrantPathIsItsOwnCodeFlowAndPermissionsAreProperties) {
  Fixture X = Fixture::typical();
  Finding &Access = X.Data.Findings[1];
  ASSERT_EQ(Access.RuleId, "SA005");
  // A second path: the same Pod through a group binding to another role.
  Access.FlowStarts = {Access.Flow.size()};
  Access.Flow.push_back({Access.Flow[0].Range, "Deployment 'web' runs as 'api'"});
  Access.Flow.push_back({X.Data.Findings[1].Flow[1].Range, "ClusterRoleBinding 'all' names group "
                                                          "'system:serviceaccounts'"});
  Access.Permissions = {"has full control of the cluster (rule * on * in API groups *)",
                        "can read every Secret in namespace 'shop' (get/list secrets)"};
  json Run = run0(renderSarif(X.Data));
  const json &Result = Run["results"][1];
  ASSERT_EQ(Result["codeFlows"].size(), 2u);
  EXPECT_EQ(Result["codeFlows"][0]["threadFlows"][0]["locations"].size(), 4u);
  const json &Second = Result["codeFlows"][1]["threadFlows"][0]["locations"];
  ASSERT_EQ(Second.size(), 2u);
  EXPECT_EQ(Second[1]["location"]["message"]["text"],
            "ClusterRoleBinding 'all' names group 'system:serviceaccounts'");
  EXPECT_EQ(Result["properties"]["permissions"],
            json(std::vector<std::string>(Access.Permissions)));
  EXPECT_FALSE(Run["results"][0]["properties"].contains("permissions"));
}

TEST(SarifReporter, EachResultCarriesItsOwnSecuritySeverity) {
  Fixture X = Fixture::typical();
  X.Data.Findings[1].SecuritySeverity = 9.5;
  json Run = run0(renderSarif(X.Data));
  EXPECT_EQ(Run["results"][1]["properties"]["security-severity"], "9.5");
  EXPECT_FALSE(Run["results"][0]["properties"].contains("security-severity"))
      << "an unranked finding leaves it to its rule";
  X.Data.Rules = analysis::allRules();
  json RealRun = run0(renderSarif(X.Data));
  for (const json &Rule : RealRun["tool"]["driver"]["rules"])
    if (Rule["id"] == "SA012") {
      EXPECT_EQ(Rule["properties"]["security-severity"], "10.0");
    }
}
