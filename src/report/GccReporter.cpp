//===- GccReporter.cpp - one compiler-style line per finding --------------===//
//
// `file:line:col: error|warning|note: message [SA001]`, the shape of the VS Code `$gcc` problem
// matcher (cpptools: `^(.*):(\d+):(\d+):\s+(?:fatal\s+)?(warning|error):\s+(.*)$`), reviewdog's
// `-efm "%f:%l:%c: %m"` and GitHub's `::add-matcher::`.
//
//===----------------------------------------------------------------------===//
#include "ReportImpl.h"

#include "saguard/report/Baseline.h"

namespace saguard::report::detail {
namespace {

class GccReporter : public Reporter {
public:
  void write(const ReportData &Data, llvm::raw_ostream &OS) override {
    Places Ps(Data);
    for (const ToolNotification &E : Data.Errors)
      line(OS, Ps.at(E.Range, E.Target), "error", E.Message, "saguard");
    for (std::size_t I = 0; I < Data.Findings.size(); ++I)
      if (const analysis::Finding &F = Data.Findings[I]; !F.Suppressed && !inBaseline(Data, I)) {
        line(OS, Ps.at(F.Primary, F.Target), analysis::levelName(F.Severity), F.Message, F.RuleId);
        for (const analysis::Fix &Fx : F.Fixes)
          line(OS, Ps.at(Fx.Range, F.Target), "note", "fix: " + fixHint(Fx, Ps, F.Target),
               F.RuleId);
      }
  }

private:
  static void line(llvm::raw_ostream &OS, const Place &P, std::string_view Level,
                   std::string_view Message, std::string_view Tag) {
    // A matcher needs a line and a column; a place known only by its file points at its start.
    if (P.hasFile())
      OS << printable(P.File) << ':' << P.start().Line << ':' << P.start().Column << ": ";
    else
      OS << "saguard: ";
    OS << Level << ": " << oneLine(Message) << " [" << Tag << "]\n";
  }
};

} // namespace

std::unique_ptr<Reporter> createGccReporter(const ReporterOptions &) {
  return std::make_unique<GccReporter>();
}

} // namespace saguard::report::detail
