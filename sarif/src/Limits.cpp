//===- Limits.cpp - GitHub code scanning upload limits --------------------===//
#include "sarif/Limits.h"

#include <algorithm>
#include <numeric>

namespace sarif {
using namespace github;

namespace {

std::string runName(const std::vector<Run> &Runs, std::size_t I) {
  std::string Name = "run " + std::to_string(I) + " (" + Runs[I].ToolName;
  if (!Runs[I].AutomationId.empty())
    Name += ", " + Runs[I].AutomationId;
  return Name + ")";
}

std::string exceeds(std::size_t Count, std::string_view What, std::size_t Max) {
  return std::to_string(Count) + " " + std::string(What) + "; GitHub rejects more than " +
         std::to_string(Max);
}

} // namespace

std::vector<std::string> checkGithubLimits(const std::vector<Run> &Runs,
                                           std::size_t SerializedBytes) {
  std::vector<std::string> Problems;
  if (SerializedBytes > MaxGzippedBytes)
    Problems.push_back("the log is " + std::to_string(SerializedBytes) +
                       " bytes before compression; GitHub rejects files over " +
                       std::to_string(MaxGzippedBytes) +
                       " bytes gzip-compressed, so check the size of `gzip -c FILE`");
  if (Runs.size() > MaxRuns)
    Problems.push_back("the log has " + exceeds(Runs.size(), "runs", MaxRuns));
  for (std::size_t I = 0; I < Runs.size(); ++I) {
    const Run &R = Runs[I];
    if (R.Results.size() > MaxResultsPerRun)
      Problems.push_back(runName(Runs, I) + " has " +
                         exceeds(R.Results.size(), "results", MaxResultsPerRun));
    if (R.Rules.size() > MaxRulesPerRun)
      Problems.push_back(runName(Runs, I) + " has " +
                         exceeds(R.Rules.size(), "rules", MaxRulesPerRun));
    for (const ReportingDescriptor &Rule : R.Rules)
      if (Rule.Tags.size() > MaxTagsPerRule)
        Problems.push_back(runName(Runs, I) + ": rule " + Rule.Id + " has " +
                           exceeds(Rule.Tags.size(), "tags", MaxTagsPerRule));
    for (std::size_t J = 0; J < R.Results.size(); ++J) {
      const Result &Res = R.Results[J];
      std::string Where =
          runName(Runs, I) + ": result " + std::to_string(J) + " (" + Res.RuleId + ") has ";
      if (Res.Locations.size() > MaxLocationsPerResult)
        Problems.push_back(Where +
                           exceeds(Res.Locations.size(), "locations", MaxLocationsPerResult));
      std::size_t Steps = 0;
      for (const ThreadFlow &Flow : Res.CodeFlows)
        Steps += Flow.size();
      if (Steps > MaxThreadFlowLocationsPerResult)
        Problems.push_back(
            Where + exceeds(Steps, "thread-flow locations", MaxThreadFlowLocationsPerResult));
    }
  }
  return Problems;
}

std::vector<std::size_t> mostSevereResults(const std::vector<Level> &Levels, std::size_t Max) {
  std::vector<std::size_t> Order(Levels.size());
  std::iota(Order.begin(), Order.end(), 0);
  if (Levels.size() <= Max)
    return Order;
  // Level's enumerators are declared from least to most severe.
  std::stable_sort(Order.begin(), Order.end(),
                   [&](std::size_t A, std::size_t B) { return Levels[A] > Levels[B]; });
  Order.resize(Max);
  return Order;
}

Notification truncationNotice(std::size_t Dropped, std::size_t Max) {
  return {std::to_string(Dropped) + " less severe results left out to keep the run within " +
              std::to_string(Max) + " results",
          Level::Warning, std::nullopt};
}

std::size_t truncateResults(Run &R, std::size_t Max) {
  if (R.Results.size() <= Max)
    return 0;
  std::vector<Level> Levels;
  for (const Result &Res : R.Results)
    Levels.push_back(Res.Lvl);
  std::vector<Result> Kept;
  for (std::size_t I : mostSevereResults(Levels, Max))
    Kept.push_back(std::move(R.Results[I]));
  std::size_t Dropped = R.Results.size() - Max;
  R.Results = std::move(Kept);
  R.Notifications.push_back(truncationNotice(Dropped, Max));
  return Dropped;
}

} // namespace sarif
