// The real binary with the controls users know from other linters: suppression annotations,
// .saguard.yaml, --baseline, --shard with `saguard merge`, --sarif-omit-suppressed.
#include "RunSaguard.h"
#include "SarifValidator.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>

using namespace saguard::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string Automount = "tests/cli/fixtures/automount.yaml";
// Not in fixtures/: ScanCommandTest scans that folder as a whole.
const std::string Suppressed = "tests/cli/suppression/suppressed.yaml";

json parse(const std::string &Text) {
  json J = json::parse(Text, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(J.is_discarded()) << Text.substr(0, 2000);
  return J;
}

std::multiset<std::string> ruleIds(const json &Report) {
  std::multiset<std::string> Out;
  for (const json &F : Report.at("findings"))
    Out.insert(F.at("ruleId").get<std::string>());
  return Out;
}

std::vector<std::string> baselineStates(const json &Sarif) {
  std::vector<std::string> Out;
  for (const json &R : Sarif.at("runs").at(0).at("results"))
    Out.push_back(R.value("baselineState", "<none>"));
  return Out;
}

} // namespace

TEST(Suppression, AnnotatedFindingsAreListedAsSuppressedAndDoNotFail) {
  SaguardRun Text = runSaguard({"scan", Suppressed});
  EXPECT_EQ(Text.Exit, 0) << Text.Err;
  EXPECT_NE(Text.Out.find("suppressed (2):"), std::string::npos) << Text.Out;
  EXPECT_NE(Text.Out.find("reads the API through its sidecar; ticket SEC-12"), std::string::npos);
  EXPECT_NE(Text.Out.find("saguard.io/ignore on ServiceAccount/shop/legacy"), std::string::npos);

  SaguardRun Sarif = runSaguard({"scan", Suppressed, "--format", "sarif"});
  EXPECT_EQ(Sarif.Exit, 0) << Sarif.Err;
  json Log = parse(Sarif.Out);
  const json &Results = Log.at("runs").at(0).at("results");
  ASSERT_EQ(Results.size(), 2u);
  for (const json &R : Results) {
    ASSERT_EQ(R.at("suppressions").size(), 1u);
    EXPECT_EQ(R["suppressions"][0].at("kind"), "inSource");
    EXPECT_FALSE(R["suppressions"][0].at("justification").get<std::string>().empty());
  }
  // For GitHub, which would open suppressed results as alerts.
  SaguardRun Upload =
      runSaguard({"scan", Suppressed, "--format", "sarif", "--sarif-omit-suppressed"});
  EXPECT_EQ(Upload.Exit, 0);
  EXPECT_TRUE(parse(Upload.Out).at("runs").at(0).at("results").empty());
}

TEST(Baseline, ARunAgainstItselfIsAllUnchangedAndPasses) {
  Scratch S("baseline-self");
  for (const std::string &Input : {Suppressed, Automount}) {
    SCOPED_TRACE(Input);
    SaguardRun First = runSaguard({"scan", Input, "--format", "sarif", "-o", S / "base.sarif"});
    ASSERT_NE(First.Exit, 2) << First.Err;
    SaguardRun Again =
        runSaguard({"scan", Input, "--format", "sarif", "--baseline", S / "base.sarif"});
    EXPECT_EQ(Again.Exit, 0) << Again.Err;
    json Log = parse(Again.Out);
    std::vector<std::string> States = baselineStates(Log);
    EXPECT_FALSE(States.empty());
    for (const std::string &State : States)
      EXPECT_EQ(State, "unchanged");
    SaguardRun Text = runSaguard({"scan", Input, "--baseline", S / "base.sarif"});
    EXPECT_EQ(Text.Exit, 0);
    EXPECT_NE(Text.Out.find("no new findings"), std::string::npos) << Text.Out;
  }
}

