// The SARIF that GitHub code scanning reads, written by the real binary on corpus charts and
// overlays: schema-valid, and with every property code scanning uses (sarif/README.md).
#include "IntegrationUtil.h"
#include "SarifValidator.h"

#include <fstream>
#include <map>
#include <regex>
#include <sstream>

using namespace saguard::test;
using nlohmann::json;

namespace {

const std::string Corpus = SAGUARD_SHARED_DIR "/corpus";

/// Runs saguard from the corpus folder (not a git work tree, so URIs are relative to it) and
/// returns the SARIF it wrote to stdout, after checking it against the schema and GitHub's rules.
json sarifOf(std::vector<std::string> Args, int ExpectedExit, const std::string &Name) {
  Args.insert(Args.begin(), SAGUARD_BIN);
  Args.insert(Args.end(), {"--format", "sarif"});
  std::string Helm = requireTool("helm");
  Outcome O = run(Args,
                  {{"PATH", std::filesystem::path(Helm).parent_path().string() + ":/usr/bin:/bin"},
                   {"HELM_BIN", std::nullopt}},
                  Corpus);
  EXPECT_EQ(O.Exit, ExpectedExit) << O.Err;
  CommandOutcome Valid = validateSarif(O.Out, Name);
  EXPECT_EQ(Valid.Status, 0) << Valid.Output;
  return parseJson(O.Out);
}

void expectRuleMetadata(const json &Run) {
  const json &Rules = Run.at("tool").at("driver").at("rules");
  ASSERT_GE(Rules.size(), 12u);
  for (const json &R : Rules) {
    SCOPED_TRACE(R.value("id", "?"));
    for (const char *Text : {"shortDescription", "fullDescription"})
      EXPECT_FALSE(R.at(Text).at("text").get<std::string>().empty()) << Text;
    EXPECT_FALSE(R.at("help").at("text").get<std::string>().empty());
    EXPECT_NE(R.at("help").at("markdown").get<std::string>().find("## "), std::string::npos);
    EXPECT_EQ(R.at("helpUri").get<std::string>().rfind("https://", 0), 0u);
    const json &P = R.at("properties");
    const json &Tags = P.at("tags");
    EXPECT_NE(std::find(Tags.begin(), Tags.end(), "security"), Tags.end());
    double Severity = std::stod(P.at("security-severity").get<std::string>());
    EXPECT_GT(Severity, 0.0);
    EXPECT_LE(Severity, 10.0);
    EXPECT_TRUE(P.at("precision") == "very-high" || P.at("precision") == "high" ||
                P.at("precision") == "medium" || P.at("precision") == "low");
  }
}

void expectResultsCodeScanningReads(const json &Run) {
  const json &Results = Run.at("results");
  ASSERT_FALSE(Results.empty());
  for (const json &R : Results) {
    SCOPED_TRACE(R.dump().substr(0, 300));
    ASSERT_FALSE(R.at("locations").empty());
    const json &Physical = R.at("locations").at(0).at("physicalLocation");
    std::string Uri = Physical.at("artifactLocation").at("uri");
    EXPECT_FALSE(Uri.empty());
    EXPECT_NE(Uri.rfind("./", 0), 0u);
    EXPECT_EQ(Uri.find("://"), std::string::npos) << "not relative";
    EXPECT_NE(Uri.front(), '/');
    EXPECT_EQ(Physical.at("artifactLocation").at("uriBaseId"), "%SRCROOT%");
    EXPECT_GE(Physical.at("region").at("startLine").get<int>(), 1);
    EXPECT_FALSE(
        R.at("partialFingerprints").at("primaryLocationLineHash").get<std::string>().empty());
    // Code scanning shows related locations only through [text](id) links in the message.
    std::string Message = R.at("message").at("text");
    if (R.contains("relatedLocations")) {
      for (const json &L : R.at("relatedLocations"))
        EXPECT_NE(Message.find("](" + std::to_string(L.at("id").get<int>()) + ")"),
                  std::string::npos)
            << Message;
    }
  }
  EXPECT_EQ(Run.at("originalUriBaseIds").at("%SRCROOT%").at("uri").get<std::string>().back(), '/');
}

} // namespace

TEST(CodeScanning, HelmChartSarifHasWhatGithubReads) {
  requireSarifValidator();
  json Log = sarifOf({"helm", "helm/velero"}, 1, "velero.sarif");
  ASSERT_FALSE(Log.is_discarded());
  ASSERT_EQ(Log.at("runs").size(), 1u);
  const json &Run = Log["runs"][0];
  expectRuleMetadata(Run);
  expectResultsCodeScanningReads(Run);
  EXPECT_EQ(Run.at("automationDetails").at("id"), "saguard/helm/velero/");
  // Findings point at the chart's templates, not at the rendered stream.
  for (const json &R : Run.at("results"))
    EXPECT_EQ(
        R["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].get<std::string>().rfind(
            "helm/velero/templates/", 0),
        0u);
}

