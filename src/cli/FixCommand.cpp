//===- FixCommand.cpp - saguard fix PATH... --------------------------------===//
#include "Commands.h"

#include "saguard/fix/Fixes.h"
#include "saguard/report/Report.h"

#include "llvm/Support/raw_ostream.h"

#include <memory>

namespace saguard::cli {
namespace {

llvm::Expected<ExitCode> runFix(const RunOptions &Options, bool DryRun) {
  FileTable Files;
  report::ReportData Data;
  analyseTargets(Options, Files, Data);
  llvm::Expected<fix::FixPlan> Plan = fix::planFixes(Data.Findings, Files);
  if (!Plan)
    return Plan.takeError();
  // Input errors stop the run before anything is written: the findings may be incomplete.
  for (const ToolNotification &E : Data.Errors)
    llvm::errs() << "saguard: error: " << report::printable(E.Message) << "\n";
  if (!Data.Errors.empty())
    return ExitInputError;

  if (DryRun)
    for (const fix::FileChange &C : Plan->Changes)
      llvm::outs() << fix::unifiedDiff(C);
  else if (llvm::Error E = fix::writeChanges(Plan->Changes))
    return E;
  for (const fix::FileChange &C : Plan->Changes) {
    llvm::errs() << (DryRun ? "would fix " : "fixed ") << report::printable(C.Path) << "\n";
    for (const std::string &Line : C.Applied)
      llvm::errs() << "  " << report::printable(Line) << "\n";
  }
  for (const std::string &Unsafe : Plan->Unsafe)
    llvm::errs() << "not fixed (no safe edit): " << report::printable(Unsafe) << "\n";
  if (Plan->Rendered)
    llvm::errs() << "saguard: " << Plan->Rendered << " finding" << (Plan->Rendered == 1 ? "" : "s")
                 << " in charts or overlays left as they are: their files are templates or bases "
                    "(for an overlay, `saguard kustomize DIR --emit-patches OUT`)\n";
  if (Plan->Changes.empty() && Plan->Unsafe.empty() && !Plan->Rendered)
    llvm::errs() << "saguard: nothing to fix\n";
  return Plan->Unsafe.empty() ? ExitClean : ExitFindings;
}

} // namespace

void setupFixCommand(CLI::App &App, Action &Run) {
  CLI::App *Cmd = App.add_subcommand(
      "fix", "Apply the mechanical fixes of the findings to manifest files, in place");
  auto Flags = std::make_shared<CommonFlags>();
  auto Paths = std::make_shared<std::vector<std::string>>();
  auto DryRun = std::make_shared<bool>(false);
  Cmd->add_option("paths", *Paths, "Manifest files or directories")->required();
  Cmd->add_flag("--dry-run", *DryRun, "Print the edits as a unified diff; change nothing");
  addModelOptions(*Cmd, *Flags);
  Cmd->add_option("--enable", Flags->Enable, "Fix only these rules' findings (ids or names)")
      ->delimiter(',');
  Cmd->add_option("--disable", Flags->Disable, "Leave these rules' findings alone")->delimiter(',');
  Cmd->add_option("--config", Flags->ConfigPath, "Config file (default: .saguard.yaml upward)");
  runOnFoundTargets(*Cmd, Flags, Paths, Run,
                    [DryRun](const RunOptions &Options) { return runFix(Options, *DryRun); });
}

} // namespace saguard::cli
