//===- Baseline.h - comparing a run with a previous SARIF log ---*- C++ -*-===//
#pragma once

#include "saguard/report/Report.h"

#include "llvm/Support/Error.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace saguard::report {

/// The results of a previous SARIF log (`--baseline FILE.sarif`).
struct BaselineLog {
  std::string Path;
  std::vector<sarif::Result> Results;
  /// The same results by the `automationDetails.id` of their run (runs without one left out),
  /// so each analysed set is compared with its own earlier run only.
  std::map<std::string, std::vector<sarif::Result>> ByRun;
};

/// Reads the SARIF log at Path (any tool's; saguard's fingerprints only match saguard's).
llvm::Expected<BaselineLog> readBaseline(const std::string &Path);

/// Sets Data.Baseline for every finding and Data.Absent, matching on rule id and
/// `partialFingerprints.primaryLocationLineHash` as the SARIF report computes it (so Data's
/// SrcRoot and targets must be final): a finding with a match is Unchanged (Updated when its
/// message changed), one without is New; baseline results matched by no finding are Absent.
/// With Data.Runs, each set is compared with the baseline's run of the same id, so adding or
/// removing a target leaves the others' states alone.
void markBaseline(ReportData &Data, BaselineLog Base);

/// True when a finding that is neither suppressed nor already in the baseline is at FailOn or
/// above (nullopt is `--fail-on none`, which never fails).
bool failsRun(const ReportData &Data, std::optional<analysis::Level> FailOn);

/// True when Data has a baseline and the finding at Index is in it (Unchanged or Updated).
bool inBaseline(const ReportData &Data, std::size_t Index);

} // namespace saguard::report
