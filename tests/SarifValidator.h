//===- SarifValidator.h - run ../shared/sarif/validate-sarif.mjs from tests -*- C++ -*-===//
#pragma once

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace saguard::test {

/// The validator script (OASIS schema, draft-04, plus `--github` checks).
inline const std::string SarifValidatorScript = SAGUARD_SHARED_DIR "/sarif/validate-sarif.mjs";

/// The node_modules holding ajv, ajv-formats and ajv-draft-04: $SAGUARD_SARIF_TOOLS, else
/// <source>/.sarif-tools/node_modules.
inline std::string sarifToolsDir() {
  const char *Env = std::getenv("SAGUARD_SARIF_TOOLS");
  return Env && *Env ? Env : SAGUARD_SOURCE_DIR "/.sarif-tools/node_modules";
}

inline std::string shellQuote(std::string_view S) {
  std::string Out = "'";
  for (char C : S)
    Out += C == '\'' ? std::string("'\\''") : std::string(1, C);
  return Out + "'";
}

/// Exit status and combined output of a shell command.
struct CommandOutcome {
  int Status = -1;
  std::string Output;
};

inline CommandOutcome runCommand(const std::string &Command) {
  CommandOutcome Out;
  FILE *Pipe = popen((Command + " 2>&1").c_str(), "r");
  if (!Pipe)
    return Out;
  std::array<char, 4096> Buffer;
  while (std::size_t N = std::fread(Buffer.data(), 1, Buffer.size(), Pipe))
    Out.Output.append(Buffer.data(), N);
  int Status = pclose(Pipe);
  Out.Status = WIFEXITED(Status) ? WEXITSTATUS(Status) : -1;
  return Out;
}

/// Fails the current test (never skips: a skipped check looks like a passing one in CI) when
/// node, the validator or its npm packages are missing.
inline void requireSarifValidator() {
  const std::string Setup = "run: npm install --prefix " SAGUARD_SOURCE_DIR
                            "/.sarif-tools --no-save ajv@8 ajv-formats@3 ajv-draft-04@1";
  ASSERT_TRUE(std::filesystem::exists(SarifValidatorScript))
      << "SARIF validator not found at " << SarifValidatorScript;
  ASSERT_EQ(runCommand("node --version").Status, 0) << "node is not installed; " << Setup;
  for (const char *Package : {"ajv", "ajv-formats", "ajv-draft-04"})
    ASSERT_TRUE(std::filesystem::exists(std::filesystem::path(sarifToolsDir()) / Package))
        << "npm package '" << Package << "' not found in " << sarifToolsDir()
        << " (set SAGUARD_SARIF_TOOLS to another node_modules); " << Setup;
}

/// Writes Sarif to a temporary file named FileName and validates it with `--github`.
inline CommandOutcome validateSarif(const std::string &Sarif, const std::string &FileName) {
  std::string Path = testing::TempDir() + FileName;
  std::ofstream(Path, std::ios::binary) << Sarif;
  return runCommand("NODE_PATH=" + shellQuote(sarifToolsDir()) + " node " +
                    shellQuote(SarifValidatorScript) + " --github " + shellQuote(Path));
}

} // namespace saguard::test
