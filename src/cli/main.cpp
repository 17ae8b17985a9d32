//===- main.cpp - the saguard executable ----------------------------------===//
#include "Commands.h"

#include "saguard/report/Report.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/WithColor.h"

using namespace saguard::cli;

namespace {

/// A first argument that is neither a subcommand nor an existing path, but close to a
/// subcommand's name, is a typo: say so before any work rather than "cannot read 'scna'".
bool isMistypedCommand(const CLI::App &App, int Argc, char **Argv) {
  if (Argc < 2)
    return false;
  llvm::StringRef First = Argv[1];
  if (First.empty() || First.startswith("-") || llvm::sys::fs::exists(First) ||
      First.find_first_of("*?[/.") != llvm::StringRef::npos)
    return false;
  std::string Best;
  unsigned BestDistance = 3; // at most two edits away
  for (const std::string &Name : subcommandNames(App)) {
    if (Name == First)
      return false;
    unsigned D = First.edit_distance(Name);
    if (D < BestDistance) {
      BestDistance = D;
      Best = Name;
    }
  }
  if (Best.empty())
    return false;
  llvm::WithColor::error(llvm::errs(), "saguard")
      << "unknown command '" << First << "'; did you mean '" << Best << "'?\n";
  return true;
}

} // namespace

int main(int Argc, char **Argv) {
  if (!terminalWantsColour())
    llvm::errs().enable_colors(false);
  CLI::App App{"saguard: which Pods carry a ServiceAccount token they don't need, and what can "
               "it do"};
  App.set_version_flag("-V,--version", [] { return versionText(); });
  Action Run;
  setupAutoCommand(App, Run);
  setupScanCommand(App, Run);
  // `saguard helm CHART -- ARGS`: ARGS are helm's, not positionals for saguard to read.
  std::vector<std::string> AfterDashes;
  if (Argc > 1 && llvm::StringRef(Argv[1]) == "helm")
    for (int I = 2; I < Argc; ++I)
      if (llvm::StringRef(Argv[I]) == "--") {
        AfterDashes.assign(Argv + I + 1, Argv + Argc);
        Argc = I;
        break;
      }
  setupHelmCommand(App, Run, std::move(AfterDashes));
  setupKustomizeCommand(App, Run);
  setupRulesCommand(App, Run);
  setupPermissionsCommand(App, Run);
  setupMergeCommand(App, Run);
  setupFixCommand(App, Run);
  if (isMistypedCommand(App, Argc, Argv))
    return ExitInputError;
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
