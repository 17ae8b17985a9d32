//===- Version.cpp - saguard --version: saguard, LLVM and the renderers ---===//
#include "Commands.h"

#include "saguard/render/Subprocess.h"

#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

namespace saguard::cli {
namespace {

/// The first line `Program Args...` prints, or why there is none.
std::string firstLineOf(const std::vector<std::string> &Argv) {
  render::ProcessOptions Options;
  Options.Timeout = std::chrono::seconds(10);
  std::string Out;
  llvm::Expected<render::ProcessResult> R =
      render::runProcess(Argv, Options, [&](std::string_view Chunk) { Out.append(Chunk); });
  if (!R) {
    llvm::consumeError(R.takeError());
    return "(cannot run it)";
  }
  if (R->ExitCode != 0 || R->TimedOut)
    return "(it failed)";
  return llvm::StringRef(Out).split('\n').first.trim().str();
}

/// `NAME: PATH (VERSION)` of the program a run would use, or that none was found.
std::string programLine(llvm::StringRef What, const std::string &Program,
                        std::vector<std::string> VersionArgs) {
  llvm::ErrorOr<std::string> Path = llvm::sys::findProgramByName(Program);
  if (!Path)
    return (What + ": " + Program + " not found").str();
  VersionArgs.insert(VersionArgs.begin(), *Path);
  return (What + ": " + *Path + " (" + firstLineOf(VersionArgs) + ")").str();
}

} // namespace

std::string versionText() {
  std::string Text = "saguard " SAGUARD_VERSION "\n";
  Text += "LLVM " LLVM_VERSION_STRING "\n";
  // The helm a chart is rendered with: $HELM_BIN (set by helm for its plugins), else PATH.
  const char *HelmBin = std::getenv("HELM_BIN");
  Text += programLine("helm", HelmBin && *HelmBin ? HelmBin : "helm", {"version", "--short"}) +
          "\n";
  if (llvm::sys::findProgramByName("kustomize"))
    Text += programLine("kustomize", "kustomize", {"version"}) + "\n";
  else
    Text += programLine("kustomize", "kubectl", {"version", "--client"}) + " (kubectl kustomize)\n";
  return Text;
}

} // namespace saguard::cli
