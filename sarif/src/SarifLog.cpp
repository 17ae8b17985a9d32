//===- SarifLog.cpp - SARIF 2.1.0 writer ----------------------------------===//
#include "sarif/SarifLog.h"

#include "Uri.h"

#include <array>
#include <cassert>
#include <unordered_map>

using nlohmann::json;

namespace sarif {
namespace {

constexpr std::array<std::string_view, 4> LevelNames = {"none", "note", "warning", "error"};
constexpr std::array<std::string_view, 5> BaselineStateNames = {"", "new", "unchanged", "updated",
                                                                "absent"};
constexpr std::array<std::string_view, 2> SuppressionKindNames = {"inSource", "external"};

template <typename Enum, std::size_t N>
std::string_view nameOf(const std::array<std::string_view, N> &Names, Enum E) {
  return Names[static_cast<std::size_t>(E)];
}

json text(std::string_view Text) { return {{"text", Text}}; }

json toJson(const Region &R) {
  assert(R.StartLine != 0 && "SARIF regions need a start line");
  json J = {{"startLine", R.StartLine}};
  if (R.StartColumn)
    J["startColumn"] = R.StartColumn;
  if (R.EndLine)
    J["endLine"] = R.EndLine;
  if (R.EndColumn)
    J["endColumn"] = R.EndColumn;
  return J;
}

json artifactLocation(const PhysicalLocation &P) {
  std::string Uri = artifactUri(P.Uri);
  // SARIF §3.4.4: an absolute URI must not carry a base id.
  bool Relative = !hasScheme(Uri);
  json J = {{"uri", std::move(Uri)}};
  if (Relative && !P.UriBaseId.empty())
    J["uriBaseId"] = P.UriBaseId;
  return J;
}

json toJson(const Location &L) {
  json J = json::object();
  if (L.Id >= 0)
    J["id"] = L.Id;
  if (!L.Physical.Uri.empty()) {
    json &Physical = J["physicalLocation"];
    Physical["artifactLocation"] = artifactLocation(L.Physical);
    if (L.Physical.Reg.StartLine)
      Physical["region"] = toJson(L.Physical.Reg);
  }
  if (!L.LogicalFullyQualifiedName.empty()) {
    json Logical = {{"fullyQualifiedName", L.LogicalFullyQualifiedName}};
    if (!L.LogicalKind.empty())
      Logical["kind"] = L.LogicalKind;
    J["logicalLocations"] = json::array({Logical});
  }
  if (!L.Message.empty())
    J["message"] = text(L.Message);
  return J;
}

json toJson(const std::vector<Location> &Locations) {
  json J = json::array();
  for (const Location &L : Locations)
    J.push_back(toJson(L));
  return J;
}

json toJson(const Fix &F) {
  assert(!F.Deleted.Uri.empty() && "a fix needs the file it changes");
  json Replacement = {{"deletedRegion", toJson(F.Deleted.Reg)}};
  if (!F.InsertedText.empty())
    Replacement["insertedContent"] = text(F.InsertedText);
  json Change = {{"artifactLocation", artifactLocation(F.Deleted)},
                 {"replacements", json::array({Replacement})}};
  json J = {{"artifactChanges", json::array({Change})}};
  if (!F.Description.empty())
    J["description"] = text(F.Description);
  return J;
}

json toJson(const ReportingDescriptor &Rule) {
  assert(!Rule.Id.empty() && "rules need an id");
  // GitHub rejects empty descriptions and help, so each falls back to the one before it.
  const std::string &Short = !Rule.ShortDescription.empty() ? Rule.ShortDescription
                             : !Rule.Name.empty()           ? Rule.Name
                                                            : Rule.Id;
  const std::string &Full = Rule.FullDescription.empty() ? Short : Rule.FullDescription;
  json Help = text(Rule.HelpText.empty() ? Full : Rule.HelpText);
  if (!Rule.HelpMarkdown.empty())
    Help["markdown"] = Rule.HelpMarkdown;

  json J = {{"id", Rule.Id},
            {"shortDescription", text(Short)},
            {"fullDescription", text(Full)},
            {"help", Help},
            {"defaultConfiguration", {{"level", levelName(Rule.DefaultLevel)}}}};
  if (!Rule.Name.empty())
    J["name"] = Rule.Name;
  if (!Rule.HelpUri.empty())
    J["helpUri"] = Rule.HelpUri;

  json Properties = json::object();
  if (!Rule.Tags.empty())
    Properties["tags"] = Rule.Tags;
  if (!Rule.Precision.empty())
    Properties["precision"] = Rule.Precision;
  if (!Rule.SecuritySeverity.empty())
    Properties["security-severity"] = Rule.SecuritySeverity;
  if (!Rule.ProblemSeverity.empty())
    Properties["problem.severity"] = Rule.ProblemSeverity;
  if (!Properties.empty())
    J["properties"] = std::move(Properties);
  return J;
}


json toJson(const Result &R, std::optional<std::size_t> RuleIndex) {
  assert(!R.Message.empty() && "GitHub requires result messages");
  json J = {{"ruleId", R.RuleId},
            {"level", levelName(R.Lvl)},
            {"message", text(R.Message)},
            {"locations", toJson(R.Locations)}};
  if (RuleIndex)
    J["ruleIndex"] = *RuleIndex;
  if (!R.RelatedLocations.empty())
    J["relatedLocations"] = toJson(R.RelatedLocations);
  for (const ThreadFlow &Flow : R.CodeFlows) {
    if (Flow.empty()) // the schema wants at least one location per thread flow
      continue;
    json Steps = json::array();
    for (const Location &Step : Flow)
      Steps.push_back({{"location", toJson(Step)}});
    J["codeFlows"].push_back({{"threadFlows", json::array({{{"locations", Steps}}})}});
  }
  for (const Fix &F : R.Fixes)
    J["fixes"].push_back(toJson(F));
  for (const Suppression &S : R.Suppressions) {
    json Sup = {{"kind", nameOf(SuppressionKindNames, S.Kind)}};
    if (!S.Justification.empty())
      Sup["justification"] = S.Justification;
    J["suppressions"].push_back(std::move(Sup));
  }
  if (!R.PartialFingerprints.empty())
    J["partialFingerprints"] = R.PartialFingerprints;
  if (R.Baseline != BaselineState::None)
    J["baselineState"] = nameOf(BaselineStateNames, R.Baseline);
  if (!R.Properties.is_null()) {
    assert(R.Properties.is_object() && "a property bag is a JSON object");
    J["properties"] = R.Properties;
  }
  return J;
}

json toJson(const Notification &N) {
  assert(!N.Message.empty() && "notifications need a message");
  json J = {{"message", text(N.Message)}, {"level", levelName(N.Lvl)}};
  if (N.Loc)
    J["locations"] = json::array({toJson(*N.Loc)});
  return J;
}

} // namespace

std::string_view levelName(Level L) { return nameOf(LevelNames, L); }

// GitHub rejects the whole file when a result has no file location ("expected at least one
// location"), so such a result is never written.
bool hasPrimaryLocation(const Result &R) {
  return !R.Locations.empty() && !artifactUri(R.Locations.front().Physical.Uri).empty() &&
         R.Locations.front().Physical.Reg.StartLine != 0;
}

Notification missingLocationNotice(const Result &R) {
  return {"result of rule '" + R.RuleId + "' left out: its first location has no file and line",
          Level::Warning, std::nullopt};
}

std::optional<Level> parseLevel(std::string_view Name) {
  for (std::size_t I = 0; I < LevelNames.size(); ++I)
    if (LevelNames[I] == Name)
      return static_cast<Level>(I);
  return std::nullopt;
}

std::string escapeMessageText(std::string_view Text) {
  std::string Out;
  Out.reserve(Text.size());
  for (char C : Text) {
    if (C == '\\' || C == '[' || C == ']')
      Out += '\\';
    Out += C;
  }
  return Out;
}

namespace {

using RuleIndexMap = std::unordered_map<std::string_view, std::size_t>;

/// The run object without its results; fills Index with each rule's position.
json runHead(const Run &R, RuleIndexMap &Index) {
  assert(!R.ToolName.empty() && "GitHub requires tool.driver.name");
  json Driver = {{"name", R.ToolName}, {"rules", json::array()}};
  if (!R.ToolVersion.empty())
    Driver["version"] = R.ToolVersion;
  if (!R.SemanticVersion.empty())
    Driver["semanticVersion"] = R.SemanticVersion;
  if (!R.InformationUri.empty())
    Driver["informationUri"] = R.InformationUri;

  for (const ReportingDescriptor &Rule : R.Rules) {
    [[maybe_unused]] bool Inserted = Index.emplace(Rule.Id, Index.size()).second;
    assert(Inserted && "rule ids must be unique");
    Driver["rules"].push_back(toJson(Rule));
  }

  json Notifications = json::array();
  for (const Notification &N : R.Notifications)
    Notifications.push_back(toJson(N));
  for (const Result &Res : R.Results)
    if (!hasPrimaryLocation(Res))
      Notifications.push_back(toJson(missingLocationNotice(Res)));

  json Invocation = {{"executionSuccessful", R.ExecutionSuccessful}};
  if (!Notifications.empty())
    Invocation["toolExecutionNotifications"] = std::move(Notifications);
  if (!R.InvocationProperties.is_null())
    Invocation["properties"] = R.InvocationProperties;

  json J = {{"tool", {{"driver", std::move(Driver)}}},
            {"columnKind", "unicodeCodePoints"},
            {"invocations", json::array({std::move(Invocation)})}};
  if (!R.AutomationId.empty())
    J["automationDetails"] = {{"id", R.AutomationId}};
  if (!R.SrcRoot.empty())
    J["originalUriBaseIds"] = {{SrcRootBaseId, {{"uri", directoryUri(R.SrcRoot)}}}};
  return J;
}

/// One result, or nothing for a result without a primary location (runHead reported it).
std::optional<json> resultJson(const Result &Res, const RuleIndexMap &Index) {
  if (!hasPrimaryLocation(Res))
    return std::nullopt;
  // A rule missing from the table (e.g. an absent baseline result of a deleted rule) gets no
  // ruleIndex rather than a wrong one.
  auto It = Index.find(Res.RuleId);
  return toJson(Res, It == Index.end() ? std::nullopt : std::optional<std::size_t>(It->second));
}

} // namespace

json toJson(const Run &R) {
  RuleIndexMap Index;
  json J = runHead(R, Index);
  J["results"] = json::array();
  for (const Result &Res : R.Results)
    if (std::optional<json> Item = resultJson(Res, Index))
      J["results"].push_back(std::move(*Item));
  return J;
}

json logJson(const std::vector<Run> &Runs) {
  json J = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
            {"version", "2.1.0"},
            {"runs", json::array()}};
  for (const Run &R : Runs)
    J["runs"].push_back(toJson(R));
  return J;
}

