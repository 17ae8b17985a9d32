//===- Merge.cpp - merging SARIF logs -------------------------------------===//
#include "sarif/Merge.h"

#include "Json.h"

#include <algorithm>
#include <array>
#include <map>

using nlohmann::json;

namespace sarif {
namespace {

// codeql-action's createRunKey (src/sarif/index.ts): what makes two runs the same analysis.
json runKey(const json &Run) {
  json Key = json::array();
  const json &Driver = *lookup(Run, {"tool", "driver"});
  for (const char *Field : {"name", "fullName", "version", "semanticVersion", "guid"}) {
    const json *Value = lookup(Driver, {Field});
    Key.push_back(Value ? *Value : json());
  }
  const json *Id = lookup(Run, {"automationDetails", "id"});
  Key.push_back(Id ? *Id : json());
  return Key;
}

// Run properties that combining merges, and those both runs must agree on. Anything else
// (artifacts, logicalLocations, tool.extensions, ...) can be indexed from results, which
// combining would break, so it is refused rather than corrupted.
constexpr std::array<std::string_view, 4> MergedProperties = {"tool", "results", "invocations",
                                                              "originalUriBaseIds"};
constexpr std::array<std::string_view, 3> AgreedProperties = {"automationDetails", "columnKind",
                                                              "properties"};

bool isOneOf(std::string_view Key, const auto &Keys) {
  return std::find(Keys.begin(), Keys.end(), Key) != Keys.end();
}

std::string checkCombinable(const json &Into, const json &From) {
  for (const json *Run : {&Into, &From}) {
    const json &Other = Run == &Into ? From : Into;
    for (const auto &[Key, Value] : Run->items()) {
      if (isOneOf(Key, MergedProperties))
        continue;
      if (!isOneOf(Key, AgreedProperties))
        return "'" + Key + "' is not supported";
      if (const json *Theirs = lookup(Other, {Key.c_str()}); Theirs && *Theirs != Value)
        return "their '" + Key + "' differ";
    }
    for (const auto &[Key, Value] : Run->at("tool").items())
      if (Key != "driver")
        return "'tool." + Key + "' is not supported";
  }
  if (const json *Bases = lookup(From, {"originalUriBaseIds"}))
    for (const auto &[Id, Base] : Bases->items())
      if (const json *Theirs = lookup(Into, {"originalUriBaseIds", Id.c_str()});
          Theirs && *Theirs != Base)
        return "they resolve " + Id + " differently";
  return "";
}

// Renumbers an index into From's rules to the combined rules; false when it is out of range.
bool renumber(json &Index, const std::vector<std::size_t> &NewIndex) {
  if (!Index.is_number_unsigned() || Index.get<std::size_t>() >= NewIndex.size())
    return false;
  Index = NewIndex[Index.get<std::size_t>()];
  return true;
}

// Appends From's results, rules, invocations and base ids to Into (same analysis).
std::string combine(json &Into, const json &From, std::size_t FromRunIndex) {
  if (std::string Problem = checkCombinable(Into, From); !Problem.empty())
    return "runs[" + std::to_string(FromRunIndex) +
           "]: cannot combine with an earlier run of the same tool and category: " + Problem;

  json &Rules = Into["tool"]["driver"]["rules"];
  if (Rules.is_null())
    Rules = json::array();
  std::map<std::string, std::size_t> RuleIndex;
  for (std::size_t I = 0; I < Rules.size(); ++I)
    RuleIndex.emplace(Rules[I].at("id").get<std::string>(), I);
  std::vector<std::size_t> NewIndex;
  if (const json *FromRules = lookup(From, {"tool", "driver", "rules"}))
    for (const json &Rule : *FromRules) {
      auto [It, Inserted] = RuleIndex.emplace(Rule.at("id").get<std::string>(), Rules.size());
      if (Inserted)
        Rules.push_back(Rule);
      NewIndex.push_back(It->second);
    }

  json &Results = Into["results"];
  if (Results.is_null())
    Results = json::array();
  if (const json *FromResults = lookup(From, {"results"}); FromResults && FromResults->is_array())
    for (std::size_t I = 0; I < FromResults->size(); ++I) {
      json Res = (*FromResults)[I];
      json *Index = Res.contains("ruleIndex") ? &Res["ruleIndex"] : nullptr;
      // rule.index without a toolComponent also points into the driver's rules.
      if (!Index && Res.contains("rule") && Res["rule"].contains("index") &&
          !Res["rule"].contains("toolComponent"))
        Index = &Res["rule"]["index"];
      if (Index && !renumber(*Index, NewIndex))
        return resultPath(FromRunIndex, I) + ": rule index " + Index->dump() + " is out of range";
      Results.push_back(std::move(Res));
    }

  if (const json *Invocations = lookup(From, {"invocations"}))
    for (const json &Invocation : *Invocations)
      Into["invocations"].push_back(Invocation);
  if (const json *Bases = lookup(From, {"originalUriBaseIds"}))
    Into["originalUriBaseIds"].update(*Bases);
  return "";
}

} // namespace

OrError<json> merge(const std::vector<json> &Logs) {
  json Out = logJson({});
  json &Runs = Out["runs"];
  std::map<json, std::size_t> RunByKey;
  for (std::size_t L = 0; L < Logs.size(); ++L) {
    const std::string Where = "log #" + std::to_string(L + 1);
    if (std::string Problem = checkLogOutline(Logs[L]); !Problem.empty())
      return {std::nullopt, Where + ": " + Problem};
    const json &LogRuns = Logs[L].at("runs");
    for (std::size_t R = 0; R < LogRuns.size(); ++R) {
      try {
        auto [It, Inserted] = RunByKey.emplace(runKey(LogRuns[R]), Runs.size());
        if (Inserted) {
          Runs.push_back(LogRuns[R]);
          continue;
        }
        if (std::string Problem = combine(Runs[It->second], LogRuns[R], R); !Problem.empty())
          return {std::nullopt, Where + ", " + Problem};
      } catch (const json::exception &E) {
        return {std::nullopt,
                Where + ", runs[" + std::to_string(R) + "]: malformed SARIF: " + describe(E)};
      }
    }
  }
  return {std::move(Out), ""};
}

} // namespace sarif
