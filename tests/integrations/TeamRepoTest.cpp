// `saguard .` on a team's repository (tests/team-repo): the targets found in the tree, one
// universe per target, shards, baselines, values sets, paths from a subfolder, and the parts of
// a tree that are left out (.gitignore, hidden folders, special files, symlinks out of it).
#include "SarifValidator.h"
#include "TeamRepo.h"

#include <fstream>
#include <map>

#include <sys/stat.h>

using namespace saguard::test;

namespace {

std::map<std::string, std::string> targetsOf(const json &Report) {
  std::map<std::string, std::string> Out;
  for (const json &T : Report.at("targets"))
    Out[T.at("path").get<std::string>()] = T.at("kind").get<std::string>();
  return Out;
}

bool under(const std::string &File, const std::string &Dir) {
  return Dir == "." || File.rfind(Dir + "/", 0) == 0;
}

} // namespace

TEST_F(TeamRepo, FindsExactlyTheTargetsOfTheTree) {
  json R = report({"."}, 1);
  EXPECT_EQ(targetsOf(R), (std::map<std::string, std::string>{{"charts/api", "chart"},
                                                              {"charts/web", "chart"},
                                                              {"deploy/overlays/dev", "overlay"},
                                                              {"deploy/overlays/prod", "overlay"},
                                                              {".", "manifests"}}));
  EXPECT_TRUE(R.at("errors").empty()) << R.at("errors").dump();
  EXPECT_EQ(R.at("root"), stdfs::canonical(Root.str()).string());
  // The subchart is part of its chart; no patch, values or Chart.yaml is read as a manifest.
  std::set<std::string> Files;
  for (const json &F : R.at("findings"))
    Files.insert(F.at("location").at("file").get<std::string>());
  EXPECT_TRUE(Files.count("charts/api/charts/worker/templates/deployment.yaml"));
  for (const std::string &F : Files) {
    EXPECT_EQ(F.find("patch.yaml"), std::string::npos) << F;
    EXPECT_EQ(F.find("values"), std::string::npos) << F;
  }
}

TEST_F(TeamRepo, SkippedYamlIsCountedAndListedWithVerbose) {
  Outcome Quietly = saguard({".", "--format", "json"});
  EXPECT_NE(Quietly.Err.find("skipped 2 files that hold no Kubernetes objects"), std::string::npos)
      << Quietly.Err;
  Outcome Verbose = saguard({".", "--format", "json", "--verbose"});
  EXPECT_NE(Verbose.Err.find("docker-compose.yml"), std::string::npos) << Verbose.Err;
  EXPECT_NE(Verbose.Err.find("config/settings.yaml"), std::string::npos) << Verbose.Err;
  // Hidden folders (the CI workflow) are not even counted.
  EXPECT_EQ(Verbose.Err.find("ci.yaml"), std::string::npos) << Verbose.Err;
}

TEST_F(TeamRepo, NoFindingIsLocatedOutsideItsTarget) {
  json R = report({"."}, 1);
  ASSERT_FALSE(R.at("findings").empty());
  for (const json &F : R.at("findings")) {
    std::string Target = F.at("target");
    std::string File = F.at("location").at("file");
    // An overlay's findings sit in the base it builds on, which is its own file tree.
    if (Target.rfind("deploy/overlays/", 0) == 0)
      EXPECT_TRUE(under(File, Target) || under(File, "deploy/base")) << Target << " " << File;
    else
      EXPECT_TRUE(under(File, Target)) << Target << " " << File;
  }
}

TEST_F(TeamRepo, EveryTargetGivesWhatItGivesAlone) {
  json Whole = report({"."}, 1);
  std::multiset<FindingKey> Alone;
  for (const auto &[Path, Kind] : targetsOf(Whole)) {
    if (Kind == "manifests")
      continue; // the folder's plain files: the whole tree again
    json One = report({Path}, -1);
    std::multiset<FindingKey> Keys = findingKeys(One);
    Alone.insert(Keys.begin(), Keys.end());
  }
  json Plain = report({"manifests"}, 1);
  std::multiset<FindingKey> PlainKeys = findingKeys(Plain);
  Alone.insert(PlainKeys.begin(), PlainKeys.end());
  EXPECT_EQ(findingKeys(Whole), Alone);
  // Two overlays of one base do not share their account with themselves.
  for (const json &F : Whole.at("findings"))
    EXPECT_NE(F.at("ruleId"), "SA006") << F.dump();
}

