//===- TextReporter.cpp - findings for people, grouped by object ----------===//
#include "ReportImpl.h"

#include "saguard/report/Baseline.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/ErrorHandling.h"

#include <map>
#include <tuple>

namespace saguard::report::detail {
namespace {

using analysis::Finding;
using analysis::Level;

// ANSI SGR sequences; clang's colours for the levels.
constexpr std::string_view Reset = "\033[0m";
constexpr std::string_view Bold = "\033[1m";
constexpr std::string_view Red = "\033[1;31m";
constexpr std::string_view Magenta = "\033[1;35m";
constexpr std::string_view Cyan = "\033[1;36m";
constexpr std::string_view Dim = "\033[2m";

std::string_view levelColor(Level L) {
  switch (L) {
  case Level::Error:
    return Red;
  case Level::Warning:
    return Magenta;
  case Level::Note:
    return Cyan;
  }
  llvm_unreachable("covered switch");
}

std::string objectName(const Finding &F) {
  if (F.Object.Kind.empty() && F.Object.Name.empty())
    return "";
  return F.Object.qualifiedName();
}

// Findings of one object of one target, in the order the analyzer reported them.
struct Group {
  std::string Header;
  std::string File;
  std::vector<const Finding *> Findings;
};

class TextReporter : public Reporter {
public:
  explicit TextReporter(const ReporterOptions &Options)
      : Color(Options.Color), Width(Options.WrapWidth) {}

  void write(const ReportData &Data, llvm::raw_ostream &OS) override {
    Places P(Data);
    writeGroups(Data, P, OS);
    writeSuppressed(Data, P, OS);
    writeErrors(Data, P, OS);
    writeTargets(Data, P, OS);
    writeSummary(Data, OS);
  }

private:
  bool Color;
  std::size_t Width;

  // Text broken at spaces so that no line passes Width columns, the first starting at column
  // Start and the others after Indent; a word longer than a line stays whole.
  std::string wrapped(std::string_view Text, std::size_t Start, std::string_view Indent) const {
    if (Width == 0)
      return std::string(Text);
    std::string Out;
    std::size_t Column = Start;
    llvm::SmallVector<llvm::StringRef, 32> Words;
    llvm::StringRef(Text.data(), Text.size()).split(Words, ' ', -1, /*KeepEmpty=*/false);
    for (llvm::StringRef Word : Words) {
      if (!Out.empty() && Column + 1 + Word.size() > Width) {
        Out += "\n" + std::string(Indent);
        Column = Indent.size();
      } else if (!Out.empty()) {
        Out += ' ';
        ++Column;
      }
      Out += Word.str();
      Column += Word.size();
    }
    return Out;
  }

  // Wraps Text in an ANSI colour when colours are on.
  std::string paint(std::string_view Style, std::string_view Text) const {
    if (!Color)
      return std::string(Text);
    return std::string(Style) + std::string(Text) + std::string(Reset);
  }

  std::string levelLabel(Level L) const {
    std::string Name(analysis::levelName(L));
    std::string Pad(7 - Name.size(), ' '); // "warning" is the longest
    return paint(levelColor(L), Name) + Pad;
  }

  // Message lines after the first go under it, so multi-line messages (renderer stderr) stay
  // readable; each line is made printable on its own, so none can pose as a workflow command.
  static std::string indented(std::string_view Text, std::string_view Indent) {
    std::string Out;
    llvm::StringRef Rest(Text.data(), Text.size());
    Rest = Rest.rtrim();
    bool First = true;
    while (!Rest.empty() || First) {
      auto [Line, Tail] = Rest.split('\n');
      if (!First)
        Out += "\n" + std::string(Indent);
      Out += printable(Line.rtrim("\r"));
      Rest = Tail;
      First = false;
    }
    return Out;
  }

