//===- MergeCommand.cpp - saguard merge A.sarif B.sarif... -o all.sarif ---===//
#include "Commands.h"

#include "saguard/report/MergeReports.h"
#include "saguard/support/Error.h"

#include "llvm/Support/raw_ostream.h"

#include <memory>

namespace saguard::cli {

void setupMergeCommand(CLI::App &App, Action &Run) {
  CLI::App *Cmd = App.add_subcommand(
      "merge", "Merge SARIF reports (of --shard runs, say) into one; runs of the same "
               "category are combined, as GitHub code scanning requires");
  auto Inputs = std::make_shared<std::vector<std::string>>();
  auto Output = std::make_shared<std::string>();
  Cmd->add_option("reports", *Inputs, "SARIF files to merge")->required();
  Cmd->add_option("-o,--output", *Output, "Write the merged log to FILE instead of stdout");
  Cmd->callback([Inputs, Output, &Run] {
    Run = [Inputs, Output]() -> llvm::Expected<ExitCode> {
      if (llvm::Error E = refuseOutputOverInput(*Output, *Inputs, {}))
        return E;
      llvm::Expected<std::string> Merged = report::mergeSarifFiles(*Inputs);
      if (!Merged)
        return Merged.takeError();
      if (llvm::Error E = writeOutput(*Output, [&](llvm::raw_ostream &OS) {
            OS << *Merged;
            return llvm::Error::success();
          }))
        return E;
      return ExitClean;
    };
  });
}

} // namespace saguard::cli
