//===- JsonReporter.cpp - findings as saguard's own JSON ------------------===//
#include "ReportImpl.h"

#include "saguard/report/Baseline.h"

#include "sarif/Fingerprint.h"
#include "sarif/SarifLog.h"

#include "llvm/Support/ErrorHandling.h"

#include <nlohmann/json.hpp>

namespace saguard::report::detail {
namespace {

using analysis::Finding;
// Insertion order, so the documented fields come first and in the documented order.
using Json = nlohmann::ordered_json;

Json number(unsigned N) { return N ? Json(N) : Json(nullptr); }

std::string_view baselineName(sarif::BaselineState S) {
  switch (S) {
  case sarif::BaselineState::None:
    return "";
  case sarif::BaselineState::New:
    return "new";
  case sarif::BaselineState::Unchanged:
    return "unchanged";
  case sarif::BaselineState::Updated:
    return "updated";
  case sarif::BaselineState::Absent:
    return "absent";
  }
  llvm_unreachable("covered switch");
}

Json fileName(const Place &P) { return P.hasFile() ? Json(P.File) : Json(nullptr); }

// {"file","line","column"} plus the end of the range when known; nulls when there is no place.
Json location(const Place &P) {
  Json J = {
      {"file", fileName(P)}, {"line", number(P.Begin.Line)}, {"column", number(P.Begin.Column)}};
  if (P.End.isValid()) {
    J["endLine"] = P.End.Line;
    J["endColumn"] = number(P.End.Column);
  }
  return J;
}

Json notes(std::span<const analysis::Note> Notes, std::string_view Target, Places &Ps) {
  Json Array = Json::array();
  for (const analysis::Note &N : Notes) {
    Json J = location(Ps.at(N.Range, Target));
    J["message"] = N.Message;
    Array.push_back(std::move(J));
  }
  return Array;
}

Json finding(const Finding &F, const std::string &Key, Places &Ps) {
  Json J = {{"ruleId", F.RuleId},
            {"ruleName", F.RuleName},
            {"level", analysis::levelName(F.Severity)},
            {"message", F.Message},
            {"object",
             {{"apiVersion", F.Object.ApiVersion},
              {"kind", F.Object.Kind},
              {"namespace", F.Object.Namespace},
              {"name", F.Object.Name}}},
            {"location", location(Ps.at(F.Primary, F.Target))},
            {"related", notes(F.Related, F.Target, Ps)}};
  // The privilege paths (SARIF codeFlows), one array of steps each, and what the finding lists.
  Json Flows = Json::array();
  for (std::span<const analysis::Note> Path : analysis::flowPaths(F))
    Flows.push_back(notes(Path, F.Target, Ps));
  J["flows"] = std::move(Flows);
  if (!F.Permissions.empty())
    J["permissions"] = F.Permissions;
  Json Fixes = Json::array();
  for (const analysis::Fix &Fx : F.Fixes) {
    Json Fix = {{"description", Fx.Description}};
    Fix.update(location(Ps.at(Fx.Range, F.Target)));
    Fix["replacement"] = Fx.Replacement;
    Fixes.push_back(std::move(Fix));
  }
  J["fixes"] = std::move(Fixes);
  J["keyPath"] = F.KeyPath;
  J["target"] = Ps.target(F.Target);
  J["fingerprint"] = sarif::primaryLocationLineHash(Key);
  J["suppressed"] =
      F.Suppressed ? Json{{"justification", F.Suppressed->Justification}} : Json(nullptr);
  return J;
}

class JsonReporter : public Reporter {
public:
  void write(const ReportData &Data, llvm::raw_ostream &OS) override {
    Places Ps(Data);
    std::vector<std::string> Keys = uniqueSemanticKeys(Data);

    // Findings are written one at a time: a DOM of all of them costs ~20 KB per finding, 600 MB
    // for 27,000 findings where the findings themselves take 60 MB.
    OS << "{\n  \"findings\": [";
    std::size_t Counts[3] = {0, 0, 0};
    std::size_t Suppressed = 0, Unchanged = 0;
    bool HasBaseline = !Data.Baseline.empty() || !Data.Absent.empty();
    for (std::size_t I = 0; I < Data.Findings.size(); ++I) {
      const Finding &F = Data.Findings[I];
      Json J = finding(F, Keys[I], Ps);
      if (I < Data.Baseline.size())
        J["baselineState"] = baselineName(Data.Baseline[I]);
      OS << (I ? ",\n    " : "\n    ") << sarif::dumpIndented(J, 4);
      if (F.Suppressed)
        ++Suppressed;
      else if (inBaseline(Data, I))
        ++Unchanged;
      else
        ++Counts[static_cast<int>(F.Severity)];
    }

    Json Errors = Json::array();
    for (const ToolNotification &E : Data.Errors) {
      // An error about a whole target (a renderer that failed) has no file of its own.
      Json J = {{"message", E.Message}};
      J.update(location(E.Range.File != 0 ? Ps.at(E.Range, E.Target) : Place{}));
      J["target"] = Ps.target(E.Target);
      Errors.push_back(std::move(J));
    }

    OS << (Data.Findings.empty() ? "]" : "\n  ]");
    Json Root = {{"errors", std::move(Errors)}};
    Root["summary"] = {{"errors", Counts[static_cast<int>(analysis::Level::Error)]},
                       {"warnings", Counts[static_cast<int>(analysis::Level::Warning)]},
                       {"notes", Counts[static_cast<int>(analysis::Level::Note)]},
                       {"suppressed", Suppressed},
                       {"inputErrors", Data.Errors.size()}};
    if (HasBaseline) {
      // errors/warnings/notes above count new findings only, as --fail-on does.
      Root["summary"]["unchanged"] = Unchanged;
      Root["summary"]["absent"] = Data.Absent.size();
      Json Absent = Json::array();
      for (const sarif::Result &R : Data.Absent) {
        Json A = {{"ruleId", R.RuleId}, {"message", R.Message}};
        const sarif::PhysicalLocation *Where =
            R.Locations.empty() ? nullptr : &R.Locations.front().Physical;
        A["location"] = {{"file", Where && !Where->Uri.empty() ? Json(Where->Uri) : Json(nullptr)},
                         {"line", Where ? number(Where->Reg.StartLine) : Json(nullptr)},
                         {"column", Where ? number(Where->Reg.StartColumn) : Json(nullptr)}};
        auto Hash = R.PartialFingerprints.find(std::string(sarif::PrimaryLocationLineHashKey));
        A["fingerprint"] = Hash != R.PartialFingerprints.end() ? Json(Hash->second) : Json(nullptr);
        A["baselineState"] = "absent";
        Absent.push_back(std::move(A));
      }
      Root["absent"] = std::move(Absent);
    }
    Json Targets = Json::array();
    for (const RunSlice &Run : Data.Runs)
      for (std::size_t I : Run.Targets)
        if (I < Data.TargetList.size()) {
          const TargetSummary &T = Data.TargetList[I];
          Targets.push_back({{"path", Ps.target(T.Path)},
                             {"kind", T.Kind},
                             {"renderedBy", T.RenderedBy},
                             {"objects", T.Objects},
                             {"automationId", Run.AutomationId}});
        }
    Root["targets"] = std::move(Targets);
    // Paths above are relative to it, as in SARIF.
    Root["root"] = Ps.root();
    Root["clusterAutomountDefault"] = Data.ClusterAutomountDefault;
    if (!Data.ToolVersion.empty())
      Root["version"] = Data.ToolVersion;
    // The rest of the object: Root's members after the findings already written.
    OS << "," << llvm::StringRef(sarif::dumpIndented(Root, 0)).drop_front(1) << "\n";
  }
};

} // namespace

std::unique_ptr<Reporter> createJsonReporter(const ReporterOptions &) {
  return std::make_unique<JsonReporter>();
}

} // namespace saguard::report::detail
