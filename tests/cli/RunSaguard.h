//===- RunSaguard.h - run the real saguard binary from tests ----*- C++ -*-===//
#pragma once

#include "saguard/render/Subprocess.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace saguard::test {

/// What one run of the binary printed and returned.
struct SaguardRun {
  int Exit = -1;
  std::string Out;
  std::string Err;
};

/// Runs Argv (no shell) from the source directory, so paths in reports are stable.
inline SaguardRun runProgram(const std::vector<std::string> &Argv) {
  render::ProcessOptions Options;
  Options.WorkingDir = SAGUARD_SOURCE_DIR;
  SaguardRun Run;
  auto Result = render::runProcess(Argv, Options, [&](std::string_view Chunk) {
    Run.Out.append(Chunk);
  });
  if (!Result) {
    ADD_FAILURE() << llvm::toString(Result.takeError());
    return Run;
  }
  Run.Exit = Result->ExitCode;
  Run.Err = Result->Stderr;
  return Run;
}

/// A fresh directory for one test, removed at its end.
struct Scratch {
  std::filesystem::path Dir;
  explicit Scratch(const std::string &Name)
      : Dir(std::filesystem::path(testing::TempDir()) / ("saguard-cli-" + Name)) {
    std::filesystem::remove_all(Dir);
    std::filesystem::create_directories(Dir);
  }
  ~Scratch() {
    std::error_code EC;
    std::filesystem::remove_all(Dir, EC);
  }
  std::string operator/(const std::string &Rel) const { return (Dir / Rel).string(); }
};

inline std::string readFile(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  std::stringstream S;
  S << In.rdbuf();
  return S.str();
}

inline void writeFile(const std::string &Path, const std::string &Text) {
  std::ofstream(Path, std::ios::binary) << Text;
}

/// Runs the saguard binary under test with Args.
inline SaguardRun runSaguard(std::vector<std::string> Args) {
  Args.insert(Args.begin(), SAGUARD_BIN);
  return runProgram(Args);
}

} // namespace saguard::test
