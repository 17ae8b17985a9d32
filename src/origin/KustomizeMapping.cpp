//===- KustomizeMapping.cpp - a rendered key to its overlay file and patches ------------------===//
#include "SourceMapImpl.h"

#include "saguard/model/Origin.h"

#include "llvm/ADT/SmallVector.h"

#include <set>

namespace saguard::origin {

using model::KustomizeOrigin;
using model::OriginAnnotationKey;
using model::parseOriginAnnotation;

std::optional<SourceMap::Mapped> SourceMap::Impl::mapKustomize(const RenderedObject &RO,
                                                               const LocatedKey *Key,
                                                               const KustomizeTree &Tree) const {
  Mapped Out;
  std::optional<std::string> OverlayFile = kustomizationFile(Tree.Source.OverlayDir);
  Out.Range = fileStart(OverlayFile ? *OverlayFile : Tree.Source.OverlayDir);

  std::string Annotation = RO.Obj->annotation(OriginAnnotationKey);
  llvm::Expected<KustomizeOrigin> Origin = parseOriginAnnotation(Annotation);
  if (!Origin) {
    // Without origin annotations (a remote base, an old kustomize) the overlay is all we know.
    llvm::consumeError(Origin.takeError());
    return Out;
  }
  auto Resolve = [&](const std::string &P) {
    return Tree.Source.ResolvePath ? Tree.Source.ResolvePath(P) : P;
  };

  if (!Origin->Repo.empty())
    return Out; // a remote resource: no file of this repository
  if (Origin->Path.empty()) {
    // Made by a generator: point at its entry in the kustomization that configures it.
    if (Origin->ConfiguredIn.empty())
      return Out;
    std::string File = Resolve(Origin->ConfiguredIn);
    const YamlFile *Y = yamlFile(File);
    if (!Y)
      return Out;
    Out.Range = fileStart(File);
    StringRef List = generatorList(Origin->ConfiguredByKind);
    if (Y->Docs.empty() || List.empty())
      return Out;
    std::optional<SourcePos> Entry;
    for (unsigned I = 0;; ++I) {
      std::string E = List.str() + "." + std::to_string(I);
      const YamlEntry *Item = Y->Docs[0].find(E);
      if (!Item)
        break;
      std::string Name = Y->Docs[0].scalar(E + ".name");
      if (!Name.empty() && StringRef(RO.Obj->Ref.Name).contains(Name)) {
        if (Entry)
          return Out; // two generators could have made it
        const YamlEntry *NameE = Y->Docs[0].find(E + ".name");
        Entry = NameE->Pos;
      }
    }
    if (!Entry)
      if (const YamlEntry *ListE = Y->Docs[0].find(List.str()))
        Entry = ListE->Pos;
    if (Entry)
      Out.Range = at(File, *Entry);
    return Out;
  }

  std::string File = Resolve(Origin->Path);
  const YamlFile *Y = yamlFile(File);
  if (!Y)
    return Out;
  Out.Range = fileStart(File);
  // The document of that kind whose name the rendered name contains (prefixes, suffixes and
  // hashes are kustomize's); an exact name wins over a contained one.
  std::vector<const YamlDoc *> Contained, Exact;
  for (const YamlDoc &D : Y->Docs) {
    std::string Name = D.scalar("metadata.name");
    if (D.scalar("kind") != RO.Obj->Ref.Kind || Name.empty() ||
        !StringRef(RO.Obj->Ref.Name).contains(Name))
      continue;
    Contained.push_back(&D);
    if (Name == RO.Obj->Ref.Name)
      Exact.push_back(&D);
  }
  const std::vector<const YamlDoc *> &Candidates = Exact.empty() ? Contained : Exact;
  if (Candidates.size() != 1)
    return Out;
  const YamlDoc *Doc = Candidates.front();
  Out.Range = at(File, Doc->Start);
  if (!Key)
    return Out;

  // The key by path: the exact node, else the one node whose keys match with other list
  // indexes (a patch that adds a volume moves the rendered entries).
  const YamlEntry *Found = Doc->find(Key->Path);
  if (!Found) {
    std::vector<StringRef> Want = keySegments(Key->Path);
    for (const auto &[P, E] : Doc->Entries) {
      if (Want.empty() || keySegments(P) != Want || P.size() < Want.back().size())
        continue;
      llvm::SmallVector<StringRef, 12> A, B;
      StringRef(P).split(A, '.');
      StringRef(Key->Path).split(B, '.');
      bool Same = A.size() == B.size();
      for (size_t I = 0; Same && I < A.size(); ++I)
        Same = A[I] == B[I] || (isIndex(A[I]) && isIndex(B[I]));
      if (!Same)
        continue;
      if (Found) {
        Found = nullptr;
        break;
      }
      Found = &E;
    }
  }
  // A value other than the rendered one was changed on the way (a patch, a transformer).
  bool Written = Found && (!Found->Scalar || sameValue(*Key, *Found->Scalar));
  if (Written)
    Out.Range = at(File, Found->Pos);
  size_t Notes = Out.Related.size();
  patchNotes(Tree, absolutePath(File), RO, Doc->scalar("metadata.name"), Key->Path, Out);
  if (!Written && Out.Related.size() == Notes + 1) {
    // One patch sets the key and the origin file does not hold its value: the patch decides.
    SourceRange Object = Out.Range;
    Out.Range = Out.Related.back().first;
    Out.Related.back() = {Found ? at(File, Found->Pos) : Object,
                          "the resource the patch applies to is written here"};
    return Out;
  }
  // No patch sets it, and the rendered value holds the written one (`controller-manager` made
  // `profiles-controller-manager`): a name prefix or suffix of the overlay, on this very key.
  if (Found && Found->Scalar && Key->Value && Out.Related.size() == Notes &&
      !Found->Scalar->empty() && *Key->Value != *Found->Scalar &&
      StringRef(*Key->Value).contains(*Found->Scalar)) {
    Out.Range = at(File, Found->Pos);
    if (OverlayFile)
      Out.Related.push_back({fileStart(*OverlayFile), "the overlay's name prefix or suffix "
                                                      "renders it as '" + *Key->Value + "'"});
  }
  return Out;
}

void SourceMap::Impl::patchNotes(const KustomizeTree &Tree, const std::string &OriginFile,
                                 const RenderedObject &RO, const std::string &SourceName,
                                 const std::string &KeyPath, Mapped &Out) const {
  std::set<std::string> Names = {SourceName, RO.Obj->Ref.Name};
  std::set<std::pair<std::string, unsigned>> Seen;
  for (size_t I = 0; I < Tree.Nodes.size(); ++I) {
    if (!Tree.Reachable[I].count(OriginFile))
      continue;
    for (const KustomizePatch &Patch : Tree.Nodes[I].Patches) {
      std::optional<SourcePos> Pos;
      if (Patch.InlineText) {
        YamlFile Inline;
        Inline.Text = std::make_unique<TextFile>(*Patch.InlineText);
        Inline.Docs = flattenYaml(*Inline.Text);
        if (patchSetsKey(Patch, Inline, RO.Obj->Ref.Kind, Names, KeyPath))
          Pos = Patch.InlinePos; // the patch text is a string: its key is the certain line
      } else if (const YamlFile *Y = yamlFile(Patch.File)) {
        Pos = patchSetsKey(Patch, *Y, RO.Obj->Ref.Kind, Names, KeyPath);
      }
      if (!Pos || !Seen.insert({Patch.File, Pos->Line}).second)
        continue;
      Out.Related.push_back({at(Patch.File, *Pos), "a patch sets " + KeyPath + " here"});
    }
  }
}

} // namespace saguard::origin
