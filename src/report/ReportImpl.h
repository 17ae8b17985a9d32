//===- ReportImpl.h - what the reporters share (internal) -------*- C++ -*-===//
#pragma once

#include "saguard/report/Report.h"

#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace saguard::report::detail {

/// A resolved place: the file as reports print it and 1-based positions (0 when unknown).
struct Place {
  std::string File;
  SourcePos Begin;
  SourcePos End;

  bool hasFile() const { return !File.empty(); }
  /// Begin, where a line or column of 0 (a place known only by its file) reads as 1: formats
  /// that need a position point at the file's start.
  SourcePos start() const { return {Begin.Line ? Begin.Line : 1, Begin.Column ? Begin.Column : 1}; }
  /// `file:line:col`, `file:line`, `file` or "" depending on what is known.
  std::string str(bool WithColumn = true) const;
};

/// Turns FileIds and targets into printed paths once per file (make_absolute and remove_dots
/// are not free, and a report repeats a few files many times).
class Places {
public:
  explicit Places(const ReportData &Data);

  /// The absolute root paths are made relative to.
  const std::string &root() const { return Root; }
  /// The printed path of Id ("" for 0 or without a file table).
  const std::string &path(FileId Id);
  /// Whether Id is a rendered stream (FileTable::isRendered), no file a link can open.
  bool rendered(FileId Id) const { return Files && Id != 0 && Files->isRendered(Id); }
  /// Range resolved; a range without a file falls back to Target's file (see targetFile) at
  /// line 1, column 1, so every finding and error has somewhere to point.
  Place at(const SourceRange &Range, std::string_view Target);
  /// A file standing for a whole target: the target itself when it is a file, else its
  /// Chart.yaml or kustomization file when it has one, else the directory.
  const std::string &targetFile(std::string_view Target);
  /// Target as printed (displayPath).
  const std::string &target(std::string_view Target);

private:
  const FileTable *Files;
  std::string Root;
  std::map<FileId, std::string> PathCache;
  std::map<std::string, std::string, std::less<>> TargetCache;
  std::map<std::string, std::string, std::less<>> TargetNameCache;
};

/// semanticKey of each finding of Data, in order, with `#2`, `#3`... appended to repeats so that
/// two findings never share a fingerprint (a rule reporting one key path twice on one object).
std::vector<std::string> uniqueSemanticKeys(const ReportData &Data);
/// The same for Findings, a run's findings held apart from Data.
std::vector<std::string> uniqueSemanticKeys(const ReportData &Data,
                                            std::span<const analysis::Finding> Findings);

/// Text with each line break (and the blank space around it) turned into one space, for formats
/// that are one line per entry, made printable.
std::string oneLine(std::string_view Text);

/// A fix in one line for people: `description: insert|write 'text' at FILE:LINE`.
std::string fixHint(const analysis::Fix &Fx, Places &P, std::string_view Target);

/// `1 error`, `2 errors`.
std::string plural(std::size_t N, std::string_view Singular);

/// The sentence every format uses when --cluster-automount-default false was in effect.
inline constexpr std::string_view AutomountAssumption =
    "assumed that tokens are not automounted unless a Pod or ServiceAccount asks "
    "(--cluster-automount-default false)";

std::unique_ptr<Reporter> createTextReporter(const ReporterOptions &Options);
std::unique_ptr<Reporter> createJsonReporter(const ReporterOptions &Options);
std::unique_ptr<Reporter> createSarifReporter(const ReporterOptions &Options);
std::unique_ptr<Reporter> createGccReporter(const ReporterOptions &Options);
std::unique_ptr<Reporter> createGithubReporter(const ReporterOptions &Options);

} // namespace saguard::report::detail
