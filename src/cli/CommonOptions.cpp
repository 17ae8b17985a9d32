//===- CommonOptions.cpp - options every analysing command takes ----------===//
#include "Commands.h"

#include "saguard/rules/RuleRegistry.h"
#include "saguard/support/Error.h"

#include "llvm/Support/Process.h"

#include <cstdlib>
#include <thread>

namespace saguard::cli {

bool terminalWantsColour() {
  const char *NoColor = std::getenv("NO_COLOR");
  const char *Term = std::getenv("TERM");
  return !(NoColor && *NoColor) && !(Term && llvm::StringRef(Term) == "dumb");
}

void addModelOptions(CLI::App &Cmd, CommonFlags &Flags) {
  // -n as kubectl and helm spell it (`kubectl saguard -n shop ...`).
  Cmd.add_option("-n,--namespace", Flags.Run.Namespace, "Namespace of objects that carry none")
      ->capture_default_str();
  Cmd.add_option("--cluster-automount-default", Flags.ClusterAutomountDefault,
                 "Assume automount is on (true, the Kubernetes default) or off when neither "
                 "Pod nor ServiceAccount says")
      ->check(CLI::IsMember({"true", "false"}))
      ->capture_default_str();
}

void addCommonOptions(CLI::App &Cmd, CommonFlags &Flags, bool ShortFormat) {
  RunOptions &Run = Flags.Run;
  Run.Jobs = std::max(1u, std::thread::hardware_concurrency());
  Cmd.add_option(ShortFormat ? "-f,--format" : "--format", Run.Format, "Output format")
      ->check(CLI::IsMember({"text", "json", "sarif", "gcc", "github"}))
      ->capture_default_str();
  Cmd.add_option("-o,--output", Run.Output, "Write the report to FILE instead of stdout");
  Cmd.add_option("--keep-render", Run.KeepRenderDir,
                 "Write each render to DIR, and point at it where a report names a rendered line");
  Cmd.add_option("--fail-on", Flags.FailOn, "Lowest level that makes the run exit 1")
      ->check(CLI::IsMember({"error", "warning", "note", "none"}))
      ->capture_default_str();
  Cmd.add_option("--enable", Flags.Enable, "Run only these rules (ids or names)")
      ->delimiter(',');
  Cmd.add_option("--disable", Flags.Disable, "Do not run these rules")->delimiter(',');
  addModelOptions(Cmd, Flags);
  Cmd.add_option("--jobs", Run.Jobs, JobsHelp)
      ->check(CLI::Range(1u, 256u))
      ->capture_default_str();
  Cmd.add_flag("--quiet", Run.Quiet, "Print only the findings, no summary");
  Cmd.add_option("--color", Flags.Color, "Colour in text output")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  Cmd.add_option("--render-timeout", Flags.RenderTimeoutSeconds,
                 "Seconds a renderer may run before it is stopped")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  Cmd.add_option("--config", Flags.ConfigPath,
                 "Config file (default: .saguard.yaml or .saguard.yml found upward from the "
                 "first target)");
  Cmd.add_option("--baseline", Run.Baseline,
                 "SARIF report of an earlier run: its results are not new and do not fail "
                 "the run");
  CLI::Option *Shard = Cmd.add_option(
      "--shard", Flags.Shard, "Analyse only slice I of N of the targets (sorted by path), e.g. 2/4");
  Cmd.add_option("--shard-index", Flags.ShardIndex,
                 "--shard counted from 0: K/N is slice K+1 of N (for a Kubernetes Indexed Job's "
                 "JOB_COMPLETION_INDEX)")
      ->excludes(Shard);
  Cmd.add_flag("--sarif-omit-suppressed", Run.SarifOmitSuppressed,
               "Leave suppressed (and baseline-absent) results out of SARIF, for GitHub code "
               "scanning, which would open them as alerts");
  Cmd.add_flag("--together", Run.Together,
               "Analyse all targets as one set (releases deployed into one cluster); by "
               "default each target is analysed on its own");
  Cmd.add_option("--category", Run.Category,
                 "SARIF automationDetails.id of the run, all targets in one run (default: "
                 "one run per target, named after its path)");
  Cmd.add_flag("--fail-if-no-objects", Run.FailIfNoObjects,
               "Exit 2 when a target yields no Kubernetes objects");
  Cmd.add_flag("--verbose", Run.Verbose, "List the files skipped as holding no Kubernetes objects");
  Flags.Cmd = &Cmd;
}

const analysis::RuleInfo *findRuleAnyCase(llvm::StringRef IdOrName) {
  // Ids are upper case (SA005) and names lower case, so the two spellings cover any case.
  for (const std::string &Try : {IdOrName.str(), IdOrName.upper(), IdOrName.lower()})
    if (const analysis::RuleInfo *Rule = analysis::findRule(Try))
      return Rule;
  return nullptr;
}

llvm::Error finishCommonOptions(CommonFlags &Flags) {
  RunOptions &Run = Flags.Run;
  // Only commands finish options, and main ends the process after a command's run.
  Run.EndsProcess = true;
  if (llvm::Error E = applyConfigFile(Flags))
    return E;
  if (llvm::Error E = applyShard(Flags))
    return E;
  Run.FailOn = analysis::parseLevel(Flags.FailOn); // "none" -> never fail on findings
  Run.Analysis.ClusterAutomountDefault = Flags.ClusterAutomountDefault == "true";
  for (auto [List, Set] : {std::pair{&Flags.Enable, &Run.Selection.Enabled},
                           std::pair{&Flags.Disable, &Run.Selection.Disabled}}) {
    for (const std::string &Name : *List) {
      const analysis::RuleInfo *Rule = findRuleAnyCase(Name);
      if (!Rule)
        return makeError("unknown rule '%s' (see `saguard rules`)", Name.c_str());
      Set->insert(std::string(Rule->Id));
    }
  }
  Run.Color = Flags.Color == "always" ||
              (Flags.Color == "auto" && Run.Output.empty() && Run.Format == "text" &&
               llvm::sys::Process::StandardOutIsDisplayed() && terminalWantsColour());
  Run.RenderTimeout = std::chrono::milliseconds(
      static_cast<long long>(Flags.RenderTimeoutSeconds * 1000));
  return llvm::Error::success();
}

void runOnFoundTargets(CLI::App &Cmd, const std::shared_ptr<CommonFlags> &Flags,
                       const std::shared_ptr<std::vector<std::string>> &Paths, Action &Run,
                       std::function<llvm::Expected<ExitCode>(const RunOptions &)> Body) {
  Cmd.add_flag("--together", Flags->Run.Together,
               "One set of all targets (releases in one cluster); by default each on its own");
  auto Exclude = std::make_shared<std::vector<std::string>>();
  Cmd.add_option("--exclude", *Exclude, "Leave out paths matching GLOB when walking a folder");
  Cmd.callback([Flags, Paths, Exclude, &Run, Body = std::move(Body)] {
    Run = [Flags, Paths, Exclude, Body]() -> llvm::Expected<ExitCode> {
      // Targets first, as for the analysing commands: finishing the options reads them.
      llvm::Expected<std::vector<Target>> Targets =
          findTargets(*Flags, *Paths, *Exclude, /*ValuesSets=*/false);
      if (!Targets)
        return Targets.takeError();
      Flags->Run.Targets = std::move(*Targets);
      if (llvm::Error E = finishCommonOptions(*Flags))
        return E;
      return Body(Flags->Run);
    };
  });
}

} // namespace saguard::cli