TEST(Baseline, NewFindingsFailAndGoneOnesAreAbsent) {
  requireSarifValidator();
  Scratch S("baseline-diff");
  std::string Manifest = S / "app.yaml";
  std::string Original = readFile(std::string(SAGUARD_SOURCE_DIR "/") + Automount);
  writeFile(Manifest, Original);
  SaguardRun First = runSaguard({"scan", Manifest, "--format", "sarif", "-o", S / "base.sarif"});
  ASSERT_EQ(First.Exit, 1) << First.Err;

  // Lines moved (a comment block on top): fingerprints do not depend on lines.
  writeFile(Manifest, "# moved\n# down\n# three lines\n" + Original);
  SaguardRun Moved = runSaguard({"scan", Manifest, "--baseline", S / "base.sarif"});
  EXPECT_EQ(Moved.Exit, 0) << Moved.Out << Moved.Err;

  // The Pod 'legacy' renamed: its two findings are gone, the renamed Pod's two are new.
  std::string Renamed = Original;
  size_t At = Renamed.find("name: legacy");
  ASSERT_NE(At, std::string::npos);
  Renamed.replace(At, 12, "name: legacy2");
  writeFile(Manifest, Renamed);
  SaguardRun Json = runSaguard(
      {"scan", Manifest, "--baseline", S / "base.sarif", "--format", "json", "--fail-on", "note"});
  // SA010 and SA011 are notes: new notes fail a --fail-on note run.
  EXPECT_EQ(Json.Exit, 1) << Json.Err;
  json Report = parse(Json.Out);
  std::multiset<std::string> New;
  for (const json &F : Report.at("findings"))
    if (F.at("baselineState") == "new")
      New.insert(F.at("ruleId").get<std::string>());
    else
      EXPECT_EQ(F.at("baselineState"), "unchanged") << F.dump();
  EXPECT_EQ(New, (std::multiset<std::string>{"SA010", "SA011"}));
  EXPECT_EQ(Report.at("summary").at("absent"), 2);
  EXPECT_EQ(Report.at("summary").at("notes"), 2); // only new findings are counted
  EXPECT_EQ(Report.at("absent").size(), 2u);
  // The default --fail-on warning: the new findings are notes, the old warnings are baselined.
  EXPECT_EQ(runSaguard({"scan", Manifest, "--baseline", S / "base.sarif"}).Exit, 0);

  SaguardRun Sarif =
      runSaguard({"scan", Manifest, "--baseline", S / "base.sarif", "--format", "sarif"});
  json Log = parse(Sarif.Out);
  std::multiset<std::string> States;
  for (const std::string &State : baselineStates(Log))
    States.insert(State);
  EXPECT_EQ(States.count("new"), 2u);
  EXPECT_EQ(States.count("absent"), 2u);
  EXPECT_EQ(States.count("unchanged"), 5u);
  CommandOutcome Valid = validateSarif(Sarif.Out, "baseline-absent.sarif");
  EXPECT_EQ(Valid.Status, 0) << Valid.Output;
  // Upload mode leaves the absent ones out: GitHub would open them as alerts.
  SaguardRun Upload = runSaguard({"scan", Manifest, "--baseline", S / "base.sarif", "--format",
                                  "sarif", "--sarif-omit-suppressed"});
  for (const std::string &State : baselineStates(parse(Upload.Out)))
    EXPECT_NE(State, "absent");

  // gcc and github lines show only what is new.
  SaguardRun Gcc =
      runSaguard({"scan", Manifest, "--baseline", S / "base.sarif", "--format", "gcc"});
  // Fix notes follow their findings; the findings are the other lines.
  size_t Lines = std::count(Gcc.Out.begin(), Gcc.Out.end(), '\n'), Fixes = 0;
  for (size_t At = 0; (At = Gcc.Out.find(": note: fix: ", At)) != std::string::npos; ++At)
    ++Fixes;
  EXPECT_EQ(Lines - Fixes, 2u) << Gcc.Out;
}

TEST(Baseline, AnObjectOfAManifestDirectoryIsKnownByItsFile) {
  Scratch S("baseline-files");
  const std::string Pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\n"
                          "spec:\n  containers: [{name: app, image: nginx}]\n";
  std::filesystem::create_directories(S / "dir");
  writeFile(S / "dir/a.yaml", Pod);
  writeFile(S / "dir/b.yaml", Pod);
  SaguardRun Both = runSaguard({"scan", S / "dir", "--format", "sarif", "-o", S / "base.sarif"});
  ASSERT_EQ(Both.Exit, 1) << Both.Err;
  json Base = parse(readFile(S / "base.sarif"));
  std::vector<std::string> Prints;
  for (const json &R : Base.at("runs").at(0).at("results"))
    Prints.push_back(R.at("partialFingerprints").at("primaryLocationLineHash"));
  ASSERT_EQ(Prints.size(), 2u);
  EXPECT_NE(Prints[0], Prints[1]);
  // The Pod of b.yaml stays itself when a.yaml's twin goes, not the first of its name.
  std::filesystem::remove(S / "dir/a.yaml");
  SaguardRun One = runSaguard(
      {"scan", S / "dir", "--format", "json", "--fail-on", "none", "--baseline", S / "base.sarif"});
  json Report = parse(One.Out);
  ASSERT_EQ(Report.at("findings").size(), 1u) << One.Out;
  EXPECT_EQ(Report["findings"][0].at("baselineState"), "unchanged");
  ASSERT_EQ(Report.at("absent").size(), 1u);
  EXPECT_NE(Report["absent"][0].at("location").value("file", "").find("a.yaml"), std::string::npos)
      << Report["absent"].dump();
}

