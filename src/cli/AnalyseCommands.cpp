//===- AnalyseCommands.cpp - saguard PATH..., scan, helm, kustomize -------===//
#include "Commands.h"
#include "HelmFlags.h"
#include "TargetDiscovery.h"

#include "saguard/render/TreeWalk.h"
#include "saguard/support/Error.h"

#include "llvm/Support/WithColor.h"

#include <memory>

namespace saguard::cli {
namespace {

/// Analyses Flags.Run.Targets, set already: the config file is found from them. The renderer of
/// a lone chart or overlay starts first, and finishing the options (that config file, the
/// baseline) overlaps it.
llvm::Expected<ExitCode> analyseSetTargets(CommonFlags &Flags) {
  Flags.Run.Early = startEarlyRender(Flags.Run);
  if (llvm::Error E = finishCommonOptions(Flags))
    return E;
  return runAnalysis(Flags.Run);
}

/// Registers a subcommand's callback: validate the common options, then analyse its targets.
void analyseOnCallback(CLI::App &Cmd, const std::shared_ptr<CommonFlags> &Flags, Action &Run,
                       std::function<std::vector<Target>()> Targets) {
  Cmd.callback([Flags, &Run, Targets = std::move(Targets)] {
    Run = [Flags, Targets] () -> llvm::Expected<ExitCode> {
      Flags->Run.Targets = Targets();
      return analyseSetTargets(*Flags);
    };
  });
}

} // namespace

namespace {

/// Patterns of --exclude and of the config's `exclude:`, `helm.valuesSets:` as globs.
llvm::Error addGlobs(const std::vector<std::string> &Patterns, std::vector<model::NameGlob> &To) {
  for (const std::string &P : Patterns) {
    llvm::Expected<model::NameGlob> G = model::NameGlob::create(P);
    if (!G)
      return G.takeError();
    To.push_back(std::move(*G));
  }
  return llvm::Error::success();
}

} // namespace

llvm::Expected<std::vector<Target>> findTargets(const CommonFlags &Flags,
                                                const std::vector<std::string> &Paths,
                                                const std::vector<std::string> &Exclude,
                                                bool ValuesSets) {
  DiscoveryOptions Options;
  Options.KustomizeBin = Flags.KustomizeBin;
  if (llvm::Error E = addGlobs(Exclude, Options.Exclude))
    return std::move(E);
  std::string Start = Paths.empty() || render::hasGlobCharacters(Paths.front()) ? "."
                                                                               : Paths.front();
  llvm::Expected<std::optional<model::Config>> Config = readRunConfig(Flags, Start);
  if (!Config)
    return Config.takeError();
  std::vector<std::string> Sets;
  if (*Config) {
    std::vector<std::string> More;
    for (const model::ConfigString &P : (*Config)->Exclude)
      More.push_back(P.Value);
    for (const model::ConfigString &P : (*Config)->HelmValuesSets)
      Sets.push_back(P.Value);
    if (llvm::Error E = addGlobs(More, Options.Exclude))
      return std::move(E);
  }
  if (ValuesSets && Sets.empty())
    Sets.push_back("ci/*-values.yaml"); // the chart-testing convention
  if (llvm::Error E = addGlobs(Sets, Options.ValuesSets))
    return std::move(E);

  llvm::Expected<Discovered> Found = discoverTargets(Paths, Options);
  if (!Found)
    return Found.takeError();
  for (const std::string &W : Found->Warnings)
    llvm::WithColor::warning(llvm::errs(), "saguard") << W << "\n";
  if (!Found->Skipped.empty() && !Flags.Run.Quiet) {
    llvm::WithColor::note(llvm::errs(), "saguard")
        << "skipped " << Found->Skipped.size() << " file"
        << (Found->Skipped.size() == 1 ? "" : "s") << " that hold no Kubernetes objects"
        << (Flags.Run.Verbose ? ":" : " (--verbose lists them)") << "\n";
    if (Flags.Run.Verbose)
      for (const std::string &F : Found->Skipped)
        llvm::errs() << "  " << F << "\n";
  }
  if (Found->Targets.empty()) {
    std::string Message = "no charts, overlays or Kubernetes manifests found";
    if (Flags.Run.FailIfNoObjects)
      return makeError("%s (--fail-if-no-objects)", Message.c_str());
    llvm::WithColor::warning(llvm::errs(), "saguard") << Message << "\n";
  }
  return std::move(Found->Targets);
}

void setupAutoCommand(CLI::App &App, Action &Run) {
  auto Flags = std::make_shared<CommonFlags>();
  auto Paths = std::make_shared<std::vector<std::string>>();
  auto Exclude = std::make_shared<std::vector<std::string>>();
  auto ValuesSets = std::make_shared<bool>(false);
  App.add_option("paths", *Paths,
                 "Charts, overlays, manifests, or folders to find them in (globs are expanded)");
  addCommonOptions(App, *Flags);
  App.add_option("--kustomize-bin", Flags->KustomizeBin, "kustomize or kubectl program");
  App.add_option("--exclude", *Exclude,
                 "Leave out paths matching GLOB (relative to a folder walked; repeatable)");
  auto Helm = std::make_shared<HelmPassThrough>();
  Helm->addTo(App, /*WithShort=*/false, /*WithVersion=*/false);
  App.add_flag("--values-sets", *ValuesSets,
               "Render each chart once per chart-testing values file (ci/*-values.yaml, or the "
               "config's helm.valuesSets)");
  App.callback([Flags, Paths, Exclude, ValuesSets, Helm, &Run, &App] {
    if (App.get_subcommands().size() > 0)
      return; // a subcommand's own callback sets Run
    if (Paths->empty()) {
      Run = [&App]() -> llvm::Expected<ExitCode> {
        llvm::errs() << App.help() << "\nsaguard: no path given: name a chart, an overlay, "
                                     "manifests, or a folder (such as .)\n";
        return ExitInputError;
      };
      return;
    }
    Run = [Flags, Paths, Exclude, ValuesSets, Helm]() -> llvm::Expected<ExitCode> {
      llvm::Expected<std::vector<Target>> Targets =
          findTargets(*Flags, *Paths, *Exclude, *ValuesSets);
      if (!Targets)
        return Targets.takeError();
      // helm flags apply to every chart, after a values set's own file.
      for (Target &T : *Targets)
        if (T.Kind == render::TargetKind::Helm)
          Helm->applyTo(T.Helm);
      Flags->Run.Targets = std::move(*Targets);
      // After the targets: the config file is found from them.
      if (llvm::Error E = finishCommonOptions(*Flags))
        return E;
      return runAnalysis(Flags->Run);
    };
  });
}

void setupScanCommand(CLI::App &App, Action &Run) {
  CLI::App *Cmd = App.add_subcommand("scan", "Analyse manifest files, directories or stdin (-)");
  auto Flags = std::make_shared<CommonFlags>();
  auto Paths = std::make_shared<std::vector<std::string>>();
  Cmd->add_option("paths", *Paths, "YAML/JSON files, directories (recursive), or - for stdin")
      ->required();
  auto Chart = std::make_shared<std::string>();
  Cmd->add_option("--chart", *Chart,
                  "The chart `helm template` rendered the input from: findings follow its "
                  "`# Source:` comments to the template lines and values keys")
      ->check(CLI::ExistingDirectory);
  addCommonOptions(*Cmd, *Flags);
  analyseOnCallback(*Cmd, Flags, Run, [Paths, Chart] {
    std::vector<Target> Targets;
    for (const std::string &P : *Paths) {
      Targets.push_back({render::TargetKind::Manifests, P, {}, {}});
      Targets.back().Helm.Chart = *Chart;
    }
    return Targets;
  });
}

void setupHelmCommand(CLI::App &App, Action &Run, std::vector<std::string> AfterDashes,
                      bool WithHelmFlags) {
  CLI::App *Cmd = App.add_subcommand(
      "helm", "Render a chart with `helm template` and analyse it; every helm template flag "
              "passes through, and everything after --");
  // Flags of a newer helm than the list knows still reach it in the --flag=value form.
  Cmd->allow_extras();
  auto Flags = std::make_shared<CommonFlags>();
  auto Positional = std::make_shared<std::vector<std::string>>();
  auto ReleaseName = std::make_shared<std::string>();
  auto Helm = std::make_shared<HelmPassThrough>();
  Cmd->add_option("args", *Positional, "[NAME] CHART")->required()->expected(1, 2);
  Cmd->add_option("--release-name", *ReleaseName, "Release name");
  Cmd->add_option("--emit-values", Flags->Run.EmitValues,
                  "Write a values file that, passed with -f, fixes the findings a values key "
                  "reaches; list the others");
  if (WithHelmFlags)
    Helm->addTo(*Cmd, /*WithShort=*/true, /*WithVersion=*/true);
  addCommonOptions(*Cmd, *Flags, /*ShortFormat=*/false);
  Cmd->callback([Flags, Positional, ReleaseName, Helm, Cmd, &Run,
                 AfterDashes = std::move(AfterDashes)] {
    std::string Mistake = valuesFileMistake(Helm->valuesFiles());
    Run = [=]() -> llvm::Expected<ExitCode> {
      if (!Mistake.empty())
        return makeError("%s", Mistake.c_str());
      Target T;
      T.Kind = render::TargetKind::Helm;
      T.Path = Positional->back();
      if (Positional->size() == 2)
        T.Helm.ReleaseName = Positional->front();
      if (!ReleaseName->empty())
        T.Helm.ReleaseName = *ReleaseName;
      Helm->applyTo(T.Helm);
      for (const std::string &Extra : Cmd->remaining())
        T.Helm.ExtraArgs.push_back(Extra);
      T.Helm.ExtraArgs.insert(T.Helm.ExtraArgs.end(), AfterDashes.begin(), AfterDashes.end());
      Flags->Run.Targets = {std::move(T)};
      return analyseSetTargets(*Flags);
    };
  });
}

void setupKustomizeCommand(CLI::App &App, Action &Run) {
  CLI::App *Cmd =
      App.add_subcommand("kustomize", "Build an overlay with kustomize and analyse it");
  auto Flags = std::make_shared<CommonFlags>();
  auto Dirs = std::make_shared<std::vector<std::string>>();
  Cmd->add_option("dirs", *Dirs, "Kustomization directories")->required();
  addCommonOptions(*Cmd, *Flags);
  Cmd->add_option("--kustomize-bin", Flags->KustomizeBin,
                  "kustomize or kubectl program (default: kustomize, else kubectl kustomize)");
  Cmd->add_option("--emit-patches", Flags->Run.EmitPatches,
                  "Write a strategic-merge patch per object with fixable findings, and a "
                  "kustomization.yaml snippet listing them, into DIR");
  analyseOnCallback(*Cmd, Flags, Run, [Dirs, Flags] {
    std::vector<Target> Targets;
    for (const std::string &D : *Dirs) {
      Target T;
      T.Kind = render::TargetKind::Kustomize;
      T.Path = D;
      T.Kustomize.KustomizeBin = Flags->KustomizeBin;
      Targets.push_back(std::move(T));
    }
    return Targets;
  });
}

} // namespace saguard::cli
