//===- Commands.h - the subcommands of the saguard executable ---*- C++ -*-===//
#pragma once

#include "saguard/cli/Driver.h"

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace saguard::cli {

/// What the parsed command line asks for: set by the chosen subcommand's callback.
using Action = std::function<llvm::Expected<ExitCode>()>;

/// Options shared by every analysing command, as typed (validated in finishCommonOptions).
struct CommonFlags {
  RunOptions Run;
  std::string FailOn = "warning";
  std::string ClusterAutomountDefault = "true";
  std::vector<std::string> Enable, Disable;
  std::string Color = "auto";
  double RenderTimeoutSeconds = 120;
  std::string KustomizeBin;
};

/// Adds -f/--format (just --format when ShortFormat is false: `helm` keeps -f for values files),
/// -o, --fail-on, --enable, --disable, --namespace, --cluster-automount-default, --jobs,
/// --quiet, --color and --render-timeout to Cmd.
void addCommonOptions(CLI::App &Cmd, CommonFlags &Flags, bool ShortFormat = true);
/// Checks and converts the typed common options into Flags.Run.
llvm::Error finishCommonOptions(CommonFlags &Flags);

/// `saguard PATH...`: charts, overlays and manifests, detected by what each path holds.
void setupAutoCommand(CLI::App &App, Action &Run);
/// `saguard scan PATH...|-`: manifest files, directories and stdin.
void setupScanCommand(CLI::App &App, Action &Run);
/// `saguard helm [NAME] CHART [helm template flags]`.
void setupHelmCommand(CLI::App &App, Action &Run);
/// `saguard kustomize DIR [--kustomize-bin BIN]`.
void setupKustomizeCommand(CLI::App &App, Action &Run);
/// `saguard rules [RULE]`.
void setupRulesCommand(CLI::App &App, Action &Run);

} // namespace saguard::cli
