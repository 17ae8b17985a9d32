//===- Baseline.cpp - comparing a run with a previous SARIF log -----------===//
#include "saguard/report/Baseline.h"

#include "saguard/report/SarifReport.h"
#include "saguard/support/Error.h"

#include "sarif/Baseline.h"
#include "sarif/Reader.h"

#include <nlohmann/json.hpp>

#include <limits>

namespace saguard::report {

llvm::Expected<BaselineLog> readBaseline(const std::string &Path) {
  sarif::OrError<nlohmann::json> Log = sarif::readLogFile(Path);
  if (!Log)
    return makeError("baseline: %s", Log.Error.c_str());
  // A log written with --baseline lists results that were already gone as `absent`; they are
  // not part of that run, so they are no baseline for this one.
  nlohmann::json &Json = *Log.Value;
  if (Json.contains("runs") && Json["runs"].is_array())
    for (nlohmann::json &Run : Json["runs"])
      if (Run.is_object() && Run.contains("results") && Run["results"].is_array()) {
        nlohmann::json &Results = Run["results"];
        for (std::size_t I = Results.size(); I-- > 0;)
          if (Results[I].is_object() && Results[I].contains("baselineState") &&
              Results[I]["baselineState"] == "absent")
            Results.erase(I);
      }
  sarif::OrError<std::vector<sarif::Result>> Results = sarif::readResults(Json);
  if (!Results)
    return makeError("baseline '%s': %s", Path.c_str(), Results.Error.c_str());
  BaselineLog Base{Path, std::move(*Results.Value), {}};
  if (Json.contains("runs") && Json["runs"].is_array())
    for (const nlohmann::json &Run : Json["runs"]) {
      if (!Run.is_object() || !Run.contains("automationDetails") ||
          !Run["automationDetails"].is_object() ||
          !Run["automationDetails"].contains("id") || !Run["automationDetails"]["id"].is_string())
        continue;
      nlohmann::json One = Json;
      One["runs"] = nlohmann::json::array({Run});
      sarif::OrError<std::vector<sarif::Result>> Own = sarif::readResults(One);
      if (Own) {
        std::vector<sarif::Result> &To =
            Base.ByRun[Run["automationDetails"]["id"].get<std::string>()];
        To.insert(To.end(), Own.Value->begin(), Own.Value->end());
      }
    }
  return Base;
}

namespace {

/// A result's message without its object's name: the fingerprint already says which object it
/// is, and a name drawn at render time (randAlphaNum, uuidv4) differs in every render, so a
/// finding whose message only names the object anew is unchanged.
std::string messageWithoutName(const sarif::Result &R) {
  const nlohmann::json &Props = R.Properties;
  if (!Props.is_object() || !Props.contains("kubernetes") || !Props["kubernetes"].is_object())
    return R.Message;
  const nlohmann::json &Name = Props["kubernetes"].value("name", nlohmann::json());
  if (!Name.is_string() || Name.get_ref<const std::string &>().empty())
    return R.Message;
  std::string Quoted = "'" + Name.get<std::string>() + "'";
  std::string Out;
  size_t From = 0;
  for (size_t At; (At = R.Message.find(Quoted, From)) != std::string::npos;
       From = At + Quoted.size())
    Out += R.Message.substr(From, At - From) + "'*'";
  return Out + R.Message.substr(From);
}

} // namespace

void markBaseline(ReportData &Data, BaselineLog Base) {
  // The results exactly as the SARIF report writes them (fingerprints and message links
  // included), one per finding and in order: nothing is omitted or truncated.
  ReporterOptions All;
  All.MaxSarifResults = std::numeric_limits<std::size_t>::max();
  All.SarifOmitSuppressed = false;
  std::vector<sarif::BaselineState> States;
  std::vector<sarif::Result> Absent;
  auto Mark = [&](const ReportData &Part, std::vector<sarif::Result> Earlier,
                  const std::string *RunId) {
    sarif::Run Run = buildSarifRun(Part, All);
    std::vector<sarif::Result> Gone =
        sarif::applyBaseline(Run.Results, std::move(Earlier), messageWithoutName);
    for (const sarif::Result &R : Run.Results)
      States.push_back(R.Baseline);
    if (!RunId)
      return;
    for (sarif::Result &R : Gone) {
      // sliceOf hands each run the absent results marked with its id.
      if (!R.Properties.is_object())
        R.Properties = nlohmann::json::object();
      R.Properties["saguardRun"] = *RunId;
      Absent.push_back(std::move(R));
    }
  };
  if (Data.Runs.empty()) {
    sarif::Run Run = buildSarifRun(Data, All);
    Data.Absent = sarif::applyBaseline(Run.Results, std::move(Base.Results), messageWithoutName);
    Data.Baseline.clear();
    for (const sarif::Result &R : Run.Results)
      Data.Baseline.push_back(R.Baseline);
    return;
  }
  for (const RunSlice &Slice : Data.Runs) {
    auto Own = Base.ByRun.find(Slice.AutomationId);
    // A baseline from before runs were per target has no run of this id: match against all
    // of it, and call nothing absent, since it cannot say which set a result belonged to.
    if (Own == Base.ByRun.end())
      Mark(sliceOf(Data, Slice), Base.Results, nullptr);
    else
      Mark(sliceOf(Data, Slice), Own->second, &Slice.AutomationId);
  }
  Data.Baseline = std::move(States);
  Data.Absent = std::move(Absent);
}

bool inBaseline(const ReportData &Data, std::size_t Index) {
  if (Index >= Data.Baseline.size())
    return false;
  sarif::BaselineState S = Data.Baseline[Index];
  return S == sarif::BaselineState::Unchanged || S == sarif::BaselineState::Updated;
}

bool failsRun(const ReportData &Data, std::optional<analysis::Level> FailOn) {
  if (!FailOn)
    return false;
  for (std::size_t I = 0; I < Data.Findings.size(); ++I) {
    const analysis::Finding &F = Data.Findings[I];
    if (!F.Suppressed && !inBaseline(Data, I) && F.Severity >= *FailOn)
      return true;
  }
  return false;
}

} // namespace saguard::report