TEST_F(TeamRepo, TogetherAnalysesAllTargetsAsOneCluster) {
  auto GrantsOfApi = [](const json &R) {
    int N = 0;
    for (const json &F : R.at("findings"))
      N += F.at("ruleId") == "SA005" && F.at("object").at("name") == "api";
    return N;
  };
  // The binding of manifests/rbac names the api chart's account: only one set sees both.
  EXPECT_EQ(GrantsOfApi(report({"charts/api", "manifests"}, 1)), 0);
  json Together = report({"charts/api", "manifests", "--together"}, 1);
  EXPECT_GE(GrantsOfApi(Together), 1);
  for (const json &T : Together.at("targets"))
    EXPECT_EQ(T.at("automationId"), "saguard/together/");
}

TEST_F(TeamRepo, ShardsMergedAreTheWholeRunByteForByte) {
  requireSarifValidator();
  Outcome Whole = saguard({".", "--format", "sarif", "-o", "whole.sarif"});
  EXPECT_EQ(Whole.Exit, 1) << Whole.Err;
  std::vector<std::string> Merge = {"merge"};
  for (int I = 1; I <= 3; ++I) {
    std::string Out = "shard" + std::to_string(I) + ".sarif";
    Outcome Shard =
        saguard({".", "--format", "sarif", "--shard", std::to_string(I) + "/3", "-o", Out});
    EXPECT_NE(Shard.Exit, 2) << Shard.Err;
    Merge.push_back(Out);
  }
  Merge.insert(Merge.end(), {"-o", "merged.sarif"});
  Outcome Merged = saguard(Merge);
  EXPECT_EQ(Merged.Exit, 0) << Merged.Err;
  std::string WholeText = readWholeFile(Root / "whole.sarif");
  EXPECT_TRUE(readWholeFile(Root / "merged.sarif") == WholeText) << "merged shards differ";
  json Log = parseJson(WholeText);
  ASSERT_EQ(Log.at("runs").size(), 5u);
  std::set<std::string> Ids;
  for (const json &Run : Log["runs"]) {
    Ids.insert(Run.at("automationDetails").at("id").get<std::string>());
    // Each run says what it analysed and how it was rendered.
    const json &Targets = Run.at("invocations").at(0).at("properties").at("targets");
    ASSERT_EQ(Targets.size(), 1u);
    EXPECT_EQ("saguard/" + (Targets[0].at("path") == "." ? std::string("root")
                                                         : Targets[0].at("path").get<std::string>()) +
                  "/",
              Run.at("automationDetails").at("id"));
    EXPECT_FALSE(Targets[0].at("renderedBy").get<std::string>().empty());
  }
  EXPECT_EQ(Ids, (std::set<std::string>{"saguard/charts/api/", "saguard/charts/web/",
                                        "saguard/deploy/overlays/dev/",
                                        "saguard/deploy/overlays/prod/", "saguard/root/"}));
  CommandOutcome Valid = validateSarif(WholeText, "whole.sarif");
  EXPECT_EQ(Valid.Status, 0) << Valid.Output;
}

TEST_F(TeamRepo, AddingOrRemovingATargetLeavesTheOthersBaselineAlone) {
  Outcome Base = saguard({"charts/api", "--format", "sarif", "-o", "api.sarif"});
  ASSERT_EQ(Base.Exit, 1) << Base.Err;
  json More = report({"charts/api", "charts/web", "--baseline", "api.sarif"}, -1);
  ASSERT_FALSE(More.at("findings").empty());
  for (const json &F : More.at("findings"))
    EXPECT_EQ(F.at("baselineState"), F.at("target") == "charts/api" ? "unchanged" : "new")
        << F.dump();
  EXPECT_EQ(More.at("summary").at("absent"), 0);

  Outcome Both = saguard({"charts/api", "charts/web", "--format", "sarif", "-o", "both.sarif"});
  ASSERT_EQ(Both.Exit, 1) << Both.Err;
  json Fewer = report({"charts/api", "--baseline", "both.sarif"}, 0);
  for (const json &F : Fewer.at("findings"))
    EXPECT_EQ(F.at("baselineState"), "unchanged") << F.dump();
  EXPECT_EQ(Fewer.at("summary").at("absent"), 0); // charts/web is not gone, just not run
}

TEST_F(TeamRepo, ValuesSetsRenderAChartOncePerCiFile) {
  json R = report({"charts/web", "--values-sets"}, -1);
  std::map<std::string, int> Findings;
  std::set<std::string> Ids;
  for (const json &T : R.at("targets"))
    Ids.insert(T.at("automationId").get<std::string>());
  EXPECT_EQ(Ids, (std::set<std::string>{"saguard/charts/web+ci/off-values.yaml/",
                                        "saguard/charts/web+ci/on-values.yaml/"}));
  for (const json &T : R.at("targets"))
    EXPECT_NE(T.at("renderedBy").get<std::string>().find("ci/"), std::string::npos);
}

