//===- SarifLog.h - SARIF 2.1.0 data model and writer -----------*- C++ -*-===//
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <functional>
#include <string>
#include <string_view>
#include <string_view>
#include <vector>

namespace sarif {

/// The base id relative artifact URIs are resolved against.
inline constexpr std::string_view SrcRootBaseId = "%SRCROOT%";

/// A result or notification level (SARIF `level`).
enum class Level { None, Note, Warning, Error };

/// How a result relates to a baseline log; None leaves `baselineState` out.
enum class BaselineState { None, New, Unchanged, Updated, Absent };

/// Where a suppression is recorded (SARIF `suppression.kind`).
enum class SuppressionKind { InSource, External };

/// Returns the SARIF spelling of L ("none", "note", "warning", "error").
std::string_view levelName(Level L);
/// Parses a SARIF level name; nullopt for anything else.
std::optional<Level> parseLevel(std::string_view Name);

/// Escapes '\', '[' and ']' so Text shows literally in a message that may embed `[text](id)` links.
std::string escapeMessageText(std::string_view Text);

/// A text region: 1-based lines and columns, EndColumn exclusive; 0 means absent.
struct Region {
  unsigned StartLine = 0;
  unsigned StartColumn = 0;
  unsigned EndLine = 0;
  unsigned EndColumn = 0;

