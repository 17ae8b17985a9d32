// What the command line says when it cannot do what was asked: nothing fails silently.
#include "RunSaguard.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

using namespace saguard::test;

namespace {

bool contains(const std::string &Text, const std::string &Part) {
  return Text.find(Part) != std::string::npos;
}

} // namespace

TEST(CommandLine, NoPathPrintsUsageOnStderrAndExits2) {
  SaguardRun Run = runSaguard({});
  EXPECT_EQ(Run.Exit, 2);
  EXPECT_TRUE(Run.Out.empty()) << Run.Out;
  EXPECT_TRUE(contains(Run.Err, "Usage")) << Run.Err;
  EXPECT_TRUE(contains(Run.Err, "no path given")) << Run.Err;
}

TEST(CommandLine, MistypedCommandIsNamedBeforeAnyWork) {
  SaguardRun Run = runSaguard({"scna", "tests/cli/fixtures/clean.yaml"});
  EXPECT_EQ(Run.Exit, 2);
  EXPECT_TRUE(contains(Run.Err, "unknown command 'scna'; did you mean 'scan'?")) << Run.Err;
  EXPECT_TRUE(Run.Out.empty()) << Run.Out;
}

TEST(CommandLine, RuleIdsAndNamesInAnyCase) {
  for (const char *Name : {"sa005", "SA005", "Token-Grants-Dangerous-Access"}) {
    SaguardRun Run = runSaguard({"rules", Name});
    EXPECT_EQ(Run.Exit, 0) << Name << Run.Err;
    EXPECT_TRUE(contains(Run.Out, "SA005")) << Run.Out;
  }
  SaguardRun Enabled = runSaguard({"scan", "tests/cli/fixtures/clean.yaml", "--enable", "sa001"});
  EXPECT_EQ(Enabled.Exit, 0) << Enabled.Err;
}

TEST(CommandLine, InputErrorsReachStderrWhenTheReportGoesElsewhere) {
  std::string Out = testing::TempDir() + "/saguard-broken.json";
  SaguardRun Run =
      runSaguard({"scan", "tests/cli/fixtures/broken.yaml", "--format", "json", "-o", Out});
  EXPECT_EQ(Run.Exit, 2);
  EXPECT_TRUE(contains(Run.Err, "tests/cli/fixtures/broken.yaml:")) << Run.Err;
  EXPECT_TRUE(contains(Run.Err, "2 input errors")) << Run.Err;
  std::remove(Out.c_str());
  SaguardRun Sarif = runSaguard({"scan", "tests/cli/fixtures/broken.yaml", "--format", "sarif"});
  EXPECT_TRUE(contains(Sarif.Err, "2 input errors")) << Sarif.Err;
}

TEST(CommandLine, DevicesAreRefusedNotReadForever) {
  SaguardRun Run = runSaguard({"scan", "/dev/zero"});
  EXPECT_EQ(Run.Exit, 2);
  EXPECT_TRUE(contains(Run.Out + Run.Err, "'/dev/zero' is a character device")) << Run.Err;
}

TEST(CommandLine, ATargetWithoutObjectsIsAWarningOrWithTheFlagAnError) {
  std::string Empty = testing::TempDir() + "/saguard-empty.yaml";
  std::ofstream(Empty) << "# nothing deployed yet\n";
  SaguardRun Warned = runSaguard({"scan", Empty});
  EXPECT_EQ(Warned.Exit, 0) << Warned.Err;
  EXPECT_TRUE(contains(Warned.Err, "yields no Kubernetes objects")) << Warned.Err;
  SaguardRun Failed = runSaguard({"scan", Empty, "--fail-if-no-objects"});
  EXPECT_EQ(Failed.Exit, 2) << Failed.Err;
  std::remove(Empty.c_str());
}

TEST(CommandLine, VersionNamesLlvmAndTheRenderers) {
  for (const char *Flag : {"--version", "-V"}) {
    SaguardRun Run = runSaguard({Flag});
    EXPECT_EQ(Run.Exit, 0) << Run.Err;
    EXPECT_TRUE(contains(Run.Out, "saguard " SAGUARD_TEST_VERSION "\n")) << Run.Out;
    EXPECT_TRUE(contains(Run.Out, "LLVM ")) << Run.Out;
    EXPECT_TRUE(contains(Run.Out, "helm: ")) << Run.Out;
    EXPECT_TRUE(contains(Run.Out, "kustomize: ")) << Run.Out;
  }
}

/// Scans a Pod whose `saguard.io/ignore` annotation is Value (YAML text), from a file Name.
static SaguardRun scanPodIgnoring(const std::string &Name, const std::string &Value) {
  std::string File = testing::TempDir() + "/" + Name;
  std::ofstream(File) << "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n"
                         "    saguard.io/ignore: "
                      << Value << "\nspec:\n  containers: [{name: a, image: b}]\n";
  SaguardRun Run = runSaguard({"scan", File});
  std::remove(File.c_str());
  return Run;
}

