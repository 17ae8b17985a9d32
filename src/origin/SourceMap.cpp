//===- SourceMap.cpp - rendered positions back to the files a user edits ----------------===//
//
// Helm: `# Source: <chart>/templates/<file>` names the template; the object's document in it is
// the `---` segment whose `kind:` (and, among several, `metadata.name` pattern) matches; the
// deciding key is the one line of that segment, or of a helper it includes with `nindent`, that
// spells the key with the rendered key's indentation, parent keys and (for literals) value.
// Values behind that line (`.Values.a.b`, `with .Values.a` + `.b`, `include "helper"` whose
// define reads `.Values...`) are looked up in the values files with LLVM's YAML parser.
// Kustomize: the origin annotation names the file; its documents are parsed with LLVM's YAML
// parser, so the key is found by path rather than by text. Patches of the overlay tree that set
// the key are named when their target is certain.
//
#include "SourceMapImpl.h"

#include <algorithm>
#include <map>

namespace saguard::origin {

SourceMap::SourceMap(FileTable &Files) : P(std::make_unique<Impl>(Files)) {}
SourceMap::~SourceMap() = default;

void SourceMap::add(SourceTree Tree) {
  SourceTree::Data &D = *Tree.P;
  P->merge(std::move(D.Files));
  if (D.Chart) {
    std::string Target = D.Chart->Source.Target;
    P->Charts.insert_or_assign(Target, std::move(*D.Chart));
  }
  if (D.Overlay) {
    std::string Target = D.Overlay->Source.Target;
    P->Overlays.insert_or_assign(Target, std::move(*D.Overlay));
  }
}

void SourceMap::addObjects(const std::deque<model::Object> &Objects) {
  auto Rendered = [&](const model::Object &O) {
    return O.Range.isValid() &&
           (!O.HelmSource.empty() || P->Charts.count(O.Target) || P->Overlays.count(O.Target));
  };
  // Each stream's list sized once: grown by doubling, it briefly held half as much again.
  std::map<FileId, size_t> Counts;
  for (const model::Object &O : Objects)
    Counts[O.Range.File] += Rendered(O);
  for (const auto &[File, Count] : Counts)
    if (Count)
      P->Streams[File].reserve(P->Streams[File].size() + Count);
  for (const model::Object &O : Objects)
    if (Rendered(O))
      P->Streams[O.Range.File].push_back({&O, O.DocumentFirstLine, nullptr});
  for (auto &[File, List] : P->Streams)
    std::stable_sort(List.begin(), List.end(), [](const auto &A, const auto &B) {
      return std::make_pair(A.FirstLine, A.Obj->Range.Begin.Line) <
             std::make_pair(B.FirstLine, B.Obj->Range.Begin.Line);
    });
}

const RenderedObject *SourceMap::Impl::objectAt(SourceRange R) const {
  auto It = Streams.find(R.File);
  if (It == Streams.end())
    return nullptr;
  // The last document starting at or before the line holds it; within a `kind: List` document,
  // the last item starting at or before it, else its first. Searched, not scanned: every
  // finding asks, and a stream can hold 100,000 objects (addObjects keeps the order).
  const std::vector<RenderedObject> &List = It->second;
  unsigned Line = R.Begin.Line;
  auto DocEnd = std::partition_point(List.begin(), List.end(), [&](const RenderedObject &RO) {
    return RO.FirstLine <= Line;
  });
  if (DocEnd == List.begin())
    return nullptr;
  unsigned Doc = std::prev(DocEnd)->FirstLine;
  auto DocBegin = std::partition_point(List.begin(), DocEnd, [&](const RenderedObject &RO) {
    return RO.FirstLine < Doc;
  });
  auto ItemEnd = std::partition_point(DocBegin, DocEnd, [&](const RenderedObject &RO) {
    return RO.Obj->Range.Begin.Line <= Line;
  });
  return ItemEnd == DocBegin ? &*DocBegin : &*std::prev(ItemEnd);
}

SourceRange SourceMap::Impl::at(const std::string &File, SourcePos Pos) const {
  FileId Id = Files.intern(File);
  // Only YAML files are read for their line ends (a packaged chart is an archive).
  if (!StringRef(File).endswith(".tgz"))
    if (const YamlFile *Y = yamlFile(File))
      return Y->Text->lineRange(Id, Pos);
  return {Id, Pos, {Pos.Line, Pos.Column + 1}};
}

SourceRange SourceMap::Impl::fileStart(const std::string &File) const { return at(File, {1, 1}); }

std::optional<SourceMap::Mapped> SourceMap::map(SourceRange Rendered,
                                                std::string_view KeyPath) const {
  if (!Rendered.isValid())
    return std::nullopt;
  const RenderedObject *RO = P->objectAt(Rendered);
  auto Chart = RO ? P->Charts.find(RO->Obj->Target) : P->Charts.end();
  auto Overlay = RO ? P->Overlays.find(RO->Obj->Target) : P->Overlays.end();
  if (!RO || (Chart == P->Charts.end() && Overlay == P->Overlays.end()))
    return std::nullopt;

  // The key the range starts at, a key before a list entry that starts there (an entry's first
  // key is on its line), the one whose path the finding carries before others; else the
  // finding's path as a hint.
  const LocatedKey *Key = nullptr;
  LocatedKey Hint;
  auto Rank = [&](const LocatedKey &K) { return 2 * K.AtKey + (K.Path == KeyPath); };
  for (const LocatedKey &K : RO->keys())
    if (K.Begin == Rendered.Begin && (!Key || Rank(K) > Rank(*Key)))
      Key = &K;
  bool AtObject = Rendered.Begin == RO->Obj->Range.Begin;
  if (!Key && !AtObject && !KeyPath.empty()) {
    Hint = {Rendered.Begin, std::string(KeyPath), false, std::nullopt, false};
    Key = &Hint;
  }
  if (Chart != P->Charts.end())
    return P->mapHelm(*RO, Key, Rendered, Chart->second);
  return P->mapKustomize(*RO, Key, Overlay->second);
}

std::optional<SourceRange> SourceMap::helmError(std::string_view Target,
                                                std::string_view Message) const {
  StringRef Text(Message.data(), Message.size());
  // The `# Source:` path helm names (from the chart's own name on) and the position after it.
  std::string Path;
  unsigned Line = 0, Column = 0;
  for (StringRef Lead : {"template: ", "execution error at (", "YAML parse error on "}) {
    size_t At = Text.find(Lead);
    if (At == StringRef::npos)
      continue;
    StringRef Rest = Text.substr(At + Lead.size());
    Path = Rest.take_until([](char C) { return C == ':' || C == ')' || C == ' '; }).str();
    Rest = Rest.drop_front(Path.size());
    if (Rest.consume_front(":") && !Rest.consumeInteger(10, Line) && Rest.consume_front(":"))
      Rest.consumeInteger(10, Column);
    if (Lead.startswith("YAML")) {
      // "... yaml: line 7: ...": a line of the rendered document, which is the template's own
      // line unless an action above it wrote several.
      size_t L = Rest.find("line ");
      if (L != StringRef::npos)
        Rest.substr(L + 5).consumeInteger(10, Line);
    }
    break;
  }
  if (Path.empty())
    return std::nullopt;
  return helmTemplate(Target, Path, Line, Column);
}

std::optional<SourceRange> SourceMap::helmTemplate(std::string_view Target,
                                                   std::string_view Source, unsigned Line,
                                                   unsigned Column) const {
  auto Chart = P->Charts.find(std::string(Target));
  if (Chart == P->Charts.end())
    return std::nullopt;
  std::string File = sourceFile(Chart->second, StringRef(Source.data(), Source.size())).second;
  const TemplateFile *T = File.empty() ? nullptr : P->templateFile(File);
  if (!T || StringRef(File).contains(ArchiveSeparator))
    return std::nullopt;
  const TextFile &Lines = *T->Text;
  FileId Id = P->Files.intern(File);
  if (Line == 0)
    for (size_t I = 0; I < Lines.Lines.size() && !Line; ++I)
      if (!isStructureFree(Lines.Lines[I]))
        Line = static_cast<unsigned>(I + 1);
  if (Line == 0 || Line > Lines.Lines.size())
    return Lines.lineRange(Id, {1, 1});
  StringRef At = Lines.Lines[Line - 1];
  size_t Col = Column ? std::min<size_t>(Column - 1, At.size()) : At.size() - At.ltrim().size();
  return Lines.lineRange(Id, Lines.pos(Line - 1, Col));
}

} // namespace saguard::origin