  void writeGroups(const ReportData &Data, Places &P, llvm::raw_ostream &OS) const {
    std::vector<Group> Groups;
    // Keyed by target and full identity: one name can exist in two targets or two apiVersions.
    std::map<std::tuple<std::string, std::string, std::string>, std::size_t> Index;
    for (const Finding &F : Data.Findings) {
      // Findings already in the --baseline are counted in the summary, not listed.
      if (F.Suppressed || inBaseline(Data, static_cast<std::size_t>(&F - Data.Findings.data())))
        continue;
      auto Key = std::make_tuple(F.Target, F.Object.ApiVersion, F.Object.qualifiedName());
      auto [It, Inserted] = Index.try_emplace(Key, Groups.size());
      if (Inserted) {
        Place Where = P.at(F.Primary, F.Target);
        std::string Name = objectName(F);
        Groups.push_back({Name.empty() ? Where.File : Name, Where.File, {}});
      }
      Groups[It->second].Findings.push_back(&F);
    }

    for (const Group &G : Groups) {
      std::string Header = G.Header;
      if (!G.File.empty() && G.File != G.Header)
        Header += " (" + G.File + ")";
      OS << paint(Bold, printable(Header)) << "\n";
      for (const Finding *F : G.Findings)
        writeFinding(*F, G.File, P, OS);
    }
    if (!Groups.empty())
      OS << "\n";
  }

  void writeFinding(const Finding &F, const std::string &GroupFile, Places &P,
                    llvm::raw_ostream &OS) const {
    Place Where = P.at(F.Primary, F.Target);
    std::string Pos;
    if (Where.File != GroupFile)
      Pos = Where.str();
    else if (Where.Begin.isValid())
      Pos = std::to_string(Where.Begin.Line) + ":" + std::to_string(Where.Begin.Column);
    std::string Shown = printable(Pos);
    std::size_t Start = 2 + Shown.size() + (Shown.empty() ? 0 : 2) + 7 + 2;
    std::string Tag = "[" + F.RuleId + "]";
    // Multi-line messages (renderer stderr) keep their lines; others wrap at the width. Both are
    // made printable before wrapping, which breaks only at spaces.
    std::string Message = F.Message.find('\n') == std::string::npos
                              ? wrapped(printable(F.Message) + "  " + Tag, Start, "    ")
                              : indented(F.Message, "    ") + "  " + Tag;
    Message.erase(Message.size() - Tag.size());
    OS << "  " << Shown << (Shown.empty() ? "" : "  ") << levelLabel(F.Severity) << "  "
       << Message << paint(Dim, Tag) << "\n";

    for (const analysis::Note &N : F.Related) {
      std::string At = P.at(N.Range, F.Target).str(/*WithColumn=*/false);
      OS << "    " << paint(Cyan, "note:") << " " << (At.empty() ? "" : printable(At) + ": ")
         << indented(N.Message, "      ") << "\n";
    }

    for (const analysis::Fix &Fx : F.Fixes)
      OS << "    " << paint(Cyan, "fix:") << " " << oneLine(fixHint(Fx, P, F.Target)) << "\n";

    // A block per grant path, numbered when there are several.
    auto Paths = analysis::flowPaths(F);
    for (std::size_t I = 0; I < Paths.size(); ++I) {
      std::string Label =
          Paths.size() == 1 ? "path:" : "path " + std::to_string(I + 1) + " of " +
                                            std::to_string(Paths.size()) + ":";
      OS << "    " << paint(Cyan, Label) << "\n";
      bool First = true;
      for (const analysis::Note &Step : Paths[I]) {
        std::string At = P.at(Step.Range, F.Target).str(/*WithColumn=*/false);
        OS << (First ? "         " : "      -> ") << oneLine(Step.Message)
           << (At.empty() ? "" : "  (" + printable(At) + ")") << "\n";
        First = false;
      }
    }
  }

