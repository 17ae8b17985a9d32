//===- Report.h - writing findings as text, JSON, SARIF, gcc or GitHub lines -*- C++ -*-===//
#pragma once

#include "saguard/analysis/Finding.h"
#include "saguard/analysis/Rule.h"
#include "saguard/support/Notification.h"
#include "saguard/support/SourcePos.h"

#include "sarif/SarifLog.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace saguard::report {

/// A target of the run and how it was read, for the lists of the text, JSON and SARIF reports.
struct TargetSummary {
  /// The chart, overlay or manifests folder or file, as discovery or the user named it.
  std::string Path;
  /// `chart`, `overlay` or `manifests`.
  std::string Kind;
  /// How it was read: `helm template`, `kustomize build`, `read`, with the values set if any.
  std::string RenderedBy;
  /// Objects it yielded.
  std::size_t Objects = 0;
};

/// The findings and errors of one analysed set: one target, or all of them with --together
/// or --category. Each is its own SARIF run, named by its AutomationId.
struct RunSlice {
  /// SARIF `automationDetails.id`.
  std::string AutomationId;
  /// Indices into ReportData::TargetList.
  std::vector<std::size_t> Targets;
  /// [FindingsBegin, FindingsEnd) of ReportData::Findings, [ErrorsBegin, ErrorsEnd) of Errors.
  std::size_t FindingsBegin = 0, FindingsEnd = 0, ErrorsBegin = 0, ErrorsEnd = 0;
};

/// Everything a report is written from: the findings and input errors of one run.
struct ReportData {
  /// All findings, suppressed ones included (they are listed apart and never fail the run).
  std::vector<analysis::Finding> Findings;
  /// Problems with the input: they make the run exit 2 and SARIF `executionSuccessful` false.
  std::vector<ToolNotification> Errors;
  /// Resolves the FileIds of Findings and Errors; null prints no file names.
  const FileTable *Files = nullptr;
  /// The rule table (analysis::allRules() in the tool); its order is the SARIF ruleIndex.
  std::span<const analysis::RuleInfo> Rules;
  /// The targets (files, charts, overlays) analysed, as the user named them.
  std::vector<std::string> Targets;
  /// Absolute directory that printed paths and SARIF URIs are relative to (the repository
  /// root); empty means the current directory.
  std::string SrcRoot;
  /// SARIF `automationDetails.id`, e.g. `saguard/charts-web/`; empty leaves it out. Used
  /// when Runs is empty.
  std::string AutomationId;
  /// The targets with how each was read, in the order the reports list them.
  std::vector<TargetSummary> TargetList;
  /// The analysed sets, findings and errors grouped by set; empty: all of it is one set.
  std::vector<RunSlice> Runs;
  /// The --cluster-automount-default in effect; false is an assumption the report states.
  bool ClusterAutomountDefault = true;
  /// saguard's version (SARIF `tool.driver.version`, and `semanticVersion` when it is SemVer).
  std::string ToolVersion;
  /// How many objects were analysed, when the caller knows; the text summary mentions it.
  std::optional<std::size_t> ObjectsAnalysed;
  /// With --baseline: how each finding compares with the baseline log, in the order of Findings
  /// (see markBaseline in Baseline.h); empty without a baseline. Findings already in it
  /// (Unchanged, Updated) never fail the run and only SARIF and JSON list them.
  std::vector<sarif::BaselineState> Baseline;
  /// With --baseline: the baseline's results this run no longer has (SARIF `absent`).
  std::vector<sarif::Result> Absent;
};

/// How a reporter writes, beyond the data.
struct ReporterOptions {
  /// ANSI colours in the `text` format (a terminal).
  bool Color = false;
  /// Results kept in a SARIF run; GitHub rejects a run with more than 25,000, so the least
  /// severe beyond it are left out with a notification saying how many.
  std::size_t MaxSarifResults = 25'000;
  /// Leaves suppressed findings out of SARIF instead of writing them with a `suppressions`
  /// entry: GitHub code scanning ignores `suppressions` and would open them as alerts.
  bool SarifOmitSuppressed = false;
  /// Columns the `text` format wraps finding messages at (with an indent); 0 never wraps.
  std::size_t WrapWidth = 0;
  /// Workflow-command annotations per severity in the `github` format (GitHub shows 10 of each
  /// per step); the rest are printed as plain lines. 0 means no limit.
  std::size_t GithubAnnotationLimit = 10;
};

/// Writes a report in one format.
class Reporter {
public:
  virtual ~Reporter() = default;
  /// Writes the whole report for Data to OS.
  virtual void write(const ReportData &Data, llvm::raw_ostream &OS) = 0;
};

/// The format names createReporter accepts, in the order `--help` lists them.
std::span<const std::string_view> formatNames();

/// Returns the reporter for Format (`text`, `json`, `sarif`, `gcc` or `github`), or an error
/// naming the formats when Format is none of them.
llvm::Expected<std::unique_ptr<Reporter>> createReporter(std::string_view Format,
                                                         ReporterOptions Options = {});

/// The most severe level among the findings that are not suppressed, or nullopt if none.
std::optional<analysis::Level> worstUnsuppressed(const std::vector<analysis::Finding> &Findings);

/// True when a finding that is not suppressed is at FailOn or above (`--fail-on`; nullopt is
/// `--fail-on none`, which never fails).
bool hasFindingsAtOrAbove(const std::vector<analysis::Finding> &Findings,
                          std::optional<analysis::Level> FailOn);

/// Path as reports print it: relative to SrcRoot (empty: the current directory) when it lies
/// under it, else absolute; `/`-separated, without `.`/`..` segments or a leading `./`.
/// Relative Paths are taken from the current directory. Names such as `<stdin>` and URIs are
/// returned unchanged.
std::string displayPath(std::string_view Path, std::string_view SrcRoot);

/// One line of text safe to print on a terminal or in a CI log, whatever an input put in it:
/// control characters other than tab (ESC, CR, LF, DEL, C1 controls, and the Unicode line and
/// paragraph separators) become `\xNN` or `\u{NNNN}`, and a leading `::` or `##[` (a GitHub
/// workflow command) gets its first character escaped, so no object name, message or path can
/// move the cursor, colour the terminal, start a line or forge an annotation. Callers that keep
/// the lines of a multi-line message apply it to each line.
std::string printable(std::string_view Text);

/// The key that identifies a finding across runs and renders, whatever its line: rule id,
/// target (as displayPath prints it), the object's source file, kind, namespace and name (its
/// stable name when the name is drawn at render time), and key path. The SARIF fingerprints
/// hash it; a baseline can match findings of any format with it.
std::string semanticKey(const analysis::Finding &F, std::string_view SrcRoot);

} // namespace saguard::report