TEST_F(TeamRepo, GitIgnoreSpecialFilesAndSymlinksOutOfTheTreeAreLeftOut) {
  stdfs::create_directories(Root / "ignored");
  stdfs::copy(Root / "manifests/app/batch.yaml", Root / "ignored/batch.yaml");
  std::ofstream(Root / ".gitignore") << "# generated\nignored/\n";
  stdfs::create_directory_symlink("/", Root / "rootlink");
  ASSERT_EQ(::mkfifo((Root / "manifests/pipe.yaml").c_str(), 0600), 0);
  Outcome O = saguard({".", "--format", "json"});
  EXPECT_EQ(O.Exit, 1) << O.Err;
  EXPECT_EQ(O.Out.find("ignored/batch.yaml"), std::string::npos);
  EXPECT_NE(O.Err.find("rootlink"), std::string::npos) << O.Err;
  EXPECT_NE(O.Err.find("pipe.yaml': a FIFO"), std::string::npos) << O.Err;

  json Excluded = report({".", "--exclude", "manifests"}, 1);
  EXPECT_FALSE(targetsOf(Excluded).count("."));
}

TEST_F(TeamRepo, GlobsAreExpandedWhereNoShellDidIt) {
  json R = report({"charts/*"}, 1);
  EXPECT_EQ(targetsOf(R), (std::map<std::string, std::string>{{"charts/api", "chart"},
                                                              {"charts/web", "chart"}}));
  json Deep = report({"deploy/**/prod"}, 1);
  EXPECT_EQ(targetsOf(Deep),
            (std::map<std::string, std::string>{{"deploy/overlays/prod", "overlay"}}));
  Outcome None = saguard({"nothing/*"});
  EXPECT_EQ(None.Exit, 2);
  EXPECT_NE(None.Err.find("no file or folder matches 'nothing/*'"), std::string::npos) << None.Err;
}

TEST_F(TeamRepo, TextPathsOpenFromTheWorkingDirectorySarifPathsFromTheRoot) {
  Outcome Gcc = saguard({"overlays/prod", "--format", "gcc"}, "deploy");
  EXPECT_EQ(Gcc.Exit, 1) << Gcc.Err;
  EXPECT_EQ(Gcc.Out.rfind("base/deployment.yaml:14:7: warning:", 0), 0u) << Gcc.Out;
  // Outside the working directory a path is absolute, which every editor opens.
  Outcome Outside = saguard({"../deploy/overlays/prod", "--format", "gcc"}, "charts");
  EXPECT_EQ(Outside.Out.rfind(stdfs::canonical(Root.str()).string() + "/deploy/base/", 0), 0u)
      << Outside.Out;

  Outcome Sarif = saguard({"../deploy/overlays/prod", "--format", "sarif"}, "charts");
  json Log = parseJson(Sarif.Out);
  const json &Run = Log.at("runs").at(0);
  EXPECT_EQ(Run.at("results").at(0).at("locations").at(0).at("physicalLocation").at(
                "artifactLocation").at("uri"),
            "deploy/base/deployment.yaml");
  // The id is the repository's path of the target, however it was typed.
  EXPECT_EQ(Run.at("automationDetails").at("id"), "saguard/deploy/overlays/prod/");
  Outcome Absolute = saguard({Root / "deploy/overlays/prod", "--format", "sarif"});
  EXPECT_EQ(parseJson(Absolute.Out).at("runs").at(0).at("automationDetails").at("id"),
            "saguard/deploy/overlays/prod/");
  Outcome Named = saguard({"deploy/overlays/prod", "--format", "sarif", "--category", "prod"});
  EXPECT_EQ(parseJson(Named.Out).at("runs").at(0).at("automationDetails").at("id"), "prod/");
}

namespace {

size_t objectsOf(const json &Report) {
  size_t N = 0;
  for (const json &T : Report.at("targets"))
    N += T.at("objects").get<size_t>();
  return N;
}

} // namespace

