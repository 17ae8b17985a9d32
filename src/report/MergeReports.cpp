//===- MergeReports.cpp - joining SARIF reports of several runs -----------===//
#include "saguard/report/MergeReports.h"

#include "saguard/support/Error.h"

#include "sarif/Merge.h"
#include "sarif/SarifLog.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace saguard::report {

llvm::Expected<std::string> mergeSarifFiles(const std::vector<std::string> &Paths) {
  std::vector<nlohmann::json> Logs;
  for (const std::string &Path : Paths) {
    sarif::OrError<nlohmann::json> Log = sarif::readLogFile(Path);
    if (!Log)
      return makeError("%s", Log.Error.c_str());
    Logs.push_back(std::move(*Log.Value));
  }
  sarif::OrError<nlohmann::json> Merged = sarif::merge(Logs);
  if (!Merged) {
    // sarif::merge names its inputs "log #N" (1-based, in the order given).
    std::string Message = Merged.Error;
    for (std::size_t I = Paths.size(); I > 0; --I) {
      std::string Tag = "log #" + std::to_string(I);
      for (std::size_t At = Message.find(Tag); At != std::string::npos;
           At = Message.find(Tag, At + Paths[I - 1].size() + 2))
        Message.replace(At, Tag.size(), "'" + Paths[I - 1] + "'");
    }
    return makeError("cannot merge: %s", Message.c_str());
  }
  // Runs in the order of their automationDetails.id, as a run over all targets writes them:
  // shard reports merged give the very bytes of the whole run.
  nlohmann::json &Runs = (*Merged.Value)["runs"];
  auto IdOf = [](const nlohmann::json &Run) {
    const nlohmann::json *Id = Run.contains("automationDetails") && Run["automationDetails"].is_object() &&
                                       Run["automationDetails"].contains("id")
                                   ? &Run["automationDetails"]["id"]
                                   : nullptr;
    return Id && Id->is_string() ? Id->get<std::string>() : std::string();
  };
  std::stable_sort(Runs.begin(), Runs.end(), [&](const nlohmann::json &A, const nlohmann::json &B) {
    return IdOf(A) < IdOf(B);
  });
  return sarif::writeLogJson(*Merged.Value);
}

} // namespace saguard::report
