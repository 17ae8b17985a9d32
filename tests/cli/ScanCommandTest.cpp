// `saguard scan` end to end on fixture manifests: exact findings, errors, formats, exit codes.
#include "RunSaguard.h"
#include "SarifValidator.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <set>
#include <tuple>

using namespace saguard::test;
using nlohmann::json;

namespace {

const std::string Automount = "tests/cli/fixtures/automount.yaml";
const std::string Broken = "tests/cli/fixtures/broken.yaml";
const std::string Clean = "tests/cli/fixtures/clean.yaml";

using Hit = std::tuple<std::string, std::string, int, int>; // rule, file, line, column

std::set<Hit> hits(const json &Report) {
  std::set<Hit> Out;
  for (const json &F : Report.at("findings"))
    Out.insert({F.at("ruleId").get<std::string>(), F.at("location").at("file").get<std::string>(),
                F.at("location").at("line").get<int>(), F.at("location").at("column").get<int>()});
  return Out;
}

json runJson(std::vector<std::string> Args, int ExpectedExit) {
  Args.insert(Args.end(), {"--format", "json"});
  SaguardRun Run = runSaguard(Args);
  EXPECT_EQ(Run.Exit, ExpectedExit) << Run.Err;
  return json::parse(Run.Out, nullptr, /*allow_exceptions=*/false);
}

} // namespace

TEST(Scan, EveryAutomountRuleAtTheDecidingKey) {
  json Report = runJson({"scan", Automount}, 1);
  ASSERT_FALSE(Report.is_discarded());
  EXPECT_EQ(hits(Report), (std::set<Hit>{{"SA003", Automount, 2, 1},
                                         {"SA001", Automount, 17, 5},
                                         {"SA002", Automount, 25, 1},
                                         {"SA008", Automount, 57, 11},
                                         {"SA009", Automount, 66, 1},
                                         {"SA010", Automount, 74, 3},
                                         {"SA011", Automount, 74, 3}}));
  EXPECT_TRUE(Report.at("errors").empty());
}

TEST(Scan, JsonHasTheShapeOfTheSpec) {
  json Report = runJson({"scan", Automount, "--enable", "SA001"}, 1);
  ASSERT_EQ(Report.at("findings").size(), 1u);
  const json &F = Report["findings"][0];
  EXPECT_EQ(F.at("ruleName"), "default-sa-token-automount");
  EXPECT_EQ(F.at("level"), "error");
  EXPECT_EQ(F.at("object"), (json{{"apiVersion", "apps/v1"},
                                  {"kind", "Deployment"},
                                  {"namespace", "shop"},
                                  {"name", "web"}}));
  EXPECT_NE(F.at("message").get<std::string>().find("Deployment 'web'"), std::string::npos);
  EXPECT_TRUE(F.at("related").is_array());
}

TEST(Scan, BadDocumentsAreLocatedAndDoNotHideTheOthers) {
  json Report = runJson({"scan", Broken}, 2);
  EXPECT_EQ(hits(Report), (std::set<Hit>{{"SA001", Broken, 4, 1}, {"SA001", Broken, 19, 1}}));
  ASSERT_EQ(Report.at("errors").size(), 2u);
  std::set<int> Lines;
  for (const json &E : Report["errors"]) {
    EXPECT_EQ(E.at("file").get<std::string>(), Broken);
    Lines.insert(E.at("line").get<int>());
  }
  EXPECT_GE(*Lines.begin(), 8);
  EXPECT_LE(*Lines.begin(), 10);
  EXPECT_EQ(*Lines.rbegin(), 14);
}

TEST(Scan, DocumentsLoadedOnSeveralThreadsGiveTheSameBytes) {
  // One target, so every job beyond the first loads its documents: bad documents among good
  // ones in every namespace, each copy's objects apart from the others'.
  std::string Fixtures = readFile(std::string(SAGUARD_SOURCE_DIR) + "/" + Automount) + "\n---\n" +
                         readFile(std::string(SAGUARD_SOURCE_DIR) + "/" + Broken);
  std::string Stream;
  constexpr int Copies = 150;
  for (int I = 0; I < Copies; ++I) {
    std::string Copy = Fixtures;
    for (size_t At = 0; (At = Copy.find("name: ", At)) != std::string::npos; At += 6)
      Copy.insert(At + 6, "c" + std::to_string(I) + "-");
    Stream += Copy + "\n---\n";
  }
  Scratch S("scan-threads");
  writeFile(S / "stream.yaml", Stream);
  for (const char *Format : {"json", "sarif", "text", "gcc"}) {
    auto WithJobs = [&](const char *Jobs) {
      return runSaguard({"scan", S / "stream.yaml", "--format", Format, "--jobs", Jobs});
    };
    SaguardRun One = WithJobs("1"), Two = WithJobs("2"), Three = WithJobs("3");
    EXPECT_EQ(One.Exit, 2) << Format;
    EXPECT_EQ(Two.Exit, 2) << Format;
    EXPECT_EQ(Three.Exit, 2) << Format;
    EXPECT_TRUE(One.Out == Two.Out && One.Out == Three.Out) << Format << ": the report differs";
    EXPECT_TRUE(One.Err == Two.Err && One.Err == Three.Err) << Format << ": stderr differs";
    if (std::string(Format) == "json") {
      json Report = json::parse(One.Out);
      EXPECT_EQ(Report.at("errors").size(), 2u * Copies);
      EXPECT_GT(Report.at("findings").size(), size_t(Copies));
    }
  }
}

