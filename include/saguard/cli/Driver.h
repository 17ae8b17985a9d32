//===- Driver.h - render, load, analyse and report a set of targets -*- C++ -*-===//
#pragma once

#include "saguard/analysis/Analyzer.h"
#include "saguard/render/Renderer.h"

#include "llvm/Support/Error.h"

#include <chrono>
#include <string>
#include <vector>

namespace saguard::cli {

/// One thing to analyse: a chart, an overlay, or manifest files.
struct Target {
  render::TargetKind Kind = render::TargetKind::Manifests;
  /// The path as the user gave it (`-` for stdin).
  std::string Path;
  render::HelmOptions Helm;
  render::KustomizeOptions Kustomize;
};

/// Everything a run needs, filled from the command line (and, later, the config file).
struct RunOptions {
  std::vector<Target> Targets;
  std::string Format = "text";
  /// Output file; empty writes to stdout.
  std::string Output;
  /// Lowest level that makes the run exit 1; none never fails on findings.
  std::optional<analysis::Level> FailOn = analysis::Level::Warning;
  analysis::AnalysisOptions Analysis;
  analysis::RuleSelection Selection;
  /// Namespace of objects that carry none; also passed to helm.
  std::string Namespace = "default";
  unsigned Jobs = 1;
  bool Quiet = false;
  bool Color = false;
  std::chrono::milliseconds RenderTimeout{120000};
};

/// Exit statuses of SPEC §3.
enum ExitCode : int { ExitClean = 0, ExitFindings = 1, ExitInputError = 2 };

/// Renders or reads every target (up to Options.Jobs at once), analyses the whole set, writes the
/// report, and returns the exit status. Problems with the input are reported, not returned; an
/// Error means the run itself could not go on (the output file cannot be written, say).
llvm::Expected<ExitCode> runAnalysis(const RunOptions &Options);

} // namespace saguard::cli
