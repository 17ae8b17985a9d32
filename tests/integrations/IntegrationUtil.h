//===- IntegrationUtil.h - real tools in a controlled environment -*- C++ -*-===//
#pragma once

#include "saguard/render/Subprocess.h"

#include "llvm/Support/Program.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace saguard::test {

/// What one program run printed and returned.
struct Outcome {
  int Exit = -1;
  std::string Out;
  std::string Err;
};

using EnvChanges = std::vector<std::pair<std::string, std::optional<std::string>>>;

/// Runs Argv (no shell) in WorkingDir with Env applied over this process's environment.
inline Outcome run(const std::vector<std::string> &Argv, const EnvChanges &Env = {},
                   const std::string &WorkingDir = SAGUARD_SOURCE_DIR) {
  render::ProcessOptions Options;
  Options.WorkingDir = WorkingDir;
  Options.Env = Env;
  Options.Timeout = std::chrono::seconds(120);
  Outcome O;
  auto Result =
      render::runProcess(Argv, Options, [&](std::string_view Chunk) { O.Out.append(Chunk); });
  if (!Result) {
    ADD_FAILURE() << llvm::toString(Result.takeError());
    return O;
  }
  O.Exit = Result->ExitCode;
  O.Err = Result->Stderr;
  return O;
}

/// A real tool (helm, kubectl): the pinned one in <source>/.tools/bin (scripts/install-tools.sh),
/// else the first on PATH. Empty, with a test failure, when there is none: a skipped check
/// would look like a passing one.
inline std::string requireTool(const std::string &Name) {
  std::filesystem::path Pinned = std::filesystem::path(SAGUARD_SOURCE_DIR) / ".tools/bin" / Name;
  if (std::filesystem::exists(Pinned))
    return Pinned.string();
  if (llvm::ErrorOr<std::string> Found = llvm::sys::findProgramByName(Name))
    return *Found;
  ADD_FAILURE() << Name << " not found in " SAGUARD_SOURCE_DIR "/.tools/bin or on PATH "
                << "(run scripts/install-tools.sh)";
  return "";
}

/// A fresh directory under the test temp dir, removed at the end of the test.
class ScratchDir {
public:
  explicit ScratchDir(const std::string &Name)
      : Path(std::filesystem::path(testing::TempDir()) / ("saguard-" + Name)) {
    std::filesystem::remove_all(Path);
    std::filesystem::create_directories(Path);
  }
  ~ScratchDir() {
    std::error_code EC;
    std::filesystem::remove_all(Path, EC);
  }
  ScratchDir(const ScratchDir &) = delete;
  ScratchDir &operator=(const ScratchDir &) = delete;

  std::string operator/(const std::string &Rel) const { return (Path / Rel).string(); }
  std::string str() const { return Path.string(); }

private:
  std::filesystem::path Path;
};

/// The findings of a `--format json` report as comparable tuples: rule, level, message, object,
/// file, line, column.
using FindingKey =
    std::tuple<std::string, std::string, std::string, std::string, std::string, int, int>;

inline std::multiset<FindingKey> findingKeys(const nlohmann::json &Report) {
  std::multiset<FindingKey> Out;
  for (const nlohmann::json &F : Report.at("findings")) {
    const nlohmann::json &O = F.at("object");
    const nlohmann::json &L = F.at("location");
    Out.insert({F.at("ruleId").get<std::string>(), F.at("level").get<std::string>(),
                F.at("message").get<std::string>(),
                O.at("kind").get<std::string>() + "/" + O.at("namespace").get<std::string>() + "/" +
                    O.at("name").get<std::string>(),
                L.at("file").is_string() ? L.at("file").get<std::string>() : "",
                L.at("line").is_number() ? L.at("line").get<int>() : 0,
                L.at("column").is_number() ? L.at("column").get<int>() : 0});
  }
  return Out;
}

/// Text parsed as JSON; a test failure and a discarded value when it is not.
inline nlohmann::json parseJson(const std::string &Text) {
  nlohmann::json J = nlohmann::json::parse(Text, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(J.is_discarded()) << "not JSON:\n" << Text.substr(0, 2000);
  return J;
}

} // namespace saguard::test
