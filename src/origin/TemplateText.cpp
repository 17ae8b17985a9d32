//===- TemplateText.cpp - Go-template text: key lines, actions, `---` segments ----------------===//
#include "TemplateText.h"

#include "llvm/ADT/StringExtras.h"

#include <algorithm>

namespace saguard::origin {


namespace {

bool isBlank(char C) { return C == ' ' || C == '\t'; }

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

} // namespace

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

namespace {

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

bool isIdentChar(char C) { return llvm::isAlnum(C) || C == '_'; }

/// The values of the column-0 `kind:` keys of a segment (an `if`/`else` may write several).
std::vector<StringRef> kindsOf(const TemplateFile &T, std::pair<size_t, size_t> Seg) {
  std::vector<StringRef> Kinds;
  for (size_t I = Seg.first; I < Seg.second; ++I) {
    const std::optional<KeyLine> &K = T.info()[I].Key;
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

} // namespace

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

namespace {

/// Whether the segment's `metadata.name` can render to Name, with the literal characters that
/// matched (0 when it writes none, or only actions).
std::optional<size_t> nameCanMatch(const TemplateFile &T, std::pair<size_t, size_t> Seg,
                                   StringRef Name) {
  bool InMetadata = false;
  for (size_t I = Seg.first; I < Seg.second; ++I) {
    if (T.info()[I].StructureFree)
      continue;
    const std::optional<KeyLine> &K = T.info()[I].Key;
    if (K && K->Indent == 0) {
      InMetadata = K->Key == "metadata";
      continue;
    }
    if (InMetadata && K && K->Key == "name" && !K->HasMarker && K->Indent == 2)
      return patternMatches(K->Rest, Name);
  }
  return 0;
}

} // namespace

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

std::string fieldChain(StringRef Text, size_t I) {
  size_t E = I;
  while (E < Text.size() && (isIdentChar(Text[E]) ||
                             (Text[E] == '.' && E + 1 < Text.size() && isIdentChar(Text[E + 1]))))
    ++E;
  return Text.slice(I, E).str();
}

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

bool opensBlock(StringRef Action) {
  for (StringRef K : {"if ", "with ", "range ", "define ", "block "})
    if (Action.startswith(K))
      return true;
  return false;
}

std::unique_ptr<TemplateFile> templateFromText(std::string Content) {
  auto T = std::make_unique<TemplateFile>();
  T->Text = std::make_unique<TextFile>(std::move(Content));
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

const std::vector<TemplateLineInfo> &TemplateFile::info() const {
  if (!Info) {
    Info.emplace();
    Info->reserve(Text->Lines.size());
    for (StringRef L : Text->Lines)
      Info->push_back({isStructureFree(L), parseKeyLine(L), includeLine(L)});
  }
  return *Info;
}

std::optional<std::pair<size_t, size_t>> findSegment(const TemplateFile &File, StringRef Kind,
                                                     StringRef Name, size_t Ordinal) {
  std::vector<std::pair<size_t, size_t>> Literal, Computed;
  for (auto Seg : File.Segments) {
    std::vector<StringRef> Kinds = kindsOf(File, Seg);
    bool Equal = false, Unknown = false;
    for (StringRef K : Kinds) {
      std::optional<std::string> Lit = literalScalar(K);
      Equal |= Lit && *Lit == Kind;
      Unknown |= !Lit;
    }
    if (Kinds.empty())
      for (size_t I = Seg.first; I < Seg.second && !Unknown; ++I)
        Unknown = !File.info()[I].StructureFree; // the whole object may come from an include
    if (Equal)
      Literal.push_back(Seg);
    else if (Unknown)
      Computed.push_back(Seg);
  }
  if (Literal.size() == 1)
    return Literal.front();
  // Several documents of that kind (or none written literally): their names must tell. A name
  // whose literal text matched beats one that is all actions (`{{ include "x.fullname" . }}`).
  const auto &Candidates = Literal.empty() ? Computed : Literal;
  std::vector<std::pair<size_t, size_t>> Best;
  size_t BestEvidence = 0;
  for (auto Seg : Candidates) {
    std::optional<size_t> Evidence = nameCanMatch(File, Seg, Name);
    if (!Evidence)
      continue;
    if (Best.empty() || *Evidence > BestEvidence) {
      Best = {Seg};
      BestEvidence = *Evidence;
    } else if (*Evidence == BestEvidence) {
      Best.push_back(Seg);
    }
  }
  if (Best.size() > 1 && Ordinal < Candidates.size() &&
      std::find(Best.begin(), Best.end(), Candidates[Ordinal]) != Best.end())
    return Candidates[Ordinal];
  if (!Best.empty())
    return Best.front();
  return std::nullopt;
}

size_t objectLine(const TemplateFile &T, std::pair<size_t, size_t> Seg) {
  std::optional<size_t> Kind, First;
  for (size_t I = Seg.first; I < Seg.second; ++I) {
    const std::optional<KeyLine> &K = T.info()[I].Key;
    if (K && K->Indent == 0 && !K->HasMarker && K->Key == "apiVersion")
      return I;
    if (K && K->Indent == 0 && !K->HasMarker && K->Key == "kind" && !Kind)
      Kind = I;
    if (!First && !T.info()[I].StructureFree)
      First = I;
  }
  return Kind ? *Kind : First ? *First : Seg.first;
}

std::optional<std::vector<StringRef>> parentKeys(const TemplateFile &T, size_t SegBegin,
                                                 size_t Index, const KeyLine &Key) {
  std::vector<StringRef> Chain;
  size_t Threshold = Key.Indent;
  // After a sequence item, the sequence's key may sit at the item marker's own column.
  bool ItemParent = Key.HasMarker;
  if (Threshold == 0 && !ItemParent)
    return Chain;
  for (size_t I = Index; I-- > SegBegin;) {
    StringRef Line = T.Text->Lines[I];
    if (T.info()[I].StructureFree)
      continue;
    const std::optional<KeyLine> &K = T.info()[I].Key;
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

void findKeyLines(const TemplateFile &T, size_t Begin, size_t End, const LocatedKey &Key,
                  unsigned Offset, const std::vector<StringRef> &Prefix,
                  std::vector<KeyCandidate> &Out) {
  std::vector<StringRef> Segments = keySegments(Key.Path);
  if (Segments.empty())
    return;
  StringRef Name = Segments.back();
  std::vector<StringRef> Parents(Segments.begin(), Segments.end() - 1);
  for (size_t I = Begin; I < End; ++I) {
    const std::optional<KeyLine> &K = T.info()[I].Key;
    if (!K || K->Key != Name)
      continue;
    if (Key.AtKey && T.Text->pos(I, K->KeyCol).Column + Offset != Key.Begin.Column)
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

std::optional<IncludeLine> includeLine(StringRef Line) {
  if (Line.trim().startswith("#"))
    return std::nullopt;
  IncludeLine Out;
  StringRef Actions = Line;
  if (!isStructureFree(Line)) {
    // `key: {{ include ... }}`: the value is the define's text, and nothing else.
    Out.Key = parseKeyLine(Line);
    if (!Out.Key || !Out.Key->Rest.startswith("{{") || !Out.Key->Rest.endswith("}}") ||
        !StringRef(withoutActions(Out.Key->Rest)).trim().empty())
      return std::nullopt;
    Actions = Out.Key->Rest;
  }
  std::vector<StringRef> List = actionsOf(Actions);
  if (List.size() != 1)
    return std::nullopt;
  StringRef A = List.front();
  std::optional<std::string> Name = quotedArg(A, "include");
  if (!Name)
    Name = quotedArg(A, "template");
  if (!Name)
    return std::nullopt;
  Out.Name = *Name;
  for (StringRef Word : {"nindent ", "indent "}) {
    size_t At = A.find(Word);
    if (At == StringRef::npos || (At > 0 && isIdentChar(A[At - 1])))
      continue;
    StringRef Count = A.substr(At + Word.size()).ltrim();
    Count = Count.take_while([](char C) { return llvm::isDigit(C); });
    if (Count.getAsInteger(10, Out.Indent))
      return std::nullopt;
    break;
  }
  return Out;
}

size_t bodyIndent(const TemplateFile &T, size_t Begin, size_t End) {
  for (size_t I = Begin; I < End && I < T.info().size(); ++I)
    if (!T.info()[I].StructureFree)
      return T.Text->Lines[I].size() - T.Text->Lines[I].ltrim(" \t").size();
  return 0;
}

std::optional<std::string> plainValuesRef(StringRef Rest) {
  if (Rest.size() >= 2 && (Rest.front() == '"' || Rest.front() == '\'') &&
      Rest.back() == Rest.front())
    Rest = Rest.drop_front().drop_back();
  if (!Rest.startswith("{{") || !Rest.endswith("}}") ||
      !StringRef(withoutActions(Rest)).trim().empty())
    return std::nullopt;
  std::vector<StringRef> Actions = actionsOf(Rest);
  if (Actions.size() != 1)
    return std::nullopt;
  auto [Head, Pipe] = Actions.front().split('|');
  Head = Head.trim();
  Pipe = Pipe.trim();
  if (!Pipe.empty() && Pipe != "quote" && Pipe != "toString" && Pipe != "toYaml")
    return std::nullopt;
  if (!Head.consume_front(".Values.") && !Head.consume_front("$.Values."))
    return std::nullopt;
  std::string Chain = fieldChain(Head, 0);
  if (Chain.size() != Head.size())
    return std::nullopt;
  return Chain;
}

} // namespace saguard::origin
