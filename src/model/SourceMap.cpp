//===- SourceMap.cpp - rendered positions back to the files a user edits --===//
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
//===----------------------------------------------------------------------===//
#include "saguard/model/SourceMap.h"

#include "PreScan.h"
#include "saguard/model/Origin.h"
#include "saguard/support/LineTable.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLParser.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

namespace saguard::model {

using llvm::StringRef;
namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

namespace {

//===----------------------------------------------------------------------===//
// Files and lines
//===----------------------------------------------------------------------===//

/// Source files bigger than this are not read (a rendered chart's sources are far smaller).
constexpr uint64_t MaxSourceFileBytes = 32u << 20;
/// Depth of nested subcharts and kustomizations followed; real trees are a few levels deep.
constexpr unsigned MaxTreeDepth = 16;

std::optional<std::string> readText(const std::string &File) {
  uint64_t Size = 0;
  if (!fs::is_regular_file(File) || fs::file_size(File, Size) || Size > MaxSourceFileBytes)
    return std::nullopt;
  auto Buffer = llvm::MemoryBuffer::getFile(File, /*IsText=*/true);
  if (!Buffer)
    return std::nullopt;
  return (*Buffer)->getBuffer().str();
}

std::string joinPath(StringRef Dir, StringRef Rel) {
  if (path::is_absolute(Rel))
    return Rel.str();
  llvm::SmallString<256> P(Dir);
  path::append(P, Rel);
  path::remove_dots(P, /*remove_dot_dot=*/true);
  return P.str().str();
}

std::string absolutePath(StringRef P) {
  llvm::SmallString<256> Abs(P);
  fs::make_absolute(Abs);
  path::remove_dots(Abs, /*remove_dot_dot=*/true);
  return Abs.str().str();
}

/// A file's text split into lines, with code-point columns.
struct TextFile {
  std::string Text;
  std::vector<StringRef> Lines; ///< without line breaks (and without a trailing `\r`)
  LineTable Table{"", 1};

  explicit TextFile(std::string Content) : Text(std::move(Content)), Table(Text, 1) {
    StringRef Rest = Text;
    while (!Rest.empty()) {
      auto [Line, Tail] = Rest.split('\n');
      Lines.push_back(Line.rtrim('\r'));
      Rest = Tail;
    }
  }
  TextFile(const TextFile &) = delete;

  /// Position of byte Col (0-based) of 0-based line Index.
  SourcePos pos(size_t Index, size_t Col) const {
    return Table.position(Table.lineStart(static_cast<unsigned>(Index) + 1) + Col);
  }
  /// The range from Begin to the end of its line's content, as findings mark a `key: value`.
  SourceRange lineRange(FileId File, SourcePos Begin) const {
    if (Begin.Line == 0 || Begin.Line > Lines.size())
      return {File, Begin, Begin};
    StringRef Line = Lines[Begin.Line - 1];
    SourcePos End = pos(Begin.Line - 1, Line.rtrim(" \t").size());
    if (End.Column <= Begin.Column)
      End = {Begin.Line, Begin.Column + 1};
    return {File, Begin, End};
  }
};

//===----------------------------------------------------------------------===//
// YAML files, flattened to dotted key paths (LLVM's parser, walked with an explicit stack)
//===----------------------------------------------------------------------===//

/// A key (or sequence item) of a YAML document.
struct YamlEntry {
  SourcePos Pos;                     ///< the key, or the item's first character
  std::optional<std::string> Scalar; ///< the value, when it is a scalar
};

/// One document: every node by dotted path (`spec.template.spec.serviceAccountName`,
/// `subjects.0.name`; the root of a sequence document gives `0.op`).
struct YamlDoc {
  SourcePos Start;
  bool RootIsSequence = false;
  std::unordered_map<std::string, YamlEntry> Entries;

