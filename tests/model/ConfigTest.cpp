// .saguard.yaml: every key, strict errors with line and column, globs, the upward search.
#include "saguard/model/Config.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace saguard::model;

namespace {

Config parseOk(llvm::StringRef Text) {
  llvm::Expected<Config> C = parseConfig(Text, "cfg/.saguard.yaml");
  if (!C) {
    ADD_FAILURE() << llvm::toString(C.takeError());
    return {};
  }
  return std::move(*C);
}

std::string parseError(llvm::StringRef Text) {
  llvm::Expected<Config> C = parseConfig(Text, ".saguard.yaml");
  if (C) {
    ADD_FAILURE() << "parsed: " << Text.str();
    return "";
  }
  return llvm::toString(C.takeError());
}

} // namespace

TEST(Config, ReadsEveryKey) {
  Config C = parseOk(R"(# project settings
disable: [SA010]
enable:
  - SA001
  - shared-service-account
levels: {SA002: error, SA011: note}
ignore:
  accounts: ["kube-system/*"]
  objects: ["Deployment/shop/*", "**/legacy-*"]
clusterAutomountDefault: false
failOn: error
helm:
  bin: /opt/helm
  valuesFiles: [ci/values.yaml, /abs/values.yaml]
kustomize: {bin: kubectl}
renderTimeout: 30
)");
  ASSERT_EQ(C.Disable.size(), 1u);
  EXPECT_EQ(C.Disable[0].Value, "SA010");
  EXPECT_EQ(C.Disable[0].Pos.Line, 2u);
  EXPECT_EQ(C.Disable[0].Pos.Column, 11u);
  ASSERT_EQ(C.Enable.size(), 2u);
  EXPECT_EQ(C.Enable[1].Value, "shared-service-account");
  EXPECT_EQ(C.Enable[1].Pos.Line, 5u);
  ASSERT_EQ(C.Levels.size(), 2u);
  EXPECT_EQ(C.Levels[0].first.Value, "SA002");
  EXPECT_EQ(C.Levels[0].second.Value, "error");
  EXPECT_EQ(C.Levels[0].first.Pos.Line, 6u);
  EXPECT_EQ(C.Levels[0].first.Pos.Column, 10u);
  EXPECT_EQ(C.Levels[1].first.Value, "SA011");
  EXPECT_EQ(C.Levels[1].second.Value, "note");
  ASSERT_EQ(C.Ignore.Accounts.size(), 1u);
  EXPECT_EQ(C.Ignore.Accounts[0].Value, "kube-system/*");
  ASSERT_EQ(C.Ignore.Objects.size(), 2u);
  EXPECT_EQ(C.ClusterAutomountDefault, false);
  ASSERT_TRUE(C.FailOn);
  EXPECT_EQ(C.FailOn->Value, "error");
  EXPECT_EQ(C.HelmBin, "/opt/helm");
  EXPECT_EQ(C.HelmValuesFiles,
            (std::vector<std::string>{"cfg/ci/values.yaml", "/abs/values.yaml"}));
  EXPECT_EQ(C.KustomizeBin, "kubectl");
  EXPECT_EQ(C.RenderTimeout, 30.0);
  EXPECT_EQ(C.Path, "cfg/.saguard.yaml");
}

TEST(Config, EmptyAndCommentOnlyFilesAreEmptyConfigs) {
  for (llvm::StringRef Text : {"", "# nothing yet\n", "---\n", "disable: []\nignore: {}\n"}) {
    Config C = parseOk(Text);
    EXPECT_TRUE(C.Disable.empty()) << Text.str();
    EXPECT_FALSE(C.ClusterAutomountDefault) << Text.str();
    EXPECT_FALSE(C.RenderTimeout) << Text.str();
  }
}

TEST(Config, UnknownKeysAreErrorsWithLineAndColumn) {
  EXPECT_EQ(parseError("disable: [SA010]\nignores:\n  objects: []\n"),
            ".saguard.yaml:2:1: unknown key 'ignores'");
  EXPECT_EQ(parseError("ignore:\n  account: [x/y]\n"), ".saguard.yaml:2:3: unknown key 'account'");
  EXPECT_EQ(parseError("helm: {bin: helm, values: [a.yaml]}\n"),
            ".saguard.yaml:1:19: unknown key 'values'");
}

TEST(Config, BadValuesAreErrorsWithLineAndColumn) {
  EXPECT_EQ(parseError("\nlevels:\n  SA002: fatal\n"),
            ".saguard.yaml:3:10: level 'fatal' of SA002 is none of error, warning, note");
  EXPECT_EQ(parseError("clusterAutomountDefault: maybe\n"),
            ".saguard.yaml:1:26: clusterAutomountDefault is 'maybe', expected true or false");
  EXPECT_EQ(parseError("failOn: fatal\n"),
            ".saguard.yaml:1:9: failOn is 'fatal', expected error, warning, note or none");
  EXPECT_EQ(parseError("renderTimeout: -3\n"),
            ".saguard.yaml:1:16: renderTimeout is '-3', expected a positive number of seconds");
  EXPECT_EQ(parseError("renderTimeout: soon\n"),
            ".saguard.yaml:1:16: renderTimeout is 'soon', expected a positive number of seconds");
  EXPECT_EQ(parseError("disable: SA010\n"),
            ".saguard.yaml:1:10: expected a list, such as [SA001, SA002]");
  // A flow collection's node starts at its first entry.
  EXPECT_EQ(parseError("failOn: [error]\n"),
            ".saguard.yaml:1:10: expected a single value, found a list or mapping");
  EXPECT_EQ(parseError("ignore: [x]\n"), ".saguard.yaml:1:10: not a mapping");
  EXPECT_EQ(parseError("ignore:\n  objects: [\"Deployment//web\"]\n"),
            ".saguard.yaml:2:13: pattern 'Deployment//web' has an empty segment");
  EXPECT_EQ(parseError("ignore:\n  accounts: ['ns/a**']\n"),
            ".saguard.yaml:2:14: pattern 'ns/a**': '**' must be a whole segment");
  EXPECT_EQ(parseError("- SA001\n"), ".saguard.yaml:1:1: not a mapping");
}

