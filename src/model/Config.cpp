//===- Config.cpp - the .saguard.yaml configuration file ------------------===//
#include "saguard/model/Config.h"

#include "saguard/model/PreScan.h"
#include "saguard/model/StrictInput.h"
#include "saguard/support/LineTable.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLParser.h"
#include "llvm/Support/YAMLTraits.h"

using saguard::SourcePos;
using saguard::model::ConfigString;

namespace {

/// What the traits need to turn a node into a position: the parser and the line table.
struct ConfigContext {
  llvm::yaml::Input *In = nullptr;
  llvm::StringRef Buffer;
  const saguard::LineTable *Lines = nullptr;
  /// Start of the scalar read last (a key's position is found from its value's).
  const char *LastScalar = nullptr;

  SourcePos posOf(const char *Ptr) const {
    if (!Ptr || Ptr < Buffer.begin() || Ptr > Buffer.end())
      return {};
    return Lines->position(static_cast<size_t>(Ptr - Buffer.begin()));
  }
  SourcePos currentPos() const {
    const llvm::yaml::Node *N = In ? In->getCurrentNode() : nullptr;
    return N ? posOf(N->getSourceRange().Start.getPointer()) : SourcePos{};
  }
};

/// The YAML shape of the file (llvm::Optional: LLVM 14's mapOptional knows no std::optional).
struct LevelsYAML {
  std::vector<std::pair<ConfigString, ConfigString>> Items;
};
struct IgnoreYAML {
  std::vector<ConfigString> Accounts, Objects;
};
struct HelmYAML {
  ConfigString Bin;
  std::vector<ConfigString> ValuesFiles, ValuesSets;
};
struct KustomizeYAML {
  ConfigString Bin;
};
struct ConfigYAML {
  std::vector<ConfigString> Disable, Enable;
  LevelsYAML Levels;
  IgnoreYAML Ignore;
  llvm::Optional<ConfigString> ClusterAutomountDefault, FailOn, RenderTimeout, Together;
  std::vector<ConfigString> Exclude;
  HelmYAML Helm;
  KustomizeYAML Kustomize;
};

/// The first error YAML I/O reports.
struct DiagState {
  const ConfigContext *Ctx = nullptr;
  std::string Message;
  SourcePos Pos;
  bool HasError = false;
};

void onDiagnostic(const llvm::SMDiagnostic &Diag, void *Context) {
  auto &State = *static_cast<DiagState *>(Context);
  if (Diag.getKind() != llvm::SourceMgr::DK_Error || State.HasError)
    return;
  State.HasError = true;
  llvm::StringRef Message = Diag.getMessage();
  // YAML I/O's words for a collection where a single value belongs are misleading.
  if (Message == "unexpected scalar")
    State.Message = "expected a single value, found a list or mapping";
  else if (Message == "not a sequence")
    State.Message = "expected a list, such as [SA001, SA002]";
  else
    State.Message = Message.str();
  State.Pos = State.Ctx->posOf(Diag.getLoc().getPointer());
}

} // namespace

LLVM_YAML_IS_SEQUENCE_VECTOR(ConfigString)

