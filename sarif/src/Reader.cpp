//===- Reader.cpp - reading SARIF logs back -------------------------------===//
#include "sarif/Reader.h"

#include "Json.h"
#include "Uri.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

using nlohmann::json;

namespace sarif {
namespace {

std::string textOf(const json &Object, const char *Key) {
  const json *Message = lookup(Object, {Key});
  return Message ? Message->value("text", "") : "";
}

Location readLocation(const json &J) {
  Location L;
  L.Id = J.value("id", -1);
  L.Message = textOf(J, "message");
  if (const json *Artifact = lookup(J, {"physicalLocation", "artifactLocation"})) {
    L.Physical.Uri = uriToPath(Artifact->value("uri", ""));
    L.Physical.UriBaseId = Artifact->value("uriBaseId", "");
  }
  if (const json *Reg = lookup(J, {"physicalLocation", "region"}))
    L.Physical.Reg = {Reg->value("startLine", 0u), Reg->value("startColumn", 0u),
                      Reg->value("endLine", 0u), Reg->value("endColumn", 0u)};
  if (const json *Logical = lookup(J, {"logicalLocations"});
      Logical && Logical->is_array() && !Logical->empty()) {
    L.LogicalFullyQualifiedName = Logical->front().value("fullyQualifiedName", "");
    L.LogicalKind = Logical->front().value("kind", "");
  }
  return L;
}

// Reads leniently: only the parts a baseline compares or writes back; an unknown level keeps the
// SARIF default. Type mismatches throw and are turned into an error by the caller.
Result readResult(const json &J) {
  Result R;
  R.RuleId = J.value("ruleId", "");
  if (R.RuleId.empty())
    if (const json *Id = lookup(J, {"rule", "id"}))
      R.RuleId = Id->get<std::string>();
  R.Lvl = parseLevel(J.value("level", "warning")).value_or(Level::Warning);
  R.Message = textOf(J, "message");
  for (const json &L : J.value("locations", json::array()))
    R.Locations.push_back(readLocation(L));
  R.PartialFingerprints = J.value("partialFingerprints", std::map<std::string, std::string>());
  if (const json *Properties = lookup(J, {"properties"}); Properties && Properties->is_object())
    R.Properties = *Properties;
  return R;
}

} // namespace

OrError<json> parseLog(std::string_view Text) {
  json Log;
  try {
    Log = json::parse(Text);
  } catch (const json::parse_error &E) {
    return {std::nullopt, "invalid JSON: " + describe(E)};
  }
  if (std::string Problem = checkLogOutline(Log); !Problem.empty())
    return {std::nullopt, std::move(Problem)};
  return {std::move(Log), ""};
}

OrError<json> readLogFile(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  if (!In)
    return {std::nullopt, "cannot open '" + Path + "': " + std::strerror(errno)};
  std::string Text{std::istreambuf_iterator<char>(In), std::istreambuf_iterator<char>()};
  if (In.bad())
    return {std::nullopt, "cannot read '" + Path + "'"};
  OrError<json> Log = parseLog(Text);
  if (!Log)
    Log.Error = "'" + Path + "': " + Log.Error;
  return Log;
}

OrError<std::vector<Result>> readResults(const json &Log) {
  if (std::string Problem = checkLogOutline(Log); !Problem.empty())
    return {std::nullopt, std::move(Problem)};
  std::vector<Result> Out;
  const json *Runs = lookup(Log, {"runs"});
  for (std::size_t RunIndex = 0; RunIndex < Runs->size(); ++RunIndex) {
    const json *Results = lookup((*Runs)[RunIndex], {"results"});
    if (!Results || Results->is_null())
      continue;
    for (std::size_t I = 0; I < Results->size(); ++I) {
      try {
        Out.push_back(readResult((*Results)[I]));
      } catch (const json::exception &E) {
        return {std::nullopt, resultPath(RunIndex, I) + ": " + describe(E)};
      }
    }
  }
  return {std::move(Out), ""};
}

} // namespace sarif
