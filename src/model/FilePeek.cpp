//===- FilePeek.cpp - a glance at a YAML file without loading it ---------===//
#include "saguard/model/FilePeek.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLParser.h"

namespace saguard::model {

TopLevel readTopLevel(const std::string &File) {
  TopLevel Out;
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Text = llvm::MemoryBuffer::getFile(File);
  if (!Text)
    return Out;
  llvm::SourceMgr SM;
  SM.setDiagHandler([](const llvm::SMDiagnostic &, void *) {});
  llvm::yaml::Stream Stream((*Text)->getBuffer(), SM, /*ShowColors=*/false);
  auto Doc = Stream.begin();
  if (Doc == Stream.end())
    return Out;
  auto *Map = llvm::dyn_cast_or_null<llvm::yaml::MappingNode>(Doc->getRoot());
  if (!Map)
    return Out;
  for (llvm::yaml::KeyValueNode &KV : *Map) {
    auto *Key = llvm::dyn_cast_or_null<llvm::yaml::ScalarNode>(KV.getKey());
    if (!Key)
      continue;
    llvm::SmallString<32> KeyStorage, ValueStorage;
    std::string Name = Key->getValue(KeyStorage).str();
    llvm::yaml::Node *Value = KV.getValue();
    if (auto *S = llvm::dyn_cast_or_null<llvm::yaml::ScalarNode>(Value)) {
      Out.Scalars[Name] = S->getValue(ValueStorage).str();
    } else if (auto *Seq = llvm::dyn_cast_or_null<llvm::yaml::SequenceNode>(Value)) {
      std::vector<std::string> &List = Out.Lists[Name];
      for (llvm::yaml::Node &Item : *Seq)
        if (auto *S = llvm::dyn_cast<llvm::yaml::ScalarNode>(&Item)) {
          llvm::SmallString<64> ItemStorage;
          List.push_back(S->getValue(ItemStorage).str());
        }
    }
  }
  return Out;
}

bool holdsKubernetesObjects(const std::string &Path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Text = llvm::MemoryBuffer::getFile(Path);
  if (!Text)
    return true; // let reading it say why it cannot be read
  llvm::StringRef Buffer = (*Text)->getBuffer();
  llvm::SourceMgr SM;
  bool Failed = false;
  SM.setDiagHandler([](const llvm::SMDiagnostic &, void *Ctx) { *static_cast<bool *>(Ctx) = true; },
                    &Failed);
  llvm::yaml::Stream Stream(Buffer, SM, /*ShowColors=*/false);
  for (llvm::yaml::Document &Doc : Stream) {
    auto *Map = llvm::dyn_cast_or_null<llvm::yaml::MappingNode>(Doc.getRoot());
    if (!Map)
      continue;
    bool ApiVersion = false, Kind = false;
    for (llvm::yaml::KeyValueNode &KV : *Map) {
      if (auto *Key = llvm::dyn_cast_or_null<llvm::yaml::ScalarNode>(KV.getKey())) {
        llvm::SmallString<16> Storage;
        llvm::StringRef Name = Key->getValue(Storage);
        ApiVersion |= Name == "apiVersion";
        Kind |= Name == "kind";
      }
      if (Failed)
        break;
    }
    if (ApiVersion && Kind)
      return true;
    if (Failed)
      break;
  }
  if (!Failed)
    return false;
  // Broken YAML that still reads like a manifest is one, so its errors are reported.
  return (Buffer.startswith("apiVersion:") || Buffer.contains("\napiVersion:")) &&
         (Buffer.startswith("kind:") || Buffer.contains("\nkind:"));
}

} // namespace saguard::model
