#include "SarifValidator.h"
#include "sarif/Fingerprint.h"
#include "sarif/SarifLog.h"

#include <gtest/gtest.h>

using namespace sarif;
using nlohmann::json;
using saguard::test::CommandOutcome;

namespace {

CommandOutcome validate(const json &Log, const std::string &FileName) {
  return saguard::test::validateSarif(serialize(Log), FileName);
}

Location at(std::string Uri, unsigned Line, unsigned Column, unsigned EndColumn,
            std::string Message = "", int Id = -1) {
  return {.Physical = {std::move(Uri), std::string(SrcRootBaseId), {Line, Column, Line, EndColumn}},
          .Message = std::move(Message),
          .Id = Id};
}

// Everything the writer can produce, in the shape saguard will produce it.
Run realisticRun() {
  sarif::Run R;
  R.ToolName = "saguard";
  R.ToolVersion = "0.1.0+g1234abc";
  R.SemanticVersion = "0.1.0";
  R.InformationUri = "https://github.com/example/saguard";
  R.AutomationId = "saguard/charts-web/";
  R.SrcRoot = "/home/runner/work/repo";
  R.ExecutionSuccessful = false;
  R.Rules = {
      {.Id = "SA001",
       .Name = "default-sa-token-automount",
       .ShortDescription = "Pod runs as the default ServiceAccount with its API token mounted",
       .FullDescription = "A pod that uses the default ServiceAccount and mounts its token "
                          "gives every container the namespace's default API identity.",
       .HelpText = "Set automountServiceAccountToken: false on the pod.",
       .HelpMarkdown = "## Fix\n\n```yaml\nautomountServiceAccountToken: false\n```",
       .HelpUri = "https://github.com/example/saguard/blob/main/docs/rules/SA001.md",
       .DefaultLevel = Level::Error,
       .Tags = {"security", "kubernetes", "rbac"},
       .Precision = "high",
       .SecuritySeverity = "8.0"},
      {.Id = "SA005",
       .Name = "pod-can-read-secrets",
       .ShortDescription = "Pod's ServiceAccount can read Secrets",
       .DefaultLevel = Level::Warning,
       .Precision = "medium",
       .ProblemSeverity = "warning"}};

  Result Token;
  Token.RuleId = "SA001";
  Token.Lvl = Level::Error;
  Token.Message = "pod 'web' in namespace 'shop' mounts the API token of ServiceAccount "
                  "'default'; see [the rendered manifest](1)";
  Token.Locations = {at("./charts/web/templates/deployment.yaml", 12, 7, 19)};
  Token.Locations[0].LogicalFullyQualifiedName = "Deployment/shop/web";
  Token.Locations[0].LogicalKind = "object";
  Token.RelatedLocations = {at("/tmp/saguard-render/web.yaml", 40, 7, 19, "rendered manifest", 1)};
  Token.Fixes = {
      {"opt out of the token",
       {"charts/web/templates/deployment.yaml", std::string(SrcRootBaseId), {12, 7, 12, 7}},
       "automountServiceAccountToken: false\n      "}};
  Token.PartialFingerprints[std::string(PrimaryLocationLineHashKey)] =
      primaryLocationLineHash("SA001|Deployment/shop/web|spec.template.spec");
  Token.Baseline = BaselineState::New;
  Token.Properties = {{"k8s.kind", "Deployment"}, {"helm.source", "web/templates/deployment.yaml"}};

  Result Secrets;
  Secrets.RuleId = "SA005";
  Secrets.Message =
      "pod 'api' can get Secrets " + escapeMessageText("[*]") + " through [RoleBinding 'api'](1)";
  Secrets.Locations = {at("charts/api/values.yaml", 3, 1, 20)};
  Secrets.RelatedLocations = {at("charts/api/templates/rbac.yaml", 20, 3, 10, "binding", 1)};
  Secrets.CodeFlows = {{at("charts/api/templates/pod.yaml", 8, 3, 25, "pod uses account 'api'"),
                        at("charts/api/templates/rbac.yaml", 20, 3, 10, "bound to Role 'reader'"),
                        at("charts/api/templates/rbac.yaml", 9, 5, 30, "which can get secrets")}};
  Secrets.PartialFingerprints[std::string(PrimaryLocationLineHashKey)] =
      primaryLocationLineHash("SA005|Pod/shop/api|spec.serviceAccountName");
  Secrets.Baseline = BaselineState::Unchanged;

  Result Suppressed = Secrets;
  Suppressed.Lvl = Level::Note;
  Suppressed.Suppressions = {{SuppressionKind::InSource, "reviewed: read-only debug pod"}};
  Suppressed.Baseline = BaselineState::Updated;

  R.Results = {Token, Secrets, Suppressed};
  R.Notifications = {{"document 3 of charts/db/templates/cm.yaml is not YAML", Level::Error,
                      at("charts/db/templates/cm.yaml", 2, 1, 4)}};
  return R;
}

class SchemaValidation : public testing::Test {
protected:
  void SetUp() override { saguard::test::requireSarifValidator(); }
};

} // namespace

TEST_F(SchemaValidation, RealisticLogIsValidForGithub) {
  CommandOutcome Result = validate(logJson({realisticRun()}), "saguard-sample.sarif");
  EXPECT_EQ(Result.Status, 0) << Result.Output;
  EXPECT_NE(Result.Output.find("valid SARIF 2.1.0 (+ GitHub code scanning checks)"),
            std::string::npos)
      << Result.Output;
}

TEST_F(SchemaValidation, ValidatorRejectsAResultWithoutLocations) {
  // Proves the check above can fail: the writer never produces this, so build it by hand.
  json Log = logJson({realisticRun()});
  Log["runs"][0]["results"][0]["locations"] = json::array();
  Log["runs"][0]["results"][0]["level"] = "fatal";
  CommandOutcome Result = validate(Log, "saguard-broken.sarif");
  EXPECT_EQ(Result.Status, 1) << Result.Output;
  EXPECT_NE(Result.Output.find("/runs/0/results/0/level"), std::string::npos) << Result.Output;
  EXPECT_NE(Result.Output.find("GitHub needs at least one location"), std::string::npos)
      << Result.Output;
}
