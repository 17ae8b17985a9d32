//===- YamlIndex.cpp - YAML files flattened to dotted key paths -------------------------------===//
#include "YamlIndex.h"

#include "saguard/model/PreScan.h"

#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLParser.h"

#include "llvm/ADT/SmallString.h"

namespace saguard::origin {

using namespace model;

namespace {

std::optional<std::string> scalarOf(llvm::yaml::Node *N) {
  if (auto *S = llvm::dyn_cast_or_null<llvm::yaml::ScalarNode>(N)) {
    llvm::SmallString<64> Storage;
    return S->getValue(Storage).str();
  }
  if (auto *B = llvm::dyn_cast_or_null<llvm::yaml::BlockScalarNode>(N))
    return B->getValue().str();
  return std::nullopt;
}

} // namespace

std::vector<YamlDoc> flattenYaml(const TextFile &File) {
  std::vector<YamlDoc> Docs;
  StringRef Text = File.Text;
  if (preScan(Text, LoadLimits{}).Error)
    return Docs;
  llvm::SourceMgr SM;
  SM.setDiagHandler([](const llvm::SMDiagnostic &, void *) {}, nullptr);
  llvm::yaml::Stream Stream(Text, SM, /*ShowColors=*/false);
  auto PosOf = [&](llvm::yaml::Node *N) {
    return File.Table.position(
        static_cast<size_t>(N->getSourceRange().Start.getPointer() - Text.data()));
  };

  struct Frame {
    llvm::yaml::Node *Collection;
    llvm::yaml::MappingNode::iterator MapIt;
    llvm::yaml::SequenceNode::iterator SeqIt;
    std::string Prefix;
    unsigned Index = 0;
  };
  for (llvm::yaml::Document &D : Stream) {
    llvm::yaml::Node *Root = D.getRoot();
    if (!Root || llvm::isa<llvm::yaml::NullNode>(Root))
      continue;
    YamlDoc Doc;
    Doc.Start = PosOf(Root);
    Doc.RootIsSequence = llvm::isa<llvm::yaml::SequenceNode>(Root);
    std::vector<Frame> Stack;
    auto Push = [&](llvm::yaml::Node *N, std::string Prefix) {
      if (auto *M = llvm::dyn_cast<llvm::yaml::MappingNode>(N))
        Stack.push_back({N, M->begin(), {}, std::move(Prefix)});
      else if (auto *S = llvm::dyn_cast<llvm::yaml::SequenceNode>(N))
        Stack.push_back({N, {}, S->begin(), std::move(Prefix)});
    };
    Push(Root, "");
    // A child collection is walked to its end before its parent's iterator moves on, which is
    // the order the on-demand parser needs.
    bool Advance = false;
    while (!Stack.empty()) {
      Frame &F = Stack.back();
      auto *Map = llvm::dyn_cast<llvm::yaml::MappingNode>(F.Collection);
      if (Advance) {
        if (Map)
          ++F.MapIt;
        else
          ++F.SeqIt;
        ++F.Index;
        Advance = false;
      }
      bool AtEnd = Map ? F.MapIt == Map->end()
                       : F.SeqIt == llvm::cast<llvm::yaml::SequenceNode>(F.Collection)->end();
      if (AtEnd) {
        Stack.pop_back();
        Advance = true;
        continue;
      }
      std::string Path;
      llvm::yaml::Node *Value;
      SourcePos Pos;
      if (Map) {
        llvm::yaml::KeyValueNode &KV = *F.MapIt;
        std::optional<std::string> Key = scalarOf(KV.getKey());
        Pos = PosOf(KV.getKey());
        Value = KV.getValue();
        if (!Key) {
          Advance = true; // complex keys name nothing a finding can point at
          continue;
        }
        Path = F.Prefix.empty() ? *Key : F.Prefix + "." + *Key;
      } else {
        Value = &*F.SeqIt;
        Pos = PosOf(Value);
        Path =
            F.Prefix.empty() ? std::to_string(F.Index) : F.Prefix + "." + std::to_string(F.Index);
      }
      Doc.Entries.emplace(Path, YamlEntry{Pos, scalarOf(Value)});
      if (Value && (llvm::isa<llvm::yaml::MappingNode>(Value) ||
                    llvm::isa<llvm::yaml::SequenceNode>(Value))) {
        Push(Value, std::move(Path)); // may reallocate: F is not used after this
        continue;
      }
      Advance = true;
    }
    Docs.push_back(std::move(Doc));
  }
  return Docs;
}

} // namespace saguard::origin