TEST(CommandLine, AnUnknownRuleInAnIgnoreAnnotationIsAWarningAtTheAnnotation) {
  SaguardRun Run = scanPodIgnoring("saguard-ignore-typo.yaml", "\"SA001, SA0001\"");
  EXPECT_EQ(Run.Exit, 0) << Run.Err; // SA001 is still suppressed
  EXPECT_TRUE(contains(Run.Err, "saguard-ignore-typo.yaml:6:5: ")) << Run.Err;
  EXPECT_TRUE(contains(Run.Err, "saguard.io/ignore on Pod/default/p names unknown rule 'SA0001'"))
      << Run.Err;
}

TEST(CommandLine, AnUnknownIgnoredRuleCannotForgeALine) {
  SaguardRun Run = scanPodIgnoring("saguard-ignore-forged.yaml",
                                   "\"SA001,\\e[31mX\\n::error file=x::forged\"");
  EXPECT_TRUE(contains(Run.Err, "names unknown rule")) << Run.Err;
  EXPECT_FALSE(contains(Run.Err, "\x1b")) << Run.Err;
  EXPECT_FALSE(contains(Run.Err, "\n::error")) << Run.Err;
}

TEST(CommandLine, TextWrapsAtEightyColumnsWhenNotATerminal) {
  SaguardRun Run = runSaguard({"scan", "tests/cli/fixtures/automount.yaml"});
  EXPECT_EQ(Run.Exit, 1);
  size_t Longest = 0, Start = 0;
  bool Wrapped = false;
  for (size_t End; (End = Run.Out.find('\n', Start)) != std::string::npos; Start = End + 1) {
    std::string Line = Run.Out.substr(Start, End - Start);
    // Finding lines start with two blanks and a position; their continuations with four.
    if (Line.rfind("  ", 0) == 0 && Line.find("[SA") != std::string::npos)
      Longest = std::max(Longest, Line.size());
    Wrapped |= Line.rfind("    ", 0) == 0 && Line.find("note:") == std::string::npos;
  }
  EXPECT_GT(Longest, 0u);
  EXPECT_LE(Longest, 80u) << Run.Out;
  EXPECT_TRUE(Wrapped) << Run.Out;
}

TEST(CommandLine, TheExitAfterTheReportLosesNoneOfItInAnyFormatOrFile) {
  // main ends the process right after the report without the usual teardown: whatever a format
  // writes, on stdout or into -o FILE, must be out in full by then, with the run's exit status.
  Scratch S("exit-flush");
  for (const char *Format : {"text", "json", "sarif", "gcc", "github"}) {
    SaguardRun ToStdout =
        runSaguard({"scan", "tests/cli/fixtures/automount.yaml", "--format", Format});
    EXPECT_EQ(ToStdout.Exit, 1) << Format << ToStdout.Err;
    std::string File = S / (std::string("report.") + Format);
    SaguardRun ToFile = runSaguard(
        {"scan", "tests/cli/fixtures/automount.yaml", "--format", Format, "-o", File});
    EXPECT_EQ(ToFile.Exit, 1) << Format << ToFile.Err;
    EXPECT_TRUE(ToFile.Out.empty()) << ToFile.Out;
    EXPECT_FALSE(ToStdout.Out.empty()) << Format;
    EXPECT_EQ(readFile(File), ToStdout.Out) << Format;
    if (std::string(Format) == "json" || std::string(Format) == "sarif") {
      EXPECT_EQ(ToStdout.Out[ToStdout.Out.find_last_not_of('\n')], '}') << Format;
    }
  }
}

TEST(CommandLine, HelmFlagsReachHelmAndHelpListsThem) {
  // `saguard helm` is first parsed without the helm template flags (they are most of the
  // parser's cost); a command line naming one must still be parsed with them.
  Scratch S("helm-flags");
  std::filesystem::create_directories(S.Dir / "chart");
  writeFile(S / "chart/Chart.yaml", "apiVersion: v2\nname: shop\nversion: 0.1.0\n");
  std::string Helm = S / "helm.sh";
  writeFile(Helm, "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + (S / "args") + "'\n");
  std::filesystem::permissions(Helm, std::filesystem::perms::owner_all);
  auto HelmArgs = [&](std::vector<std::string> Flags) {
    std::vector<std::string> Argv{"/usr/bin/env", "HELM_BIN=" + Helm, SAGUARD_BIN, "helm",
                                  S / "chart"};
    Argv.insert(Argv.end(), Flags.begin(), Flags.end());
    SaguardRun Run = runProgram(Argv);
    EXPECT_EQ(Run.Exit, 0) << Run.Err;
    return readFile(S / "args");
  };
  EXPECT_EQ(HelmArgs({"--format", "json"}), "template\n" + (S / "chart") + "\n--namespace\n"
                                            "default\n");
  std::string Args = HelmArgs({"--include-crds", "-s", "templates/a.yaml", "--format", "json",
                               "--set", "a=1", "-f", S / "v.yaml"});
  EXPECT_TRUE(contains(Args, "\n--include-crds\n")) << Args;
  EXPECT_TRUE(contains(Args, "\n--show-only=templates/a.yaml\n")) << Args;
  EXPECT_TRUE(contains(Args, "\n--set=a=1\n")) << Args;
  EXPECT_TRUE(contains(Args, "\n--values\n" + (S / "v.yaml") + "\n")) << Args;

  SaguardRun Help = runSaguard({"helm", "--help"});
  EXPECT_EQ(Help.Exit, 0);
  EXPECT_TRUE(contains(Help.Out, "--include-crds")) << Help.Out;
}
