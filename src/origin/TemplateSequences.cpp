//===- TemplateSequences.cpp - the items of a sequence in template text -----------------------===//
//
// A Role's `rules:` (or a binding's `subjects:`) in a template: its `- ` items, the literal
// scalars each writes (read with LLVM's YAML parser once actions are blanked out), and the
// values key a list rendered whole from values comes from.
//
#include "TemplateSequences.h"

#include "YamlIndex.h"

#include <algorithm>

namespace saguard::origin {

std::vector<std::pair<size_t, size_t>> sequenceItems(const TextFile &T, size_t KeyIndex) {
  std::vector<std::pair<size_t, size_t>> Items;
  std::optional<KeyLine> Key = parseKeyLine(T.Lines[KeyIndex]);
  if (!Key || !Key->Rest.empty())
    return Items;
  std::optional<size_t> MarkerIndent;
  size_t LastContent = KeyIndex;
  auto Close = [&] {
    if (!Items.empty())
      Items.back().second = LastContent + 1;
  };
  for (size_t I = KeyIndex + 1; I < T.Lines.size(); ++I) {
    StringRef Line = T.Lines[I];
    if (Line.startswith("---") || Line.contains("define \""))
      break;
    if (isStructureFree(Line))
      continue;
    size_t Indent = Line.size() - Line.ltrim(" \t").size();
    bool Marker = Line.ltrim().startswith("- ") || Line.ltrim() == "-";
    if (!MarkerIndent) {
      // The items sit below the key, or at its own column (`rules:` then `- apiGroups:`).
      if (!Marker || Indent < Key->Indent)
        break;
      MarkerIndent = Indent;
    }
    if (Indent < *MarkerIndent || (Indent == *MarkerIndent && !Marker))
      break;
    if (Indent == *MarkerIndent) {
      Close();
      Items.push_back({I, I + 1});
    }
    LastContent = I;
  }
  Close();
  return Items;
}

std::vector<std::string> sequenceValuesRefs(const TextFile &T, size_t KeyIndex) {
  std::vector<std::string> Refs;
  std::optional<KeyLine> Key = parseKeyLine(T.Lines[KeyIndex]);
  if (!Key)
    return Refs;
  for (StringRef A : actionsOf(Key->Rest))
    valuesRefs(A, Refs);
  for (size_t I = KeyIndex + 1; I < T.Lines.size() && isStructureFree(T.Lines[I]); ++I)
    for (StringRef A : actionsOf(T.Lines[I]))
      if (!opensBlock(A) && A != "end" && !A.startswith("else"))
        valuesRefs(A, Refs);
  std::sort(Refs.begin(), Refs.end());
  Refs.erase(std::unique(Refs.begin(), Refs.end()), Refs.end());
  return Refs;
}

std::vector<std::pair<std::string, std::string>> itemLiterals(const TextFile &T,
                                                             std::pair<size_t, size_t> Item) {
  // The item's lines as a YAML document of their own: the marker becomes indentation, template
  // lines go, and an action inside a value becomes a placeholder that no rendered value equals.
  static constexpr StringRef Placeholder = "\x1f";
  std::string Text;
  size_t Cut = T.Lines[Item.first].size() - T.Lines[Item.first].ltrim(" \t").size();
  for (size_t I = Item.first; I < Item.second; ++I) {
    StringRef Line = T.Lines[I];
    if (isStructureFree(Line))
      continue;
    std::string L = Line.str();
    if (I == Item.first)
      L[Cut] = ' ';
    L = L.size() > Cut ? L.substr(Cut) : std::string();
    std::string Plain;
    for (StringRef Rest = L; !Rest.empty();) {
      size_t Open = Rest.find("{{");
      size_t Close = Open == StringRef::npos ? StringRef::npos : Rest.find("}}", Open);
      if (Close == StringRef::npos) {
        Plain += Rest.str();
        break;
      }
      Plain += Rest.substr(0, Open).str() + Placeholder.str();
      Rest = Rest.substr(Close + 2);
    }
    Text += Plain + "\n";
  }
  TextFile File(std::move(Text));
  std::vector<std::pair<std::string, std::string>> Out;
  for (const YamlDoc &D : flattenYaml(File))
    for (const auto &[Path, E] : D.Entries) {
      if (!E.Scalar || StringRef(*E.Scalar).contains(Placeholder))
        continue;
      std::string Field;
      for (StringRef S : keySegments(Path))
        Field += (Field.empty() ? "" : ".") + S.str();
      if (!Field.empty())
        Out.push_back({std::move(Field), *E.Scalar});
    }
  return Out;
}

std::optional<size_t> keyInLines(const TextFile &T, size_t Begin, size_t End, StringRef Name) {
  for (size_t I = Begin; I < End; ++I)
    if (std::optional<KeyLine> K = parseKeyLine(T.Lines[I]); K && K->Key == Name)
      return I;
  return std::nullopt;
}

} // namespace saguard::origin
