//===- SarifReport.h - findings to a SARIF run ------------------*- C++ -*-===//
#pragma once

#include "saguard/report/Report.h"

#include "sarif/SarifLog.h"

#include <string>
#include <string_view>

namespace saguard::report {

/// Where a rule's help page is published (SARIF `helpUri`).
std::string ruleHelpUri(std::string_view RuleId);

/// The SARIF `reportingDescriptor` of a rule: descriptions from its summary and help page, tags,
/// `security-severity` from its default level, precision `high`.
sarif::ReportingDescriptor ruleDescriptor(const analysis::RuleInfo &Rule);

/// The first paragraph of the `## What` section of a help page, unwrapped and without markup
/// (SARIF `fullDescription`); empty when the page has no such section.
std::string whatParagraph(std::string_view HelpMarkdown);

/// Markdown as plain text: headings, emphasis, inline code and fences dropped, links as
/// `text (url)` (SARIF `help.text`).
std::string markdownToText(std::string_view Markdown);

/// The SARIF run of a report, before serialisation: the caller may still apply a baseline
/// (sarif::applyBaseline) or merge it with others. Results beyond Options.MaxSarifResults are
/// already left out, the least severe first.
sarif::Run buildSarifRun(const ReportData &Data, const ReporterOptions &Options = {});

/// The part of Data that Slice covers, as a ReportData of its own (AutomationId set, Runs
/// empty); without its findings and their baseline states when WithFindings is false.
ReportData sliceOf(const ReportData &Data, const RunSlice &Slice, bool WithFindings = true);

} // namespace saguard::report
