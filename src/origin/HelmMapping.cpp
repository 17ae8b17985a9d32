//===- HelmMapping.cpp - a rendered key to its template line and values keys ------------------===//
#include "SourceMapImpl.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

#include <algorithm>

#include <set>
#include <map>

namespace saguard::origin {

namespace path = llvm::sys::path;

namespace {

/// The note on another line that may have written a key.
constexpr const char *OtherBranch = "or written here: another branch of the template can render it";

/// Defines that include defines: deeper nesting than real charts use is not followed.
constexpr unsigned MaxIncludeDepth = 8;

/// `rules.2` / `subjects.0.name`: the sequence before the first list index, the index, and the
/// path inside the item.
struct ItemPath {
  std::string Sequence;
  unsigned Index;
  std::string Rest;
};

std::optional<ItemPath> itemPath(StringRef Path) {
  llvm::SmallVector<StringRef, 8> Parts;
  Path.split(Parts, '.');
  for (size_t I = 1; I < Parts.size(); ++I) {
    unsigned Index;
    if (Parts[I].getAsInteger(10, Index))
      continue;
    ItemPath Out{llvm::join(Parts.begin(), Parts.begin() + I, "."), Index, ""};
    if (I + 1 < Parts.size())
      Out.Rest = llvm::join(Parts.begin() + I + 1, Parts.end(), ".");
    return Out;
  }
  return std::nullopt;
}

} // namespace

void SourceMap::Impl::keyCandidates(const HelmChart &Chart, const std::string &Path,
                                    const TemplateFile &T, size_t Begin, size_t End,
                                    const LocatedKey &Key, unsigned Offset,
                                    const std::vector<StringRef> &Prefix, unsigned Depth,
                                    std::vector<TemplateLine> &Out) const {
  std::vector<KeyCandidate> Found;
  findKeyLines(T, Begin, End, Key, Offset, Prefix, Found);
  for (const KeyCandidate &C : Found)
    Out.push_back({Path, &T, C.first, C.second});
  if (Depth >= MaxIncludeDepth)
    return;
  // A define it includes (a pod spec in `_pod.tpl`, say) renders its lines `indent N` or
  // `nindent N` columns further right, below the include's parent keys.
  for (size_t I = Begin; I < End; ++I) {
    const std::optional<IncludeLine> &Include = T.info()[I].Include;
    if (!Include)
      continue;
    const DefineLoc *Define = define(Chart, Include->Name);
    const TemplateFile *Helper = Define ? templateFile(Define->File) : nullptr;
    if (!Helper)
      continue;
    KeyLine At;
    if (Include->Key)
      At = *Include->Key;
    else
      At.Indent = Include->Indent ? Include->Indent
                                  : bodyIndent(*Helper, Define->Begin + 1, Define->End);
    std::optional<std::vector<StringRef>> Parents = parentKeys(T, Begin, I, At);
    if (!Parents)
      continue;
    if (Include->Key)
      Parents->push_back(Include->Key->Key);
    Parents->insert(Parents->begin(), Prefix.begin(), Prefix.end());
    keyCandidates(Chart, Define->File, *Helper, Define->Begin + 1, Define->End, Key,
                  Offset + Include->Indent, *Parents, Depth + 1, Out);
  }
}

std::optional<SourceMap::Impl::KeyLines>
SourceMap::Impl::chooseLine(const HelmChart &Chart, const ChartNode &Node, const LocatedKey &Key,
                            std::vector<TemplateLine> Candidates) const {
  // Branches of an `if`/`else` (or `with`/`else`, a `range`) may each write the key: the one
  // whose text can render the value, and whose values key holds it, is the one that did.
  std::vector<TemplateLine> Possible, Confirmed;
  for (const TemplateLine &C : Candidates) {
    const std::optional<KeyLine> &K = C.File->info()[C.Index].Key;
    StringRef Rest = K ? K->Rest : StringRef();
    bool Scalar = Key.Value && !Rest.empty() && !Rest.startswith("|") && !Rest.startswith(">");
    if (Scalar && !Key.IsBool && !patternMatches(Rest, *Key.Value))
      continue;
    std::optional<std::string> Ref = Scalar ? plainValuesRef(Rest) : std::nullopt;
    if (Ref) {
      std::optional<FoundValue> V = findValue(Chart, Node, *Ref);
      bool Set = std::count(Chart.Source.SetKeys.begin(), Chart.Source.SetKeys.end(),
                            (V ? V->Path : *Ref)) > 0;
      if (V && V->Entry->Scalar && !Set) {
        if (!sameValue(Key, *V->Entry->Scalar))
          continue;
        Confirmed.push_back(C);
      } else if (!V && !Set && !Key.Value->empty()) {
        continue; // an unset value renders empty
      }
    }
    Possible.push_back(C);
  }
  if (Confirmed.size() == 1)
    return KeyLines{Confirmed.front(), {}};
  std::vector<TemplateLine> &Pick = Possible.empty() ? Candidates : Possible;
  if (Pick.empty())
    return std::nullopt;
  KeyLines Out{Pick.front(), {}};
  for (size_t I = 1; I < Pick.size(); ++I)
    Out.Others.push_back({Pick[I], OtherBranch});
  return Out;
}

const std::vector<std::pair<std::string, std::string>> &
SourceMap::Impl::literalsOf(const TextFile &T, std::pair<size_t, size_t> Item) const {
  auto [It, New] = ItemLiterals.try_emplace({&T, Item.first, Item.second});
  if (New)
    It->second = itemLiterals(T, Item);
  return It->second;
}

std::optional<SourceMap::Impl::KeyLines>
SourceMap::Impl::itemLine(const HelmChart &Chart, const ChartNode &Node,
                          const KeyLines &Sequence, StringRef SeqPath, unsigned Index,
                          StringRef Rest, const std::vector<LocatedKey> &All) const {
  const TextFile &T = *Sequence.Line.File->Text;
  std::vector<std::pair<size_t, size_t>> Items = sequenceItems(T, Sequence.Line.Index);
  if (Items.empty()) {
    // The whole list comes from one values key (`{{- toYaml .Values.rbac.rules | nindent 2 }}`):
    // the item is that list's entry in the values file.
    std::vector<std::string> Refs = sequenceValuesRefs(T, Sequence.Line.Index);
    if (Refs.size() != 1)
      return std::nullopt;
    std::string Key = Refs.front() + "." + std::to_string(Index);
    for (StringRef S : keySegments(Rest))
      Key += "." + S.str();
    std::optional<TemplateLine> Line;
    if (std::optional<FoundValue> V = findValue(Chart, Node, Key))
      Line = valuesLine(V->File, V->Entry->Pos);
    else if (std::optional<FoundValue> Text = findValue(Chart, Node, Refs.front()))
      Line = inBlockScalar(*Text, Key.substr(Refs.front().size() + 1));
    if (!Line)
      return std::nullopt;
    return KeyLines{*Line, {{Sequence.Line, "rendered into the template here"}}};
  }
  // What the rendered items hold: scalars by item and field (list indexes dropped).
  std::map<unsigned, std::multimap<std::string, std::string>> Rendered;
  std::set<std::string> Fields;
  std::string Head = SeqPath.str() + ".";
  for (const LocatedKey &K : All) {
    StringRef P = K.Path;
    unsigned I;
    if (!P.consume_front(Head) || P.split('.').first.getAsInteger(10, I))
      continue;
    auto &Item = Rendered[I];
    StringRef Inside = P.split('.').second;
    std::string Field;
    for (StringRef S : keySegments(Inside))
      Field += (Field.empty() ? "" : ".") + S.str();
    if (K.Value && !Field.empty()) {
      Item.emplace(Field, *K.Value);
      Fields.insert(Field);
    }
  }
  const auto &Own = Rendered[Index];
  // The template items that can have rendered it: every literal they write, in a field the
  // model read, is among the rendered item's values. The most literals matched wins.
  std::vector<size_t> Best;
  size_t BestScore = 0;
  for (size_t I = 0; I < Items.size(); ++I) {
    size_t Score = 0;
    bool Fits = true;
    for (const auto &[Field, Value] : literalsOf(T, Items[I])) {
      if (!Fields.count(Field))
        continue;
      auto [B, E] = Own.equal_range(Field);
      // Through a named reference: clang 14 cannot capture a structured binding.
      const auto &Literal = Value;
      Fits = std::any_of(B, E, [&Literal](const auto &FV) { return FV.second == Literal; });
      if (!Fits)
        break;
      ++Score;
    }
    if (!Fits)
      continue;
    if (Best.empty() || Score > BestScore) {
      Best = {I};
      BestScore = Score;
    } else if (Score == BestScore) {
      Best.push_back(I);
    }
  }
  if (Best.empty())
    return std::nullopt;
  // Equal evidence: the item at the same place, when the template writes as many as rendered.
  if (Best.size() > 1 && Items.size() == Rendered.size())
    if (auto It = std::find(Best.begin(), Best.end(), Index); It != Best.end())
      std::rotate(Best.begin(), It, It + 1);
  auto LineOf = [&](size_t I) {
    auto [Begin, End] = Items[I];
    TemplateLine L = Sequence.Line;
    L.Index = Begin;
    StringRef Text = T.Lines[Begin];
    L.KeyCol = Text.size() - Text.ltrim(" \t-").size();
    std::vector<StringRef> Keys = keySegments(Rest);
    if (!Keys.empty())
      if (std::optional<size_t> At = keyInLines(T, Begin, End, Keys.front())) {
        L.Index = *At;
        L.KeyCol = parseKeyLine(T.Lines[*At])->KeyCol;
      }
    return L;
  };
  KeyLines Out{LineOf(Best.front()), {}};
  for (size_t I = 1; I < Best.size(); ++I)
    Out.Others.push_back({LineOf(Best[I]), OtherBranch});
  return Out;
}

std::optional<TemplateLine> SourceMap::Impl::inBlockScalar(const FoundValue &Value,
                                                           const std::string &Path) const {
  // A list written as YAML text in a block scalar (`subjects: |`), which the chart renders with
  // `tpl`: the entry inside the text, which starts on the line after the key.
  const TemplateFile *T = templateFile(Value.File);
  unsigned KeyLine = Value.Entry->Pos.Line;
  if (!T || !Value.Entry->Scalar || KeyLine >= T->Text->Lines.size() ||
      !T->Text->Lines[KeyLine - 1].rtrim().rtrim("-+0123456789").endswith("|"))
    return std::nullopt;
  TextFile Block(*Value.Entry->Scalar);
  std::vector<YamlDoc> Docs = flattenYaml(Block);
  const YamlEntry *E = Docs.empty() ? nullptr : Docs[0].find(Path);
  if (!E)
    return std::nullopt;
  StringRef First = T->Text->Lines[KeyLine];
  size_t Indent = First.size() - First.ltrim(" ").size();
  return valuesLine(Value.File, {KeyLine + E->Pos.Line, E->Pos.Column + unsigned(Indent)});
}

std::optional<TemplateLine> SourceMap::Impl::valuesLine(const std::string &File,
                                                        SourcePos Pos) const {
  const TemplateFile *T = templateFile(File);
  if (!T || Pos.Line == 0 || Pos.Line > T->Text->Lines.size())
    return std::nullopt;
  // What precedes a key on its line is indentation and `- `: a column is a byte there.
  return TemplateLine{File, T, Pos.Line - 1, Pos.Column - 1};
}

std::optional<SourceMap::Impl::KeyLines>
SourceMap::Impl::keyLine(const HelmChart &Chart, const ChartNode &Node, const std::string &Path,
                         const TemplateFile &T, std::pair<size_t, size_t> Seg,
                         const LocatedKey &Key, const std::vector<LocatedKey> &All) const {
  // A key of a sequence item (a Role's `rules.2`): the item among the sequence's items in the
  // template whose literal text the rendered item holds.
  if (std::optional<ItemPath> Item = itemPath(Key.Path)) {
    LocatedKey SequenceKey{Key.Begin, Item->Sequence, /*AtKey=*/false, std::nullopt, false};
    if (std::optional<KeyLines> Sequence = keyLine(Chart, Node, Path, T, Seg, SequenceKey, All)) {
      if (std::optional<KeyLines> Line =
              itemLine(Chart, Node, *Sequence, Item->Sequence, Item->Index, Item->Rest, All))
        return Line;
      if (Item->Rest.empty())
        return Sequence;
    }
  }
  std::vector<TemplateLine> Candidates;
  keyCandidates(Chart, Path, T, Seg.first, Seg.second, Key, 0, {}, 0, Candidates);
  return chooseLine(Chart, Node, Key, std::move(Candidates));
}

size_t SourceMap::Impl::ordinal(const RenderedObject &RO) const {
  size_t N = 0;
  for (const RenderedObject &Other : Streams.at(RO.Obj->Range.File)) {
    if (&Other == &RO)
      break;
    N += Other.Obj->HelmSource == RO.Obj->HelmSource && Other.Obj->Ref.Kind == RO.Obj->Ref.Kind;
  }
  return N;
}

std::optional<SourceMap::Mapped> SourceMap::Impl::mapHelm(const RenderedObject &RO,
                                                          const LocatedKey *Key,
                                                          SourceRange Rendered,
                                                          const HelmChart &Chart) const {
  Mapped Out;
  const ChartNode &Root = Chart.Nodes[0];
  std::string RootChartYaml = Root.Dir.empty() ? Root.DeclaredIn : joinPath(Root.Dir, "Chart.yaml");
  Out.Range = fileStart(RootChartYaml);

  std::pair<const ChartNode *, std::string> Where = sourceFile(Chart, RO.Obj->HelmSource.str());
  const ChartNode *Node = Where.first;
  const std::string &File = Where.second;
  if (Node->Dir.empty() && !Node->DeclaredIn.empty())
    Out.Range = at(Node->DeclaredIn, Node->DeclaredAt);
  if (!File.empty()) {
    if (const TemplateFile *T = templateFile(File)) {
      const TextFile &Text = *T->Text;
      FileId Id = Files.intern(File);
      // No document of the file is certain: its first line of YAML, not a licence comment.
      Out.Range = Text.lineRange(Id, {1, 1});
      for (auto Seg : T->Segments)
        if (std::any_of(T->info().begin() + Seg.first, T->info().begin() + Seg.second,
                        [](const TemplateLineInfo &L) { return !L.StructureFree; })) {
          Out.Range = Text.lineRange(Id, Text.pos(objectLine(*T, Seg), 0));
          break;
        }
      if (auto Seg = findSegment(*T, RO.Obj->Ref.Kind, RO.Obj->Ref.Name, ordinal(RO))) {
        Out.Range = Text.lineRange(Id, Text.pos(objectLine(*T, *Seg), 0));
        if (Key)
          if (std::optional<KeyLines> Lines =
                  keyLine(Chart, *Node, File, *T, *Seg, *Key, RO.keys())) {
            auto RangeOf = [&](const TemplateLine &L) {
              const TextFile &KeyText = *L.File->Text;
              return KeyText.lineRange(Files.intern(L.Path), KeyText.pos(L.Index, L.KeyCol));
            };
            Out.Range = RangeOf(Lines->Line);
            Out.Related = valuesNotes(Chart, *Node, *Lines->Line.File, Lines->Line.Index);
            for (const auto &[Other, Message] : Lines->Others)
              Out.Related.push_back({RangeOf(Other), Message});
          }
      }
    }
  }
  if (!Node->Archive.empty())
    fromArchive(*Node, File, Out);
  Out.Related.push_back({Rendered, "rendered at line " + std::to_string(Rendered.Begin.Line) +
                                       " of `helm template` output"});
  return Out;
}

void SourceMap::Impl::fromArchive(const ChartNode &Node, const std::string &File,
                                  Mapped &Out) const {
  // A packaged subchart's templates are no file a user edits: the parent's values key that
  // configures the line is (`worker.serviceAccount.create` in the parent's values.yaml), else
  // the dependency that brings the archive in; the archive member is named in a note.
  auto InArchive = [&](const SourceRange &R) {
    return StringRef(Files.path(R.File)).contains(ArchiveSeparator);
  };
  std::string Where = File.substr(File.find(ArchiveSeparator) + 2);
  if (InArchive(Out.Range) && Out.Range.Begin.Line)
    Where += ":" + std::to_string(Out.Range.Begin.Line);
  Where += " in " + path::filename(Node.Archive).str();
  auto Value = std::find_if(Out.Related.begin(), Out.Related.end(),
                            [&](const auto &N) { return !InArchive(N.first); });
  SourceRange Declared = Node.DeclaredIn.empty() ? fileStart(Node.Archive)
                                                 : at(Node.DeclaredIn, Node.DeclaredAt);
  if (Value != Out.Related.end()) {
    Out.Range = Value->first;
    Out.Related.erase(Value);
  } else {
    Out.Range = Declared;
  }
  std::erase_if(Out.Related, [&](const auto &N) { return InArchive(N.first); });
  Out.Related.push_back({Declared, "rendered from " + Where});
}

std::vector<std::pair<SourceRange, std::string>>
SourceMap::Impl::valuesNotes(const HelmChart &Chart, const ChartNode &Node, const TemplateFile &T,
                             size_t Line) const {
  const TextFile &Text = *T.Text;
  // Open blocks down to Line. `with .Values.a` makes the dot `a`; `range` and `define` make it
  // something we do not follow; `if` keeps it.
  struct Block {
    bool SetsDot = false;
    std::optional<std::string> Dot;
  };
  std::vector<Block> Blocks;
  auto CurrentDot = [&]() -> std::optional<std::string> {
    for (auto It = Blocks.rbegin(); It != Blocks.rend(); ++It)
      if (It->SetsDot)
        return It->Dot;
    return std::nullopt;
  };
  // `{{- $v := .Values.a }}` above the line: a variable assigned once stands for its value.
  std::map<std::string, std::vector<StringRef>> Assigned;
  for (size_t I = 0; I < Line; ++I) {
    for (StringRef A : actionsOf(Text.Lines[I])) {
      if (A.startswith("$") && A.contains("=")) {
        auto [Name, Expr] = A.split('=');
        Assigned[Name.rtrim(" :").str()].push_back(Expr);
      }
      if (A == "end") {
        if (!Blocks.empty())
          Blocks.pop_back();
        continue;
      }
      if (!opensBlock(A))
        continue;
      Block B;
      B.SetsDot = !A.startswith("if ");
      if (A.consume_front("with ")) {
        A = A.trim();
        std::vector<std::string> Refs;
        valuesRefs(A, Refs);
        std::optional<std::string> Outer = CurrentDot();
        if (Refs.size() == 1 && (A.startswith(".Values.") || A.startswith("$.Values.")))
          B.Dot = Refs[0];
        else if (A.startswith(".") && Outer && fieldChain(A, 1).size() + 1 == A.size())
          B.Dot = *Outer + "." + fieldChain(A, 1);
      }
      Blocks.push_back(std::move(B));
    }
  }
  std::optional<std::string> Dot = CurrentDot();

  std::vector<std::string> Refs;
  for (StringRef A : actionsOf(Text.Lines[Line])) {
    valuesRefs(A, Refs);
    for (size_t At = A.find('$'); At != StringRef::npos; At = A.find('$', At + 1)) {
      std::string Var = "$" + fieldChain(A, At + 1);
      auto It = Assigned.find(Var);
      if (It != Assigned.end() && It->second.size() == 1)
        valuesRefs(It->second.front(), Refs);
    }
    if (Dot) {
      std::vector<std::string> Fields;
      dotRefs(A, Fields);
      for (const std::string &F : Fields)
        Refs.push_back(F.empty() ? *Dot : *Dot + "." + F);
    }
    for (StringRef Call : {"include", "template"}) {
      std::optional<std::string> Name = quotedArg(A, Call);
      if (!Name)
        continue;
      const DefineLoc *Define = define(Chart, *Name);
      const TemplateFile *Helper = Define ? templateFile(Define->File) : nullptr;
      if (!Helper)
        continue;
      for (size_t I = Define->Begin; I <= Define->End && I < Helper->Text->Lines.size(); ++I)
        for (StringRef BA : actionsOf(Helper->Text->Lines[I]))
          valuesRefs(BA, Refs);
    }
  }

  std::vector<std::pair<SourceRange, std::string>> Notes;
  std::set<std::string> Seen;
  std::set<std::string> SetKeys(Chart.Source.SetKeys.begin(), Chart.Source.SetKeys.end());
  for (const std::string &Ref : Refs) {
    if (!Seen.insert(Ref).second)
      continue;
    auto Found = findValue(Chart, Node, Ref);
    if (!Found)
      continue;
    // The key as spelt in the file the note points at (`grafana.serviceAccount.create` in the
    // parent's values.yaml), which is what a user searches for.
    std::string Message =
        "value " + Found->Path + " in " + path::filename(Found->File).str();
    std::string Full;
    for (const std::string &Prefix : Node.ValuesPrefix)
      Full += Prefix + ".";
    if (SetKeys.count(Full + Ref))
      Message += " (overridden by --set)";
    Notes.push_back({at(Found->File, Found->Entry->Pos), std::move(Message)});
  }
  return Notes;
}

std::optional<SourceMap::Impl::FoundValue>
SourceMap::Impl::findValue(const HelmChart &Chart, const ChartNode &Node,
                           const std::string &Key) const {
  auto Lookup = [&](const std::string &File,
                    const std::string &Path) -> std::optional<FoundValue> {
    const YamlFile *Y = yamlFile(File);
    if (!Y || Y->Docs.empty())
      return std::nullopt;
    if (const YamlEntry *E = Y->Docs[0].find(Path))
      return FoundValue{File, E, Path};
    return std::nullopt;
  };
  // Precedence as helm merges: -f files (last first), then each chart's values.yaml from the
  // root down, a parent's `<subchart>.key` overriding the subchart's own `key`.
  std::string Full;
  for (const std::string &Prefix : Node.ValuesPrefix)
    Full += Prefix + ".";
  Full += Key;
  for (auto It = Chart.Source.ValuesFiles.rbegin(); It != Chart.Source.ValuesFiles.rend(); ++It)
    if (auto F = Lookup(*It, Full))
      return F;
  const ChartNode *Cur = &Chart.Nodes[0];
  for (size_t Depth = 0; Cur; ++Depth) {
    std::string Path;
    for (size_t J = Depth; J < Node.ValuesPrefix.size(); ++J)
      Path += Node.ValuesPrefix[J] + ".";
    Path += Key;
    if (!Cur->Dir.empty())
      if (auto F = Lookup(joinPath(Cur->Dir, "values.yaml"), Path))
        return F;
    if (Depth >= Node.ValuesPrefix.size())
      break;
    auto Child = Cur->Children.find(Node.ValuesPrefix[Depth]);
    Cur = Child == Cur->Children.end() ? nullptr : &Chart.Nodes[Child->second];
  }
  return std::nullopt;
}

} // namespace saguard::origin
