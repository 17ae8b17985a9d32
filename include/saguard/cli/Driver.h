//===- Driver.h - render, load, analyse and report a set of targets -*- C++ -*-===//
#pragma once

#include "saguard/analysis/Analyzer.h"
#include "saguard/model/Config.h"
#include "saguard/origin/SourceMap.h"
#include "saguard/render/Renderer.h"
#include "saguard/report/Report.h"
#include "saguard/support/Notification.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace saguard::fix {
class LoadedDocuments;
} // namespace saguard::fix

namespace saguard::cli {

/// One thing to analyse: a chart, an overlay, or manifest files.
struct Target {
  render::TargetKind Kind = render::TargetKind::Manifests;
  /// The path as the user gave it (`-` for stdin).
  std::string Path;
  /// A chart's rendering options; for manifests, Helm.Chart names the chart `scan --chart`
  /// says they were rendered from.
  render::HelmOptions Helm;
  render::KustomizeOptions Kustomize;
  /// Manifests found by walking Path: exactly these files (empty: all of Path is read).
  std::vector<std::string> Files;
  /// A chart rendered once per chart-testing values file: that file, relative to the chart.
  std::string ValuesSet;
};

/// What the config file does to findings after analysis.
struct FindingPolicy {
  /// `levels:` rule id -> the level its findings get.
  std::map<std::string, analysis::Level> Levels;
  /// `ignore.accounts:` `namespace/name` of accounts whose Pods' findings are dropped.
  std::vector<model::NameGlob> IgnoreAccounts;
  /// `ignore.objects:` `Kind/namespace/name` (`Kind/name`) of objects whose findings are dropped.
  std::vector<model::NameGlob> IgnoreObjects;
};

class EarlyRender;

/// Everything a run needs, filled from the command line and the config file.
struct RunOptions {
  std::vector<Target> Targets;
  std::string Format = "text";
  /// Output file; empty writes to stdout.
  std::string Output;
  /// Folder each chart's and overlay's render is written to (keptRenderName), so that the
  /// rendered positions reports name are files a link can open; empty keeps none.
  std::string KeepRenderDir;
  /// Lowest level that makes the run exit 1; none never fails on findings.
  std::optional<analysis::Level> FailOn = analysis::Level::Warning;
  analysis::AnalysisOptions Analysis;
  analysis::RuleSelection Selection;
  /// Namespace of objects that carry none; also passed to helm.
  std::string Namespace = std::string(model::DefaultNamespaceName);
  unsigned Jobs = 1;
  bool Quiet = false;
  bool Color = false;
  std::chrono::milliseconds RenderTimeout{120000};
  /// Level overrides and ignored accounts and objects of the config file.
  FindingPolicy Policy;
  /// `--baseline`: SARIF log of results that are not new; empty for none.
  std::string Baseline;
  /// The config file that was read (`--config`, or the one found); empty for none.
  std::string ConfigFile;
  /// `--sarif-omit-suppressed`: SARIF without suppressed and absent results (GitHub upload).
  bool SarifOmitSuppressed = false;
  /// `--together`: all targets form one set, as if deployed into one cluster; otherwise each
  /// target is its own universe (index, RBAC, rules, SARIF run).
  bool Together = false;
  /// `--category`: SARIF `automationDetails.id` of the run (all targets in one SARIF run);
  /// empty names each target's run after the target.
  std::string Category;
  /// `--fail-if-no-objects`: a target that yields no Kubernetes object makes the run exit 2.
  bool FailIfNoObjects = false;
  /// `--verbose`: list what was skipped.
  bool Verbose = false;
  /// `kustomize --emit-patches DIR`: where the overlay's fix patches go; empty for none.
  std::string EmitPatches;
  /// `helm --emit-values FILE`: where the chart's values override goes; empty for none.
  std::string EmitValues;
  /// The only target's renderer, started before the options were finished (startEarlyRender).
  std::shared_ptr<EarlyRender> Early;
  /// The process ends after this run (the command line's run, not a test's): what the run is
  /// done with is left to the exit (leaveToExit) instead of being freed piece by piece.
  bool EndsProcess = false;
};

/// Whether leak checking runs at exit (an AddressSanitizer build). The process then frees what
/// it allocated and ends through main's return, so the checker sees every allocation.
bool leaksChecked();

/// Holds Object until the process exits, when Options.EndsProcess and leaks are not checked:
/// memory the exit gives back whole is not freed object by object first (as compilers leave
/// their syntax trees). Otherwise Object goes with the caller's last reference.
void leaveToExit(const RunOptions &Options, std::shared_ptr<void> Object);

/// Starts the renderer of Options' only target, when that is a chart or an overlay, before the
/// rest of the run's set-up (the config file, the baseline, the chart's own files), which then
/// overlaps the render instead of delaying it. The run takes the renderer over (Options.Early)
/// when its finished options render the target the same way; otherwise it is stopped at once and
/// the target rendered anew, so the config file is honoured either way. Null when there is
/// nothing to start.
std::shared_ptr<EarlyRender> startEarlyRender(const RunOptions &Options);

/// Applies Policy to Findings of the objects in Idx: overridden levels are set, findings of
/// ignored objects, and of Pods running as ignored accounts, are dropped.
void applyPolicy(const FindingPolicy &Policy, const analysis::Index &Idx,
                 std::vector<analysis::Finding> &Findings);

/// The rule with this id or name in any letter case (`sa005`, `SA005`), or null.
const analysis::RuleInfo *findRuleAnyCase(llvm::StringRef IdOrName);

/// Exit statuses: clean, findings at or above --fail-on, input that could not be analysed.
enum ExitCode : int { ExitClean = 0, ExitFindings = 1, ExitInputError = 2 };

/// Runs Write on the file Path, or on stdout when Path is empty; failing to open or to write
/// the file is an error naming it. A regular file is replaced atomically (written beside it,
/// then renamed), so it never holds half a report; a device or pipe is written in place.
llvm::Error writeOutput(const std::string &Path,
                        llvm::function_ref<llvm::Error(llvm::raw_ostream &)> Write);

/// An error when the existing file Output is one of InputFiles, one of Targets (or a file their
/// analysis reads: below a chart or overlay, a manifest below a folder, a helm values file),
/// compared by what the file system resolves (so `./sub/../x` and symlinks count).
llvm::Error refuseOutputOverInput(const std::string &Output,
                                  llvm::ArrayRef<std::string> InputFiles,
                                  llvm::ArrayRef<Target> Targets);

/// What rendering or reading one target gave beside its objects.
struct RenderedTarget {
  render::RenderTarget Render;
  /// The chart or overlay tree its findings are mapped to, with the files read while it
  /// rendered; nullopt for manifests no chart rendered.
  std::optional<origin::SourceTree> Sources;
};

/// Renders or reads every target of Options (up to Options.Jobs at once) and loads its documents
/// into Idx, then finalizes it; problems with the input are appended to Errors. Returns what
/// rendering each target gave, in the order of Options.Targets.
std::vector<RenderedTarget> loadTargets(const RunOptions &Options, FileTable &Files,
                                        analysis::Index &Idx,
                                        std::vector<ToolNotification> &Errors);

/// The directory printed paths and SARIF URIs are relative to: the git work tree holding the
/// first target, else the current directory.
std::string sourceRoot(const RunOptions &Options);

/// Renders or reads every target, analyses each set (its own universe, or all together) and
/// fills Data's findings, errors, runs and targets; fixes are as the rules gave them (see
/// fix::resolveFixes). Returns the number of objects analysed. Loaded, when given, records what
/// the documents of manifest files loaded to, for resolveFixes.
size_t analyseTargets(const RunOptions &Options, FileTable &Files, report::ReportData &Data,
                      fix::LoadedDocuments *Loaded = nullptr);

/// Renders or reads every target (up to Options.Jobs at once), analyses the whole set, writes the
/// report, and returns the exit status. Problems with the input are reported, not returned; an
/// Error means the run itself could not go on (the output file cannot be written, say).
llvm::Expected<ExitCode> runAnalysis(const RunOptions &Options);

} // namespace saguard::cli
