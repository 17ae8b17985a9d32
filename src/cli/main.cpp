//===- main.cpp - the saguard executable ----------------------------------===//
#include "Commands.h"

#include "saguard/report/Report.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/WithColor.h"

#include <cstdio>
#include <cstdlib>
#include <memory>

using namespace saguard::cli;

namespace {

/// A subcommand and what adds it (its options, callback) to the application.
struct Subcommand {
  const char *Name;
  std::function<void(CLI::App &, Action &)> Setup;
};

/// A first argument that is neither a subcommand nor an existing path, but close to a
/// subcommand's name, is a typo: say so before any work rather than "cannot read 'scna'".
bool isMistypedCommand(llvm::ArrayRef<Subcommand> Commands, int Argc, char **Argv) {
  if (Argc < 2)
    return false;
  llvm::StringRef First = Argv[1];
  if (First.empty() || First.startswith("-") || llvm::sys::fs::exists(First) ||
      First.find_first_of("*?[/.") != llvm::StringRef::npos)
    return false;
  llvm::StringRef Best;
  unsigned BestDistance = 3; // at most two edits away
  for (const Subcommand &C : Commands) {
    if (First == C.Name)
      return false;
    unsigned D = First.edit_distance(C.Name);
    if (D < BestDistance) {
      BestDistance = D;
      Best = C.Name;
    }
  }
  if (Best.empty())
    return false;
  llvm::WithColor::error(llvm::errs(), "saguard")
      << "unknown command '" << First << "'; did you mean '" << Best << "'?\n";
  return true;
}

std::unique_ptr<CLI::App> makeApp() {
  auto App = std::make_unique<CLI::App>(
      "saguard: which Pods carry a ServiceAccount token they don't need, and what can it do");
  App->set_version_flag("-V,--version", [] { return versionText(); });
  return App;
}

/// Whether every option Argv names after the subcommand is one of Cmd's (`--name`, `--name=v`,
/// `-x`, `-xv`). Values that start with a dash count too: a false "no" only costs the full parse.
bool namesOnlyOptionsOf(const CLI::App &Cmd, int Argc, char **Argv) {
  for (int I = 2; I < Argc; ++I) {
    llvm::StringRef Arg(Argv[I]);
    if (Arg.size() < 2 || Arg[0] != '-')
      continue;
    llvm::StringRef Name = Arg[1] == '-' ? Arg.split('=').first : Arg.take_front(2);
    if (!Cmd.get_option_no_throw(Name.str()))
      return false;
  }
  return true;
}

/// Parses `saguard helm ...` into Lean without the helm template flags, whose sixty options are
/// most of the parser's cost (CLI11 checks each new option against all others), all of it before
/// helm can start. True when that parses the whole command line; false when it names a helm
/// flag, asks for help or has an error, for the full parser to take or say. A helm flag is found
/// before parsing: CLI11 reports it by throwing, and the first exception a static binary throws
/// sorts the unwind tables of the whole program (some 30M instructions, more than the parse).
bool parseLeanHelm(CLI::App &Lean, Action &Run, int Argc, char **Argv,
                   const std::vector<std::string> &AfterDashes) {
  setupHelmCommand(Lean, Run, AfterDashes, /*WithHelmFlags=*/false);
  if (!namesOnlyOptionsOf(*Lean.get_subcommand("helm"), Argc, Argv))
    return false;
  try {
    Lean.parse(Argc, Argv);
  } catch (const CLI::ParseError &) {
    return false;
  }
  return Lean.remaining_size(/*recurse=*/true) == 0 && Run;
}

} // namespace

int main(int Argc, char **Argv) {
  if (!terminalWantsColour())
    llvm::errs().enable_colors(false);
  std::unique_ptr<CLI::App> App = makeApp();
  Action Run;
  // `saguard helm CHART -- ARGS`: ARGS are helm's, not positionals for saguard to read.
  std::vector<std::string> AfterDashes;
  if (Argc > 1 && llvm::StringRef(Argv[1]) == "helm")
    for (int I = 2; I < Argc; ++I)
      if (llvm::StringRef(Argv[I]) == "--") {
        AfterDashes.assign(Argv + I + 1, Argv + Argc);
        Argc = I;
        break;
      }
  const Subcommand Commands[] = {
      {"scan", setupScanCommand},
      {"helm",
       [&AfterDashes](CLI::App &A, Action &R) { setupHelmCommand(A, R, std::move(AfterDashes)); }},
      {"kustomize", setupKustomizeCommand},
      {"rules", setupRulesCommand},
      {"permissions", setupPermissionsCommand},
      {"merge", setupMergeCommand},
      {"fix", setupFixCommand}};
  // A run names its subcommand first, and only that one's options are built: building every
  // command's parser (helm's flags twice over) was most of saguard's start-up. Anything else
  // (paths, an option, --help) builds them all, so the top-level help lists every command.
  const Subcommand *Named = nullptr;
  for (const Subcommand &C : Commands)
    if (Argc > 1 && llvm::StringRef(Argv[1]) == C.Name)
      Named = &C;
  if (!Named) {
    setupAutoCommand(*App, Run);
    for (const Subcommand &C : Commands)
      C.Setup(*App, Run);
  }
  if (isMistypedCommand(Commands, Argc, Argv))
    return ExitInputError;
  bool Parsed = false;
  if (Named && llvm::StringRef(Named->Name) == "helm") {
    // The action refers to its parser's options: the parser that made it stays.
    std::unique_ptr<CLI::App> Lean = makeApp();
    Parsed = parseLeanHelm(*Lean, Run, Argc, Argv, AfterDashes);
    if (Parsed)
      App = std::move(Lean);
    else
      Run = nullptr;
  }
  if (!Parsed) {
    if (Named)
      Named->Setup(*App, Run);
    try {
      App->parse(Argc, Argv);
    } catch (const CLI::ParseError &E) {
      // Help and --version exit 0; any other usage error is "could not be analysed" (2).
      int Code = App->exit(E);
      return Code == 0 ? 0 : ExitInputError;
    }
  }
  llvm::Expected<ExitCode> Code = Run();
  if (!Code) {
    // Errors quote config values and renderer output: as hostile as any input.
    llvm::WithColor::error(llvm::errs(), "saguard")
        << saguard::report::printable(llvm::toString(Code.takeError())) << "\n";
    return ExitInputError;
  }
  // The report is out: end here, without destroying the command line's parser and the rest
  // (left to the exit, as the run left its model). Not when the report's stream failed, whose
  // destructor says so, nor when leak checking runs at the return.
  llvm::outs().flush();
  std::fflush(nullptr);
  if (!llvm::outs().has_error() && !saguard::cli::leaksChecked())
    std::_Exit(*Code);
  return *Code;
}
