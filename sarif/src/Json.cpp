//===- Json.cpp - checked access to parsed SARIF --------------------------===//
#include "Json.h"

using nlohmann::json;

namespace sarif {

const json *lookup(const json &J, std::initializer_list<const char *> Keys) {
  const json *Node = &J;
  for (const char *Key : Keys) {
    if (!Node->is_object())
      return nullptr;
    auto It = Node->find(Key);
    if (It == Node->end())
      return nullptr;
    Node = &*It;
  }
  return Node;
}

std::string checkLogOutline(const json &Log) {
  if (!Log.is_object())
    return "not a SARIF log: the top level is not an object";
  const json *Version = lookup(Log, {"version"});
  if (!Version || *Version != "2.1.0")
    return "unsupported SARIF version " + (Version ? Version->dump() : "(none)") +
           "; only 2.1.0 is read";
  const json *Runs = lookup(Log, {"runs"});
  if (!Runs || !Runs->is_array())
    return "not a SARIF log: 'runs' is missing or not an array";
  for (std::size_t I = 0; I < Runs->size(); ++I) {
    const json &Run = (*Runs)[I];
    const json *Name = lookup(Run, {"tool", "driver", "name"});
    if (!Name || !Name->is_string())
      return "runs[" + std::to_string(I) + "]: tool.driver.name is missing";
    const json *Results = lookup(Run, {"results"});
    if (Results && !Results->is_array() && !Results->is_null())
      return "runs[" + std::to_string(I) + "]: results is not an array";
  }
  return "";
}

std::string describe(const json::exception &E) {
  std::string What = E.what();
  std::size_t End = What.find("] ");
  return What.starts_with("[json.exception.") && End != std::string::npos ? What.substr(End + 2)
                                                                          : What;
}

std::string resultPath(std::size_t RunIndex, std::size_t ResultIndex) {
  return "runs[" + std::to_string(RunIndex) + "].results[" + std::to_string(ResultIndex) + "]";
}

} // namespace sarif
