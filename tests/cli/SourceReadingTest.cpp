//===- SourceReadingTest.cpp - chart and overlay trees read while the renderer runs ------===//
#include "RunSaguard.h"
#include "SourceMapping.h"

#include "saguard/cli/Driver.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

using namespace saguard;
using namespace saguard::cli;
using saguard::test::Scratch;
using saguard::test::writeFile;

namespace {

/// Threads of this process now.
size_t threadCount() {
  size_t N = 0;
  for ([[maybe_unused]] const auto &E : std::filesystem::directory_iterator("/proc/self/task"))
    ++N;
  return N;
}

/// A chart `web` in Dir whose ServiceAccount template writes the token key on line 5.
std::string writeChart(const Scratch &Dir, const std::string &ChartYaml) {
  std::filesystem::create_directories(Dir / "web/templates");
  writeFile(Dir / "web/Chart.yaml", ChartYaml);
  writeFile(Dir / "web/values.yaml", "automount: true\n");
  writeFile(Dir / "web/templates/sa.yaml",
            "apiVersion: v1\n"
            "kind: ServiceAccount\n"
            "metadata:\n"
            "  name: web\n"
            "automountServiceAccountToken: {{ .Values.automount }}\n");
  return Dir / "web";
}

const char *ValidChartYaml = "apiVersion: v2\nname: web\nversion: 0.1.0\n";

/// A stand-in helm in Dir running Script (sh).
std::string fakeHelm(const Scratch &Dir, const std::string &Script) {
  std::string Path = Dir / "helm";
  writeFile(Path, "#!/bin/sh\n" + Script + "\n");
  std::filesystem::permissions(Path, std::filesystem::perms::owner_all);
  return Path;
}

Target chartTarget(const std::string &Chart) {
  Target T;
  T.Kind = render::TargetKind::Helm;
  T.Path = Chart;
  return T;
}

/// analyseTargets on T alone, as `saguard helm T` runs it.
report::ReportData analyse(const Target &T, FileTable &Files, std::chrono::milliseconds Timeout =
                                                                  std::chrono::seconds(120)) {
  RunOptions Options;
  Options.Targets = {T};
  Options.RenderTimeout = Timeout;
  report::ReportData Data;
  analyseTargets(Options, Files, Data);
  return Data;
}

/// Threads of this process at idle priority (SCHED_IDLE, policy 5 in /proc's stat).
size_t idleThreads() {
  size_t N = 0;
  for (const auto &E : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream In(E.path() / "stat");
    std::string Stat((std::istreambuf_iterator<char>(In)), std::istreambuf_iterator<char>());
    // Fields after the command name in parentheses, from the state (field 3) on.
    std::istringstream Rest(Stat.substr(Stat.rfind(')') + 1));
    std::string Field;
    for (int I = 3; I <= 41 && Rest >> Field; ++I)
      if (I == 41 && Field == "5")
        ++N;
  }
  return N;
}

TEST(SourceReading, HurriedReadingLeavesIdlePriority) {
  // Idle priority starves on a busy machine; once the render is done the run waits for the
  // reading, which must then run as any thread does.
  Scratch Dir("reading-hurry");
  Target T = chartTarget(writeChart(Dir, ValidChartYaml));
  std::string Helpers;
  for (int I = 0; I < 200; ++I)
    Helpers += "{{- define \"web.h" + std::to_string(I) + "\" -}}\nx\n{{- end }}\n";
  for (int I = 0; I < 400; ++I)
    writeFile(Dir / ("web/templates/_h" + std::to_string(I) + ".tpl"), Helpers);
  SourceReading Reading;
  Reading.start(T, {});
  EXPECT_EQ(idleThreads(), 1u);
  Reading.hurry();
  EXPECT_EQ(idleThreads(), 0u);
  EXPECT_TRUE(Reading.finish());
}

TEST(SourceReading, GivesTheChartTreeAndLeavesNoThread) {
  Scratch Dir("reading-tree");
  Target T = chartTarget(writeChart(Dir, ValidChartYaml));
  size_t Before = threadCount();
  SourceReading Reading;
  Reading.start(T, {});
  std::optional<origin::SourceTree> Tree = Reading.finish();
  EXPECT_EQ(threadCount(), Before);
  ASSERT_TRUE(Tree);
  // The tree is the chart's: a `# Source:` path of it lands on its template.
  FileTable Files;
  origin::SourceMap Map(Files);
  Map.add(std::move(*Tree));
  std::optional<SourceRange> At = Map.helmTemplate(T.Path, "web/templates/sa.yaml", 5);
  ASSERT_TRUE(At);
  EXPECT_EQ(Files.path(At->File), Dir / "web/templates/sa.yaml");
  EXPECT_EQ(At->Begin.Line, 5u);
  EXPECT_FALSE(Reading.finish()) << "the tree is given once";
  // A reading nobody finished is stopped and joined by its owner.
  {
    SourceReading Unfinished;
    Unfinished.start(T, {});
  }
  EXPECT_EQ(threadCount(), Before);
}

TEST(SourceReading, NoneForManifestsNoChartRendered) {
  Target T;
  T.Path = "-";
  size_t Before = threadCount();
  SourceReading Reading;
  Reading.start(T, {});
  EXPECT_EQ(threadCount(), Before);
  EXPECT_FALSE(Reading.finish());
  // `helm template ... | saguard scan - --chart web`: the chart's tree.
  Scratch Dir("reading-scan-chart");
  T.Helm.Chart = writeChart(Dir, ValidChartYaml);
  Reading.start(T, {});
  EXPECT_TRUE(Reading.finish());
}

TEST(SourceReading, FailedRenderIsPlacedAtTheTemplateTheTreeRead) {
  Scratch Dir("reading-failed");
  Target T = chartTarget(writeChart(Dir, ValidChartYaml));
  setenv("HELM_BIN",
         fakeHelm(Dir, "echo 'Error: template: web/templates/sa.yaml:5:33: executing "
                       "\"web/templates/sa.yaml\" at <.Values.automount>: boom' >&2; exit 1")
             .c_str(),
         1);
  size_t Before = threadCount();
  FileTable Files;
  report::ReportData Data = analyse(T, Files);
  EXPECT_EQ(threadCount(), Before) << "the reading thread ends with the failed render";
  ASSERT_EQ(Data.Errors.size(), 1u);
  EXPECT_NE(Data.Errors[0].Message.find("boom"), std::string::npos) << Data.Errors[0].Message;
  ASSERT_NE(Data.Errors[0].Range.File, 0u) << Data.Errors[0].Message;
  EXPECT_EQ(Files.path(Data.Errors[0].Range.File), Dir / "web/templates/sa.yaml");
  EXPECT_EQ(Data.Errors[0].Range.Begin.Line, 5u);
}

TEST(SourceReading, RenderTimeoutLeavesNoThread) {
  Scratch Dir("reading-timeout");
  Target T = chartTarget(writeChart(Dir, ValidChartYaml));
  setenv("HELM_BIN", fakeHelm(Dir, "exec sleep 60").c_str(), 1);
  size_t Before = threadCount();
  FileTable Files;
  report::ReportData Data = analyse(T, Files, std::chrono::milliseconds(300));
  EXPECT_EQ(threadCount(), Before);
  ASSERT_EQ(Data.Errors.size(), 1u);
  EXPECT_NE(Data.Errors[0].Message.find("timed out"), std::string::npos) << Data.Errors[0].Message;
}

TEST(SourceReading, UnreadableTreeAndFailedHelmAreBothSaid) {
  Scratch Dir("reading-unreadable");
  // Not YAML: the tree has no chart names, and helm refuses the chart.
  Target T = chartTarget(writeChart(Dir, "name: [web\n"));
  setenv("HELM_BIN",
         fakeHelm(Dir, "echo 'Error: cannot load Chart.yaml: error converting YAML to JSON' >&2; "
                       "exit 1")
             .c_str(),
         1);
  size_t Before = threadCount();
  FileTable Files;
  report::ReportData Data = analyse(T, Files);
  EXPECT_EQ(threadCount(), Before);
  ASSERT_EQ(Data.Errors.size(), 1u);
  EXPECT_NE(Data.Errors[0].Message.find("cannot load Chart.yaml"), std::string::npos)
      << Data.Errors[0].Message;
  EXPECT_EQ(Data.Errors[0].Range.File, 0u) << "helm names no template to point at";
  EXPECT_EQ(Data.Errors[0].Target, T.Path);
  // A chart folder that is not there at all: the same, from the real helm's own words.
  unsetenv("HELM_BIN");
  Target Missing = chartTarget(Dir / "no-such-chart");
  report::ReportData Gone = analyse(Missing, Files);
  EXPECT_EQ(threadCount(), Before);
  ASSERT_EQ(Gone.Errors.size(), 1u);
  EXPECT_EQ(Gone.Errors[0].Target, Missing.Path);
}

} // namespace
