#include "KubectlJson.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLParser.h"

#include <nlohmann/json.hpp>

namespace saguard::test {
namespace {

using Json = nlohmann::ordered_json;
namespace yaml = llvm::yaml;

std::optional<Json> plainScalar(llvm::StringRef Text) {
  std::optional<bool> Bool = llvm::StringSwitch<std::optional<bool>>(Text)
                                 .Cases("true", "True", "TRUE", "yes", "Yes", "YES", true)
                                 .Cases("on", "On", "ON", true)
                                 .Cases("false", "False", "FALSE", "no", "No", "NO", false)
                                 .Cases("off", "Off", "OFF", false)
                                 .Default(std::nullopt);
  if (Bool)
    return Json(*Bool);
  if (Text.empty() || Text == "~" || Text == "null" || Text == "Null" || Text == "NULL")
    return Json(nullptr);
  long long Number = 0;
  if (!Text.getAsInteger(10, Number) && !Text.startswith("+") && !Text.startswith("0"))
    return Json(Number);
  if (Text == "0")
    return Json(0);
  return Json(Text.str());
}

std::optional<Json> convert(yaml::Node *N) {
  if (!N || llvm::isa<yaml::NullNode>(N))
    return Json(nullptr);
  llvm::StringRef Tag = N->getRawTag();
  bool StringTag = Tag == "!!str" || Tag == "!<tag:yaml.org,2002:str>";
  if (!Tag.empty() && !StringTag)
    return std::nullopt;
  if (!N->getAnchor().empty() || llvm::isa<yaml::AliasNode>(N))
    return std::nullopt;
  if (auto *S = llvm::dyn_cast<yaml::ScalarNode>(N)) {
    llvm::SmallString<64> Storage;
    llvm::StringRef Value = S->getValue(Storage);
    llvm::StringRef Raw = S->getRawValue();
    if (StringTag || Raw.startswith("\"") || Raw.startswith("'"))
      return Json(Value.str());
    // LLVM keeps the whitespace before a flow mapping's closing brace in a plain scalar.
    return plainScalar(Value.rtrim(" \t\r\n"));
  }
  if (auto *B = llvm::dyn_cast<yaml::BlockScalarNode>(N))
    return Json(B->getValue().str());
  if (auto *Seq = llvm::dyn_cast<yaml::SequenceNode>(N)) {
    Json Out = Json::array();
    for (yaml::Node &Item : *Seq) {
      std::optional<Json> V = convert(&Item);
      if (!V)
        return std::nullopt;
      Out.push_back(std::move(*V));
    }
    return Out;
  }
  auto *Map = llvm::dyn_cast<yaml::MappingNode>(N);
  if (!Map)
    return std::nullopt;
  Json Out = Json::object();
  for (yaml::KeyValueNode &KV : *Map) {
    auto *Key = llvm::dyn_cast_or_null<yaml::ScalarNode>(KV.getKey());
    if (!Key)
      return std::nullopt;
    llvm::SmallString<32> Storage;
    std::string Name = Key->getValue(Storage).str();
    if (Name == "<<" || Out.contains(Name))
      return std::nullopt;
    std::optional<Json> V = convert(KV.getValue());
    if (!V)
      return std::nullopt;
    // kubectl leaves empty fields out (`omitempty`) rather than writing null.
    if (!V->is_null())
      Out[Name] = std::move(*V);
  }
  return Out;
}

} // namespace

std::optional<std::string> kubectlJsonTwin(const std::string &Yaml) {
  llvm::SourceMgr SM;
  SM.setDiagHandler([](const llvm::SMDiagnostic &, void *) {});
  yaml::Stream Stream(Yaml, SM);
  std::vector<Json> Objects;
  for (yaml::Document &Doc : Stream) {
    yaml::Node *Root = Doc.getRoot();
    if (!Root || llvm::isa<yaml::NullNode>(Root))
      continue;
    std::optional<Json> Object = convert(Root);
    if (!Object || Stream.failed())
      return std::nullopt;
    if (Object->is_object() && Object->value("kind", "") == "List" && Object->contains("items"))
      for (Json &Item : (*Object)["items"])
        Objects.push_back(std::move(Item));
    else
      Objects.push_back(std::move(*Object));
  }
  if (Stream.failed() || Objects.empty())
    return std::nullopt;
  Json Out;
  if (Objects.size() == 1) {
    Out = std::move(Objects.front());
  } else {
    // As `kubectl get -A -o json` writes several objects.
    Out = Json::object();
    Out["apiVersion"] = "v1";
    Out["items"] = std::move(Objects);
    Out["kind"] = "List";
    Out["metadata"] = {{"resourceVersion", ""}};
  }
  return Out.dump(4) + "\n";
}

} // namespace saguard::test
