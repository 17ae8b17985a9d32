//===- StableNames.cpp - names fingerprints can use when a render draws them ----------------===//
//
// `name: {{ .Release.Name }}-test-{{ randAlphaNum 5 }}` gives an object a new name on every
// render, and a fingerprint that hashed it would open a new alert on every push. Such objects
// are called by their ordinal among the objects of their source file and kind instead, which
// the same chart with the same values renders the same way.
//
//===----------------------------------------------------------------------------------------===//
#include "SourceMapImpl.h"

#include "saguard/model/Origin.h"

#include "llvm/ADT/StringSwitch.h"

#include <set>
#include <tuple>

namespace saguard::origin {

namespace {

/// Template functions whose result differs between two renders of the same input: random
/// text, the clock, and hashes of content (which change whenever the content does).
bool drawsAnew(StringRef Function) {
  return llvm::StringSwitch<bool>(Function)
      .Cases("randAlphaNum", "randAlpha", "randNumeric", "randAscii", "randInt", "randBytes", true)
      .Cases("uuidv4", "shuffle", "now", "date", "dateInZone", "htmlDate", "htmlDateInZone", true)
      .Cases("unixEpoch", "dateModify", "ago", true)
      .Cases("sha256sum", "sha1sum", "sha512sum", "adler32sum", true)
      .Cases("genPrivateKey", "genCA", "genSelfSignedCert", "genSignedCert", true)
      .Default(false);
}

bool isIdentChar(char C) { return llvm::isAlnum(C) || C == '_'; }

/// Whether an action calls a function that draws anew.
bool actionDraws(StringRef Action) {
  for (size_t I = 0; I < Action.size();) {
    if (!isIdentChar(Action[I])) {
      ++I;
      continue;
    }
    size_t E = I;
    while (E < Action.size() && isIdentChar(Action[E]))
      ++E;
    // `.now` is a field, `"now"` a string: only a bare word is a call.
    bool Field = I > 0 && (Action[I - 1] == '.' || Action[I - 1] == '"' || Action[I - 1] == '$');
    if (!Field && drawsAnew(Action.slice(I, E)))
      return true;
    I = E;
  }
  return false;
}

/// Whether line I of Lines sets `metadata.name` (a `name:` key right under `metadata:`, template
/// actions and comments between them aside): a container's name names no object.
bool isObjectNameLine(const std::vector<StringRef> &Lines, size_t I) {
  StringRef Content = Lines[I].ltrim(" ");
  if (!Content.startswith("name:"))
    return false;
  size_t Indent = Lines[I].size() - Content.size();
  for (size_t J = I; J-- > 0;) {
    StringRef Above = Lines[J].ltrim(" ");
    if (Above.empty() || Above.startswith("#") || Above.startswith("{{"))
      continue;
    if (Lines[J].size() - Above.size() < Indent)
      return Above.rtrim(" \t") == "metadata:";
  }
  return false;
}

/// Name without the `-<hash>` kustomize appends to a generated ConfigMap or Secret, if it
/// ends in one.
std::optional<StringRef> withoutKustomizeHash(StringRef Name) {
  constexpr size_t HashLength = 10;
  if (Name.size() <= HashLength + 1 || Name[Name.size() - HashLength - 1] != '-')
    return std::nullopt;
  StringRef Hash = Name.take_back(HashLength);
  if (!llvm::all_of(Hash, [](char C) { return llvm::isDigit(C) || (C >= 'a' && C <= 'z'); }))
    return std::nullopt;
  return Name.drop_back(HashLength + 1);
}

/// Whether kustomize generated O (a ConfigMap or Secret generator names it with a hash).
bool generatedByKustomize(const model::Object &O) {
  std::string Annotation = O.annotation(model::OriginAnnotationKey);
  if (Annotation.empty())
    return false;
  llvm::Expected<model::KustomizeOrigin> Origin = model::parseOriginAnnotation(Annotation);
  if (!Origin) {
    llvm::consumeError(Origin.takeError());
    return false;
  }
  return Origin->ConfiguredByKind == "ConfigMapGenerator" ||
         Origin->ConfiguredByKind == "SecretGenerator";
}

} // namespace

bool FileCache::drawsNames(const HelmChart &Chart, const TemplateFile &File, size_t Begin,
                                 size_t End, std::set<std::string> &Seen) const {
  for (size_t I = Begin; I < End && I < File.Text->Lines.size(); ++I) {
    StringRef Line = File.Text->Lines[I];
    bool Name = isObjectNameLine(File.Text->Lines, I);
    for (StringRef Action : actionsOf(Line)) {
      if (Name && actionDraws(Action))
        return true;
      for (StringRef Call : {"include", "template"}) {
        std::optional<std::string> Helper = quotedArg(Action, Call);
        if (!Helper || !Seen.insert(*Helper + (Name ? " as a name" : "")).second)
          continue;
        // A helper's own `name:` lines, or a whole name the name line takes from it.
        const DefineLoc *Define = define(Chart, *Helper);
        const TemplateFile *T = Define ? templateFile(Define->File) : nullptr;
        if (!T)
          continue;
        if (Name) {
          for (size_t J = Define->Begin + 1; J < Define->End && J < T->Text->Lines.size(); ++J)
            for (StringRef Inner : actionsOf(T->Text->Lines[J]))
              if (actionDraws(Inner))
                return true;
        }
        if (drawsNames(Chart, *T, Define->Begin + 1, Define->End, Seen))
          return true;
      }
    }
  }
  return false;
}

std::map<const model::Object *, std::string> SourceMap::stableNames() const {
  std::map<const model::Object *, std::string> Out;
  // Per target, source file and kind: how many objects came before.
  std::map<std::tuple<std::string, std::string, std::string>, unsigned> Seen;
  std::map<std::pair<std::string, std::string>, bool> Draws; // by target and `# Source:`
  for (const auto &[Stream, Objects] : P->Streams)
    for (const RenderedObject &RO : Objects) {
      const model::Object &O = *RO.Obj;
      std::string Source = O.source();
      unsigned Ordinal = ++Seen[{O.Target, Source, O.Ref.Kind}];
      auto Chart = P->Charts.find(O.Target);
      if (Chart == P->Charts.end()) {
        // An overlay's generated ConfigMaps and Secrets: the generator's name is the literal.
        if (auto Literal = withoutKustomizeHash(O.Ref.Name); Literal && generatedByKustomize(O))
          Out[&O] = Literal->str();
        continue;
      }
      auto [It, New] = Draws.try_emplace({O.Target, Source}, false);
      if (New) {
        std::string File = sourceFile(Chart->second, Source).second;
        It->second = !File.empty() && P->templateDrawsNames(Chart->second, File);
      }
      if (It->second)
        Out[&O] = "#" + std::to_string(Ordinal);
    }
  return Out;
}

} // namespace saguard::origin