TEST(Config, SyntaxErrorsAndSecondDocumentsAreErrors) {
  std::string E = parseError("disable: [SA010\n");
  EXPECT_EQ(E.rfind(".saguard.yaml:", 0), 0u) << E;
  EXPECT_EQ(parseError("disable: [SA010]\n---\nenable: [SA001]\n"),
            ".saguard.yaml:2:1: a config file holds one YAML document");
  // An alias is no hang and no crash, just an error.
  E = parseError("a: &x [SA001]\ndisable: *x\n");
  EXPECT_EQ(E.rfind(".saguard.yaml:", 0), 0u) << E;
}

TEST(Config, CrlfAndBomAreFine) {
  Config C = parseOk("\xEF\xBB\xBF"
                     "disable: [SA010]\r\nclusterAutomountDefault: no\r\n");
  ASSERT_EQ(C.Disable.size(), 1u);
  EXPECT_EQ(C.Disable[0].Value, "SA010");
  EXPECT_EQ(C.ClusterAutomountDefault, false);
}

TEST(NameGlob, StarStaysInOneSegmentAndDoubleStarSpansSegments) {
  auto G = [](llvm::StringRef P) { return cantFail(NameGlob::create(P)); };
  EXPECT_TRUE(G("kube-system/*").match("kube-system/coredns"));
  EXPECT_FALSE(G("kube-system/*").match("kube-public/coredns"));
  EXPECT_TRUE(G("Deployment/shop/*").match("Deployment/shop/web"));
  EXPECT_FALSE(G("Deployment/shop/*").match("StatefulSet/shop/web"));
  EXPECT_FALSE(G("*/legacy-*").match("Deployment/shop/legacy-web"));
  EXPECT_TRUE(G("*/legacy-*").match("ClusterRole/legacy-admin"));
  EXPECT_TRUE(G("**/legacy-*").match("Deployment/shop/legacy-web"));
  EXPECT_TRUE(G("**/legacy-*").match("ClusterRole/legacy-admin"));
  EXPECT_TRUE(G("*/*/we?").match("Deployment/shop/web"));
  EXPECT_FALSE(G("*/*/we?").match("Deployment/shop/webs"));
  EXPECT_TRUE(G("**").match("Deployment/shop/web"));
  EXPECT_TRUE(G("Deployment/**").match("Deployment/shop/web"));
  EXPECT_TRUE(G("*-a*b*").match("x-aaab-b"));
}

TEST(Config, FoundUpwardFromTheTarget) {
  namespace fs = std::filesystem;
  fs::path Root = fs::path(testing::TempDir()) / "saguard-config-search";
  fs::remove_all(Root);
  fs::create_directories(Root / "repo/charts/web/templates");
  std::ofstream(Root / "repo/.saguard.yml") << "disable: [SA010]\n";
  std::ofstream(Root / "repo/charts/web/Chart.yaml") << "name: web\n";

  std::optional<std::string> Found = findConfigFile((Root / "repo/charts/web").string());
  ASSERT_TRUE(Found);
  EXPECT_EQ(fs::path(*Found), Root / "repo/.saguard.yml");
  // From a file: its directory first.
  Found = findConfigFile((Root / "repo/charts/web/Chart.yaml").string());
  ASSERT_TRUE(Found);
  EXPECT_EQ(fs::path(*Found), Root / "repo/.saguard.yml");

  // The nearest wins, and .yaml before .yml.
  std::ofstream(Root / "repo/charts/.saguard.yaml") << "disable: [SA011]\n";
  std::ofstream(Root / "repo/charts/.saguard.yml") << "disable: [SA009]\n";
  Found = findConfigFile((Root / "repo/charts/web").string());
  ASSERT_TRUE(Found);
  EXPECT_EQ(fs::path(*Found), Root / "repo/charts/.saguard.yaml");

  llvm::Expected<Config> C = readConfigFile(*Found);
  ASSERT_TRUE(static_cast<bool>(C)) << llvm::toString(C.takeError());
  EXPECT_EQ(C->Disable.at(0).Value, "SA011");
  fs::remove_all(Root);
}

TEST(Config, MissingFileIsAnError) {
  llvm::Expected<Config> C = readConfigFile("/nonexistent/.saguard.yaml");
  ASSERT_FALSE(static_cast<bool>(C));
  EXPECT_NE(llvm::toString(C.takeError()).find("cannot read config file"), std::string::npos);
}

TEST(Config, DeepNestingAndDuplicateKeysAreLocatedErrors) {
  std::string Deep = parseError("disable: " + std::string(100'000, '['));
  EXPECT_EQ(Deep, ".saguard.yaml:1:1: nesting deeper than the limit of 1000");
  EXPECT_EQ(parseError("disable: [SA001]\nfailOn: note\ndisable: [SA002]\n"),
            ".saguard.yaml:3:1: duplicate key 'disable'");
}
