//===- FixCorpusTest.cpp - fixes and patches on copies of the corpus ------===//
//
// Every test works on a copy in a temporary directory: the corpus itself stays untouched.
//
//===----------------------------------------------------------------------===//
#include "E2eUtil.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

using namespace saguard::e2e;
namespace fs = std::filesystem;

namespace {

std::string readAll(const fs::path &Path) {
  std::ifstream In(Path, std::ios::binary);
  std::stringstream S;
  S << In.rdbuf();
  return S.str();
}

std::string trimmed(const std::string &Line) {
  size_t Begin = Line.find_first_not_of(" \r"), End = Line.find_last_not_of(" \r");
  return Begin == std::string::npos ? "" : Line.substr(Begin, End - Begin + 1);
}

/// Every regular file below Dir with its content.
std::map<std::string, std::string> snapshot(const fs::path &Dir) {
  std::map<std::string, std::string> Files;
  for (const fs::directory_entry &E : fs::recursive_directory_iterator(Dir))
    if (E.is_regular_file())
      Files[fs::relative(E.path(), Dir).string()] = readAll(E.path());
  return Files;
}

/// The corpus item Rel copied into T.
fs::path copyOf(const TempDir &T, const std::string &Rel) {
  fs::path To = fs::path(T.path()) / fs::path(Rel).filename();
  fs::copy(fs::path(corpusDir()) / Rel, To, fs::copy_options::recursive);
  return To;
}

/// Runs saguard uncached (runSaguard caches by command line; these runs see changed files).
RunResult runFresh(const std::vector<std::string> &Args, const std::string &Cwd) {
  std::vector<std::string> Argv = {SAGUARD_BIN};
  Argv.insert(Argv.end(), Args.begin(), Args.end());
  return runProgram(Argv, Cwd);
}

/// (rule, kind/name) of each finding of a JSON report.
std::set<std::pair<std::string, std::string>> reported(const Json &Report) {
  std::set<std::pair<std::string, std::string>> Out;
  for (const Json &F : Report["findings"])
    Out.insert({F["ruleId"], F["object"]["kind"].get<std::string>() + "/" +
                                 F["object"]["name"].get<std::string>()});
  return Out;
}

/// Lines of B that A does not have, and the other way round (a line multiset difference).
std::pair<std::vector<std::string>, std::vector<std::string>> lineChanges(const std::string &A,
                                                                          const std::string &B) {
  std::multiset<std::string> LinesA, LinesB;
  std::istringstream SA(A), SB(B);
  for (std::string L; std::getline(SA, L);)
    LinesA.insert(L);
  for (std::string L; std::getline(SB, L);)
    LinesB.insert(L);
  std::vector<std::string> Added, Removed;
  std::set_difference(LinesB.begin(), LinesB.end(), LinesA.begin(), LinesA.end(),
                      std::back_inserter(Added));
  std::set_difference(LinesA.begin(), LinesA.end(), LinesB.begin(), LinesB.end(),
                      std::back_inserter(Removed));
  return {Added, Removed};
}

} // namespace