TEST(Baseline, AnUnreadableBaselineIsAnInputError) {
  Scratch S("baseline-bad");
  writeFile(S / "bad.sarif", "{not json");
  SaguardRun Run = runSaguard({"scan", Automount, "--baseline", S / "bad.sarif"});
  EXPECT_EQ(Run.Exit, 2);
  EXPECT_NE(Run.Err.find("saguard: error: baseline"), std::string::npos) << Run.Err;
  Run = runSaguard({"scan", Automount, "--baseline", S / "missing.sarif"});
  EXPECT_EQ(Run.Exit, 2);
  EXPECT_NE(Run.Err.find("missing.sarif"), std::string::npos) << Run.Err;
}

TEST(Config, FoundUpwardFromTheTargetAndApplied) {
  Scratch S("config");
  fs::create_directories(S.Dir / "deploy/manifests");
  std::string Manifest = S / "deploy/manifests/app.yaml";
  writeFile(Manifest, readFile(std::string(SAGUARD_SOURCE_DIR "/") + Automount));
  json Plain = parse(runSaguard({"scan", Manifest, "--format", "json"}).Out);
  EXPECT_EQ(ruleIds(Plain), (std::multiset<std::string>{"SA001", "SA002", "SA003", "SA008", "SA009",
                                                        "SA010", "SA011"}));

  writeFile(S / "deploy/.saguard.yaml", R"(# found from deploy/manifests/app.yaml
disable: [SA010, deprecated-service-account-field]
levels: {SA003: note, unneeded-token-automount: error}
ignore:
  objects: ["CronJob/shop/*"]
  accounts: ["shop/worker"]
failOn: error
)");
  SaguardRun Run = runSaguard({"scan", Manifest, "--format", "json"});
  json Report = parse(Run.Out);
  // SA002 (StatefulSet running as shop/worker) and SA009 (its token Secret, not a Pod) differ:
  // an ignored account drops the findings of its Pods and of the account object itself.
  EXPECT_EQ(ruleIds(Report), (std::multiset<std::string>{"SA001", "SA003", "SA009"}));
  for (const json &F : Report.at("findings"))
    if (F.at("ruleId") == "SA003") {
      EXPECT_EQ(F.at("level"), "note");
    }
  EXPECT_EQ(Run.Exit, 1); // SA001 is an error, failOn: error

  // Command-line flags win: --enable brings back a rule the file disables, --fail-on wins.
  Run =
      runSaguard({"scan", Manifest, "--format", "json", "--enable", "SA010", "--fail-on", "none"});
  EXPECT_EQ(Run.Exit, 0) << Run.Err;
  EXPECT_EQ(ruleIds(parse(Run.Out)), (std::multiset<std::string>{"SA010"}));

  // --config names another file; `clusterAutomountDefault: false` turns the default off.
  writeFile(S / "other.yaml", "clusterAutomountDefault: false\nenable: [SA001]\n");
  Run = runSaguard({"scan", Manifest, "--format", "json", "--config", S / "other.yaml"});
  EXPECT_EQ(Run.Exit, 0) << Run.Err;
  json Other = parse(Run.Out);
  EXPECT_TRUE(Other.at("findings").empty()) << Run.Out;
  EXPECT_EQ(Other.at("clusterAutomountDefault"), false);
}