namespace llvm::yaml {

// A scalar keeps its position: ScalarTraits::input is called with the IO context while the
// scalar's node is current.
template <> struct ScalarTraits<ConfigString> {
  static void output(const ConfigString &V, void *, raw_ostream &OS) { OS << V.Value; }
  static StringRef input(StringRef Scalar, void *Ctx, ConfigString &V) {
    auto *C = static_cast<ConfigContext *>(Ctx);
    V.Value = Scalar.str();
    V.Pos = C->currentPos();
    const Node *N = C->In->getCurrentNode();
    C->LastScalar = N ? N->getSourceRange().Start.getPointer() : nullptr;
    return {};
  }
  static QuotingType mustQuote(StringRef) { return QuotingType::Single; }
};

template <> struct CustomMappingTraits<LevelsYAML> {
  static void inputOne(IO &IO, StringRef Key, LevelsYAML &Levels) {
    auto *Ctx = static_cast<ConfigContext *>(IO.getContext());
    Ctx->LastScalar = nullptr;
    ConfigString Level;
    IO.mapRequired(Key.str().c_str(), Level);
    // YAML I/O does not give a key's node; the key is the last occurrence of its text before
    // the value.
    ConfigString Rule{Key.str(), Level.Pos};
    if (const char *ValueStart = Ctx->LastScalar) {
      size_t ValueOffset = static_cast<size_t>(ValueStart - Ctx->Buffer.begin());
      size_t KeyOffset = Ctx->Buffer.substr(0, ValueOffset).rfind(Key);
      if (KeyOffset != StringRef::npos)
        Rule.Pos = Ctx->posOf(Ctx->Buffer.begin() + KeyOffset);
    }
    Levels.Items.emplace_back(std::move(Rule), std::move(Level));
  }
  static void output(IO &, LevelsYAML &) {}
};

template <> struct MappingTraits<IgnoreYAML> {
  static void mapping(IO &IO, IgnoreYAML &I) {
    IO.mapOptional("accounts", I.Accounts);
    IO.mapOptional("objects", I.Objects);
  }
};
template <> struct MappingTraits<HelmYAML> {
  static void mapping(IO &IO, HelmYAML &H) {
    IO.mapOptional("bin", H.Bin);
    IO.mapOptional("valuesFiles", H.ValuesFiles);
    IO.mapOptional("valuesSets", H.ValuesSets);
  }
};
template <> struct MappingTraits<KustomizeYAML> {
  static void mapping(IO &IO, KustomizeYAML &K) { IO.mapOptional("bin", K.Bin); }
};
template <> struct MappingTraits<ConfigYAML> {
  static void mapping(IO &IO, ConfigYAML &C) {
    IO.mapOptional("disable", C.Disable);
    IO.mapOptional("enable", C.Enable);
    IO.mapOptional("levels", C.Levels);
    IO.mapOptional("ignore", C.Ignore);
    IO.mapOptional("clusterAutomountDefault", C.ClusterAutomountDefault);
    IO.mapOptional("failOn", C.FailOn);
    IO.mapOptional("helm", C.Helm);
    IO.mapOptional("kustomize", C.Kustomize);
    IO.mapOptional("renderTimeout", C.RenderTimeout);
    IO.mapOptional("exclude", C.Exclude);
    IO.mapOptional("together", C.Together);
  }
};

} // namespace llvm::yaml

