//===- main.cpp - the saguard executable ----------------------------------===//
#include "Commands.h"

#include "saguard/report/Report.h"

#include "llvm/Support/WithColor.h"

using namespace saguard::cli;

int main(int Argc, char **Argv) {
  CLI::App App{"saguard: which Pods carry a ServiceAccount token they don't need, and what can "
               "it do"};
  App.set_version_flag("--version", SAGUARD_VERSION);
  Action Run;
  setupAutoCommand(App, Run);
  setupScanCommand(App, Run);
  setupHelmCommand(App, Run);
  setupKustomizeCommand(App, Run);
  setupRulesCommand(App, Run);
  setupPermissionsCommand(App, Run);
  setupMergeCommand(App, Run);
  try {
    App.parse(Argc, Argv);
  } catch (const CLI::ParseError &E) {
    // Help and --version exit 0; any other usage error is "could not be analysed" (2).
    int Code = App.exit(E);
    return Code == 0 ? 0 : ExitInputError;
  }
  llvm::Expected<ExitCode> Code = Run();
  if (!Code) {
    // Errors quote config values and renderer output: as hostile as any input.
    llvm::WithColor::error(llvm::errs(), "saguard")
        << saguard::report::printable(llvm::toString(Code.takeError())) << "\n";
    return ExitInputError;
  }
  return *Code;
}