  const YamlEntry *find(const std::string &Path) const {
    auto It = Entries.find(Path);
    return It == Entries.end() ? nullptr : &It->second;
  }
  std::string scalar(const std::string &Path) const {
    const YamlEntry *E = find(Path);
    return E && E->Scalar ? *E->Scalar : std::string();
  }
};

struct YamlFile {
  std::unique_ptr<TextFile> Text;
  std::vector<YamlDoc> Docs;
};

std::optional<std::string> scalarOf(llvm::yaml::Node *N) {
  if (auto *S = llvm::dyn_cast_or_null<llvm::yaml::ScalarNode>(N)) {
    llvm::SmallString<64> Storage;
    return S->getValue(Storage).str();
  }
  if (auto *B = llvm::dyn_cast_or_null<llvm::yaml::BlockScalarNode>(N))
    return B->getValue().str();
  return std::nullopt;
}

/// Parses Text and records every node's position. The parser's own recursion (skip) is kept
/// shallow by preScan's depth bound, which rejects the file first.
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

//===----------------------------------------------------------------------===//
// Keys the model located in an object
//===----------------------------------------------------------------------===//

/// A key whose range the model recorded, with its dotted path in the object.
struct LocatedKey {
  SourcePos Begin;
  /// Dotted path; list entries are numbers, or `*` when the model does not know the index.
  std::string Path;
  /// Range starts at the key itself (not at a sequence item's value).
  bool AtKey = true;
  /// The scalar value as Kubernetes read it, to tell apart lines that spell another value.
  std::optional<std::string> Value;
  bool IsBool = false;
};

void addKey(std::vector<LocatedKey> &Out, SourceRange R, std::string Path, bool AtKey = true) {
  if (R.isValid())
    Out.push_back({R.Begin, std::move(Path), AtKey, std::nullopt, false});
}
void addKey(std::vector<LocatedKey> &Out, const Located<std::string> &L, std::string Path,
            bool AtKey = true) {
  if (L.isSet() && L.Range.isValid())
    Out.push_back({L.Range.Begin, std::move(Path), AtKey, *L, false});
}
void addKey(std::vector<LocatedKey> &Out, const Located<bool> &L, std::string Path) {
  if (L.isSet() && L.Range.isValid())
    Out.push_back({L.Range.Begin, std::move(Path), true, *L ? "true" : "false", true});
}

std::vector<LocatedKey> locatedKeys(const Object &O) {
  std::vector<LocatedKey> Keys;
  addKey(Keys, O.Meta.Name, "metadata.name");
  addKey(Keys, O.Meta.Namespace, "metadata.namespace");
  if (O.Pod) {
    const PodSpec &Pod = *O.Pod;
    addKey(Keys, Pod.SpecKey, Pod.Path);
    addKey(Keys, Pod.ServiceAccountName, Pod.Path + ".serviceAccountName");
    addKey(Keys, Pod.ServiceAccount, Pod.Path + ".serviceAccount");
    addKey(Keys, Pod.AutomountServiceAccountToken, Pod.Path + ".automountServiceAccountToken");
    for (const ProjectedTokenVolume &V : Pod.ProjectedTokens)
      addKey(Keys, V.Range, Pod.Path + ".volumes.*.projected.sources.*.serviceAccountToken");
  }
  if (O.Account) {
    addKey(Keys, O.Account->AutomountServiceAccountToken, "automountServiceAccountToken");
    for (size_t I = 0; I < O.Account->Secrets.size(); ++I)
      addKey(Keys, O.Account->Secrets[I], "secrets." + std::to_string(I) + ".name");
  }
  if (O.Secret)
    addKey(Keys, O.Secret->Type, "type");
  if (O.Role) {
    for (size_t I = 0; I < O.Role->Rules.size(); ++I) {
      const PolicyRule &R = O.Role->Rules[I];
      std::string Rule = "rules." + std::to_string(I);
      addKey(Keys, R.Range, Rule, /*AtKey=*/false);
      auto Items = [&](const std::vector<Located<std::string>> &List, const char *Name) {
        for (size_t J = 0; J < List.size(); ++J)
          addKey(Keys, List[J], Rule + "." + Name + "." + std::to_string(J), /*AtKey=*/false);
      };
      Items(R.ApiGroups, "apiGroups");
      Items(R.Resources, "resources");
      Items(R.Verbs, "verbs");
      Items(R.ResourceNames, "resourceNames");
      Items(R.NonResourceURLs, "nonResourceURLs");
    }
    addKey(Keys, O.Role->AggregationRange, "aggregationRule");
  }
  if (O.Binding) {
    const BindingData &B = *O.Binding;
    addKey(Keys, B.RoleRefRange, "roleRef");
    addKey(Keys, B.RoleRefKind, "roleRef.kind");
    addKey(Keys, B.RoleRefName, "roleRef.name");
    for (size_t I = 0; I < B.Subjects.size(); ++I) {
      std::string Subject = "subjects." + std::to_string(I);
      addKey(Keys, B.Subjects[I].Kind, Subject + ".kind");
      addKey(Keys, B.Subjects[I].Name, Subject + ".name");
      addKey(Keys, B.Subjects[I].Namespace, Subject + ".namespace");
      addKey(Keys, B.Subjects[I].Range, Subject, /*AtKey=*/false);
    }
  }
  return Keys;
}

/// The path's segments that name mapping keys (list indices dropped).
std::vector<StringRef> keySegments(StringRef Path) {
  llvm::SmallVector<StringRef, 8> Parts;
  Path.split(Parts, '.', -1, /*KeepEmpty=*/false);
  std::vector<StringRef> Keys;
  for (StringRef Part : Parts) {
    unsigned long long Unused;
    if (Part != "*" && Part.getAsInteger(10, Unused))
      Keys.push_back(Part);
  }
  return Keys;
}

/// Kubernetes' reading (YAML 1.1) of a boolean scalar.
std::optional<bool> parseBool(StringRef S) {
  static const std::set<StringRef> True = {"true", "True", "TRUE", "yes", "Yes", "YES",
                                           "y",    "Y",    "on",   "On",  "ON"};
  static const std::set<StringRef> False = {"false", "False", "FALSE", "no",  "No", "NO",
                                            "n",     "N",     "off",   "Off", "OFF"};
  if (True.count(S))
    return true;
  if (False.count(S))
    return false;
  return std::nullopt;
}

/// Whether a source scalar Written can be what the model read as Key's value.
bool sameValue(const LocatedKey &Key, StringRef Written) {
  if (!Key.Value)
    return true;
  if (Key.IsBool) {
    std::optional<bool> B = parseBool(Written);
    return B && (*B ? "true" : "false") == *Key.Value;
  }
  return Written == *Key.Value;
}

//===----------------------------------------------------------------------===//
// Template text: `key:` lines, go-template actions, `---` segments
//===----------------------------------------------------------------------===//

bool isBlank(char C) { return C == ' ' || C == '\t'; }

/// A line read as `[indent][- ]key: rest`.
struct KeyLine {
  size_t Indent = 0;
  bool HasMarker = false;
  size_t KeyCol = 0; ///< byte column of the key
  StringRef Key;
  StringRef Rest; ///< the value text, comment and blanks stripped
};

/// Strips `{{ ... }}` actions; what remains is the line's literal text.
std::string withoutActions(StringRef Line) {
  std::string Out;
  while (!Line.empty()) {
    size_t Open = Line.find("{{");
    if (Open == StringRef::npos) {
      Out += Line.str();
      break;
    }
    Out += Line.substr(0, Open).str();
    size_t Close = Line.find("}}", Open + 2);
    if (Close == StringRef::npos)
      break;
    Line = Line.substr(Close + 2);
  }
  return Out;
}

/// Blank, a comment, or nothing but template actions (`{{- if ... }}`): no YAML of its own.
bool isStructureFree(StringRef Line) {
  StringRef T = Line.trim();
  if (T.empty() || T.startswith("#"))
    return true;
  return T.startswith("{{") && StringRef(withoutActions(T)).trim().empty();
}

std::optional<KeyLine> parseKeyLine(StringRef Line) {
  KeyLine K;
  size_t I = 0;
  while (I < Line.size() && isBlank(Line[I]))
    ++I;
  K.Indent = I;
  while (I + 1 < Line.size() && Line[I] == '-' && isBlank(Line[I + 1])) {
    K.HasMarker = true;
    I += 2;
    while (I < Line.size() && isBlank(Line[I]))
      ++I;
  }
  if (I >= Line.size() || Line[I] == '#' || Line[I] == '{' || Line[I] == '[')
    return std::nullopt;
  K.KeyCol = I;
  size_t KeyEnd;
  if (Line[I] == '"' || Line[I] == '\'') {
    size_t Close = Line.find(Line[I], I + 1);
    if (Close == StringRef::npos)
      return std::nullopt;
    K.Key = Line.slice(I + 1, Close);
    KeyEnd = Close + 1;
    while (KeyEnd < Line.size() && isBlank(Line[KeyEnd]))
      ++KeyEnd;
    if (KeyEnd >= Line.size() || Line[KeyEnd] != ':')
      return std::nullopt;
  } else {
    KeyEnd = I;
    while (KeyEnd < Line.size() &&
           !(Line[KeyEnd] == ':' && (KeyEnd + 1 == Line.size() || isBlank(Line[KeyEnd + 1]))))
      ++KeyEnd;
    if (KeyEnd >= Line.size())
      return std::nullopt;
    K.Key = Line.slice(I, KeyEnd).rtrim(" \t");
    if (K.Key.empty() || K.Key.contains("{{"))
      return std::nullopt;
  }
  StringRef Rest = Line.substr(KeyEnd + 1).trim();
  if (Rest.startswith("#"))
    Rest = "";
  else if (size_t Hash = Rest.find(" #"); Hash != StringRef::npos && !Rest.contains("{{"))
    Rest = Rest.substr(0, Hash).rtrim(" \t");
  K.Rest = Rest;
  return K;
}

/// A literal scalar as YAML reads it (quotes removed); nullopt when the line's value is computed
/// by the template or is not a plain scalar.
std::optional<std::string> literalScalar(StringRef Rest) {
  if (Rest.empty() || Rest.contains("{{") || Rest.startswith("|") || Rest.startswith(">") ||
      Rest.startswith("[") || Rest.startswith("{") || Rest.startswith("&") ||
      Rest.startswith("*") || Rest.startswith("!"))
    return std::nullopt;
  if (Rest.size() >= 2 && (Rest.front() == '"' || Rest.front() == '\'') &&
      Rest.back() == Rest.front())
    return Rest.drop_front().drop_back().str();
  return Rest.str();
}

/// The go-template actions of a line, without their delimiters and trim markers.
std::vector<StringRef> actionsOf(StringRef Line) {
  std::vector<StringRef> Out;
  for (size_t Open = Line.find("{{"); Open != StringRef::npos; Open = Line.find("{{", Open)) {
    size_t Close = Line.find("}}", Open + 2);
    if (Close == StringRef::npos)
      break;
    StringRef A = Line.slice(Open + 2, Close);
    A = A.ltrim("-").rtrim("-").trim();
    if (!A.startswith("/*"))
      Out.push_back(A);
    Open = Close + 2;
  }
  return Out;
}

bool isIdentChar(char C) { return llvm::isAlnum(C) || C == '_'; }

/// A dotted field chain starting at Text[I] (after a `.`): `a.b.c`.
std::string fieldChain(StringRef Text, size_t I) {
  size_t E = I;
  while (E < Text.size() && (isIdentChar(Text[E]) ||
                             (Text[E] == '.' && E + 1 < Text.size() && isIdentChar(Text[E + 1]))))
    ++E;
  return Text.slice(I, E).str();
}

/// `.Values.a.b` / `$.Values.a.b` references in an action.
void valuesRefs(StringRef Action, std::vector<std::string> &Out) {
  for (size_t At = Action.find(".Values."); At != StringRef::npos;
       At = Action.find(".Values.", At + 1)) {
    if (At > 0 && isIdentChar(Action[At - 1]))
      continue; // `.Foo.Values.x` is some other object's field
    std::string Chain = fieldChain(Action, At + 8);
    if (!Chain.empty())
      Out.push_back(std::move(Chain));
  }
}

/// Fields of the dot (`.b`, and `.` alone as ""), for actions inside a `with .Values.a` block.
void dotRefs(StringRef Action, std::vector<std::string> &Out) {
  for (size_t I = 0; I < Action.size(); ++I) {
    if (Action[I] != '.')
      continue;
    char Before = I > 0 ? Action[I - 1] : ' ';
    if (isIdentChar(Before) || Before == '$' || Before == ')' || Before == '.' || Before == '"')
      continue;
    std::string Chain = fieldChain(Action, I + 1);
    StringRef Head = StringRef(Chain).split('.').first;
    if (Head == "Values" || Head == "Release" || Head == "Chart" || Head == "Capabilities" ||
        Head == "Template" || Head == "Files")
      continue;
    Out.push_back(Chain);
    I += Chain.size();
  }
}

/// The first `"quoted"` word after Keyword in an action (`include "x.name" .`).
std::optional<std::string> quotedArg(StringRef Action, StringRef Keyword) {
  size_t At = Action.find(Keyword);
  while (At != StringRef::npos) {
    bool WordStart = At == 0 || !isIdentChar(Action[At - 1]);
    StringRef Rest = Action.substr(At + Keyword.size());
    if (WordStart && !Rest.empty() && isBlank(Rest.front())) {
      Rest = Rest.ltrim();
      if (Rest.consume_front("\"")) {
        size_t Close = Rest.find('"');
        if (Close != StringRef::npos)
          return Rest.substr(0, Close).str();
      }
    }
    At = Action.find(Keyword, At + 1);
  }
  return std::nullopt;
}

/// Block actions that an `{{ end }}` closes.
bool opensBlock(StringRef Action) {
  for (StringRef K : {"if ", "with ", "range ", "define ", "block "})
    if (Action.startswith(K))
      return true;
  return false;
}

/// A template file split at column-0 `---` lines.
struct TemplateFile {
  std::unique_ptr<TextFile> Text;
  std::vector<std::pair<size_t, size_t>> Segments; ///< [first, last) line indexes
};

std::unique_ptr<TemplateFile> loadTemplate(const std::string &File) {
  std::optional<std::string> Content = readText(File);
  if (!Content)
    return nullptr;
  auto T = std::make_unique<TemplateFile>();
  T->Text = std::make_unique<TextFile>(std::move(*Content));
  size_t Begin = 0;
  const auto &Lines = T->Text->Lines;
  for (size_t I = 0; I < Lines.size(); ++I) {
    StringRef L = Lines[I];
    if (L.startswith("---") && (L.size() == 3 || isBlank(L[3]))) {
      T->Segments.push_back({Begin, I});
      Begin = I + 1;
    }
  }
  T->Segments.push_back({Begin, Lines.size()});
  return T;
}

/// The values of the column-0 `kind:` keys of a segment (an `if`/`else` may write several).
std::vector<StringRef> kindsOf(const TextFile &T, std::pair<size_t, size_t> Seg) {
  std::vector<StringRef> Kinds;
  for (size_t I = Seg.first; I < Seg.second; ++I) {
    std::optional<KeyLine> K = parseKeyLine(T.Lines[I]);
    if (K && K->Indent == 0 && !K->HasMarker && K->Key == "kind")
      Kinds.push_back(K->Rest);
  }
  return Kinds;
}

/// Appends what an action renders to Pieces (known text, with a wildcard between pieces): a
/// `printf "FMT" ...` renders FMT's text around its verbs (`-%s-proxier`), any other action
/// renders to anything.
void addActionPieces(StringRef Action, std::vector<std::string> &Pieces) {
  Action = Action.trim(" -");
  if (!Action.consume_front("printf ") || !Action.ltrim().startswith("\"")) {
    Pieces.emplace_back();
    return;
  }
  Action = Action.ltrim().drop_front();
  size_t End = Action.find('"');
  if (End == StringRef::npos) {
    Pieces.emplace_back();
    return;
  }
  StringRef Format = Action.take_front(End);
  for (size_t I = 0; I < Format.size(); ++I) {
    if (Format[I] != '%' || I + 1 == Format.size()) {
      Pieces.back() += Format[I];
    } else if (Format[++I] == '%') {
      Pieces.back() += '%';
    } else {
      Pieces.emplace_back(); // a verb: its argument renders to anything
    }
  }
}

/// Whether Rendered can be what a value written as Pattern (literal text around `{{ }}`
/// actions) renders to, the literal pieces in order and anchored at both ends: the number of
/// literal characters that matched (the strength of the evidence), or nullopt.
std::optional<size_t> patternMatches(StringRef Pattern, StringRef Rendered) {
  if (Pattern.size() >= 2 && (Pattern.front() == '"' || Pattern.front() == '\'') &&
      Pattern.back() == Pattern.front())
    Pattern = Pattern.drop_front().drop_back();
  std::vector<std::string> Pieces(1);
  StringRef Rest = Pattern;
  for (size_t Open = Rest.find("{{"); Open != StringRef::npos; Open = Rest.find("{{")) {
    size_t Close = Rest.find("}}", Open);
    if (Close == StringRef::npos)
      return 0; // not a template we can read: it may render to anything
    Pieces.back() += Rest.substr(0, Open).str();
    addActionPieces(Rest.slice(Open + 2, Close), Pieces);
    Rest = Rest.substr(Close + 2);
  }
  Pieces.back() += Rest.str();
  if (Pieces.size() == 1)
    return Pieces.front() == Rendered ? std::optional<size_t>(Rendered.size()) : std::nullopt;
  size_t Matched = Pieces.front().size() + Pieces.back().size();
  if (!Rendered.consume_front(Pieces.front()) || !Rendered.consume_back(Pieces.back()))
    return std::nullopt;
  for (size_t I = 1; I + 1 < Pieces.size(); ++I) {
    size_t At = Rendered.find(Pieces[I]);
    if (At == StringRef::npos)
      return std::nullopt;
    Rendered = Rendered.substr(At + Pieces[I].size());
    Matched += Pieces[I].size();
  }
  return Matched;
}

/// Whether the segment's `metadata.name` can render to Name, with the literal characters that
/// matched (0 when it writes none, or only actions).
std::optional<size_t> nameCanMatch(const TextFile &T, std::pair<size_t, size_t> Seg,
                                   StringRef Name) {
  bool InMetadata = false;
  for (size_t I = Seg.first; I < Seg.second; ++I) {
    if (isStructureFree(T.Lines[I]))
      continue;
    std::optional<KeyLine> K = parseKeyLine(T.Lines[I]);
    if (K && K->Indent == 0) {
      InMetadata = K->Key == "metadata";
      continue;
    }
    if (InMetadata && K && K->Key == "name" && !K->HasMarker && K->Indent == 2)
      return patternMatches(K->Rest, Name);
  }
  return 0;
}

/// The segment of T that renders an object of Kind named Name, when exactly one can.
std::optional<std::pair<size_t, size_t>> findSegment(const TemplateFile &File, StringRef Kind,
                                                     StringRef Name) {
  const TextFile &T = *File.Text;
  std::vector<std::pair<size_t, size_t>> Literal, Computed;
  for (auto Seg : File.Segments) {
    std::vector<StringRef> Kinds = kindsOf(T, Seg);
    bool Equal = false, Unknown = false;
    for (StringRef K : Kinds) {
      std::optional<std::string> Lit = literalScalar(K);
      Equal |= Lit && *Lit == Kind;
      Unknown |= !Lit;
    }
    if (Kinds.empty())
      for (size_t I = Seg.first; I < Seg.second && !Unknown; ++I)
        Unknown = !isStructureFree(T.Lines[I]); // the whole object may come from an include
    if (Equal)
      Literal.push_back(Seg);
    else if (Unknown)
      Computed.push_back(Seg);
  }
  if (Literal.size() == 1)
    return Literal.front();
  // Several documents of that kind (or none written literally): their names must tell. A name
  // whose literal text matched beats one that is all actions (`{{ include "x.fullname" . }}`);
  // a tie is no answer.
  const auto &Candidates = Literal.empty() ? Computed : Literal;
  std::optional<std::pair<size_t, size_t>> Found;
  size_t Best = 0;
  bool Tie = false;
  for (auto Seg : Candidates) {
    std::optional<size_t> Evidence = nameCanMatch(T, Seg, Name);
    if (!Evidence)
      continue;
    if (!Found || *Evidence > Best) {
      Found = Seg;
      Best = *Evidence;
      Tie = false;
    } else if (*Evidence == Best) {
      Tie = true;
    }
  }
  return Tie ? std::nullopt : Found;
}

/// The object's first line in a segment: `apiVersion:`, else `kind:`, else its first YAML line.
size_t objectLine(const TextFile &T, std::pair<size_t, size_t> Seg) {
  std::optional<size_t> Kind, First;
  for (size_t I = Seg.first; I < Seg.second; ++I) {
    std::optional<KeyLine> K = parseKeyLine(T.Lines[I]);
    if (K && K->Indent == 0 && !K->HasMarker && K->Key == "apiVersion")
      return I;
    if (K && K->Indent == 0 && !K->HasMarker && K->Key == "kind" && !Kind)
      Kind = I;
    if (!First && !isStructureFree(T.Lines[I]))
      First = I;
  }
  return Kind ? *Kind : First ? *First : Seg.first;
}

/// The chain of parent keys of the key on line Index (root first), or nullopt when the lines
/// above do not show it (a parent written by an include, say).
std::optional<std::vector<StringRef>> parentKeys(const TextFile &T, size_t SegBegin, size_t Index,
                                                 const KeyLine &Key) {
  std::vector<StringRef> Chain;
  size_t Threshold = Key.Indent;
  // After a sequence item, the sequence's key may sit at the item marker's own column.
  bool ItemParent = Key.HasMarker;
  if (Threshold == 0 && !ItemParent)
    return Chain;
  for (size_t I = Index; I-- > SegBegin;) {
    StringRef Line = T.Lines[I];
    if (isStructureFree(Line))
      continue;
    std::optional<KeyLine> K = parseKeyLine(Line);
    size_t Indent = Line.size() - Line.ltrim(" \t").size();
    if (Indent > Threshold || (Indent == Threshold && !ItemParent))
      continue;
    if (Indent == Threshold && ItemParent) {
      if (Line.ltrim().startswith("- ") || Line.ltrim() == "-")
        continue; // a sibling item of the same sequence
      if (!K || !K->Rest.empty())
        return std::nullopt;
      Chain.push_back(K->Key);
      Threshold = K->Indent;
      ItemParent = false;
    } else {
      if (!K)
        return std::nullopt;
      if (K->HasMarker && K->KeyCol >= Threshold) {
        // `- first: x` above `  second: y`: both keys of one item, whose parent is the sequence.
        Threshold = K->Indent;
        ItemParent = true;
        continue;
      }
      if (!K->Rest.empty() && !K->Rest.startswith("#"))
        return std::nullopt; // a scalar-valued key cannot hold ours
      Chain.push_back(K->Key);
      Threshold = K->Indent;
      ItemParent = K->HasMarker;
    }
    if (Threshold == 0 && !ItemParent) {
      std::reverse(Chain.begin(), Chain.end());
      return Chain;
    }
  }
  return std::nullopt;
}

/// A line that may have written a key: (line index, byte column of the key).
using KeyCandidate = std::pair<size_t, size_t>;

/// Adds the lines of [Begin, End) that may have written Key (see the file comment) to Out. The
/// lines render Offset columns further right than written, below the parent keys Prefix.
void findKeyLines(const TextFile &T, size_t Begin, size_t End, const LocatedKey &Key,
                  unsigned Offset, const std::vector<StringRef> &Prefix,
                  std::vector<KeyCandidate> &Out) {
  std::vector<StringRef> Segments = keySegments(Key.Path);
  if (Segments.empty())
    return;
  StringRef Name = Segments.back();
  std::vector<StringRef> Parents(Segments.begin(), Segments.end() - 1);
  for (size_t I = Begin; I < End; ++I) {
    std::optional<KeyLine> K = parseKeyLine(T.Lines[I]);
    if (!K || K->Key != Name)
      continue;
    if (Key.AtKey && T.pos(I, K->KeyCol).Column + Offset != Key.Begin.Column)
      continue; // literal lines render at their own indentation
    if (std::optional<std::string> Lit = literalScalar(K->Rest))
      if (!sameValue(Key, *Lit))
        continue;
    if (std::optional<std::vector<StringRef>> Chain = parentKeys(T, Begin, I, *K)) {
      Chain->insert(Chain->begin(), Prefix.begin(), Prefix.end());
      if (*Chain != Parents)
        continue;
    }
    Out.push_back({I, K->KeyCol});
  }
}

/// `{{ include "name" . | nindent N }}` (or `template`) on a line of its own: the name and N.
std::optional<std::pair<std::string, unsigned>> includeWithIndent(StringRef Line) {
  if (!isStructureFree(Line) || Line.trim().startswith("#"))
    return std::nullopt;
  std::vector<StringRef> Actions = actionsOf(Line);
  if (Actions.size() != 1)
    return std::nullopt;
  StringRef A = Actions.front();
  std::optional<std::string> Name = quotedArg(A, "include");
  if (!Name)
    Name = quotedArg(A, "template");
  size_t At = A.find("nindent ");
  unsigned N;
  if (!Name || At == StringRef::npos || A.substr(At + 8).trim().getAsInteger(10, N))
    return std::nullopt;
  return std::make_pair(*Name, N);
}

//===----------------------------------------------------------------------===//
// Helm charts
//===----------------------------------------------------------------------===//

/// A chart of a chart tree (the rendered chart and its subcharts).
struct ChartNode {
  std::string Dir; ///< empty for a packaged subchart
  /// Names or aliases of the parents' subchart entries from the root down (values prefixes).
  std::vector<std::string> ValuesPrefix;
  /// Subcharts by the name `# Source:` uses (chart name or alias).
  std::map<std::string, size_t> Children;
  /// Where a packaged subchart is declared: the parent's Chart.yaml and the dependency line.
  std::string DeclaredIn;
  SourcePos DeclaredAt{1, 1};
};

/// Where a `{{ define "name" }}` body is: its file and the lines of `define` and `end`.
struct DefineLoc {
  std::string File;
  size_t Begin = 0, End = 0;
};

struct HelmChart {
  HelmChartSource Source;
  std::vector<ChartNode> Nodes; ///< [0] is the rendered chart
  /// `define` bodies of every chart of the tree (helm shares them), read on first use.
  mutable std::optional<std::map<std::string, DefineLoc>> Defines;
};

/// The dependency entries of a Chart.yaml: (name, alias, position of the entry).
struct Dependency {
  std::string Name, Alias;
  SourcePos Pos;
};

struct ChartYaml {
  std::string Name;
  std::vector<Dependency> Dependencies;
};

std::optional<ChartYaml> readChartYaml(const std::string &Dir) {
  std::optional<std::string> Text = readText(joinPath(Dir, "Chart.yaml"));
  if (!Text)
    return std::nullopt;
  TextFile File(std::move(*Text));
  std::vector<YamlDoc> Docs = flattenYaml(File);
  if (Docs.empty())
    return std::nullopt;
  ChartYaml C;
  C.Name = Docs[0].scalar("name");
  for (unsigned I = 0;; ++I) {
    std::string Entry = "dependencies." + std::to_string(I);
    const YamlEntry *E = Docs[0].find(Entry);
    if (!E)
      break;
    C.Dependencies.push_back(
        {Docs[0].scalar(Entry + ".name"), Docs[0].scalar(Entry + ".alias"), E->Pos});
  }
  return C;
}

/// Adds the subcharts of node Index to Chart.Nodes, recursively: the names `# Source:` uses for
/// them (Chart.yaml names, dependency aliases) and their directories under charts/.
void buildChartTree(HelmChart &Chart, size_t Index, unsigned Depth) {
  std::string Dir = Chart.Nodes[Index].Dir;
  std::optional<ChartYaml> Yaml = readChartYaml(Dir);
  if (!Yaml || Depth > MaxTreeDepth)
    return;
  std::error_code EC;
  std::vector<std::pair<std::string, std::string>> SubDirs; // chart name, directory
  for (fs::directory_iterator It(joinPath(Dir, "charts"), EC), End; It != End && !EC;
       It.increment(EC)) {
    std::optional<ChartYaml> Sub = readChartYaml(It->path());
    if (Sub && !Sub->Name.empty())
      SubDirs.push_back({Sub->Name, It->path()});
  }
  std::sort(SubDirs.begin(), SubDirs.end());
  auto AddChild = [&](const std::string &SourceName, const std::string &SubDir,
                      const Dependency *Declared) {
    if (Chart.Nodes[Index].Children.count(SourceName))
      return;
    ChartNode Node;
    Node.Dir = SubDir;
    Node.ValuesPrefix = Chart.Nodes[Index].ValuesPrefix;
    Node.ValuesPrefix.push_back(SourceName);
    if (Declared) {
      Node.DeclaredIn = joinPath(Dir, "Chart.yaml");
      Node.DeclaredAt = Declared->Pos;
    }
    Chart.Nodes.push_back(std::move(Node));
    size_t Child = Chart.Nodes.size() - 1;
    Chart.Nodes[Index].Children[SourceName] = Child;
    if (!SubDir.empty())
      buildChartTree(Chart, Child, Depth + 1);
  };
  for (const Dependency &D : Yaml->Dependencies) {
    std::string SourceName = D.Alias.empty() ? D.Name : D.Alias;
    auto It = std::find_if(SubDirs.begin(), SubDirs.end(),
                           [&](const auto &S) { return S.first == D.Name; });
    // A dependency without a directory is a packaged .tgz (or not fetched): no files to show.
    AddChild(SourceName, It == SubDirs.end() ? std::string() : It->second, &D);
  }
  for (const auto &[Name, SubDir] : SubDirs)
    AddChild(Name, SubDir, nullptr);
}

/// Finds the `{{ define "name" }}` bodies of the template files of Dir (recursively).
void collectDefines(const std::string &Dir, std::map<std::string, DefineLoc> &Out) {
  std::error_code EC;
  for (fs::recursive_directory_iterator It(joinPath(Dir, "templates"), EC), End; It != End && !EC;
       It.increment(EC)) {
    StringRef P = It->path();
    if (!P.endswith(".tpl") && !P.endswith(".yaml") && !P.endswith(".yml"))
      continue;
    std::optional<std::string> Text = readText(P.str());
    if (!Text || !StringRef(*Text).contains("define"))
      continue;
    TextFile File(std::move(*Text));
    std::optional<std::string> Current;
    size_t Begin = 0;
    int Depth = 0;
    for (size_t I = 0; I < File.Lines.size(); ++I) {
      for (StringRef A : actionsOf(File.Lines[I])) {
        if (!Current) {
          if (std::optional<std::string> Name = quotedArg(A, "define")) {
            Current = *Name;
            Begin = I;
            Depth = 0;
          }
          continue;
        }
        if (opensBlock(A))
          ++Depth;
        else if (A == "end" && Depth-- == 0) {
          Out.emplace(*Current, DefineLoc{P.str(), Begin, I});
          Current.reset();
        }
      }
    }
  }
}

//===----------------------------------------------------------------------===//
// Kustomize trees and patches
//===----------------------------------------------------------------------===//

/// A patch of a kustomization, with the objects it targets.
struct KustomizePatch {
  std::string File; ///< the patch file, or the kustomization for an inline patch
  std::optional<std::string> InlineText;
  SourcePos InlinePos; ///< the inline patch's key in the kustomization
  bool HasTarget = false;
  std::string TargetKind, TargetName;
  bool TargetBySelector = false;
};

/// One kustomization of the tree under the built overlay.
struct Kustomization {
  std::vector<size_t> Children;           ///< kustomizations it includes
  std::vector<std::string> ResourceFiles; ///< absolute paths
  std::vector<KustomizePatch> Patches;
};

struct KustomizeTree {
  KustomizeSource Source;
  std::vector<Kustomization> Nodes; ///< [0] is the overlay
  /// Absolute resource files each kustomization reaches through its children.
  std::vector<std::set<std::string>> Reachable;
};

std::optional<std::string> kustomizationFile(const std::string &Dir) {
  for (const char *Name : {"kustomization.yaml", "kustomization.yml", "Kustomization"}) {
    std::string F = joinPath(Dir, Name);
    if (fs::is_regular_file(F))
      return F;
  }
  return std::nullopt;
}

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

/// Fills Tree.Reachable for every node (the tree may share nodes; cycles are cut).
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

/// Where in Patch the key Path of an object (Kind, names it may be known by) is set, if the
/// patch certainly targets the object and sets that key.
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

/// The generator list of a kustomization that makes objects of a `configuredBy` kind.
StringRef generatorList(StringRef ConfiguredByKind) {
  if (ConfiguredByKind == "ConfigMapGenerator")
    return "configMapGenerator";
  if (ConfiguredByKind == "SecretGenerator")
    return "secretGenerator";
  if (ConfiguredByKind == "HelmChartInflationGenerator")
    return "helmCharts";
  return "";
}

} // namespace

//===----------------------------------------------------------------------===//
// SourceMap
//===----------------------------------------------------------------------===//

/// An object of a rendered stream, with the keys the model located in it.
struct RenderedObject {
  const Object *Obj;
  unsigned FirstLine;
  /// Filled on the first finding about the object: most objects have none, and keeping every
  /// object's keys cost more memory than the model itself.
  mutable std::optional<std::vector<LocatedKey>> Keys;