TEST(CodeScanning, KustomizeOverlaySarifHasWhatGithubReads) {
  requireSarifValidator();
  std::string Kubectl = requireTool("kubectl");
  ASSERT_FALSE(Kubectl.empty());
  json Log = sarifOf({"kustomize", "kustomize/microservices-demo", "--kustomize-bin", Kubectl}, 1,
                     "microservices-demo.sarif");
  ASSERT_FALSE(Log.is_discarded());
  const json &Run = Log.at("runs").at(0);
  expectRuleMetadata(Run);
  expectResultsCodeScanningReads(Run);
  EXPECT_EQ(Run.at("automationDetails").at("id"), "saguard/kustomize/microservices-demo/");
  // Findings point at the overlay's resource files (origin annotations), not the build output.
  for (const json &R : Run.at("results"))
    EXPECT_EQ(
        R["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].get<std::string>().rfind(
            "kustomize/microservices-demo/", 0),
        0u);
  bool LinkedRelated = false;
  for (const json &R : Run.at("results"))
    LinkedRelated |= R.contains("relatedLocations") && !R["relatedLocations"].empty();
  EXPECT_TRUE(LinkedRelated) << "no result with related locations to check the links of";
}

TEST(CodeScanning, TwoDeploymentsFromOneTemplateLineAreTwoAlerts) {
  requireSarifValidator();
  json Log = sarifOf(
      {"helm", SAGUARD_SOURCE_DIR "/tests/integrations/fixtures/range-chart", "--enable", "SA001"},
      1, "range-chart.sarif");
  ASSERT_FALSE(Log.is_discarded());
  const json &Results = Log.at("runs").at(0).at("results");
  ASSERT_EQ(Results.size(), 2u);
  const json &A = Results[0]["locations"][0]["physicalLocation"];
  const json &B = Results[1]["locations"][0]["physicalLocation"];
  // One file, one line: the range loop's template...
  EXPECT_EQ(A["artifactLocation"]["uri"], B["artifactLocation"]["uri"]);
  EXPECT_EQ(A["region"]["startLine"], B["region"]["startLine"]);
  EXPECT_NE(A["artifactLocation"]["uri"].get<std::string>().find("templates/deployments.yaml"),
            std::string::npos);
  // ...and still two alerts: code scanning keys alerts on file, rule and this hash.
  EXPECT_NE(Results[0]["partialFingerprints"]["primaryLocationLineHash"],
            Results[1]["partialFingerprints"]["primaryLocationLineHash"]);
}

TEST(CodeScanning, MoreThan25000FindingsStayWithinGithubsLimit) {
  requireSarifValidator();
  ScratchDir Dir("sarif-limit");
  constexpr int Pods = 25'100;
  {
    std::ofstream Out(Dir / "pods.yaml");
    for (int I = 0; I < Pods; ++I)
      Out << "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p" << I
          << "}\nspec: {containers: [{name: a, image: b}]}\n";
  }
  Outcome O = run({SAGUARD_BIN, "scan", Dir / "pods.yaml", "--enable", "SA001", "--format", "sarif",
                   "-o", Dir / "pods.sarif"});
  EXPECT_EQ(O.Exit, 1) << O.Err;
  std::ifstream In(Dir / "pods.sarif");
  std::stringstream Text;
  Text << In.rdbuf();
  json Log = parseJson(Text.str());
  ASSERT_FALSE(Log.is_discarded());
  const json &Run = Log.at("runs").at(0);
  EXPECT_EQ(Run.at("results").size(), 25'000u);
  bool Said = false;
  for (const json &N : Run.at("invocations").at(0).at("toolExecutionNotifications"))
    Said |= N.at("message").at("text").get<std::string>().find("100") != std::string::npos;
  EXPECT_TRUE(Said) << Run.at("invocations").dump().substr(0, 2000);
  // The validator's --github mode takes any file over 10 MB for too large, since the limit is
  // on the gzip-compressed upload; check the schema with it, and the compressed size here.
  CommandOutcome Valid =
      runCommand("NODE_PATH=" + shellQuote(sarifToolsDir()) + " node " +
                 shellQuote(SarifValidatorScript) + " " + shellQuote(Dir / "pods.sarif"));
  EXPECT_EQ(Valid.Status, 0) << Valid.Output;
  CommandOutcome Gzipped = runCommand("gzip -c " + shellQuote(Dir / "pods.sarif") + " | wc -c");
  ASSERT_EQ(Gzipped.Status, 0) << Gzipped.Output;
  EXPECT_LT(std::stoul(Gzipped.Output), 10u * 1024 * 1024);
}
