//===- Commands.h - the subcommands of the saguard executable ---*- C++ -*-===//
#pragma once

#include "saguard/cli/Driver.h"
#include "saguard/model/Config.h"
#include "saguard/rules/RuleRegistry.h"

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
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
  /// --config FILE; empty looks for .saguard.yaml upward from the first target.
  std::string ConfigPath;
  /// --shard I/N; empty analyses every target.
  std::string Shard;
  /// --shard-index K/N: the same slice counted from 0 (K = I - 1), as a Kubernetes Indexed
  /// Job's JOB_COMPLETION_INDEX counts, for images with no shell to add one.
  std::string ShardIndex;
  /// The command addCommonOptions added these flags to, to tell flags given on the command
  /// line (which win) from defaults (which the config file overrides); null: no config file.
  CLI::App *Cmd = nullptr;
};

/// Adds -f/--format (just --format when ShortFormat is false: `helm` keeps -f for values files),
/// -o, --fail-on, --enable, --disable, -n/--namespace, --cluster-automount-default, --jobs,
/// --quiet, --color, --render-timeout, --config, --baseline, --shard, --shard-index and
/// --sarif-omit-suppressed to Cmd.
void addCommonOptions(CLI::App &Cmd, CommonFlags &Flags, bool ShortFormat = true);
/// Adds -n/--namespace and --cluster-automount-default, which shape the model, to Cmd: every
/// analysing command takes them, `fix` and `permissions` without the report's options.
void addModelOptions(CLI::App &Cmd, CommonFlags &Flags);

/// What --jobs does, for every command that renders or reads targets.
inline constexpr const char *JobsHelp =
    "Threads: targets rendered at once, or a lone target's documents loaded at once";

/// Checks and converts the typed common options into Flags.Run. Call it once Flags.Run.Targets
/// are set: it reads the config file found from them (or --config) and applies --shard.
llvm::Error finishCommonOptions(CommonFlags &Flags);
/// Reads the config file (--config, else found upward from the first target) into Flags, under
/// the flags the command line gave (ConfigOptions.cpp).
llvm::Error applyConfigFile(CommonFlags &Flags);
/// The config file --config names, else the one found upward from Start; nullopt for none.
llvm::Expected<std::optional<model::Config>> readRunConfig(const CommonFlags &Flags,
                                                           llvm::StringRef Start);
/// Keeps the targets of --shard I/N (or --shard-index I-1/N): the I-th of N slices of the
/// targets sorted by path.
llvm::Error applyShard(CommonFlags &Flags);

/// The targets of Paths (TargetDiscovery.h) with the excludes and values sets of the command
/// line and of the config file; says on stderr what it skipped or could not read.
llvm::Expected<std::vector<Target>> findTargets(const CommonFlags &Flags,
                                                const std::vector<std::string> &Paths,
                                                const std::vector<std::string> &Exclude,
                                                bool ValuesSets);

/// Adds --together and --exclude to Cmd, and on its callback sets Run to: find the targets of
/// Paths (detected by what each holds, as `saguard PATH...` does), finish the common options,
/// then Body with them (for the commands that analyse without reporting findings).
void runOnFoundTargets(CLI::App &Cmd, const std::shared_ptr<CommonFlags> &Flags,
                       const std::shared_ptr<std::vector<std::string>> &Paths, Action &Run,
                       std::function<llvm::Expected<ExitCode>(const RunOptions &)> Body);

/// False when NO_COLOR is set (any value, https://no-color.org) or TERM is `dumb`: automatic
/// colour stays off, on stdout and stderr.
bool terminalWantsColour();

/// What --version prints: saguard's version, LLVM's, and the helm and kustomize a run would
/// use, with their versions.
std::string versionText();

/// `saguard PATH...`: charts, overlays and manifests, detected by what each path holds.
void setupAutoCommand(CLI::App &App, Action &Run);
/// `saguard scan PATH...|-`: manifest files, directories and stdin.
void setupScanCommand(CLI::App &App, Action &Run);
/// `saguard helm [NAME] CHART [helm template flags] [-- helm arguments]`; AfterDashes are the
/// arguments after `--`, which go to helm untouched. Without WithHelmFlags the helm template
/// flags are not options: a command line that names one leaves it among the remaining
/// arguments (see main).
void setupHelmCommand(CLI::App &App, Action &Run, std::vector<std::string> AfterDashes,
                      bool WithHelmFlags = true);
/// `saguard kustomize DIR [--kustomize-bin BIN]`.
void setupKustomizeCommand(CLI::App &App, Action &Run);
/// `saguard rules [RULE]`.
void setupRulesCommand(CLI::App &App, Action &Run);
/// `saguard permissions PATH...`: per workload, its account, token and what the token can do.
void setupPermissionsCommand(CLI::App &App, Action &Run);
/// `saguard fix PATH... [--dry-run]`: the findings' mechanical fixes, applied in place.
void setupFixCommand(CLI::App &App, Action &Run);
/// `saguard merge A.sarif B.sarif... [-o FILE]`: one SARIF log from shard reports.
void setupMergeCommand(CLI::App &App, Action &Run);

} // namespace saguard::cli