TEST(Config, AChartRenderedBeforeItsConfigIsReadRendersAsTheConfigSays) {
  // The renderer starts before the config file is looked for: what the file changes about the
  // render (helm.bin, helm.valuesFiles) must still be what renders the chart.
  Scratch S("config-early-render");
  fs::create_directories(S.Dir / "chart/templates");
  writeFile(S / "chart/Chart.yaml", "apiVersion: v2\nname: shop\nversion: 0.1.0\n");
  writeFile(S / "chart/values.yaml", "{}\n");
  writeFile(S / "chart/templates/web.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n"
                                           "  name: shop\n");
  writeFile(S / "extra-values.yaml", "{}\n");
  std::string Helm = S / "config-helm.sh";
  writeFile(Helm, "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + (S / "config-helm.args") +
                      "'\ncat '" + std::string(SAGUARD_SOURCE_DIR "/") + Automount + "'\n");
  fs::permissions(Helm, fs::perms::owner_all);
  writeFile(S / "chart/.saguard.yaml", "helm:\n  bin: " + Helm + "\n  valuesFiles: [" +
                                           (S / "extra-values.yaml") + "]\n");

  // HELM_BIN (set by helm for its plugins) would win over the file's helm.bin.
  SaguardRun Run = runProgram({"/usr/bin/env", "-u", "HELM_BIN", SAGUARD_BIN, "helm",
                               S / "chart", "--format", "json"});
  EXPECT_EQ(Run.Exit, 1) << Run.Err;
  EXPECT_EQ(ruleIds(parse(Run.Out)), (std::multiset<std::string>{"SA001", "SA002", "SA003",
                                                                  "SA008", "SA009", "SA010",
                                                                  "SA011"}));
  std::string Args = readFile(S / "config-helm.args");
  EXPECT_NE(Args.find("template\n"), std::string::npos) << Args;
  EXPECT_NE(Args.find("--values\n" + (S / "extra-values.yaml") + "\n"), std::string::npos)
      << Args;
}

TEST(Config, MistakesAreInputErrorsWithFileLineAndColumn) {
  Scratch S("config-bad");
  std::string Manifest = S / "app.yaml";
  writeFile(Manifest, readFile(std::string(SAGUARD_SOURCE_DIR "/") + Automount));
  const std::pair<std::string, std::string> Cases[] = {
      {"disable: [SA010]\nlevel: {SA001: note}\n", ":2:1: unknown key 'level'"},
      {"levels:\n  SA001: critical\n", ":2:10: level 'critical' of SA001 is none of"},
      {"disable: [SA010, SA999]\n", ":1:18: unknown rule 'SA999'"},
      {"ignore:\n  objects: ['a//b']\n", ":2:13: pattern 'a//b' has an empty segment"},
  };
  for (const auto &[Text, Message] : Cases) {
    writeFile(S / ".saguard.yaml", Text);
    SaguardRun Run = runSaguard({"scan", Manifest});
    EXPECT_EQ(Run.Exit, 2) << Text;
    EXPECT_NE(Run.Err.find("saguard: error: "), std::string::npos) << Run.Err;
    EXPECT_NE(Run.Err.find(".saguard.yaml" + Message), std::string::npos) << Run.Err;
  }
  SaguardRun Missing = runSaguard({"scan", Manifest, "--config", S / "nope.yaml"});
  EXPECT_EQ(Missing.Exit, 2);
  EXPECT_NE(Missing.Err.find("cannot read config file"), std::string::npos) << Missing.Err;
}