std::string serialize(const json &Log) {
  // Messages quote manifest text, which need not be UTF-8; the default handler would throw.
  return Log.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string writeLog(const std::vector<Run> &Runs) { return serialize(logJson(Runs)); }

namespace {

/// The layout of writeLog: each run's other members, then its results one at a time.
void writeRuns(std::size_t Count, const std::function<json(std::size_t)> &HeadOf,
               const std::function<void(std::size_t, const std::function<void(const json &)> &)>
                   &EachResult,
               const std::function<void(std::string_view)> &Out) {
  Out("{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"runs\": [");
  for (std::size_t I = 0; I < Count; ++I) {
    std::string Head = dumpIndented(HeadOf(I), 4);
    // Reopen the head object (drop its closing brace) to append "results" as its last member.
    Head.erase(Head.rfind('}'));
    Head.erase(Head.find_last_not_of(" \n") + 1);
    Out(I ? ",\n    " : "\n    ");
    Out(Head);
    Out(",\n      \"results\": [");
    bool Any = false;
    EachResult(I, [&](const json &Item) {
      Out(Any ? ",\n        " : "\n        ");
      Out(dumpIndented(Item, 8));
      Any = true;
    });
    Out(Any ? "\n      ]\n    }" : "]\n    }");
  }
  Out(Count == 0 ? "],\n  \"version\": \"2.1.0\"\n}\n" : "\n  ],\n  \"version\": \"2.1.0\"\n}\n");
}

} // namespace

void writeLog(const std::vector<Run> &Runs, const std::function<void(std::string_view)> &Out) {
  writeLog(
      Runs,
      [&](std::size_t I, const std::function<void(const Result &)> &Each) {
        for (const Result &Res : Runs[I].Results)
          Each(Res);
      },
      Out);
}

void writeLog(const std::vector<Run> &Heads, const ResultSource &ResultsOf,
              const std::function<void(std::string_view)> &Out) {
  std::vector<RuleIndexMap> Index(Heads.size());
  writeRuns(
      Heads.size(), [&](std::size_t I) { return runHead(Heads[I], Index[I]); },
      [&](std::size_t I, const std::function<void(const json &)> &Each) {
        ResultsOf(I, [&](const Result &Res) {
          if (std::optional<json> Item = resultJson(Res, Index[I]))
            Each(*Item);
        });
      },
      Out);
}

std::string writeLogJson(const json &Log) {
  std::string Text;
  const json &Runs = Log.at("runs");
  writeRuns(
      Runs.size(),
      [&](std::size_t I) {
        json Head = Runs[I];
        Head.erase("results");
        return Head;
      },
      [&](std::size_t I, const std::function<void(const json &)> &Each) {
        if (Runs[I].contains("results"))
          for (const json &Item : Runs[I]["results"])
            Each(Item);
      },
      [&](std::string_view Piece) { Text.append(Piece); });
  return Text;
}

} // namespace sarif