TEST(Scan, ExitCodesFollowFailOn) {
  EXPECT_EQ(runSaguard({"scan", Clean}).Exit, 0);
  EXPECT_EQ(runSaguard({"scan", Automount}).Exit, 1);
  EXPECT_EQ(runSaguard({"scan", Automount, "--fail-on", "none"}).Exit, 0);
  // SA010 and SA011 are notes: failing on error only, warnings and notes pass.
  EXPECT_EQ(runSaguard({"scan", Automount, "--disable", "SA001", "--fail-on", "error"}).Exit, 0);
  EXPECT_EQ(runSaguard({"scan", Automount, "--enable", "SA010", "--fail-on", "note"}).Exit, 1);
  // Input errors win over findings.
  EXPECT_EQ(runSaguard({"scan", Broken, "--fail-on", "none"}).Exit, 2);
}

TEST(Scan, UsageErrorsExitTwo) {
  EXPECT_EQ(runSaguard({"scan", Automount, "--format", "xml"}).Exit, 2);
  SaguardRun Unknown = runSaguard({"scan", Automount, "--disable", "SA999"});
  EXPECT_EQ(Unknown.Exit, 2);
  EXPECT_NE(Unknown.Err.find("unknown rule 'SA999'"), std::string::npos) << Unknown.Err;
  SaguardRun Missing = runSaguard({"scan", "tests/cli/fixtures/no-such-file.yaml"});
  EXPECT_EQ(Missing.Exit, 2);
  EXPECT_NE(Missing.Out.find("no-such-file.yaml"), std::string::npos) << Missing.Out;
}

TEST(Scan, ReadsStdinAndDirectories) {
  // The shell only wires the file to stdin; the binary comes in as $0.
  SaguardRun Stdin = runProgram({"/bin/sh", "-c",
                                 "exec \"$0\" scan - --format gcc < " + Automount, SAGUARD_BIN});
  EXPECT_EQ(Stdin.Exit, 1) << Stdin.Err;
  EXPECT_NE(Stdin.Out.find("<stdin>:17:5: error:"), std::string::npos) << Stdin.Out;
  // One set across files: clean.yaml's `default` account (automount off) covers the Pods of
  // broken.yaml, which alone give SA001.
  json Dir = runJson({"scan", "tests/cli/fixtures"}, 2);
  std::set<std::string> Files;
  for (const json &F : Dir.at("findings"))
    Files.insert(F.at("location").at("file").get<std::string>());
  EXPECT_EQ(Files, (std::set<std::string>{Automount}));
  EXPECT_EQ(Dir.at("errors").size(), 2u);
}

TEST(Scan, GccAndGithubLines) {
  SaguardRun Gcc = runSaguard({"scan", Automount, "--format", "gcc"});
  EXPECT_NE(Gcc.Out.find(Automount + ":17:5: error: Deployment 'web' in namespace 'shop'"),
            std::string::npos)
      << Gcc.Out;
  SaguardRun Github = runSaguard({"scan", Automount, "--format", "github"});
  EXPECT_NE(Github.Out.find("::error file=" + Automount + ",line=17,col=5,"), std::string::npos)
      << Github.Out;
}

TEST(Scan, SarifOutputFileIsValidForGithub) {
  requireSarifValidator();
  std::string Out = testing::TempDir() + "scan-broken.sarif";
  SaguardRun Run = runSaguard({"scan", Automount, Broken, "--format", "sarif", "-o", Out});
  EXPECT_EQ(Run.Exit, 2);
  EXPECT_TRUE(Run.Out.empty());
  std::ifstream In(Out);
  json Log = json::parse(In, nullptr, false);
  ASSERT_FALSE(Log.is_discarded());
  // One run per target, in the order of their ids; the broken file's run holds its errors.
  ASSERT_EQ(Log["runs"].size(), 2u);
  EXPECT_EQ(Log["runs"][0]["automationDetails"]["id"], "saguard/" + Automount + "/");
  EXPECT_EQ(Log["runs"][0]["invocations"][0]["executionSuccessful"], true);
  EXPECT_EQ(Log["runs"][0]["results"].size(), 7u);
  const json &R = Log["runs"][1];
  EXPECT_EQ(R["automationDetails"]["id"], "saguard/" + Broken + "/");
  EXPECT_EQ(R["invocations"][0]["executionSuccessful"], false);
  EXPECT_EQ(R["invocations"][0]["toolExecutionNotifications"].size(), 2u);
  EXPECT_EQ(R["results"].size(), 2u);
  // The full rule table, one entry per line of `saguard rules`.
  std::string List = runSaguard({"rules"}).Out;
  EXPECT_EQ(R["tool"]["driver"]["rules"].size(),
            static_cast<size_t>(std::count(List.begin(), List.end(), '\n')));
  std::ifstream Again(Out);
  std::string Text((std::istreambuf_iterator<char>(Again)), std::istreambuf_iterator<char>());
  CommandOutcome Check = validateSarif(Text, "scan-broken-copy.sarif");
  EXPECT_EQ(Check.Status, 0) << Check.Output;
}

TEST(Rules, ListsEveryRuleAndPrintsHelpPages) {
  SaguardRun List = runSaguard({"rules"});
  EXPECT_EQ(List.Exit, 0);
  for (const char *Id : {"SA001", "SA002", "SA003", "SA008", "SA009", "SA010", "SA011"})
    EXPECT_NE(List.Out.find(Id), std::string::npos) << Id;
  SaguardRun Help = runSaguard({"rules", "SA001"});
  EXPECT_EQ(Help.Exit, 0);
  EXPECT_EQ(Help.Out.rfind("# SA001 default-sa-token-automount", 0), 0u) << Help.Out;
  EXPECT_NE(Help.Out.find("## Suppress"), std::string::npos);
  EXPECT_EQ(runSaguard({"rules", "default-sa-token-automount"}).Out, Help.Out);
  EXPECT_EQ(runSaguard({"rules", "SA999"}).Exit, 2);
}
