//===- TeamRepo.h - a copy of tests/team-repo to run saguard in -*- C++ -*-===//
#pragma once

#include "IntegrationUtil.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace saguard::test {

namespace stdfs = std::filesystem;
using nlohmann::json;

inline std::string readWholeFile(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  std::stringstream S;
  S << In.rdbuf();
  return S.str();
}

/// A copy of tests/team-repo, made a repository root (a `.git` folder is all saguard looks
/// for), with the real helm and kubectl first on PATH.
class TeamRepo : public testing::Test {
protected:
  void SetUp() override {
    std::string Helm = requireTool("helm"), Kubectl = requireTool("kubectl");
    ASSERT_FALSE(Helm.empty() || Kubectl.empty());
    stdfs::copy(stdfs::path(SAGUARD_SOURCE_DIR) / "tests/team-repo", Root.str(),
                stdfs::copy_options::recursive);
    stdfs::create_directories(Root / ".git");
    std::string Path = std::filesystem::path(SAGUARD_BIN).parent_path().string() + ":" +
                       stdfs::path(Helm).parent_path().string() + ":" +
                       stdfs::path(Kubectl).parent_path().string();
    if (const char *Old = std::getenv("PATH"))
      Path += std::string(":") + Old;
    Env = {{"PATH", Path}, {"NO_COLOR", "1"}};
  }

  Outcome saguard(std::vector<std::string> Args, const std::string &Dir = "") {
    Args.insert(Args.begin(), SAGUARD_BIN);
    return run(Args, Env, Dir.empty() ? Root.str() : Root / Dir);
  }

  /// The JSON report of saguard Args; Exit -1 takes 0 and 1 (any run without input errors).
  json report(std::vector<std::string> Args, int Exit, const std::string &Dir = "") {
    // Before a `--`, after which everything is helm's.
    auto Dashes = std::find(Args.begin(), Args.end(), "--");
    Args.insert(Dashes, {"--format", "json"});
    Outcome O = saguard(Args, Dir);
    if (Exit == -1)
      EXPECT_NE(O.Exit, 2) << O.Err;
    else
      EXPECT_EQ(O.Exit, Exit) << O.Err;
    return parseJson(O.Out);
  }

  // Named after the test: ctest runs tests of one program side by side.
  ScratchDir Root{std::string("team-repo-") +
                  testing::UnitTest::GetInstance()->current_test_info()->name()};
  EnvChanges Env;
};

} // namespace saguard::test
