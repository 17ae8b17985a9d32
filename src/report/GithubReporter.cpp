//===- GithubReporter.cpp - GitHub Actions workflow-command annotations ---===//
//
// `::error file=F,line=L,col=C,title=SA001::message`, escaped as actions/toolkit's command.ts
// does. GitHub shows only 10 annotations of each severity per step, so findings beyond that are
// printed as plain lines, which at least stay in the job log.
//
//===----------------------------------------------------------------------===//
#include "ReportImpl.h"

#include "saguard/report/Baseline.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/ErrorHandling.h"

#include <map>

namespace saguard::report::detail {
namespace {

std::string escapeData(std::string_view Raw) {
  std::string Out;
  llvm::SmallVector<llvm::StringRef, 4> Lines;
  llvm::StringRef(Raw.data(), Raw.size()).split(Lines, '\n');
  for (size_t I = 0; I < Lines.size(); ++I) {
    // The annotation keeps the message's lines, encoded as actions/toolkit does.
    bool Crlf = I + 1 < Lines.size() && Lines[I].endswith("\r");
    for (char C : printable(Crlf ? Lines[I].drop_back() : Lines[I])) {
      if (C == '%')
        Out += "%25";
      else
        Out += C;
    }
    if (I + 1 < Lines.size())
      Out += Crlf ? "%0D%0A" : "%0A";
  }
  return Out;
}

std::string escapeProperty(std::string_view Text) {
  std::string Out;
  for (char C : escapeData(Text)) {
    if (C == ':')
      Out += "%3A";
    else if (C == ',')
      Out += "%2C";
    else
      Out += C;
  }
  return Out;
}

std::string_view commandFor(analysis::Level L) {
  switch (L) {
  case analysis::Level::Error:
    return "error";
  case analysis::Level::Warning:
    return "warning";
  case analysis::Level::Note:
    return "notice";
  }
  llvm_unreachable("covered switch");
}

class GithubReporter : public Reporter {
public:
  explicit GithubReporter(const ReporterOptions &Options) : Limit(Options.GithubAnnotationLimit) {}

  void write(const ReportData &Data, llvm::raw_ostream &OS) override {
    Places Ps(Data);
    std::map<std::string_view, std::size_t> Used;
    std::size_t Plain = 0;
    auto Emit = [&](std::string_view Command, const Place &P, std::string_view Title,
                    std::string_view Message) {
      if (Limit && Used[Command] >= Limit) {
        ++Plain;
        OS << (P.hasFile() ? printable(P.str()) + ": " : std::string()) << Command << ": "
           << oneLine(Message)
           << " [" << Title << "]\n";
        return;
      }
      ++Used[Command];
      OS << "::" << Command;
      char Sep = ' ';
      if (P.hasFile()) {
        OS << " file=" << escapeProperty(P.File);
        if (P.Begin.Line)
          OS << ",line=" << P.Begin.Line;
        if (P.Begin.Column)
          OS << ",col=" << P.Begin.Column;
        Sep = ',';
      }
      // A trailing line break (renderer stderr) would only add an empty line to the annotation.
      OS << Sep << "title=" << escapeProperty(Title)
         << "::" << escapeData(llvm::StringRef(Message.data(), Message.size()).rtrim()) << "\n";
    };

    for (const ToolNotification &E : Data.Errors)
      Emit("error", Ps.at(E.Range, E.Target), "saguard", E.Message);
    for (std::size_t I = 0; I < Data.Findings.size(); ++I)
      if (const analysis::Finding &F = Data.Findings[I]; !F.Suppressed && !inBaseline(Data, I))
        Emit(commandFor(F.Severity), Ps.at(F.Primary, F.Target), F.RuleId, F.Message);
    if (!Data.ClusterAutomountDefault)
      Emit("notice", Place{}, "saguard", AutomountAssumption);
    if (Plain)
      OS << "saguard: " << plural(Plain, "finding")
         << " printed without annotation: GitHub shows at most " << Limit
         << " annotations of each severity per step; upload the SARIF report to see all\n";
  }

private:
  std::size_t Limit;
};

} // namespace

std::unique_ptr<Reporter> createGithubReporter(const ReporterOptions &Options) {
  return std::make_unique<GithubReporter>(Options);
}

} // namespace saguard::report::detail