  const std::vector<LocatedKey> &keys() const {
    if (!Keys)
      Keys = locatedKeys(*Obj);
    return *Keys;
  }
};

/// The template line a key was written on.
struct TemplateLine {
  std::string Path;
  const TemplateFile *File;
  size_t Index;
  size_t KeyCol;
};

struct SourceMap::Impl {
  FileTable &Files;
  std::map<std::string, HelmChart> Charts;       ///< by target
  std::map<std::string, KustomizeTree> Overlays; ///< by target
  std::map<FileId, std::vector<RenderedObject>> Streams;
  // Caches of files read while mapping (the driver maps on one thread).
  mutable std::map<std::string, std::unique_ptr<TemplateFile>> Templates;
  mutable std::map<std::string, std::unique_ptr<YamlFile>> YamlFiles;

  explicit Impl(FileTable &Files) : Files(Files) {}

  const RenderedObject *objectAt(SourceRange R) const;
  const TemplateFile *templateFile(const std::string &File) const;
  const YamlFile *yamlFile(const std::string &File) const;
  SourceRange fileStart(const std::string &File) const;
  SourceRange at(const std::string &File, SourcePos Pos) const;

  const DefineLoc *define(const HelmChart &Chart, const std::string &Name) const;
  std::optional<TemplateLine> keyLine(const HelmChart &Chart, const std::string &Path,
                                      const TemplateFile &T, std::pair<size_t, size_t> Seg,
                                      const LocatedKey &Key) const;
  std::optional<Mapped> mapHelm(const RenderedObject &RO, const LocatedKey *Key,
                                SourceRange Rendered, const HelmChart &Chart) const;
  std::vector<std::pair<SourceRange, std::string>> valuesNotes(const HelmChart &Chart,
                                                               const ChartNode &Node,
                                                               const TemplateFile &T,
                                                               size_t Line) const;
  std::optional<std::pair<std::string, SourcePos>>
  findValue(const HelmChart &Chart, const ChartNode &Node, const std::string &Key) const;
  std::optional<Mapped> mapKustomize(const RenderedObject &RO, const LocatedKey *Key,
                                     const KustomizeTree &Tree) const;
  void patchNotes(const KustomizeTree &Tree, const std::string &OriginFile,
                  const RenderedObject &RO, const std::string &SourceName,
                  const std::string &KeyPath, Mapped &Out) const;
};

SourceMap::SourceMap(FileTable &Files) : P(std::make_unique<Impl>(Files)) {}
SourceMap::~SourceMap() = default;

void SourceMap::addHelmChart(HelmChartSource Chart) {
  HelmChart C;
  C.Nodes.emplace_back();
  if (fs::is_directory(Chart.ChartDir))
    C.Nodes[0].Dir = Chart.ChartDir;
  else
    C.Nodes[0].DeclaredIn = Chart.ChartDir; // a packaged chart: the archive is all there is
  C.Source = std::move(Chart);
  if (!C.Nodes[0].Dir.empty())
    buildChartTree(C, 0, 0);
  std::string Target = C.Source.Target;
  P->Charts.insert_or_assign(Target, std::move(C));
}

void SourceMap::addKustomize(KustomizeSource Overlay) {
  KustomizeTree Tree;
  std::map<std::string, size_t> Seen;
  buildKustomizeTree(Tree, Overlay.OverlayDir, Seen, 0);
  Tree.Reachable.resize(Tree.Nodes.size());
  std::vector<int> State(Tree.Nodes.size(), 0);
  for (size_t I = 0; I < Tree.Nodes.size(); ++I)
    reachable(Tree, I, State);
  Tree.Source = std::move(Overlay);
  std::string Target = Tree.Source.Target;
  P->Overlays.insert_or_assign(Target, std::move(Tree));
}

void SourceMap::addObjects(const std::deque<Object> &Objects) {
  for (const Object &O : Objects) {
    if (!O.Range.isValid())
      continue;
    bool Rendered =
        !O.HelmSource.empty() || P->Charts.count(O.Target) || P->Overlays.count(O.Target);
    if (!Rendered)
      continue;
    P->Streams[O.Range.File].push_back({&O, O.DocumentFirstLine, std::nullopt});
  }
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

const TemplateFile *SourceMap::Impl::templateFile(const std::string &File) const {
  auto It = Templates.find(File);
  if (It == Templates.end())
    It = Templates.emplace(File, loadTemplate(File)).first;
  return It->second.get();
}

const YamlFile *SourceMap::Impl::yamlFile(const std::string &File) const {
  auto It = YamlFiles.find(File);
  if (It == YamlFiles.end()) {
    std::unique_ptr<YamlFile> Y;
    if (std::optional<std::string> Text = readText(File)) {
      Y = std::make_unique<YamlFile>();
      Y->Text = std::make_unique<TextFile>(std::move(*Text));
      Y->Docs = flattenYaml(*Y->Text);
    }
    It = YamlFiles.emplace(File, std::move(Y)).first;
  }
  return It->second.get();
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

  // The key the range starts at: one the model located, else the finding's own key path.
  const LocatedKey *Key = nullptr;
  LocatedKey Hint;
  for (const LocatedKey &K : RO->keys())
    if (K.Begin == Rendered.Begin && (!Key || (K.AtKey && !Key->AtKey)))
      Key = &K;
  bool AtObject = Rendered.Begin == RO->Obj->Range.Begin;
  if (!Key && !AtObject && !KeyPath.empty()) {
    // Rules write list indexes as `rules[2]`; the map's paths say `rules.2`.
    std::string Path;
    for (char C : KeyPath)
      if (C == '[')
        Path += '.';
      else if (C != ']')
        Path += C;
    Hint = {Rendered.Begin, std::move(Path), false, std::nullopt, false};
    Key = &Hint;
  }
  if (Chart != P->Charts.end())
    return P->mapHelm(*RO, Key, Rendered, Chart->second);
  return P->mapKustomize(*RO, Key, Overlay->second);
}

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

  // `<chart>/charts/<sub>/.../templates/<file>`: follow the subchart names from the root.
  llvm::SmallVector<StringRef, 8> Parts;
  StringRef(RO.Obj->HelmSource).split(Parts, '/');
  const ChartNode *Node = &Root;
  size_t I = 1;
  while (I + 1 < Parts.size() && Parts[I] == "charts") {
    auto It = Node->Children.find(Parts[I + 1].str());
    if (It == Node->Children.end())
      break;
    Node = &Chart.Nodes[It->second];
    I += 2;
  }
  if (Node->Dir.empty()) {
    // A packaged (sub)chart: its templates are no file of the repository.
    if (!Node->DeclaredIn.empty())
      Out.Range = at(Node->DeclaredIn, Node->DeclaredAt);
  } else if (I < Parts.size()) {
    std::string Rest;
    for (size_t J = I; J < Parts.size(); ++J)
      Rest += (J == I ? "" : "/") + Parts[J].str();
    std::string File = joinPath(Node->Dir, Rest);
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

  // The key by path: the exact node, or with `*` for list indexes the model does not know.
  const YamlEntry *Found = nullptr;
  if (!StringRef(Key->Path).contains('*')) {
    Found = Doc->find(Key->Path);
  } else {
    std::vector<StringRef> Want = keySegments(Key->Path);
    for (const auto &[P, E] : Doc->Entries) {
      if (keySegments(P) != Want || P.size() < Want.back().size())
        continue;
      llvm::SmallVector<StringRef, 12> A, B;
      StringRef(P).split(A, '.');
      StringRef(Key->Path).split(B, '.');
      bool Same = A.size() == B.size();
      for (size_t I = 0; Same && I < A.size(); ++I)
        Same = B[I] == "*" || A[I] == B[I];
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
  if (Found && (!Found->Scalar || sameValue(*Key, *Found->Scalar)))
    Out.Range = at(File, Found->Pos);
  patchNotes(Tree, absolutePath(File), RO, Doc->scalar("metadata.name"), Key->Path, Out);
  return Out;
}

void SourceMap::Impl::patchNotes(const KustomizeTree &Tree, const std::string &OriginFile,
                                 const RenderedObject &RO, const std::string &SourceName,
                                 const std::string &KeyPath, Mapped &Out) const {
  if (StringRef(KeyPath).contains('*'))
    return; // which list entry a patch means is not certain
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

} // namespace saguard::model
