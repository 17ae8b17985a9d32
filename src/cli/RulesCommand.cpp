//===- RulesCommand.cpp - saguard rules [RULE] ----------------------------===//
#include "Commands.h"

#include "saguard/rules/RuleRegistry.h"
#include "saguard/support/Error.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

namespace saguard::cli {

void setupRulesCommand(CLI::App &App, Action &Run) {
  CLI::App *Cmd = App.add_subcommand("rules", "List the rules, or print one rule's help page");
  auto Name = std::make_shared<std::string>();
  Cmd->add_option("rule", *Name, "Rule id (SA001) or name");
  Cmd->callback([Name, &Run] {
    Run = [Name]() -> llvm::Expected<ExitCode> {
      llvm::raw_ostream &OS = llvm::outs();
      if (!Name->empty()) {
        const analysis::RuleInfo *Rule = findRuleAnyCase(*Name);
        if (!Rule)
          return makeError("unknown rule '%s' (see `saguard rules`)", Name->c_str());
        OS << Rule->Help;
        return ExitClean;
      }
      for (const analysis::RuleInfo &R : analysis::allRules())
        OS << llvm::formatv("{0}  {1,-34} {2,-8} {3}\n", R.Id, R.Name,
                            analysis::levelName(R.DefaultLevel), R.Summary);
      return ExitClean;
    };
  });
}

} // namespace saguard::cli
