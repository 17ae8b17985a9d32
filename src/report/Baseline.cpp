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
  return BaselineLog{Path, std::move(*Results.Value)};
}

void markBaseline(ReportData &Data, BaselineLog Base) {
  // The results exactly as the SARIF report writes them (fingerprints and message links
  // included), one per finding and in order: nothing is omitted or truncated.
  ReporterOptions All;
  All.MaxSarifResults = std::numeric_limits<std::size_t>::max();
  All.SarifOmitSuppressed = false;
  sarif::Run Run = buildSarifRun(Data, All);
  std::vector<sarif::Result> Absent = sarif::applyBaseline(Run.Results, std::move(Base.Results));
  Data.Baseline.clear();
  Data.Baseline.reserve(Run.Results.size());
  for (const sarif::Result &R : Run.Results)
    Data.Baseline.push_back(R.Baseline);
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