namespace saguard::model {
namespace {

constexpr size_t MaxConfigBytes = 1 << 20;

llvm::Error errorAt(llvm::StringRef Path, SourcePos Pos, const llvm::Twine &Message) {
  std::string Where = Path.str();
  if (Pos.isValid())
    Where += llvm::formatv(":{0}:{1}", Pos.Line, Pos.Column).str();
  return llvm::createStringError(std::errc::invalid_argument, "%s: %s", Where.c_str(),
                                 Message.str().c_str());
}

/// The line of a second document (`---` at column 0 after content), or 0. One `yaml::Input`
/// over several documents can hang on aliases (LLVM 14's Input re-reads them), so only one is
/// parsed.
unsigned secondDocumentLine(llvm::StringRef Text) {
  bool SawContent = false;
  unsigned Line = 0;
  while (!Text.empty()) {
    auto [L, Rest] = Text.split('\n');
    Text = Rest;
    ++Line;
    L = L.rtrim("\r");
    bool Marker = L.startswith("---") && (L.size() == 3 || L[3] == ' ' || L[3] == '\t');
    if (Marker && SawContent)
      return Line;
    llvm::StringRef Content = Marker ? L.drop_front(3).trim() : L.trim();
    if (!Content.empty() && !Content.startswith("#") && Content != "...")
      SawContent = true;
  }
  return 0;
}

bool segmentMatch(llvm::StringRef Pat, llvm::StringRef S) {
  // Iterative `*`/`?` matching with one backtrack point (the last `*`).
  size_t P = 0, I = 0, StarP = llvm::StringRef::npos, StarI = 0;
  while (I < S.size()) {
    if (P < Pat.size() && (Pat[P] == '?' || Pat[P] == S[I])) {
      ++P;
      ++I;
    } else if (P < Pat.size() && Pat[P] == '*') {
      StarP = P++;
      StarI = I;
    } else if (StarP != llvm::StringRef::npos) {
      P = StarP + 1;
      I = ++StarI;
    } else {
      return false;
    }
  }
  while (P < Pat.size() && Pat[P] == '*')
    ++P;
  return P == Pat.size();
}

bool segmentsMatch(llvm::ArrayRef<std::string> Pat, llvm::ArrayRef<llvm::StringRef> Name) {
  if (Pat.empty())
    return Name.empty();
  if (Pat.front() == "**") {
    for (size_t Skip = 0; Skip <= Name.size(); ++Skip)
      if (segmentsMatch(Pat.drop_front(), Name.drop_front(Skip)))
        return true;
    return false;
  }
  return !Name.empty() && segmentMatch(Pat.front(), Name.front()) &&
         segmentsMatch(Pat.drop_front(), Name.drop_front());
}

llvm::Error checkPatterns(const Config &C, const std::vector<ConfigString> &Patterns) {
  for (const ConfigString &P : Patterns)
    if (llvm::Expected<NameGlob> G = NameGlob::create(P.Value); !G)
      return errorAt(C.Path, P.Pos, llvm::toString(G.takeError()));
  return llvm::Error::success();
}

} // namespace

llvm::Expected<NameGlob> NameGlob::create(llvm::StringRef Pattern) {
  NameGlob G;
  G.Pattern = Pattern.str();
  if (Pattern.empty())
    return llvm::createStringError(std::errc::invalid_argument, "empty pattern");
  llvm::SmallVector<llvm::StringRef, 4> Parts;
  Pattern.split(Parts, '/');
  for (llvm::StringRef Part : Parts) {
    if (Part.empty())
      return llvm::createStringError(std::errc::invalid_argument,
                                     "pattern '%s' has an empty segment", G.Pattern.c_str());
    if (Part.contains("**") && Part != "**")
      return llvm::createStringError(std::errc::invalid_argument,
                                     "pattern '%s': '**' must be a whole segment",
                                     G.Pattern.c_str());
    G.Segments.push_back(Part.str());
  }
  return G;
}

bool NameGlob::match(llvm::StringRef Name) const {
  llvm::SmallVector<llvm::StringRef, 4> Parts;
  Name.split(Parts, '/');
  return segmentsMatch(Segments, Parts);
}

std::string configMessage(const Config &C, SourcePos Pos, llvm::StringRef Message) {
  return llvm::toString(errorAt(C.Path, Pos, Message));
}

llvm::Expected<Config> parseConfig(llvm::StringRef Text, llvm::StringRef Path) {
  if (Text.size() > MaxConfigBytes)
    return errorAt(Path, {},
                   llvm::formatv("config file of {0} bytes exceeds the limit of {1}", Text.size(),
                                 MaxConfigBytes));
  if (Text.startswith("\xEF\xBB\xBF"))
    Text = Text.drop_front(3);
  if (unsigned Line = secondDocumentLine(Text))
    return errorAt(Path, {Line, 1}, "a config file holds one YAML document");

  LineTable Lines(Text, 1);
  // The config comes with the repository, so it is as hostile as the manifests: bound its
  // nesting before the parser recurses, and refuse what strict decoding refuses.
  PreScanResult Scan = preScan(Text, LoadLimits{});
  if (Scan.Error)
    return errorAt(Path, Lines.position(Scan.ErrorOffset), *Scan.Error);
  if (!Scan.NeedsResolution)
    if (std::optional<ShapeError> E = checkDocument(Text, LoadLimits{}.MaxDepth))
      return errorAt(Path, Lines.position(E->Offset), E->Message);
  ConfigContext Ctx;
  Ctx.Buffer = Text;
  Ctx.Lines = &Lines;
  DiagState Diag;
  Diag.Ctx = &Ctx;
  ConfigYAML Raw;
  {
    llvm::yaml::Input In(Text, &Ctx, onDiagnostic, &Diag);
    Ctx.In = &In;
    // Unlike manifests, a config key saguard does not know is a mistake worth an error.
    In.setAllowUnknownKeys(false);
    In >> Raw;
    if (In.error() || Diag.HasError)
      return errorAt(Path, Diag.Pos,
                     Diag.Message.empty() ? "not a valid config file" : Diag.Message);
  }
  // On an empty document YAML I/O default-constructs Optional members it never read; a value
  // that was read has a position.
  for (llvm::Optional<ConfigString> *V :
       {&Raw.ClusterAutomountDefault, &Raw.FailOn, &Raw.RenderTimeout, &Raw.Together})
    if (*V && !(*V)->Pos.isValid())
      V->reset();

  Config C;
  C.Path = Path.str();
  C.Disable = std::move(Raw.Disable);
  C.Enable = std::move(Raw.Enable);
  for (auto &[Rule, Level] : Raw.Levels.Items) {
    if (Level.Value != "error" && Level.Value != "warning" && Level.Value != "note")
      return errorAt(Path, Level.Pos,
                     "level '" + Level.Value + "' of " + Rule.Value +
                         " is none of error, warning, note");
    C.Levels.emplace_back(std::move(Rule), std::move(Level));
  }
  C.Ignore.Accounts = std::move(Raw.Ignore.Accounts);
  C.Ignore.Objects = std::move(Raw.Ignore.Objects);
  if (llvm::Error E = checkPatterns(C, C.Ignore.Accounts))
    return std::move(E);
  if (llvm::Error E = checkPatterns(C, C.Ignore.Objects))
    return std::move(E);

  if (Raw.ClusterAutomountDefault) {
    llvm::Optional<bool> B = llvm::yaml::parseBool(Raw.ClusterAutomountDefault->Value);
    if (!B)
      return errorAt(Path, Raw.ClusterAutomountDefault->Pos,
                     "clusterAutomountDefault is '" + Raw.ClusterAutomountDefault->Value +
                         "', expected true or false");
    C.ClusterAutomountDefault = *B;
  }
  if (Raw.Together) {
    llvm::Optional<bool> B = llvm::yaml::parseBool(Raw.Together->Value);
    if (!B)
      return errorAt(Path, Raw.Together->Pos,
                     "together is '" + Raw.Together->Value + "', expected true or false");
    C.Together = *B;
  }
  C.Exclude = std::move(Raw.Exclude);
  if (llvm::Error E = checkPatterns(C, C.Exclude))
    return std::move(E);
  C.HelmValuesSets = std::move(Raw.Helm.ValuesSets);
  if (llvm::Error E = checkPatterns(C, C.HelmValuesSets))
    return std::move(E);
  if (Raw.FailOn) {
    llvm::StringRef V = Raw.FailOn->Value;
    if (V != "error" && V != "warning" && V != "note" && V != "none")
      return errorAt(Path, Raw.FailOn->Pos,
                     "failOn is '" + V + "', expected error, warning, note or none");
    C.FailOn = *Raw.FailOn;
  }
  if (Raw.RenderTimeout) {
    double Seconds = 0;
    if (llvm::StringRef(Raw.RenderTimeout->Value).getAsDouble(Seconds) || !(Seconds > 0))
      return errorAt(Path, Raw.RenderTimeout->Pos,
                     "renderTimeout is '" + Raw.RenderTimeout->Value +
                         "', expected a positive number of seconds");
    C.RenderTimeout = Seconds;
  }

  C.HelmBin = Raw.Helm.Bin.Value;
  C.KustomizeBin = Raw.Kustomize.Bin.Value;
  // Values files belong to the project, so they are found from the config, not from where
  // saguard happens to run.
  llvm::StringRef Dir = llvm::sys::path::parent_path(Path);
  for (const ConfigString &V : Raw.Helm.ValuesFiles) {
    if (V.Value.empty())
      return errorAt(Path, V.Pos, "empty values file name");
    llvm::SmallString<256> File(V.Value);
    if (llvm::sys::path::is_relative(File) && !Dir.empty()) {
      File = Dir;
      llvm::sys::path::append(File, V.Value);
    }
    C.HelmValuesFiles.push_back(std::string(File.str()));
  }
  return C;
}

llvm::Expected<Config> readConfigFile(llvm::StringRef Path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Buffer =
      llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buffer)
    return llvm::createStringError(Buffer.getError(), "cannot read config file '%s': %s",
                                   Path.str().c_str(), Buffer.getError().message().c_str());
  return parseConfig((*Buffer)->getBuffer(), Path);
}

std::optional<std::string> findConfigFile(llvm::StringRef Start) {
  llvm::SmallString<256> Dir(Start.empty() || Start == "-" ? "." : Start);
  if (llvm::sys::fs::make_absolute(Dir))
    return std::nullopt;
  llvm::sys::path::remove_dots(Dir, /*remove_dot_dot=*/true);
  if (!llvm::sys::fs::is_directory(Dir))
    llvm::sys::path::remove_filename(Dir);
  for (llvm::StringRef D = Dir; !D.empty(); D = llvm::sys::path::parent_path(D)) {
    for (llvm::StringRef Name : ConfigFileNames) {
      llvm::SmallString<256> Candidate(D);
      llvm::sys::path::append(Candidate, Name);
      if (llvm::sys::fs::is_regular_file(Candidate))
        return std::string(Candidate.str());
    }
  }
  return std::nullopt;
}

} // namespace saguard::model
