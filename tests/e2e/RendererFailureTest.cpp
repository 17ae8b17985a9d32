//===- RendererFailureTest.cpp - renderers that fail, and what renderers are given -===//
#include "E2eUtil.h"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

using namespace saguard::e2e;

namespace {

/// Expects exit 2 and a report whose `errors` say Text.
void expectInputError(const RunResult &R, const std::string &Text) {
  EXPECT_EQ(R.Exit, 2) << R.Stdout << R.Stderr;
  ASSERT_TRUE(R.Report.is_object()) << "a run that exits 2 still writes its report: " << R.Stdout;
  ASSERT_FALSE(R.Report["errors"].empty());
  std::string Message = R.Report["errors"][0].value("message", "");
  EXPECT_NE(Message.find(Text), std::string::npos) << Message;
  EXPECT_TRUE(R.Report["findings"].empty());
}

/// A minimal valid chart in Dir/name.
void writeChart(const TempDir &Dir, const std::string &Name, const std::string &Template) {
  Dir.write(Name + "/Chart.yaml", "apiVersion: v2\nname: " + Name + "\nversion: 0.1.0\n");
  Dir.write(Name + "/templates/cm.yaml", Template);
}

TEST(RendererFailure, MissingHelm) {
  TempDir Dir;
  writeChart(Dir, "ok", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
  const RunResult &R = runSaguard({"helm", "ok", "--format", "json"}, Dir.path(),
                                  {{"HELM_BIN", Dir.path() + "/no-such-helm"}});
  expectInputError(R, "helm not found");
}

TEST(RendererFailure, TemplateError) {
  TempDir Dir;
  writeChart(Dir, "bad",
             "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ required \"foo is required\" "
             ".Values.foo }}\n");
  const RunResult &R = runSaguard({"helm", "test", "bad", "--format", "json"}, Dir.path());
  expectInputError(R, "foo is required");
  EXPECT_NE(R.Report["errors"][0].value("message", "").find("helm template failed"),
            std::string::npos);
}

TEST(RendererFailure, RendererOutlivesTheTimeLimit) {
  TempDir Dir;
  writeChart(Dir, "ok", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
  // A fake helm only for this failure: it never answers.
  std::string Fake = Dir.write("slow-helm", "#!/bin/sh\nexec sleep 60\n");
  std::filesystem::permissions(Fake, std::filesystem::perms::owner_all);
  auto Start = std::chrono::steady_clock::now();
  const RunResult &R = runSaguard({"helm", "ok", "--render-timeout", "1", "--format", "json"},
                                  Dir.path(), {{"HELM_BIN", Fake}});
  auto Seconds =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - Start)
          .count();
  expectInputError(R, "timed out after 1 s");
  EXPECT_LT(Seconds, 30) << "the renderer is killed, not waited for";
}

TEST(RendererFailure, MissingKustomize) {
  TempDir Dir;
  Dir.write("overlay/kustomization.yaml", "resources: []\n");
  const RunResult &R = runSaguard({"kustomize", "overlay", "--kustomize-bin",
                                   Dir.path() + "/no-such-kustomize", "--format", "json"},
                                  Dir.path());
  EXPECT_EQ(R.Exit, 2);
  ASSERT_TRUE(R.Report.is_object());
  EXPECT_FALSE(R.Report["errors"].empty());
}

} // namespace

namespace {

/// An executable shell script in Dir: a fake renderer for one failure.
std::string fakeRenderer(const TempDir &Dir, const std::string &Name, const std::string &Body) {
  std::string Path = Dir.write(Name, "#!/bin/sh\n" + Body + "\n");
  std::filesystem::permissions(Path, std::filesystem::perms::owner_all);
  return Path;
}

const std::string GoodPod = "apiVersion: v1\nkind: Pod\nmetadata: {name: good}\nspec:\n"
                            "  containers: [{name: c, image: nginx}]\n";

/// Runs `saguard good.yaml chart` with a fake helm: the chart's error is reported, exit 2, and
/// the manifest target's finding survives.
void expectFailureBesideAGoodTarget(const std::string &HelmBody, const std::string &Text,
                                    std::vector<std::string> Extra = {}) {
  TempDir Dir;
  writeChart(Dir, "chart", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
  Dir.write("good.yaml", GoodPod);
  std::string Helm = fakeRenderer(Dir, "fake-helm", HelmBody);
  std::vector<std::string> Argv = {SAGUARD_BIN, "good.yaml", "chart", "--format", "json"};
  Argv.insert(Argv.end(), Extra.begin(), Extra.end());
  RunResult R = runProgram(Argv, Dir.path(), {{"HELM_BIN", Helm}});
  EXPECT_EQ(R.Exit, 2) << R.Stdout << R.Stderr;
  ASSERT_TRUE(R.Report.is_object()) << R.Stdout << R.Stderr;
  ASSERT_FALSE(R.Report["errors"].empty()) << R.Stdout;
  std::string Messages;
  for (const Json &E : R.Report["errors"])
    Messages += E.value("message", "") + "\n";
  EXPECT_NE(Messages.find(Text), std::string::npos) << Messages;
  EXPECT_LT(Messages.size(), 70'000u) << "stderr is kept to its tail";
  bool GoodFound = false;
  for (const Json &F : R.Report["findings"])
    GoodFound |= F["object"].value("name", "") == "good" && F.value("ruleId", "") == "SA001";
  EXPECT_TRUE(GoodFound) << R.Stdout;
}

} // namespace

TEST(RendererFailure, GarbageOutput) {
  expectFailureBesideAGoodTarget("printf '\\001\\002 {{[[ :\\n\\377\\376 garbage\\n'",
                                 "control character U+0001");
}

TEST(RendererFailure, OutputStopsMidDocument) {
  expectFailureBesideAGoodTarget(
      "printf 'apiVersion: v1\\nkind: Pod\\nmetadata:\\n  name: [a, b\\n'", "invalid document");
  expectFailureBesideAGoodTarget("printf 'apiVersion: v1\\nkind: Po'; echo 'Error: cut' >&2; exit 1",
                                 "Error: cut");
}

TEST(RendererFailure, NonZeroExitWithAMessage) {
  expectFailureBesideAGoodTarget("echo 'Error: template broke' >&2; exit 3",
                                 "failed (exit 3): Error: template broke");
}

TEST(RendererFailure, FloodOfStderrKeepsItsTail) {
  expectFailureBesideAGoodTarget(
      "head -c 100000000 /dev/zero | tr '\\0' x >&2; echo 'Error: the end' >&2; exit 1",
      "Error: the end");
}

TEST(RendererFailure, KilledByASignal) {
  expectFailureBesideAGoodTarget("kill -9 $$", "killed by signal 9");
}

TEST(RendererFailure, HangIsKilledAtTheTimeLimit) {
  expectFailureBesideAGoodTarget("exec sleep 60", "timed out after 1 s", {"--render-timeout", "1"});
}

TEST(RendererFailure, ArgumentsReachTheRendererUntouched) {
  TempDir Dir;
  std::string Chart = Dir.path() + "/chart; $(touch pwned) `touch pwned`";
  writeChart(Dir, "chart; $(touch pwned) `touch pwned`",
             "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
  Dir.write("my values.yaml", "a: 1\n");
  // The fake helm writes its argument vector, NUL-separated, then one Pod.
  std::string Helm = fakeRenderer(
      Dir, "fake-helm",
      "for a in \"$@\"; do printf '%s\\0' \"$a\"; done > \"$ARGS_FILE\"\n"
      "printf 'apiVersion: v1\\nkind: Pod\\nmetadata: {name: p}\\nspec: {containers: []}\\n'");
  std::vector<std::string> Hostile = {"a=$(touch pwned)", "b=`touch pwned`;c=d",
                                      "n=line1\nline2 with spaces", "x=' \" \\ | & > pwned"};
  std::vector<std::string> Argv = {SAGUARD_BIN, "helm", "rel; rm -rf /", Chart,
                                   "-f", Dir.path() + "/my values.yaml", "--format", "json"};
  for (const std::string &S : Hostile)
    Argv.insert(Argv.end(), {"--set", S});
  RunResult R = runProgram(Argv, Dir.path(),
                           {{"HELM_BIN", Helm}, {"ARGS_FILE", Dir.path() + "/args"}});
  EXPECT_EQ(R.Exit, 1) << R.Stdout << R.Stderr;

  std::ifstream In(Dir.path() + "/args", std::ios::binary);
  std::vector<std::string> Ran;
  for (std::string Arg; std::getline(In, Arg, '\0');)
    Ran.push_back(Arg);
  std::vector<std::string> Expected = {"template", "rel; rm -rf /", Chart, "--namespace",
                                       "default", "--values", Dir.path() + "/my values.yaml"};
  // saguard hands helm each flag joined to its value, so no value can pass for a flag.
  for (const std::string &S : Hostile)
    Expected.push_back("--set=" + S);
  EXPECT_EQ(Ran, Expected);
  EXPECT_FALSE(std::filesystem::exists(Dir.path() + "/pwned"));
}

TEST(RendererFailure, WrapperKustomizationIsPrivateAndRemovedOnFailure) {
  TempDir Dir;
  Dir.write("overlay/kustomization.yaml", "resources: []\n");
  // The wrapper directory is the argument after `build`; record it and its mode, then fail.
  std::string Kustomize = fakeRenderer(
      Dir, "fake-kustomize",
      "printf '%s' \"$2\" > \"$WRAPPER_FILE\"; stat -c %a \"$2\" > \"$WRAPPER_FILE.mode\"\n"
      "echo 'Error: no build today' >&2; exit 1");
  RunResult R = runProgram({SAGUARD_BIN, "kustomize", "overlay", "--kustomize-bin", Kustomize,
                            "--format", "json"},
                           Dir.path(), {{"WRAPPER_FILE", Dir.path() + "/wrapper"}});
  EXPECT_EQ(R.Exit, 2);
  std::ifstream Wrapper(Dir.path() + "/wrapper"), Mode(Dir.path() + "/wrapper.mode");
  std::string WrapperDir, ModeText;
  std::getline(Wrapper, WrapperDir);
  std::getline(Mode, ModeText);
  ASSERT_FALSE(WrapperDir.empty());
  EXPECT_EQ(ModeText, "700");
  EXPECT_FALSE(std::filesystem::exists(WrapperDir)) << WrapperDir;
}

TEST(RendererFailure, WrapperKustomizationIsRemovedWhenSaguardIsKilled) {
  TempDir Dir;
  Dir.write("overlay/kustomization.yaml", "resources: []\n");
  std::string Kustomize = fakeRenderer(
      Dir, "fake-kustomize", "printf '%s\\n%s\\n' \"$2\" $$ > \"$WRAPPER_FILE.part\"\n"
                             "mv \"$WRAPPER_FILE.part\" \"$WRAPPER_FILE\"\nexec sleep 60");
  std::string WrapperFile = Dir.path() + "/wrapper";
  ::setenv("WRAPPER_FILE", WrapperFile.c_str(), 1);
  std::vector<std::string> Args = {SAGUARD_BIN, "kustomize", Dir.path() + "/overlay",
                                   "--kustomize-bin", Kustomize};
  std::vector<char *> Argv;
  for (std::string &A : Args)
    Argv.push_back(A.data());
  Argv.push_back(nullptr);
  pid_t Pid = ::fork();
  ASSERT_GE(Pid, 0);
  if (Pid == 0) {
    ::execv(Argv[0], Argv.data());
    ::_exit(127);
  }
  // Wait until the renderer runs (the ctest time limit bounds this loop).
  while (!std::filesystem::exists(WrapperFile))
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::ifstream Wrapper(WrapperFile);
  std::string WrapperDir, RendererPid;
  std::getline(Wrapper, WrapperDir);
  std::getline(Wrapper, RendererPid);
  ASSERT_TRUE(std::filesystem::exists(WrapperDir));
  ::kill(Pid, SIGTERM);
  int Status = 0;
  ASSERT_EQ(::waitpid(Pid, &Status, 0), Pid);
  EXPECT_TRUE(WIFSIGNALED(Status) && WTERMSIG(Status) == SIGTERM) << Status;
  EXPECT_FALSE(std::filesystem::exists(WrapperDir)) << WrapperDir;
  ::unsetenv("WRAPPER_FILE");
  ::kill(std::stoi(RendererPid), SIGKILL); // the renderer outlived the run it belonged to
}

TEST(RendererEnvironment, RendersSideBySideCollectGarbageLessOftenUnlessTheUserChose) {
  TempDir Dir;
  writeChart(Dir, "a", "unused\n");
  writeChart(Dir, "b", "unused\n");
  // The fake helm records the GOGC it was given beside the chart, then renders a ConfigMap.
  std::string Helm = fakeRenderer(
      Dir, "fake-helm",
      "printf '%s' \"${GOGC-unset}\" > \"$2.gogc\"\n"
      "printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: x}\\n'");
  auto GogcSeen = [&](const std::string &Jobs, const std::string &UserGogc) {
    RunResult R = runProgram({SAGUARD_BIN, "a", "b", "--jobs", Jobs, "--format", "json"},
                             Dir.path(), {{"HELM_BIN", Helm}, {"GOGC", UserGogc}});
    EXPECT_EQ(R.Exit, 0) << R.Stdout << R.Stderr;
    std::vector<std::string> Seen;
    for (const char *Chart : {"a", "b"}) {
      std::vector<std::string> Lines = readLines(Dir.path() + "/" + Chart + ".gogc");
      Seen.push_back(Lines.empty() ? "" : Lines[0]);
    }
    return Seen;
  };
  EXPECT_EQ(GogcSeen("2", ""), (std::vector<std::string>{"400", "400"}));
  EXPECT_EQ(GogcSeen("1", ""), (std::vector<std::string>{"unset", "unset"}));
  EXPECT_EQ(GogcSeen("2", "50"), (std::vector<std::string>{"50", "50"}));
}