TEST(FixCorpus, FixOnAnOverlaysBaseFilesKeepsTheBuildAndSilencesTheFindings) {
  TempDir T;
  fs::path Demo = copyOf(T, "kustomize/microservices-demo");
  std::vector<std::string> Files;
  for (const fs::directory_entry &E : fs::directory_iterator(Demo / "base"))
    if (E.path().filename() != "kustomization.yaml")
      Files.push_back(E.path().string());
  std::sort(Files.begin(), Files.end());
  auto Before = snapshot(Demo);
  RunResult Built = runProgram({"kubectl", "kustomize", Demo.string()}, T.path());
  ASSERT_EQ(Built.Exit, 0) << Built.Stderr;

  std::vector<std::string> Scan = {"scan", "--together", "--format", "json", "--fail-on", "none"};
  Scan.insert(Scan.end(), Files.begin(), Files.end());
  auto Found = reported(runFresh(Scan, T.path()).Report);
  ASSERT_FALSE(Found.empty());

  std::vector<std::string> Dry = {"fix", "--together", "--dry-run"};
  Dry.insert(Dry.end(), Files.begin(), Files.end());
  RunResult DryRun = runFresh(Dry, T.path());
  EXPECT_EQ(DryRun.Exit, 0) << DryRun.Stderr;
  EXPECT_NE(DryRun.Stdout.find("+      automountServiceAccountToken: false"), std::string::npos);
  EXPECT_EQ(snapshot(Demo), Before) << "--dry-run changed a file";

  std::vector<std::string> Fix = {"fix", "--together"};
  Fix.insert(Fix.end(), Files.begin(), Files.end());
  RunResult Fixed = runFresh(Fix, T.path());
  EXPECT_EQ(Fixed.Exit, 0) << Fixed.Stderr;
  auto After = snapshot(Demo);
  for (const auto &[Rel, Text] : After) {
    // Only lines added, each the opt-out; every other byte where it was.
    auto [Added, Removed] = lineChanges(Before[Rel], Text);
    EXPECT_TRUE(Removed.empty()) << Rel;
    for (const std::string &Line : Added)
      EXPECT_EQ(trimmed(Line), "automountServiceAccountToken: false") << Rel;
  }
  EXPECT_NE(After, Before);
  RunResult Rebuilt = runProgram({"kubectl", "kustomize", Demo.string()}, T.path());
  EXPECT_EQ(Rebuilt.Exit, 0) << Rebuilt.Stderr;
  auto Left = reported(runFresh(Scan, T.path()).Report);
  for (const auto &[Rule, Object] : Found)
    if (Rule == "SA001" || Rule == "SA002") {
      EXPECT_FALSE(Left.count({Rule, Object})) << Rule << " still on " << Object;
    }
}

TEST(FixCorpus, EmittedPatchesMakeTheOverlayBuildFreeOfWhatTheyFix) {
  for (const char *Overlay : {"podinfo/overlays/production", "microservices-demo"}) {
    SCOPED_TRACE(Overlay);
    TempDir T;
    fs::path Root = copyOf(T, std::string("kustomize/") + fs::path(Overlay).begin()->string());
    fs::path Dir = Root.parent_path() / Overlay;
    RunResult Before = runProgram({"kubectl", "kustomize", Dir.string()}, T.path());
    ASSERT_EQ(Before.Exit, 0) << Before.Stderr;
    fs::path Out = Dir / "saguard-patches";
    RunResult Scan = runFresh({"kustomize", Dir.string(), "--format", "json", "--fail-on", "none",
                               "--emit-patches", Out.string()},
                              T.path());
    ASSERT_EQ(Scan.Exit, 0) << Scan.Stderr;
    auto Found = reported(Scan.Report);
    ASSERT_TRUE(fs::exists(Out / "kustomization-patches.yaml"));

    // The overlay gains the snippet's entries; its bases stay as they were.
    std::string Kustomization = readAll(Dir / "kustomization.yaml");
    ASSERT_EQ(Kustomization.find("\npatches:"), std::string::npos) << "the test appends patches:";
    std::ofstream(Dir / "kustomization.yaml", std::ios::app)
        << "\n"
        << readAll(Out / "kustomization-patches.yaml");
    RunResult After = runProgram({"kubectl", "kustomize", Dir.string()}, T.path());
    ASSERT_EQ(After.Exit, 0) << After.Stderr;
    auto [Added, Removed] = lineChanges(Before.Stdout, After.Stdout);
    EXPECT_TRUE(Removed.empty());
    EXPECT_FALSE(Added.empty());
    for (const std::string &Line : Added)
      EXPECT_EQ(trimmed(Line), "automountServiceAccountToken: false");

    RunResult Rescan =
        runFresh({"kustomize", Dir.string(), "--format", "json", "--fail-on", "none"}, T.path());
    auto Left = reported(Rescan.Report);
    size_t Patched = 0;
    for (const auto &[Rule, Object] : Found)
      if (Rule == "SA001" || Rule == "SA002") {
        ++Patched;
        EXPECT_FALSE(Left.count({Rule, Object})) << Rule << " still on " << Object;
      }
    EXPECT_GT(Patched, 0u);
  }
}

