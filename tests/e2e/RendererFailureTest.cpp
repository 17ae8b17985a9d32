//===- RendererFailureTest.cpp - renderers that fail: exit 2, said in the report ===//
#include "E2eUtil.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

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