TEST(ShardMerge, ShardsCoverEveryTargetOnceAndMergeIntoTheWholeRun) {
  requireSarifValidator();
  Scratch S("shard");
  std::vector<std::string> Targets;
  for (int I = 0; I < 5; ++I) {
    std::string Path = S / ("app" + std::to_string(I) + ".yaml");
    writeFile(Path, "apiVersion: v1\nkind: Pod\nmetadata: {name: p" + std::to_string(I) +
                        "}\nspec: {containers: [{name: a, image: b}]}\n");
    Targets.push_back(Path);
  }
  auto Scan = [&](std::vector<std::string> Extra) {
    std::vector<std::string> Args = {"scan"};
    // Reversed: the slices do not depend on the order the shell gave the targets in.
    Args.insert(Args.end(), Targets.rbegin(), Targets.rend());
    Args.insert(Args.end(), {"--format", "sarif", "--enable", "SA001"});
    Args.insert(Args.end(), Extra.begin(), Extra.end());
    return runSaguard(Args);
  };
  std::multiset<std::string> Seen;
  std::vector<std::string> Reports;
  for (int I = 1; I <= 3; ++I) {
    std::string Out = S / ("shard" + std::to_string(I) + ".sarif");
    SaguardRun Run = Scan({"--shard", std::to_string(I) + "/3", "-o", Out});
    EXPECT_EQ(Run.Exit, 1) << Run.Err;
    json Log = parse(readFile(Out));
    // One run per target, named after it.
    for (const json &Run : Log["runs"]) {
      std::string Id = Run["automationDetails"]["id"];
      EXPECT_EQ(Id.rfind("saguard/", 0), 0u) << Id;
      EXPECT_NE(Id.find(".yaml/"), std::string::npos) << Id;
      for (const json &R : Run["results"])
        Seen.insert(R["properties"]["kubernetes"]["name"].get<std::string>());
    }
    Reports.push_back(Out);
  }
  // Sorted app0..app4 dealt round-robin: 1/3 gets app0 and app3, 2/3 app1 and app4, 3/3 app2.
  EXPECT_EQ(Seen, (std::multiset<std::string>{"p0", "p1", "p2", "p3", "p4"}));
  json First = parse(readFile(Reports[0]));
  std::set<std::string> FirstNames;
  for (const json &Run : First["runs"])
    for (const json &R : Run["results"])
      FirstNames.insert(R["properties"]["kubernetes"]["name"].get<std::string>());
  EXPECT_EQ(FirstNames, (std::set<std::string>{"p0", "p3"}));

  std::vector<std::string> Merge = {"merge"};
  Merge.insert(Merge.end(), Reports.begin(), Reports.end());
  Merge.insert(Merge.end(), {"-o", S / "all.sarif"});
  SaguardRun Merged = runSaguard(Merge);
  EXPECT_EQ(Merged.Exit, 0) << Merged.Err;
  std::string AllText = readFile(S / "all.sarif");
  json All = parse(AllText);
  ASSERT_EQ(All.at("runs").size(), 5u); // a category per target: code scanning accepts it
  CommandOutcome Valid = validateSarif(AllText, "merged.sarif");
  EXPECT_EQ(Valid.Status, 0) << Valid.Output;
  // Each target is its own universe, so the shards merged are the whole run, byte for byte.
  SaguardRun Whole = Scan({"-o", S / "whole.sarif"});
  EXPECT_EQ(Whole.Exit, 1) << Whole.Err;
  EXPECT_EQ(AllText, readFile(S / "whole.sarif"));

  SaguardRun Bad = Scan({"--shard", "4/3"});
  EXPECT_EQ(Bad.Exit, 2);
  EXPECT_NE(Bad.Err.find("--shard expects I/N"), std::string::npos) << Bad.Err;
  SaguardRun Missing = runSaguard({"merge", S / "none.sarif"});
  EXPECT_EQ(Missing.Exit, 2);
  EXPECT_NE(Missing.Err.find("none.sarif"), std::string::npos) << Missing.Err;
}

TEST(ShardMerge, ShardIndexCountsFromZero) {
  // For a Kubernetes Indexed Job, whose JOB_COMPLETION_INDEX runs from 0 to N-1.
  Scratch S("shard-index");
  std::vector<std::string> Args = {"scan"};
  for (int I = 0; I < 3; ++I) {
    std::string Path = S / ("app" + std::to_string(I) + ".yaml");
    writeFile(Path, "apiVersion: v1\nkind: Pod\nmetadata: {name: p" + std::to_string(I) +
                        "}\nspec: {containers: [{name: a, image: b}]}\n");
    Args.push_back(Path);
  }
  Args.insert(Args.end(), {"--format", "json", "--enable", "SA001"});
  auto With = [&](std::vector<std::string> Extra) {
    std::vector<std::string> A = Args;
    A.insert(A.end(), Extra.begin(), Extra.end());
    return runSaguard(A);
  };
  for (int K = 0; K < 3; ++K) {
    SaguardRun Index = With({"--shard-index", std::to_string(K) + "/3"});
    SaguardRun Shard = With({"--shard", std::to_string(K + 1) + "/3"});
    EXPECT_EQ(Index.Exit, 1) << Index.Err;
    EXPECT_EQ(Index.Out, Shard.Out) << K;
    EXPECT_EQ(parse(Index.Out)["targets"].size(), 1u);
  }
  SaguardRun Bad = With({"--shard-index", "3/3"});
  EXPECT_EQ(Bad.Exit, 2);
  EXPECT_NE(Bad.Err.find("--shard-index expects K/N with 0 <= K < N"), std::string::npos)
      << Bad.Err;
  SaguardRun Both = With({"--shard-index", "0/3", "--shard", "1/3"});
  EXPECT_EQ(Both.Exit, 2) << Both.Err;
}
