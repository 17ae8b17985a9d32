//===- TemplateLocationsTest.cpp - findings at the template line that wrote the key -------===//
//
// Fixture charts under fixtures/charts, each showing one way a chart writes a key: a pod
// template in a helper file (`template` after a key, `include ... | indent N`), if/else
// branches, a multi-object template that helm prints in another order, a subchart whose key
// the parent's values set, a template that fails. `saguard helm` must put each finding and error
// on the exact line and column, and SARIF must link only to files that exist.
//
//===----------------------------------------------------------------------===//
#include "E2eUtil.h"

#include <gtest/gtest.h>

#include <filesystem>

using namespace saguard::e2e;

namespace {

const std::string Charts = std::string(SAGUARD_SOURCE_DIR) + "/tests/e2e/fixtures/charts";

/// "file:line:column" of a location (a JSON object with file, line and column); reports name
/// files from the repository's root, which the fixtures folder's path is dropped from.
std::string at(const Json &Location) {
  std::string File = Location.value("file", "");
  const std::string Fixtures = "tests/e2e/fixtures/charts/";
  if (File.compare(0, Fixtures.size(), Fixtures) == 0)
    File = File.substr(Fixtures.size());
  return File + ":" + std::to_string(Location.value("line", 0)) + ":" +
         std::to_string(Location.value("column", 0));
}

/// The report of `saguard helm test <Chart> Extra...` run in the fixtures folder.
const Json &helm(const std::string &Chart, std::vector<std::string> Extra = {}) {
  std::vector<std::string> Args = {"helm", "test", Chart, "--format", "json", "--fail-on", "none"};
  Args.insert(Args.end(), Extra.begin(), Extra.end());
  const RunResult &R = runSaguard(Args, Charts);
  EXPECT_EQ(R.Exit, 0) << R.Stderr;
  EXPECT_TRUE(R.Report.is_object()) << R.Stdout << R.Stderr;
  return R.Report;
}

/// The one finding of Rule on the object of Kind named Name.
Json only(const Json &Report, const std::string &Rule, const std::string &Kind,
          const std::string &Name) {
  std::vector<Json> Found = findingsOf(Report, Rule, Kind, Name);
  EXPECT_EQ(Found.size(), 1u) << Report.dump(2);
  return Found.empty() ? Json::object() : Found[0];
}

/// The "file:line:column" of the related locations whose message contains Text.
std::vector<std::string> relatedAt(const Json &Finding, const std::string &Text) {
  std::vector<std::string> Out;
  for (const Json &R : relatedWith(Finding, Text))
    Out.push_back(at(R));
  return Out;
}

TEST(TemplateLocations, PodTemplateInAHelperFile) {
  const Json &R = helm("helper-pod");
  // `template: {{ template "helper-pod.podTemplate" . }}`: the define carries its own indentation.
  Json Deployment = only(R, "SA001", "Deployment", "test-web");
  EXPECT_EQ(at(Deployment["location"]), "helper-pod/templates/_podtemplate.tpl:6:7");
  EXPECT_EQ(relatedAt(Deployment, "value pod.automount"),
            std::vector<std::string>{"helper-pod/values.yaml:4:3"});
  // `{{ include "helper-pod.jobSpec" . | indent 4 }}` at column 0.
  Json Job = only(R, "SA001", "Job", "test-job");
  EXPECT_EQ(at(Job["location"]), "helper-pod/templates/_podtemplate.tpl:14:3");
  EXPECT_EQ(relatedAt(Job, "value pod.automount"),
            std::vector<std::string>{"helper-pod/values.yaml:4:3"});
}

TEST(TemplateLocations, IfElseBranches) {
  const Json &R = helm("branches");
  // crossplane's two spellings: `.Values.serviceAccount.name` is empty, so the `template` branch
  // wrote it, and only that one is named.
  const RunResult &Unknown =
      runSaguard({"helm", "test", "branches", "--format", "json", "--fail-on", "none", "--set",
                  "serviceAccount.create=false", "-s", "templates/deployment.yaml"},
                 Charts);
  Json SA010 = only(Unknown.Report, "SA010", "Deployment", "test-branches");
  EXPECT_EQ(at(SA010["location"]), "branches/templates/deployment.yaml:17:7");
  EXPECT_TRUE(relatedWith(SA010, "another branch").empty()) << SA010.dump(2);
  // Both values keys hold `true`: the first branch, with the other named.
  Json SA008 = only(R, "SA008", "Deployment", "test-branches");
  EXPECT_EQ(at(SA008["location"]), "branches/templates/deployment.yaml:20:7");
  EXPECT_EQ(relatedAt(SA008, "another branch of the template"),
            std::vector<std::string>{"branches/templates/deployment.yaml:22:7"});
  EXPECT_EQ(relatedAt(SA008, "value automount in values.yaml"),
            std::vector<std::string>{"branches/values.yaml:4:1"});
}

TEST(TemplateLocations, ReorderedMultiObjectTemplateAndRuleEntries) {
  const Json &R = helm("reordered");
  // helm prints the ServiceAccount and the Roles before the RoleBinding and the Deployment; each
  // object is found by its kind and the literal part of its printf name, the rule by its text.
  Json Reader = only(R, "SA007", "Role", "test-reordered-reader");
  EXPECT_EQ(at(Reader["location"]), "reordered/templates/rbac.yaml:24:5");
  Json Writer = only(R, "SA007", "Role", "test-reordered-writer");
  EXPECT_EQ(at(Writer["location"]), "reordered/templates/rbac.yaml:55:5");
  Json Token = only(R, "SA005", "Deployment", "test-reordered");
  EXPECT_EQ(at(Token["location"]), "reordered/templates/rbac.yaml:41:7");
  EXPECT_EQ(relatedAt(Token, "this rule allows"),
            std::vector<std::string>{"reordered/templates/rbac.yaml:55:5"});
  ASSERT_EQ(Token["flows"].size(), 1u) << Token.dump(2);
  std::vector<std::string> Steps;
  for (const Json &Step : Token["flows"][0])
    Steps.push_back(at(Step));
  EXPECT_EQ(Steps, (std::vector<std::string>{
                       "reordered/templates/rbac.yaml:41:7", // serviceAccountName
                       "reordered/templates/rbac.yaml:60:1", // the ServiceAccount
                       "reordered/templates/rbac.yaml:13:5", // the RoleBinding's subject
                       "reordered/templates/rbac.yaml:47:1", // the writer Role
                       "reordered/templates/rbac.yaml:55:5"}));
}

TEST(TemplateLocations, SubchartValuesNotesNameTheParentsKey) {
  Json F = only(helm("umbrella"), "SA002", "Deployment", "test-worker");
  EXPECT_EQ(at(F["location"]), "umbrella/charts/worker/templates/serviceaccount.yaml:6:1");
  EXPECT_EQ(relatedAt(F, "value worker.serviceAccount.automount in values.yaml"),
            std::vector<std::string>{"umbrella/values.yaml:4:5"});

  TempDir Dir;
  std::string Over = Dir.write("over.yaml", "worker:\n  serviceAccount:\n    automount: true\n");
  Json FromFile = only(helm("umbrella", {"-f", Over}), "SA002", "Deployment", "test-worker");
  EXPECT_EQ(relatedAt(FromFile, "value worker.serviceAccount.automount in over.yaml"),
            std::vector<std::string>{Over + ":3:5"});

  Json FromSet = only(helm("umbrella", {"--set", "worker.serviceAccount.automount=true"}),
                      "SA002", "Deployment", "test-worker");
  EXPECT_EQ(relatedAt(FromSet, "value worker.serviceAccount.automount in values.yaml "
                               "(overridden by --set)"),
            std::vector<std::string>{"umbrella/values.yaml:4:5"});
}

TEST(TemplateLocations, PackagedSubchartPointsAtTheParentsValuesKey) {
  // The umbrella fixture with its worker subchart packaged by helm as charts/worker-0.1.0.tgz.
  TempDir Dir;
  for (const char *File : {"Chart.yaml", "values.yaml", "templates/configmap.yaml"}) {
    std::vector<std::string> Lines = readLines(Charts + "/umbrella/" + File);
    std::string Text;
    for (const std::string &L : Lines)
      Text += L + "\n";
    Dir.write(std::string("umbrella/") + File, Text);
  }
  RunResult Package = runProgram(
      {"helm", "package", Charts + "/umbrella/charts/worker", "-d", "umbrella/charts"}, Dir.path());
  ASSERT_EQ(Package.Exit, 0) << Package.Stderr;
  const RunResult &R = runSaguard(
      {"helm", "test", "umbrella", "--format", "json", "--fail-on", "none"}, Dir.path());
  ASSERT_EQ(R.Exit, 0) << R.Stderr;
  Json F = only(R.Report, "SA002", "Deployment", "test-worker");
  EXPECT_EQ(at(F["location"]), "umbrella/values.yaml:4:5") << F.dump(2);
  EXPECT_EQ(relatedAt(F, "rendered from worker/templates/serviceaccount.yaml:6 in "
                         "worker-0.1.0.tgz"),
            std::vector<std::string>{"umbrella/Chart.yaml:5:5"});
}

TEST(TemplateLocations, ScanOfHelmOutputFollowsSourceComments) {
  RunResult R = runProgram({"sh", "-c",
                            "helm template test reordered | '" SAGUARD_BIN
                            "' scan - --chart reordered --format json --fail-on none"},
                           Charts);
  ASSERT_EQ(R.Exit, 0) << R.Stderr;
  Json Report = Json::parse(R.Stdout, nullptr, /*allow_exceptions=*/false);
  Json Writer = only(Report, "SA007", "Role", "test-reordered-writer");
  EXPECT_EQ(at(Writer["location"]), "reordered/templates/rbac.yaml:55:5");
  Json Token = only(Report, "SA005", "Deployment", "test-reordered");
  EXPECT_EQ(at(Token["location"]), "reordered/templates/rbac.yaml:41:7");
  // Without --chart, the stream is all there is.
  RunResult Plain = runProgram(
      {"sh", "-c",
       "helm template test reordered | '" SAGUARD_BIN "' scan - --format json --fail-on none"},
      Charts);
  Json PlainReport = Json::parse(Plain.Stdout, nullptr, /*allow_exceptions=*/false);
  EXPECT_EQ(only(PlainReport, "SA007", "Role", "test-reordered-writer")["location"].value(
                "file", ""),
            "<stdin>");
}

TEST(TemplateLocations, FailingTemplateAtTheLineHelmNames) {
  auto ErrorAt = [](std::vector<std::string> Extra) {
    std::vector<std::string> Args = {"helm", "test", "failing", "--format", "json"};
    Args.insert(Args.end(), Extra.begin(), Extra.end());
    const RunResult &R = runSaguard(Args, Charts);
    EXPECT_EQ(R.Exit, 2) << R.Stderr;
    EXPECT_EQ(R.Report["errors"].size(), 1u) << R.Stdout;
    return R.Report["errors"].empty() ? std::string() : at(R.Report["errors"][0]);
  };
  // `execution error at (failing/templates/configmap.yaml:9:11)`: the `required` call.
  EXPECT_EQ(ErrorAt({}), "failing/templates/configmap.yaml:9:11");
  // `YAML parse error on failing/templates/configmap.yaml: ... line 6`: the line of the rendered
  // document helm names, in the template.
  EXPECT_EQ(ErrorAt({"--set", "badYaml=true"}), "failing/templates/configmap.yaml:6:1");
  // A document helm renders but saguard cannot read: at the `# Source:` template's first line
  // of YAML, past the comment.
  EXPECT_EQ(ErrorAt({"--set", "name=x", "--set", "noKind=true"}),
            "failing/templates/extra.yaml:3:1");
}

/// The artifact locations of a SARIF log, wherever they are nested.
void artifactUris(const Json &J, std::vector<std::string> &Out) {
  if (J.is_object()) {
    for (auto It = J.begin(); It != J.end(); ++It)
      if (It.key() == "artifactLocation" && It.value().contains("uri"))
        Out.push_back(It.value()["uri"]);
      else
        artifactUris(It.value(), Out);
  } else if (J.is_array()) {
    for (const Json &E : J)
      artifactUris(E, Out);
  }
}

TEST(TemplateLocations, SarifPointsOnlyAtFilesThatExist) {
  const RunResult &Sarif = runSaguard(
      {"helm", "test", "reordered", "--format", "sarif", "--fail-on", "none"}, Charts);
  ASSERT_EQ(Sarif.Exit, 0) << Sarif.Stderr;
  std::vector<std::string> Uris;
  artifactUris(Sarif.Report, Uris);
  ASSERT_FALSE(Uris.empty());
  for (const std::string &Uri : Uris) {
    EXPECT_EQ(Uri.find('%'), std::string::npos) << "a name with blanks: " << Uri;
    EXPECT_TRUE(std::filesystem::is_regular_file(std::string(SAGUARD_SOURCE_DIR) + "/" + Uri))
        << Uri;
  }
  // JSON keeps the rendered position.
  Json F = only(helm("reordered"), "SA007", "Role", "test-reordered-writer");
  EXPECT_EQ(relatedWith(F, "rendered at line 30 of `helm template` output").size(), 1u)
      << F.dump(2);
}

TEST(TemplateLocations, KeepRenderWritesTheRenderAndSarifLinksToIt) {
  TempDir Kept;
  const RunResult &Sarif = runSaguard({"helm", "test", "reordered", "--format", "sarif",
                                       "--fail-on", "none", "--keep-render", Kept.path()},
                                      Charts);
  ASSERT_EQ(Sarif.Exit, 0) << Sarif.Stderr;
  const std::string File = Kept.path() + "/reordered.helm.yaml";
  RunResult Helm = runProgram({"helm", "template", "test", "reordered"}, Charts);
  ASSERT_EQ(Helm.Exit, 0) << Helm.Stderr;
  std::vector<std::string> Lines = readLines(File);
  std::string Text;
  for (const std::string &L : Lines)
    Text += L + "\n";
  EXPECT_EQ(Text, Helm.Stdout) << "the kept render is what helm wrote";

  // Every rendered position is now a link into the kept file, at the line its message names.
  size_t Links = 0;
  for (const Json &Run : Sarif.Report["runs"])
    for (const Json &Result : Run["results"])
      for (const Json &Related : Result.value("relatedLocations", Json::array())) {
        std::string Message = Related["message"].value("text", "");
        const std::string Said = "rendered at line ";
        size_t At = Message.find(Said);
        if (At == std::string::npos)
          continue;
        const Json &Physical = Related["physicalLocation"];
        std::string Uri = Physical["artifactLocation"].value("uri", "");
        EXPECT_NE(Uri.find("reordered.helm.yaml"), std::string::npos) << Uri;
        EXPECT_EQ(Physical["region"].value("startLine", 0),
                  std::stoi(Message.substr(At + Said.size())))
            << Message;
        ++Links;
      }
  EXPECT_GT(Links, 0u) << Sarif.Stdout;
}

} // namespace
