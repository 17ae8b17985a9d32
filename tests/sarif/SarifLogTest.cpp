#include "sarif/SarifLog.h"

#include <gtest/gtest.h>

using namespace sarif;
using nlohmann::json;

namespace {

Result resultAt(std::string RuleId, std::string Uri, unsigned Line = 3) {
  Result R;
  R.RuleId = std::move(RuleId);
  R.Message = "pod 'web' mounts the API token";
  R.Locations.push_back({{std::move(Uri), std::string(SrcRootBaseId), {Line, 5, Line, 9}}});
  return R;
}

Run runWith(std::vector<Result> Results) {
  sarif::Run R;
  R.ToolName = "saguard";
  R.Rules.push_back(
      {.Id = "SA001", .ShortDescription = "short", .FullDescription = "full", .HelpText = "help"});
  R.Results = std::move(Results);
  return R;
}

std::string uriOf(const json &Run, std::size_t ResultIndex = 0) {
  return Run["results"][ResultIndex]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
}

} // namespace

TEST(SarifLog, GoldenRun) {
  sarif::Run R;
  R.ToolName = "saguard";
  R.SemanticVersion = "0.1.0";
  R.InformationUri = "https://example.com/saguard";
  R.AutomationId = "saguard/charts-web/";
  R.SrcRoot = "/repo";
  R.Rules.push_back({.Id = "SA001",
                     .Name = "default-sa-token-automount",
                     .ShortDescription = "Pod mounts the default token",
                     .FullDescription = "Pod runs as the default ServiceAccount with its token",
                     .HelpText = "Set automountServiceAccountToken: false.",
                     .HelpMarkdown = "Set `automountServiceAccountToken: false`.",
                     .DefaultLevel = Level::Error,
                     .Tags = {"security"},
                     .Precision = "high",
                     .SecuritySeverity = "8.0"});
  Result Res = resultAt("SA001", "./charts/web/templates/deploy.yaml");
  Res.Lvl = Level::Error;
  Res.PartialFingerprints["primaryLocationLineHash"] = "0123456789abcdef:1";
  R.Results.push_back(Res);

  json Expected = json::parse(R"({
    "tool": {"driver": {
      "name": "saguard", "semanticVersion": "0.1.0", "informationUri": "https://example.com/saguard",
      "rules": [{
        "id": "SA001", "name": "default-sa-token-automount",
        "shortDescription": {"text": "Pod mounts the default token"},
        "fullDescription": {"text": "Pod runs as the default ServiceAccount with its token"},
        "help": {"text": "Set automountServiceAccountToken: false.",
                 "markdown": "Set `automountServiceAccountToken: false`."},
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["security"], "precision": "high", "security-severity": "8.0"}
      }]}},
    "columnKind": "unicodeCodePoints",
    "automationDetails": {"id": "saguard/charts-web/"},
    "originalUriBaseIds": {"%SRCROOT%": {"uri": "file:///repo/"}},
    "invocations": [{"executionSuccessful": true}],
    "results": [{
      "ruleId": "SA001", "ruleIndex": 0, "level": "error",
      "message": {"text": "pod 'web' mounts the API token"},
      "locations": [{"physicalLocation": {
        "artifactLocation": {"uri": "charts/web/templates/deploy.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 3, "startColumn": 5, "endLine": 3, "endColumn": 9}}}],
      "partialFingerprints": {"primaryLocationLineHash": "0123456789abcdef:1"}
    }]
  })");
  json Actual = toJson(R);
  EXPECT_EQ(Actual, Expected) << json::diff(Expected, Actual).dump(2);
}

TEST(SarifLog, LogHasSchemaVersionAndRuns) {
  json Log = logJson({runWith({}), runWith({})});
  EXPECT_EQ(Log["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
  EXPECT_EQ(Log["version"], "2.1.0");
  EXPECT_EQ(Log["runs"].size(), 2u);
  EXPECT_EQ(Log["runs"][0]["columnKind"], "unicodeCodePoints");
  EXPECT_EQ(json::parse(writeLog({runWith({})})), logJson({runWith({})}));
}

TEST(SarifLog, RelativeUrisAreNormalised) {
  json J = toJson(runWith({resultAt("SA001", "./templates/deploy.yaml"),
                           resultAt("SA001", "././a//b/./c/../d.yaml"),
                           resultAt("SA001", "../shared/x.yaml")}));
  EXPECT_EQ(uriOf(J, 0), "templates/deploy.yaml");
  EXPECT_EQ(uriOf(J, 1), "a/b/d.yaml");
  EXPECT_EQ(uriOf(J, 2), "../shared/x.yaml");
  EXPECT_EQ(J["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"],
            "%SRCROOT%");
}

TEST(SarifLog, UrisArePercentEncoded) {
  json J = toJson(runWith({resultAt("SA001", "my chart/50%:v1#x.yaml")}));
  EXPECT_EQ(uriOf(J), "my%20chart/50%25%3Av1%23x.yaml");
}

TEST(SarifLog, AbsolutePathsBecomeFileUrisWithoutBase) {
  json J = toJson(runWith({resultAt("SA001", "/tmp/render x/out.yaml"),
                           resultAt("SA001", "https://example.com/a.yaml")}));
  json Artifact = J["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
  EXPECT_EQ(Artifact, json::parse(R"({"uri": "file:///tmp/render%20x/out.yaml"})"));
  EXPECT_EQ(uriOf(J, 1), "https://example.com/a.yaml");
}

TEST(SarifLog, SrcRootIsADirectoryUri) {
  sarif::Run R = runWith({});
  R.SrcRoot = "/work/my repo/./";
  EXPECT_EQ(toJson(R)["originalUriBaseIds"]["%SRCROOT%"]["uri"], "file:///work/my%20repo/");
  R.SrcRoot.clear();
  EXPECT_FALSE(toJson(R).contains("originalUriBaseIds"));
}

TEST(SarifLog, RuleIndexFollowsTheRuleTable) {
  sarif::Run R = runWith(
      {resultAt("SA002", "a.yaml"), resultAt("SA001", "a.yaml"), resultAt("SA999", "a.yaml")});
  R.Rules.push_back({.Id = "SA002", .ShortDescription = "second"});
  json J = toJson(R);
  EXPECT_EQ(J["tool"]["driver"]["rules"][1]["id"], "SA002");
  EXPECT_EQ(J["results"][0]["ruleIndex"], 1);
  EXPECT_EQ(J["results"][1]["ruleIndex"], 0);
  // A rule missing from the table gets no index rather than a wrong one.
  EXPECT_FALSE(J["results"][2].contains("ruleIndex"));
  EXPECT_EQ(J["results"][2]["ruleId"], "SA999");
}

TEST(SarifLog, RequiredRuleTextsAreNeverEmpty) {
  sarif::Run R = runWith({});
  R.Rules = {{.Id = "SA001", .Name = "some-name"}, {.Id = "SA002"}};
  json Rules = toJson(R)["tool"]["driver"]["rules"];
  EXPECT_EQ(Rules[0]["shortDescription"]["text"], "some-name");
  EXPECT_EQ(Rules[0]["fullDescription"]["text"], "some-name");
  EXPECT_EQ(Rules[0]["help"]["text"], "some-name");
  EXPECT_EQ(Rules[1]["shortDescription"]["text"], "SA002");
  EXPECT_EQ(Rules[1]["defaultConfiguration"]["level"], "warning");
  EXPECT_FALSE(Rules[1].contains("properties"));
}

TEST(SarifLog, ResultsWithoutAFileLineAreLeftOutAndReported) {
  Result NoLocation = resultAt("SA001", "a.yaml");
  NoLocation.Locations.clear();
  Result NoLine = resultAt("SA001", "a.yaml", 0);
  Result OnlyDot = resultAt("SA001", "./");
  sarif::Run R = runWith({NoLocation, NoLine, OnlyDot, resultAt("SA001", "a.yaml")});
  json J = toJson(R);
  ASSERT_EQ(J["results"].size(), 1u);
  json Notes = J["invocations"][0]["toolExecutionNotifications"];
  ASSERT_EQ(Notes.size(), 3u);
  EXPECT_EQ(Notes[0]["level"], "warning");
  EXPECT_EQ(Notes[0]["message"]["text"],
            "result of rule 'SA001' left out: its first location has no file and line");
}

TEST(SarifLog, RelatedLocationsFlowsFixesSuppressionsAndBaseline) {
  Result Res = resultAt("SA001", "a.yaml");
  Res.Message = "token mounted; see [the account](1)";
  Res.RelatedLocations.push_back({.Physical = {"sa.yaml", "%SRCROOT%", {2, 1, 0, 0}},
                                  .LogicalFullyQualifiedName = "ServiceAccount/shop/default",
                                  .LogicalKind = "object",
                                  .Message = "the account",
                                  .Id = 1});
  Res.CodeFlows.push_back({{.Physical = {"a.yaml", "%SRCROOT%", {3}}, .Message = "pod"},
                           {.Physical = {"sa.yaml", "%SRCROOT%", {2}}, .Message = "account"}});
  Res.CodeFlows.push_back({}); // empty flows are invalid SARIF and are skipped
  Res.Fixes.push_back({"opt out", {"a.yaml", "%SRCROOT%", {4, 3, 4, 3}}, "automount: false\n"});
  Res.Suppressions.push_back({SuppressionKind::External, "accepted risk"});
  Res.Baseline = BaselineState::Unchanged;
  Res.Properties = {{"k8s.kind", "Pod"}};
  json J = toJson(runWith({Res}))["results"][0];

  json Related = J["relatedLocations"][0];
  EXPECT_EQ(Related["id"], 1);
  EXPECT_EQ(Related["message"]["text"], "the account");
  EXPECT_EQ(Related["physicalLocation"]["region"],
            json::parse(R"({"startLine":2,"startColumn":1})"));
  EXPECT_EQ(
      Related["logicalLocations"],
      json::parse(R"([{"fullyQualifiedName":"ServiceAccount/shop/default","kind":"object"}])"));

  ASSERT_EQ(J["codeFlows"].size(), 1u);
  json Steps = J["codeFlows"][0]["threadFlows"][0]["locations"];
  ASSERT_EQ(Steps.size(), 2u);
  EXPECT_EQ(Steps[1]["location"]["message"]["text"], "account");

  EXPECT_EQ(J["fixes"][0], json::parse(R"({
    "description": {"text": "opt out"},
    "artifactChanges": [{
      "artifactLocation": {"uri": "a.yaml", "uriBaseId": "%SRCROOT%"},
      "replacements": [{"deletedRegion": {"startLine": 4, "startColumn": 3, "endLine": 4, "endColumn": 3},
                        "insertedContent": {"text": "automount: false\n"}}]}]})"));
  EXPECT_EQ(J["suppressions"],
            json::parse(R"([{"kind": "external", "justification": "accepted risk"}])"));
  EXPECT_EQ(J["baselineState"], "unchanged");
  EXPECT_EQ(J["properties"]["k8s.kind"], "Pod");
}

TEST(SarifLog, NotificationsGoToTheFirstInvocation) {
  sarif::Run R = runWith({});
  R.ExecutionSuccessful = false;
  R.Notifications.push_back({"document 2 is not YAML", Level::Error,
                             Location{.Physical = {"values.yaml", "%SRCROOT%", {7, 1}}}});
  json Invocation = toJson(R)["invocations"][0];
  EXPECT_EQ(Invocation["executionSuccessful"], false);
  json Note = Invocation["toolExecutionNotifications"][0];
  EXPECT_EQ(Note["level"], "error");
  EXPECT_EQ(Note["message"]["text"], "document 2 is not YAML");
  EXPECT_EQ(Note["locations"][0]["physicalLocation"]["region"]["startLine"], 7);
}

TEST(SarifLog, InvalidUtf8InAMessageDoesNotThrow) {
  Result Res = resultAt("SA001", "a.yaml");
  Res.Message = "image 'web\xff\xfe' is not pinned";
  std::string Text;
  ASSERT_NO_THROW(Text = writeLog({runWith({Res})}));
  EXPECT_NE(Text.find("web\xEF\xBF\xBD"), std::string::npos); // U+FFFD replaces the bad bytes
  EXPECT_TRUE(json::accept(Text));
}

TEST(SarifLog, EscapeMessageTextProtectsBracketsAndBackslashes) {
  EXPECT_EQ(escapeMessageText(R"(verbs [*](x) in a\b)"), R"(verbs \[*\](x) in a\\b)");
  EXPECT_EQ(escapeMessageText("plain"), "plain");
}

TEST(SarifLog, ResultsHandedOverOneAtATimeMakeTheSameLog) {
  // Heads without results, whose results come one at a time: the same bytes as the runs whole,
  // once the heads say which results have no place.
  sarif::Run R;
  R.ToolName = "saguard";
  R.Rules = {{.Id = "SA001", .Name = "a", .ShortDescription = "s"}};
  for (int I = 0; I < 3; ++I) {
    sarif::Result Res;
    Res.RuleId = "SA001";
    Res.Message = "m" + std::to_string(I);
    if (I != 1)
      Res.Locations = {{.Physical = {"a.yaml", std::string(sarif::SrcRootBaseId), {1, 1, 1, 2}}}};
    R.Results.push_back(Res);
  }
  std::vector<sarif::Run> Runs = {R, R};
  std::string Whole;
  sarif::writeLog(Runs, [&](std::string_view Piece) { Whole += Piece; });
  std::vector<sarif::Run> Heads = Runs;
  for (sarif::Run &Head : Heads) {
    for (const sarif::Result &Res : Head.Results)
      if (!sarif::hasPrimaryLocation(Res))
        Head.Notifications.push_back(sarif::missingLocationNotice(Res));
    Head.Results.clear();
  }
  std::string Streamed;
  sarif::writeLog(
      Heads,
      [&](std::size_t I, const std::function<void(const sarif::Result &)> &Each) {
        for (const sarif::Result &Res : Runs[I].Results)
          Each(Res);
      },
      [&](std::string_view Piece) { Streamed += Piece; });
  EXPECT_EQ(Streamed, Whole);
}

TEST(SarifLog, LevelNamesRoundTrip) {
  for (Level L : {Level::None, Level::Note, Level::Warning, Level::Error})
    EXPECT_EQ(parseLevel(levelName(L)), L);
  EXPECT_EQ(levelName(Level::Note), "note");
  EXPECT_EQ(parseLevel("fatal"), std::nullopt);
}

TEST(SarifLog, StreamedLogEqualsTheDocument) {
  // The piecewise writer must produce the same log as the document, results and all.
  sarif::Run R;
  R.ToolName = "saguard";
  R.AutomationId = "saguard/x/";
  R.Rules = {{.Id = "SA001", .Name = "a", .ShortDescription = "s"}};
  for (int I = 0; I < 3; ++I) {
    sarif::Result Res;
    Res.RuleId = "SA001";
    Res.Message = "m" + std::to_string(I);
    Res.Locations = {{.Physical = {"a.yaml", std::string(sarif::SrcRootBaseId), {1, 1, 1, 2}}}};
    R.Results.push_back(Res);
  }
  sarif::Result NoLocation;
  NoLocation.RuleId = "SA001";
  NoLocation.Message = "dropped";
  R.Results.push_back(NoLocation);
  sarif::Run Empty = R;
  Empty.Results.clear();
  for (const std::vector<sarif::Run> &Runs :
       {std::vector<sarif::Run>{R}, std::vector<sarif::Run>{R, Empty}, std::vector<sarif::Run>{}}) {
    std::string Streamed;
    sarif::writeLog(Runs, [&](std::string_view Piece) { Streamed += Piece; });
    EXPECT_EQ(nlohmann::json::parse(Streamed), sarif::logJson(Runs));
  }
}