namespace {

/// Checks --emit-values on Chart (a path in Cwd, rendered with Flags): the render with the file
/// differs only in automountServiceAccountToken lines, loses every finding the file claims to
/// fix, and keeps the rest. A chart whose names a render draws anew (randAlphaNum) is compared
/// by rule and kind, and its render is not compared line by line. Returns the values file.
std::string checkEmitValues(const std::string &Chart, const std::string &Cwd,
                            const std::vector<std::string> &Flags = {}) {
  auto With = [&Flags](std::vector<std::string> Args) {
    Args.insert(Args.end(), Flags.begin(), Flags.end());
    return Args;
  };
  std::string Values = Cwd + "/saguard-values.yaml";
  RunResult Scan = runFresh(With({"helm", Chart, "--format", "json", "--fail-on", "none",
                                  "--emit-values", Values}),
                            Cwd);
  EXPECT_EQ(Scan.Exit, 0) << Scan.Stderr;
  RunResult Plain = runProgram(With({"helm", "template", "test", Chart}), Cwd);
  RunResult Again = runProgram(With({"helm", "template", "test", Chart}), Cwd);
  RunResult Fixed = runProgram(With({"helm", "template", "test", Chart, "-f", Values}), Cwd);
  EXPECT_EQ(Fixed.Exit, 0) << Fixed.Stderr;
  bool Stable = Plain.Stdout == Again.Stdout;
  if (Stable) {
    auto [Added, Removed] = lineChanges(Plain.Stdout, Fixed.Stdout);
    for (const std::string &Line : Added)
      EXPECT_EQ(trimmed(Line).rfind("automountServiceAccountToken: ", 0), 0u) << Line;
    EXPECT_EQ(Added.size(), Removed.size());
  }
  RunResult Rescan =
      runFresh(With({"helm", Chart, "-f", Values, "--format", "json", "--fail-on", "none"}), Cwd);
  // What the file claims to fix (`fixed by KEY: message [RULE]` on stderr) goes.
  std::set<std::string> Claims;
  std::istringstream Err(Scan.Stderr);
  for (std::string Line; std::getline(Err, Line);)
    if (Line.rfind("saguard: fixed by ", 0) == 0)
      Claims.insert(Line.substr(Line.find(": ", 18) + 2));
  // (rule, kind/name), or (rule, kind) with a count when names change from render to render.
  auto Key = [Stable](const Json &F) {
    std::string Object = F["object"]["kind"].get<std::string>();
    if (Stable)
      Object += "/" + F["object"]["name"].get<std::string>();
    return std::make_pair(F["ruleId"].get<std::string>(), Object);
  };
  std::map<std::pair<std::string, std::string>, int> Left;
  for (const Json &F : Scan.Report["findings"])
    if (!Claims.count(F["message"].get<std::string>() + " [" +
                      F["ruleId"].get<std::string>() + "]"))
      ++Left[Key(F)];
  for (const Json &F : Rescan.Report["findings"])
    EXPECT_GE(--Left[Key(F)], 0) << "not fixed or new: " << F.dump();
  return readAll(Values);
}

} // namespace

TEST(FixCorpus, EmittedValuesFixAHelmCreateChartAndListWhatNeedsATemplateChange) {
  TempDir T;
  ASSERT_EQ(runProgram({"helm", "create", "web"}, T.path()).Exit, 0);
  EXPECT_EQ(checkEmitValues("web", T.path()),
            "# saguard: pass with -f to render without the findings these keys fix\n"
            "serviceAccount:\n  automount: false\n");
  RunResult Again = runFresh({"helm", "web", "--emit-values", T.path() + "/again.yaml"}, T.path());
  EXPECT_NE(Again.Stderr.find("saguard: fixed by serviceAccount.automount: Deployment "
                              "'release-name-web'"),
            std::string::npos)
      << Again.Stderr;
  EXPECT_NE(Again.Stderr.find("needs a template change (no values key): "
                              "web/templates/tests/test-connection.yaml:9:"),
            std::string::npos)
      << Again.Stderr;
}

TEST(FixCorpus, EmittedValuesOnCorpusChartsChangeOnlyWhatTheyName) {
  size_t Emitted = 0;
  for (const CorpusEntry &E : corpusEntries()) {
    if (!E.Helm)
      continue;
    SCOPED_TRACE(E.Path);
    TempDir T;
    fs::path Copy = copyOf(T, E.Path);
    std::string Values = checkEmitValues(Copy.filename().string(), T.path(), E.Flags);
    Emitted += Values.find("\n", Values.find('\n') + 1) != std::string::npos;
  }
  EXPECT_GT(Emitted, 0u) << "no corpus chart got a values override";
}
