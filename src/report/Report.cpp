//===- Report.cpp - reporter factory, paths and shared helpers ------------===//
#include "ReportImpl.h"

#include "saguard/support/Error.h"
#include "saguard/support/Kustomization.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <array>
#include <map>

namespace saguard::report {
namespace {

constexpr std::array<std::string_view, 5> FormatNames = {"text", "json", "sarif", "gcc", "github"};

// `<stdin>` and the like are stream names, not files; URIs are already absolute.
bool isPseudoPath(llvm::StringRef Path) {
  return Path.startswith("<") || Path == "-" || Path.contains("://");
}

std::string absoluteClean(llvm::StringRef Path) {
  llvm::SmallString<256> S(Path);
  // On failure (no current directory) the path stays relative, which still prints sensibly.
  (void)llvm::sys::fs::make_absolute(S);
  llvm::sys::path::remove_dots(S, /*remove_dot_dot=*/true);
  llvm::sys::path::native(S, llvm::sys::path::Style::posix);
  return std::string(S.str());
}

std::string cleanRoot(std::string_view Root) {
  if (!Root.empty())
    return absoluteClean(llvm::StringRef(Root.data(), Root.size()));
  llvm::SmallString<256> Cwd;
  if (llvm::sys::fs::current_path(Cwd))
    return "";
  return absoluteClean(Cwd);
}

// Abs relative to Root when it lies under it (component-wise: /a/bc is not under /a/b).
std::optional<std::string> relativeTo(llvm::StringRef Abs, llvm::StringRef Root) {
  if (Root.empty())
    return std::nullopt;
  if (Root.size() > 1 && Root.endswith("/"))
    Root = Root.drop_back();
  if (Abs == Root)
    return std::string(".");
  if (Root == "/")
    return Abs.startswith("/") ? std::optional<std::string>(Abs.drop_front().str()) : std::nullopt;
  if (Abs.size() > Root.size() && Abs.startswith(Root) && Abs[Root.size()] == '/')
    return Abs.drop_front(Root.size() + 1).str();
  return std::nullopt;
}

std::string displayUnderRoot(llvm::StringRef Path, const std::string &Root) {
  if (Path.empty() || isPseudoPath(Path))
    return Path.str();
  std::string Abs = absoluteClean(Path);
  if (std::optional<std::string> Rel = relativeTo(Abs, Root))
    return *Rel;
  // A root or file reached through a symlink: GitHub shows resolved paths, so compare those.
  llvm::SmallString<256> RealAbs, RealRoot;
  if (!llvm::sys::fs::real_path(Abs, RealAbs) && !llvm::sys::fs::real_path(Root, RealRoot))
    if (std::optional<std::string> Rel = relativeTo(RealAbs, RealRoot))
      return *Rel;
  return Abs;
}

} // namespace

std::span<const std::string_view> formatNames() { return FormatNames; }

llvm::Expected<std::unique_ptr<Reporter>> createReporter(std::string_view Format,
                                                         ReporterOptions Options) {
  if (Format == "text")
    return detail::createTextReporter(Options);
  if (Format == "json")
    return detail::createJsonReporter(Options);
  if (Format == "sarif")
    return detail::createSarifReporter(Options);
  if (Format == "gcc")
    return detail::createGccReporter(Options);
  if (Format == "github")
    return detail::createGithubReporter(Options);
  return makeError("unknown output format '%s' (expected text, json, sarif, gcc or github)",
                   std::string(Format).c_str());
}

std::optional<analysis::Level> worstUnsuppressed(const std::vector<analysis::Finding> &Findings) {
  std::optional<analysis::Level> Worst;
  for (const analysis::Finding &F : Findings)
    if (!F.Suppressed && (!Worst || F.Severity > *Worst))
      Worst = F.Severity;
  return Worst;
}

bool hasFindingsAtOrAbove(const std::vector<analysis::Finding> &Findings,
                          std::optional<analysis::Level> FailOn) {
  if (!FailOn)
    return false;
  std::optional<analysis::Level> Worst = worstUnsuppressed(Findings);
  return Worst && *Worst >= *FailOn;
}

std::string displayPath(std::string_view Path, std::string_view SrcRoot) {
  return displayUnderRoot(llvm::StringRef(Path.data(), Path.size()), cleanRoot(SrcRoot));
}

static std::string keyOf(const analysis::Finding &F, const std::string &Target) {
  // '\x1f' (unit separator) cannot occur in ids, names or paths, so fields never run together.
  // What stays the same from render to render (docs/fingerprints.md): no line, no apiVersion,
  // and no name drawn at render time.
  const std::string &Name = F.StableName.empty() ? F.Object.Name : F.StableName;
  std::string Key = F.RuleId;
  for (const std::string *Part :
       {&Target, &F.Source, &F.Object.Kind, &F.Object.Namespace, &Name, &F.KeyPath}) {
    Key += '\x1f';
    Key += *Part;
  }
  return Key;
}

std::string printable(std::string_view Text) {
  std::string Out;
  Out.reserve(Text.size());
  auto Hex = [&](unsigned char C) {
    static const char Digits[] = "0123456789abcdef";
    Out += "\\x";
    Out += Digits[C >> 4];
    Out += Digits[C & 15];
  };
  size_t Lead = Text.find_first_not_of(" \t");
  for (size_t I = 0; I < Text.size(); ++I) {
    auto C = static_cast<unsigned char>(Text[I]);
    std::string_view Rest = Text.substr(I);
    if (I == Lead && (Rest.substr(0, 2) == "::" || Rest.substr(0, 3) == "##[")) {
      Hex(C);
      continue;
    }
    if ((C < 0x20 && C != '\t') || C == 0x7F) {
      Hex(C);
      continue;
    }
    // C1 controls (U+0080-U+009F: CSI, NEL...) and U+2028/U+2029, which some terminals and log
    // viewers take as a line break.
    bool C1 = C == 0xC2 && Rest.size() > 1 && static_cast<unsigned char>(Rest[1]) <= 0x9F &&
              static_cast<unsigned char>(Rest[1]) >= 0x80;
    bool Separator = Rest.substr(0, 3) == "\xE2\x80\xA8" || Rest.substr(0, 3) == "\xE2\x80\xA9";
    if (C1 || Separator) {
      unsigned CodePoint = C1 ? static_cast<unsigned char>(Rest[1])
                              : (Rest[2] == '\xA8' ? 0x2028u : 0x2029u);
      static const char Digits[] = "0123456789abcdef";
      Out += "\\u{";
      for (int Shift = 12; Shift >= 0; Shift -= 4)
        Out += Digits[(CodePoint >> Shift) & 15];
      Out += '}';
      I += C1 ? 1 : 2;
      continue;
    }
    Out += static_cast<char>(C);
  }
  return Out;
}

std::string semanticKey(const analysis::Finding &F, std::string_view SrcRoot) {
  return keyOf(F, displayPath(F.Target, SrcRoot));
}

namespace detail {

std::string Place::str(bool WithColumn) const {
  std::string Out = File;
  if (File.empty() || !Begin.isValid())
    return Out;
  Out += ":" + std::to_string(Begin.Line);
  if (WithColumn && Begin.Column)
    Out += ":" + std::to_string(Begin.Column);
  return Out;
}

Places::Places(const ReportData &Data) : Files(Data.Files), Root(cleanRoot(Data.SrcRoot)) {}

const std::string &Places::path(FileId Id) {
  auto [It, Inserted] = PathCache.try_emplace(Id);
  if (Inserted && Id != 0 && Files)
    It->second = displayUnderRoot(Files->path(Id), Root);
  return It->second;
}

Place Places::at(const SourceRange &Range, std::string_view Target) {
  if (Range.File != 0 && !path(Range.File).empty())
    return {path(Range.File), Range.Begin, Range.End};
  const std::string &File = targetFile(Target);
  if (File.empty())
    return {};
  return {File, {1, 1}, {}};
}

const std::string &Places::targetFile(std::string_view Target) {
  auto It = TargetCache.find(Target);
  if (It != TargetCache.end())
    return It->second;
  std::string File;
  llvm::StringRef T(Target.data(), Target.size());
  if (!T.empty() && !isPseudoPath(T)) {
    std::string Abs = absoluteClean(T);
    if (llvm::sys::fs::is_directory(Abs)) {
      std::vector<std::string_view> Names = {"Chart.yaml"};
      Names.insert(Names.end(), KustomizationFileNames.begin(), KustomizationFileNames.end());
      for (std::string_view Name : Names) {
        llvm::SmallString<256> Candidate(Abs);
        llvm::sys::path::append(Candidate, Name);
        if (llvm::sys::fs::is_regular_file(Candidate)) {
          Abs = std::string(Candidate.str());
          break;
        }
      }
    }
    File = displayUnderRoot(Abs, Root);
  } else {
    File = T.str();
  }
  return TargetCache.emplace(std::string(Target), std::move(File)).first->second;
}

const std::string &Places::target(std::string_view Target) {
  auto It = TargetNameCache.find(Target);
  if (It == TargetNameCache.end())
    It = TargetNameCache
             .emplace(std::string(Target),
                      displayUnderRoot(llvm::StringRef(Target.data(), Target.size()), Root))
             .first;
  return It->second;
}

std::vector<std::string> uniqueSemanticKeys(const ReportData &Data) {
  return uniqueSemanticKeys(Data, Data.Findings);
}

std::vector<std::string> uniqueSemanticKeys(const ReportData &Data,
                                            std::span<const analysis::Finding> Findings) {
  std::vector<std::string> Keys;
  Keys.reserve(Findings.size());
  std::map<std::string, unsigned, std::less<>> Seen;
  Places P(Data);
  for (const analysis::Finding &F : Findings) {
    std::string Key = keyOf(F, P.target(F.Target));
    unsigned N = ++Seen[Key];
    if (N > 1)
      Key += "#" + std::to_string(N);
    Keys.push_back(std::move(Key));
  }
  return Keys;
}

std::string fixHint(const analysis::Fix &Fx, Places &P, std::string_view Target) {
  bool Inserts = Fx.Range.Begin == Fx.Range.End || Fx.Kind == analysis::FixKind::AddKeyUnder ||
                 Fx.Kind == analysis::FixKind::AppendKey;
  return oneLine(Fx.Description + ": " + (Inserts ? "insert '" : "write '") +
                 llvm::StringRef(Fx.Replacement).trim().str() + "' at " +
                 P.at(Fx.Range, Target).str(/*WithColumn=*/false));
}

std::string oneLine(std::string_view Text) {
  std::string Out;
  Out.reserve(Text.size());
  std::size_t I = 0;
  while (I < Text.size()) {
    char C = Text[I];
    if (C != '\n' && C != '\r') {
      Out += C;
      ++I;
      continue;
    }
    // Swallow the line break with the blanks around it, then put back one space.
    while (!Out.empty() && (Out.back() == ' ' || Out.back() == '\t'))
      Out.pop_back();
    while (I < Text.size() &&
           (Text[I] == '\n' || Text[I] == '\r' || Text[I] == ' ' || Text[I] == '\t'))
      ++I;
    if (!Out.empty() && I < Text.size())
      Out += ' ';
  }
  return printable(Out);
}

std::string plural(std::size_t N, std::string_view Singular) {
  std::string Out = std::to_string(N) + " " + std::string(Singular);
  if (N != 1)
    Out += 's';
  return Out;
}

} // namespace detail
} // namespace saguard::report
