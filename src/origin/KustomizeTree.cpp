//===- KustomizeTree.cpp - a kustomization tree and its patches -------------------------------===//
#include "KustomizeTree.h"
#include "saguard/support/Kustomization.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include "llvm/ADT/SmallVector.h"

#include <set>
#include <map>

namespace saguard::origin {


namespace fs = llvm::sys::fs;

namespace {

bool isRemote(StringRef Ref) {
  return Ref.contains("://") || Ref.startswith("github.com/") || Ref.startswith("git@");
}

void readPatchTarget(const YamlDoc &Doc, const std::string &Entry, KustomizePatch &P) {
  if (!Doc.find(Entry + ".target"))
    return;
  P.HasTarget = true;
  P.TargetKind = Doc.scalar(Entry + ".target.kind");
  P.TargetName = Doc.scalar(Entry + ".target.name");
  P.TargetBySelector =
      Doc.find(Entry + ".target.labelSelector") || Doc.find(Entry + ".target.annotationSelector");
}

/// `/spec/template/spec/x` (a JSON pointer) as a dotted path.
std::string pointerToPath(StringRef Pointer) {
  if (!Pointer.consume_front("/"))
    return "";
  std::string Out;
  llvm::SmallVector<StringRef, 8> Parts;
  Pointer.split(Parts, '/');
  for (StringRef Part : Parts) {
    std::string Seg;
    for (size_t I = 0; I < Part.size(); ++I) {
      if (Part[I] == '~' && I + 1 < Part.size()) {
        Seg += Part[I + 1] == '1' ? '/' : '~';
        ++I;
      } else {
        Seg += Part[I];
      }
    }
    Out += (Out.empty() ? "" : ".") + Seg;
  }
  return Out;
}

} // namespace

std::optional<std::string> kustomizationFile(const std::string &Dir) {
  for (std::string_view Name : KustomizationFileNames) {
    std::string F = joinPath(Dir, Name);
    if (fs::is_regular_file(F))
      return F;
  }
  return std::nullopt;
}

size_t buildKustomizeTree(KustomizeTree &Tree, const std::string &Dir,
                          std::map<std::string, size_t> &Seen, unsigned Depth) {
  std::string Abs = absolutePath(Dir);
  if (auto It = Seen.find(Abs); It != Seen.end())
    return It->second;
  size_t Index = Tree.Nodes.size();
  Tree.Nodes.emplace_back();
  Seen[Abs] = Index;
  std::optional<std::string> KFile = kustomizationFile(Abs);
  std::optional<std::string> Text = KFile ? readText(*KFile) : std::nullopt;
  if (!Text || Depth > MaxTreeDepth)
    return Index;
  Tree.Nodes[Index].File = *KFile;
  TextFile File(std::move(*Text));
  std::vector<YamlDoc> Docs = flattenYaml(File);
  if (Docs.empty())
    return Index;
  const YamlDoc &Doc = Docs[0];
  for (const char *List : {"resources", "bases", "components"}) {
    for (unsigned I = 0;; ++I) {
      const YamlEntry *E = Doc.find(std::string(List) + "." + std::to_string(I));
      if (!E)
        break;
      if (!E->Scalar || isRemote(*E->Scalar))
        continue;
      std::string Ref = joinPath(Abs, *E->Scalar);
      if (fs::is_directory(Ref)) {
        size_t Child = buildKustomizeTree(Tree, Ref, Seen, Depth + 1);
        Tree.Nodes[Index].Children.push_back(Child);
      } else {
        Tree.Nodes[Index].ResourceFiles.push_back(Ref);
      }
    }
  }
  std::vector<KustomizePatch> Patches;
  for (unsigned I = 0;; ++I) {
    std::string Entry = "patchesStrategicMerge." + std::to_string(I);
    const YamlEntry *E = Doc.find(Entry);
    if (!E)
      break;
    if (!E->Scalar)
      continue;
    KustomizePatch P;
    std::string F = joinPath(Abs, *E->Scalar);
    if (fs::is_regular_file(F)) {
      P.File = F;
    } else {
      P.File = *KFile;
      P.InlineText = *E->Scalar;
      P.InlinePos = E->Pos;
    }
    Patches.push_back(std::move(P));
  }
  for (const char *List : {"patches", "patchesJson6902"}) {
    for (unsigned I = 0;; ++I) {
      std::string Entry = std::string(List) + "." + std::to_string(I);
      if (!Doc.find(Entry))
        break;
      KustomizePatch P;
      readPatchTarget(Doc, Entry, P);
      if (const YamlEntry *PathE = Doc.find(Entry + ".path"); PathE && PathE->Scalar) {
        P.File = joinPath(Abs, *PathE->Scalar);
      } else if (const YamlEntry *Inline = Doc.find(Entry + ".patch"); Inline && Inline->Scalar) {
        P.File = *KFile;
        P.InlineText = *Inline->Scalar;
        P.InlinePos = Inline->Pos;
      } else {
        continue;
      }
      Patches.push_back(std::move(P));
    }
  }
  Tree.Nodes[Index].Patches = std::move(Patches);
  return Index;
}

const std::set<std::string> &reachable(KustomizeTree &Tree, size_t Index, std::vector<int> &State) {
  if (State[Index] != 0)
    return Tree.Reachable[Index]; // done, or on the current path (a cycle)
  State[Index] = 1;
  std::set<std::string> Files(Tree.Nodes[Index].ResourceFiles.begin(),
                              Tree.Nodes[Index].ResourceFiles.end());
  for (size_t Child : Tree.Nodes[Index].Children) {
    const std::set<std::string> &Sub = reachable(Tree, Child, State);
    Files.insert(Sub.begin(), Sub.end());
  }
  Tree.Reachable[Index] = std::move(Files);
  State[Index] = 2;
  return Tree.Reachable[Index];
}

std::optional<SourcePos> patchSetsKey(const KustomizePatch &Patch, const YamlFile &Parsed,
                                      StringRef Kind, const std::set<std::string> &Names,
                                      const std::string &Path) {
  if (Patch.HasTarget) {
    if (Patch.TargetBySelector || (!Patch.TargetKind.empty() && Patch.TargetKind != Kind))
      return std::nullopt;
    if (!Patch.TargetName.empty() && !Names.count(Patch.TargetName))
      return std::nullopt; // a regular expression, or another object: not certain
  }
  for (const YamlDoc &Doc : Parsed.Docs) {
    if (Doc.RootIsSequence) {
      if (!Patch.HasTarget)
        continue; // a JSON 6902 patch needs a target
      for (unsigned I = 0;; ++I) {
        std::string Op = std::to_string(I);
        const YamlEntry *E = Doc.find(Op + ".path");
        if (!E)
          break;
        std::string OpName = Doc.scalar(Op + ".op");
        if (E->Scalar && pointerToPath(*E->Scalar) == Path &&
            (OpName == "add" || OpName == "replace" || OpName == "remove"))
          return E->Pos;
      }
      continue;
    }
    if (!Patch.HasTarget &&
        (Doc.scalar("kind") != Kind || !Names.count(Doc.scalar("metadata.name"))))
      continue;
    // Only a scalar decides; a patch that merely holds the key's parent mapping sets others.
    if (const YamlEntry *E = Doc.find(Path); E && E->Scalar)
      return E->Pos;
  }
  return std::nullopt;
}

StringRef generatorList(StringRef ConfiguredByKind) {
  if (ConfiguredByKind == "ConfigMapGenerator")
    return "configMapGenerator";
  if (ConfiguredByKind == "SecretGenerator")
    return "secretGenerator";
  if (ConfiguredByKind == "HelmChartInflationGenerator")
    return "helmCharts";
  return "";
}

} // namespace saguard::origin
