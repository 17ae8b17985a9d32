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
      llvm::Expected<std::string> Merged = report::mergeSarifFiles(*Inputs);
      if (!Merged)
        return Merged.takeError();
      const std::string &Text = *Merged;
      if (Output->empty()) {
        llvm::outs() << Text;
        return ExitClean;
      }
      std::error_code EC;
      llvm::raw_fd_ostream File(*Output, EC);
      if (EC)
        return llvm::createStringError(EC, "cannot write '%s': %s", Output->c_str(),
                                       EC.message().c_str());
      File << Text;
      File.close();
      if (File.has_error()) {
        // An error left set would abort in the stream's destructor.
        std::string Why = File.error().message();
        File.clear_error();
        return makeError("cannot write '%s': %s", Output->c_str(), Why.c_str());
      }
      return ExitClean;
    };
  });
}

} // namespace saguard::cli