  void writeSuppressed(const ReportData &Data, Places &P, llvm::raw_ostream &OS) const {
    std::size_t Count = 0;
    for (const Finding &F : Data.Findings)
      Count += F.Suppressed.has_value();
    if (Count == 0)
      return;
    OS << paint(Bold, "suppressed (" + std::to_string(Count) + "):") << "\n";
    for (const Finding &F : Data.Findings) {
      if (!F.Suppressed)
        continue;
      std::string Name = objectName(F);
      std::string At = P.at(F.Primary, F.Target).str();
      OS << "  " << (At.empty() ? "" : printable(At) + ": ") << levelLabel(F.Severity) << "  "
         << indented(F.Message, "    ") << "  " << paint(Dim, "[" + F.RuleId + "]") << "\n";
      const std::string &Why = F.Suppressed->Justification;
      OS << "    " << (Name.empty() ? "" : printable(Name) + " ")
         << "suppressed: " << (Why.empty() ? "no reason given" : oneLine(Why)) << "\n";
    }
    OS << "\n";
  }

  void writeErrors(const ReportData &Data, Places &P, llvm::raw_ostream &OS) const {
    if (Data.Errors.empty())
      return;
    OS << paint(Bold, "input errors (" + std::to_string(Data.Errors.size()) + "):") << "\n";
    for (const ToolNotification &E : Data.Errors) {
      // A located error names its file; one about a whole target names the target.
      std::string At = E.Range.File != 0 ? P.at(E.Range, E.Target).str() : P.target(E.Target);
      OS << "  " << (At.empty() ? "" : printable(At) + ": ") << paint(Red, "error:") << " "
         << indented(E.Message, "    ") << "\n";
    }
    OS << "\n";
  }

  // Which targets a folder held and how each was read: a walked tree is no black box.
  void writeTargets(const ReportData &Data, Places &P, llvm::raw_ostream &OS) const {
    if (Data.TargetList.size() < 2)
      return;
    OS << plural(Data.TargetList.size(), "target") << ":\n";
    for (const TargetSummary &T : Data.TargetList)
      OS << "  " << P.target(T.Path) << " (" << T.Kind << ", " << T.RenderedBy << ", "
         << plural(T.Objects, "object") << ")\n";
  }

  void writeSummary(const ReportData &Data, llvm::raw_ostream &OS) const {
    std::size_t Counts[3] = {0, 0, 0};
    std::size_t Suppressed = 0, Unchanged = 0;
    std::map<std::tuple<std::string, std::string, std::string>, bool> Objects;
    for (const Finding &F : Data.Findings) {
      if (F.Suppressed) {
        ++Suppressed;
        continue;
      }
      if (inBaseline(Data, static_cast<std::size_t>(&F - Data.Findings.data()))) {
        ++Unchanged;
        continue;
      }
      ++Counts[static_cast<int>(F.Severity)];
      Objects[{F.Target, F.Object.ApiVersion, F.Object.qualifiedName()}] = true;
    }

    std::string Line;
    for (Level L : {Level::Error, Level::Warning, Level::Note}) {
      std::size_t N = Counts[static_cast<int>(L)];
      if (N == 0)
        continue;
      Line += (Line.empty() ? "" : ", ") + plural(N, analysis::levelName(L));
    }
    bool HasBaseline = !Data.Baseline.empty() || !Data.Absent.empty();
    if (Line.empty()) {
      Line = HasBaseline ? "no new findings" : "no findings";
      if (Data.ObjectsAnalysed)
        Line += " in " + plural(*Data.ObjectsAnalysed, "object");
    } else {
      Line += " in " + plural(Objects.size(), "object");
      if (Data.ObjectsAnalysed)
        Line += " (of " + std::to_string(*Data.ObjectsAnalysed) + " analysed)";
    }
    if (Suppressed)
      Line += " (" + std::to_string(Suppressed) + " suppressed)";
    if (HasBaseline) {
      Line += "; baseline: " + std::to_string(Unchanged) + " unchanged, " +
              std::to_string(Data.Absent.size()) + " gone";
    }
    if (!Data.Errors.empty())
      Line += "; " + plural(Data.Errors.size(), "input error");
    if (!Data.ClusterAutomountDefault)
      Line += "; " + std::string(AutomountAssumption);
    OS << paint(Bold, Line) << "\n";
  }
};

} // namespace

std::unique_ptr<Reporter> createTextReporter(const ReporterOptions &Options) {
  return std::make_unique<TextReporter>(Options);
}

} // namespace saguard::report::detail
