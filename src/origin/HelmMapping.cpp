//===- HelmMapping.cpp - a rendered key to its template line and values keys ------------------===//
#include "SourceMapImpl.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include "llvm/ADT/SmallVector.h"

#include <set>
#include <map>

namespace saguard::origin {

namespace path = llvm::sys::path;

const DefineLoc *SourceMap::Impl::define(const HelmChart &Chart, const std::string &Name) const {
  if (!Chart.Defines) {
    auto &Defines = Chart.Defines.emplace();
    for (const ChartNode &N : Chart.Nodes)
      if (!N.Dir.empty())
        collectDefines(N.Dir, Defines);
  }
  auto It = Chart.Defines->find(Name);
  return It == Chart.Defines->end() ? nullptr : &It->second;
}

std::optional<TemplateLine> SourceMap::Impl::keyLine(const HelmChart &Chart,
                                                     const std::string &Path, const TemplateFile &T,
                                                     std::pair<size_t, size_t> Seg,
                                                     const LocatedKey &Key) const {
  std::vector<KeyCandidate> Found;
  findKeyLines(*T.Text, Seg.first, Seg.second, Key, 0, {}, Found);
  if (Found.size() == 1)
    return TemplateLine{Path, &T, Found[0].first, Found[0].second};
  if (!Found.empty())
    return std::nullopt; // two lines could have written it: do not guess
  // Not in the object's own text: a helper it includes with `nindent N` may write it (a pod
  // spec in `_pod.tpl`, say). Its lines render N columns right, below the include's parents.
  std::optional<TemplateLine> Only;
  for (size_t I = Seg.first; I < Seg.second; ++I) {
    auto Include = includeWithIndent(T.Text->Lines[I]);
    if (!Include)
      continue;
    const DefineLoc *Define = define(Chart, Include->first);
    const TemplateFile *Helper = Define ? templateFile(Define->File) : nullptr;
    KeyLine At;
    At.Indent = Include->second;
    std::optional<std::vector<StringRef>> Parents = parentKeys(*T.Text, Seg.first, I, At);
    if (!Helper || !Parents)
      continue;
    std::vector<KeyCandidate> InHelper;
    findKeyLines(*Helper->Text, Define->Begin + 1, Define->End, Key, Include->second, *Parents,
                 InHelper);
    for (const KeyCandidate &C : InHelper) {
      if (Only)
        return std::nullopt;
      Only = TemplateLine{Define->File, Helper, C.first, C.second};
    }
  }
  return Only;
}

std::optional<SourceMap::Mapped> SourceMap::Impl::mapHelm(const RenderedObject &RO,
                                                          const LocatedKey *Key,
                                                          SourceRange Rendered,
                                                          const HelmChart &Chart) const {
  Mapped Out;
  const ChartNode &Root = Chart.Nodes[0];
  std::string RootChartYaml = Root.Dir.empty() ? Root.DeclaredIn : joinPath(Root.Dir, "Chart.yaml");
  Out.Range = fileStart(RootChartYaml);

  auto [Node, File] = sourceFile(Chart, RO.Obj->HelmSource);
  if (Node->Dir.empty()) {
    // A packaged (sub)chart: its templates are no file of the repository.
    if (!Node->DeclaredIn.empty())
      Out.Range = at(Node->DeclaredIn, Node->DeclaredAt);
  } else if (!File.empty()) {
    if (const TemplateFile *T = templateFile(File)) {
      const TextFile &Text = *T->Text;
      FileId Id = Files.intern(File);
      Out.Range = Text.lineRange(Id, {1, 1});
      if (auto Seg = findSegment(*T, RO.Obj->Ref.Kind, RO.Obj->Ref.Name)) {
        Out.Range = Text.lineRange(Id, Text.pos(objectLine(Text, *Seg), 0));
        if (Key)
          if (std::optional<TemplateLine> Line = keyLine(Chart, File, *T, *Seg, *Key)) {
            const TextFile &KeyText = *Line->File->Text;
            Out.Range =
                KeyText.lineRange(Files.intern(Line->Path), KeyText.pos(Line->Index, Line->KeyCol));
            Out.Related = valuesNotes(Chart, *Node, *Line->File, Line->Index);
          }
      }
    }
  }
  Out.Related.push_back({Rendered, "rendered at line " + std::to_string(Rendered.Begin.Line) +
                                       " of `helm template` output"});
  return Out;
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
    std::string Message = "value " + Ref + " in " + path::filename(Found->first).str();
    std::string Full;
    for (const std::string &Prefix : Node.ValuesPrefix)
      Full += Prefix + ".";
    if (SetKeys.count(Full + Ref))
      Message += " (overridden by --set)";
    Notes.push_back({at(Found->first, Found->second), std::move(Message)});
  }
  return Notes;
}

std::optional<std::pair<std::string, SourcePos>>
SourceMap::Impl::findValue(const HelmChart &Chart, const ChartNode &Node,
                           const std::string &Key) const {
  auto Lookup = [&](const std::string &File,
                    const std::string &Path) -> std::optional<std::pair<std::string, SourcePos>> {
    const YamlFile *Y = yamlFile(File);
    if (!Y || Y->Docs.empty())
      return std::nullopt;
    if (const YamlEntry *E = Y->Docs[0].find(Path))
      return std::make_pair(File, E->Pos);
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