TEST_F(TeamRepo, EveryHelmFlagFormReachesHelm) {
  const std::string Only = "templates/serviceaccount.yaml";
  // charts/api renders 3 objects; --show-only keeps its ServiceAccount.
  EXPECT_EQ(objectsOf(report({"helm", "charts/api"}, 1)), 3u);
  for (const std::vector<std::string> &Args :
       {std::vector<std::string>{"helm", "charts/api", "--show-only", Only},
        {"helm", "charts/api", "--show-only=" + Only},
        {"helm", "charts/api", "-s", Only},
        {"helm", "charts/api", "--", "--show-only", Only},
        {"charts/api", "--show-only", Only},
        {"charts/api", "--show-only=" + Only}}) {
    json R = report(Args, 0);
    EXPECT_EQ(objectsOf(R), 1u) << testing::PrintToString(Args);
    EXPECT_TRUE(R.at("errors").empty()) << R.at("errors").dump();
  }
  // Flags the old hand-made list lacked, in both forms.
  json More = report({"helm", "charts/api", "--set-literal", "x=y", "--name-template=n1",
                      "--post-renderer-args", "a", "--kube-version=1.30.0", "--skip-schema-validation"},
                     1);
  EXPECT_TRUE(More.at("errors").empty()) << More.at("errors").dump();
}

TEST_F(TeamRepo, DashFWithAFormatNameIsCaughtAsAMistake) {
  Outcome O = saguard({"helm", "charts/api", "-f", "json"});
  EXPECT_EQ(O.Exit, 2);
  EXPECT_NE(O.Err.find("-f is helm's values file here; did you mean --format json?"),
            std::string::npos)
      << O.Err;
}

TEST_F(TeamRepo, OnATerminalProgressShowsAndNoColorTurnsColourOff) {
  std::string Script = requireTool("script"); // util-linux: runs a command on a pseudo-terminal
  ASSERT_FALSE(Script.empty());
  auto OnTerminal = [&](const std::string &Command, EnvChanges With) {
    for (const auto &Change : Env)
      if (Change.first != "NO_COLOR")
        With.push_back(Change);
    return run({Script, "-qec", Command, "/dev/null"}, With, Root.str());
  };
  std::string Run = std::string(SAGUARD_BIN) + " . --format json -o /dev/null";
  Outcome Coloured = OnTerminal(Run, {{"NO_COLOR", std::nullopt}, {"TERM", "xterm"}});
  EXPECT_NE(Coloured.Out.find("[5/5] "), std::string::npos) << Coloured.Out;
  EXPECT_NE(Coloured.Out.find("\x1b[0;1;30mnote: "), std::string::npos) << Coloured.Out;
  for (const EnvChanges &Plain : {EnvChanges{{"NO_COLOR", "1"}, {"TERM", "xterm"}},
                                  EnvChanges{{"NO_COLOR", std::nullopt}, {"TERM", "dumb"}}}) {
    Outcome O = OnTerminal(Run, Plain);
    EXPECT_NE(O.Out.find("saguard: note: skipped 2 files"), std::string::npos) << O.Out;
  }
}

TEST_F(TeamRepo, TheConfigFileExcludesSetsValuesSetsAndTogether) {
  std::ofstream(Root / ".saguard.yaml") << "exclude: [deploy]\n"
                                           "helm: {valuesSets: [\"ci/on-*.yaml\"]}\n";
  json R = report({"."}, 1);
  std::set<std::string> Ids;
  for (const json &T : R.at("targets"))
    Ids.insert(T.at("automationId").get<std::string>());
  EXPECT_EQ(Ids, (std::set<std::string>{"saguard/charts/api/",
                                        "saguard/charts/web+ci/on-values.yaml/",
                                        "saguard/root/"}));
  std::ofstream(Root / ".saguard.yaml", std::ios::app) << "together: true\n";
  json Together = report({"."}, 1);
  for (const json &T : Together.at("targets"))
    EXPECT_EQ(T.at("automationId"), "saguard/together/");
}

TEST_F(TeamRepo, PermissionsFindTheTargetsAndKeepThemApart) {
  Outcome Apart = saguard({"permissions", "."});
  EXPECT_EQ(Apart.Exit, 0) << Apart.Err;
  EXPECT_NE(Apart.Out.find("Deployment 'api' in namespace 'default'"), std::string::npos)
      << Apart.Out;
  EXPECT_EQ(Apart.Out.find("cluster-admin"), std::string::npos) << Apart.Out;
  Outcome Together = saguard({"permissions", ".", "--together"});
  EXPECT_EQ(Together.Exit, 0) << Together.Err;
  EXPECT_NE(Together.Out.find("ClusterRoleBinding 'api-admin' -> ClusterRole 'cluster-admin'"),
            std::string::npos)
      << Together.Out;
}