  friend bool operator==(const Region &, const Region &) = default;
};

/// A place in a file (SARIF `physicalLocation`).
struct PhysicalLocation {
  /// A relative path (normalised, resolved against UriBaseId), an absolute path (written as a
  /// `file://` URI, without base) or a URI with a scheme (written unchanged); empty means none.
  std::string Uri;
  std::string UriBaseId = std::string(SrcRootBaseId);
  Region Reg;
};

/// A result location, related location or code-flow step (SARIF `location`).
struct Location {
  PhysicalLocation Physical;
  /// Written as `logicalLocations[0]` when not empty.
  std::string LogicalFullyQualifiedName;
  std::string LogicalKind;
  std::string Message;
  /// Target of `[text](Id)` links in the result message; -1 leaves `id` out.
  int Id = -1;
};

/// One thread of execution, in order; each step's Location::Message says what happens there.
using ThreadFlow = std::vector<Location>;

/// A single replacement that removes a result (SARIF `fix` with one `artifactChange`).
struct Fix {
  std::string Description;
  /// The file and the region to replace; an empty region (start == end) inserts.
  PhysicalLocation Deleted;
  std::string InsertedText;
};

/// Why a result does not count (SARIF `suppression`).
struct Suppression {
  SuppressionKind Kind = SuppressionKind::InSource;
  std::string Justification;
};

/// A rule (SARIF `reportingDescriptor`); empty strings are left out.
struct ReportingDescriptor {
  std::string Id;
  std::string Name;
  /// Required by GitHub; falls back to Name, then Id.
  std::string ShortDescription;
  /// Required by GitHub; falls back to the short description.
  std::string FullDescription;
  /// Required by GitHub; falls back to the full description.
  std::string HelpText;
  std::string HelpMarkdown;
  std::string HelpUri;
  Level DefaultLevel = Level::Warning;
  std::vector<std::string> Tags;
  /// "very-high", "high", "medium" or "low".
  std::string Precision;
  /// A number in (0.0, 10.0] as a string, e.g. "8.0"; makes GitHub treat results as security
  /// alerts.
  std::string SecuritySeverity;
  /// "error", "warning" or "recommendation".
  std::string ProblemSeverity;
};

/// One finding (SARIF `result`); `ruleIndex` is derived from RuleId by the writer.
struct Result {
  std::string RuleId;
  Level Lvl = Level::Warning;
  /// Plain text; may embed `[text](id)` links to RelatedLocations (see escapeMessageText).
  std::string Message;
  /// The first must have a Uri and a start line, or the writer drops the result.
  std::vector<Location> Locations;
  std::vector<Location> RelatedLocations;
  std::vector<ThreadFlow> CodeFlows;
  std::vector<Fix> Fixes;
  std::vector<Suppression> Suppressions;
  std::map<std::string, std::string> PartialFingerprints;
  BaselineState Baseline = BaselineState::None;
  /// A JSON object written as the result's property bag; null leaves it out.
  nlohmann::json Properties;
};

/// A problem of the tool rather than of the analysed files (`toolExecutionNotifications`).
struct Notification {
  std::string Message;
  Level Lvl = Level::Warning;
  std::optional<Location> Loc;
};

/// One analysis by one tool; `columnKind` is always "unicodeCodePoints".
struct Run {
  std::string ToolName;
  std::string ToolVersion;
  /// SemVer 2.0; GitHub prefers it over ToolVersion.
  std::string SemanticVersion;
  std::string InformationUri;
  /// Array order is `ruleIndex`; ids must be unique.
  std::vector<ReportingDescriptor> Rules;
  std::vector<Result> Results;
  std::vector<Notification> Notifications;
  bool ExecutionSuccessful = true;
  /// `automationDetails.id`: GitHub's category is everything up to the last '/'.
  std::string AutomationId;
  /// Absolute directory that %SRCROOT% stands for (`originalUriBaseIds`); empty leaves it out.
  std::string SrcRoot;
  /// `invocations[0].properties` (what the run analysed, say); null leaves it out. On the
  /// invocation, not the run, so runs of one category that analysed different things merge.
  nlohmann::json InvocationProperties;
};

/// Returns the SARIF `run` object for R. Results whose first location has no file and line are
/// left out and reported as a warning notification instead.
nlohmann::json toJson(const Run &R);
/// Returns a complete SARIF log (`$schema`, `version`, `runs`) holding Runs.
nlohmann::json logJson(const std::vector<Run> &Runs);
/// Serialises a log as indented UTF-8 ending in a newline; invalid UTF-8 becomes U+FFFD instead
/// of throwing.
std::string serialize(const nlohmann::json &Log);
/// Returns serialize(logJson(Runs)).
std::string writeLog(const std::vector<Run> &Runs);
/// Writes the same log through Out piece by piece, one result at a time, so that no document
/// object of all results is ever built (it costs ~40 KB per result).
void writeLog(const std::vector<Run> &Runs, const std::function<void(std::string_view)> &Out);

/// Hands the results of run RunIndex to Each, one at a time and in order.
using ResultSource = std::function<void(std::size_t RunIndex,
                                        const std::function<void(const Result &)> &Each)>;
/// Writes Heads, runs whose results come from ResultsOf one at a time instead of from their
/// Results, in the layout of writeLog: a report of many findings never holds all its results.
/// A result without a primary location is left out; its run's notifications must already say
/// so (missingLocationNotice), as writeLog's do.
void writeLog(const std::vector<Run> &Heads, const ResultSource &ResultsOf,
              const std::function<void(std::string_view)> &Out);

/// Whether R's first location has a file and a line, without which GitHub rejects the whole log.
bool hasPrimaryLocation(const Result &R);
/// The warning for a result left out for lacking a primary location.
Notification missingLocationNotice(const Result &R);
/// A log object (a merge of logs, say) in the very layout of writeLog, so the same runs give
/// the same bytes however they were put together.
std::string writeLogJson(const nlohmann::json &Log);

/// J as indented JSON (invalid UTF-8 replaced) whose lines after the first are indented by
/// Indent more spaces, for splicing into a document written piece by piece.
template <typename JsonT> std::string dumpIndented(const JsonT &J, unsigned Indent) {
  std::string Text = J.dump(2, ' ', false, JsonT::error_handler_t::replace);
  if (Indent == 0)
    return Text;
  // Line by line, not byte by byte: reports are written one finding at a time, and this copy
  // was a tenth of the time of each.
  std::string Out;
  Out.reserve(Text.size() + Text.size() / 8 * Indent);
  size_t Begin = 0;
  // JSON escapes line breaks inside strings: each `\n` is a line of the layout.
  for (size_t End; (End = Text.find('\n', Begin)) != std::string::npos; Begin = End + 1) {
    Out.append(Text, Begin, End + 1 - Begin);
    Out.append(Indent, ' ');
  }
  Out.append(Text, Begin, std::string::npos);
  return Out;
}

} // namespace sarif
