//===- RunSaguard.h - run the real saguard binary from tests ----*- C++ -*-===//
#pragma once

#include "saguard/render/Subprocess.h"

#include <gtest/gtest.h>

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

/// Runs the saguard binary under test with Args.
inline SaguardRun runSaguard(std::vector<std::string> Args) {
  Args.insert(Args.begin(), SAGUARD_BIN);
  return runProgram(Args);
}

} // namespace saguard::test
