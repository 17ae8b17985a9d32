//===- AnalyseCommands.cpp - saguard PATH..., scan, helm, kustomize -------===//
#include "Commands.h"

#include <memory>

namespace saguard::cli {
namespace {

/// Registers a subcommand's callback: validate the common options, then analyse its targets.
void analyseOnCallback(CLI::App &Cmd, const std::shared_ptr<CommonFlags> &Flags, Action &Run,
                       std::function<std::vector<Target>()> Targets) {
  Cmd.callback([Flags, &Run, Targets = std::move(Targets)] {
    Run = [Flags, Targets] () -> llvm::Expected<ExitCode> {
      // Targets first: the config file is found from them.
      Flags->Run.Targets = Targets();
      if (llvm::Error E = finishCommonOptions(*Flags))
        return E;
      return runAnalysis(Flags->Run);
    };
  });
}

} // namespace

std::vector<Target> detectTargets(const std::vector<std::string> &Paths,
                                  const std::string &KustomizeBin) {
  std::vector<Target> Targets;
  for (const std::string &P : Paths) {
    Target T;
    T.Path = P;
    T.Kind = render::detectTarget(P);
    T.Kustomize.KustomizeBin = KustomizeBin;
    Targets.push_back(std::move(T));
  }
  return Targets;
}

void setupAutoCommand(CLI::App &App, Action &Run) {
  auto Flags = std::make_shared<CommonFlags>();
  auto Paths = std::make_shared<std::vector<std::string>>();
  App.add_option("paths", *Paths,
                 "Charts (Chart.yaml), overlays (kustomization.yaml) or manifests");
  addCommonOptions(App, *Flags);
  App.add_option("--kustomize-bin", Flags->KustomizeBin, "kustomize or kubectl program");
  App.callback([Flags, Paths, &Run, &App] {
    if (App.get_subcommands().size() > 0)
      return; // a subcommand's own callback sets Run
    if (Paths->empty())
      throw CLI::CallForHelp();
    Run = [Flags, Paths]() -> llvm::Expected<ExitCode> {
      Flags->Run.Targets = detectTargets(*Paths, Flags->KustomizeBin);
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
  addCommonOptions(*Cmd, *Flags);
  analyseOnCallback(*Cmd, Flags, Run, [Paths] {
    std::vector<Target> Targets;
    for (const std::string &P : *Paths)
      Targets.push_back({render::TargetKind::Manifests, P, {}, {}});
    return Targets;
  });
}

void setupHelmCommand(CLI::App &App, Action &Run) {
  CLI::App *Cmd = App.add_subcommand(
      "helm", "Render a chart with `helm template` and analyse it; helm flags pass through");
  // Unknown flags go to helm as they are (use --flag=value for ones that take a value).
  Cmd->allow_extras();
  auto Flags = std::make_shared<CommonFlags>();
  struct HelmFlags {
    std::vector<std::string> Positional, Values, Set, SetString, SetFile, SetJson, ApiVersions,
        ShowOnly;
    std::string ReleaseName, KubeVersion, Namespace;
    bool IncludeCrds = false, SkipTests = false, NoHooks = false;
  };
  auto H = std::make_shared<HelmFlags>();
  Cmd->add_option("args", H->Positional, "[NAME] CHART")->required()->expected(1, 2);
  Cmd->add_option("-f,--values", H->Values, "Values file (repeatable)");
  Cmd->add_option("--set", H->Set, "Set values (key=value)");
  Cmd->add_option("--set-string", H->SetString, "Set string values");
  Cmd->add_option("--set-file", H->SetFile, "Set values from files");
  Cmd->add_option("--set-json", H->SetJson, "Set JSON values");
  Cmd->add_option("--release-name", H->ReleaseName, "Release name");
  Cmd->add_option("-n", H->Namespace, "Namespace (same as --namespace)");
  Cmd->add_option("--kube-version", H->KubeVersion, "Kubernetes version for Capabilities");
  Cmd->add_option("-a,--api-versions", H->ApiVersions, "API versions for Capabilities");
  Cmd->add_option("-s,--show-only", H->ShowOnly, "Only these templates");
  Cmd->add_flag("--include-crds", H->IncludeCrds, "Include CRDs from crds/");
  Cmd->add_flag("--skip-tests", H->SkipTests, "Leave out test hooks");
  Cmd->add_flag("--no-hooks", H->NoHooks, "Leave out hooks");
  addCommonOptions(*Cmd, *Flags, /*ShortFormat=*/false);
  analyseOnCallback(*Cmd, Flags, Run, [H, Flags, Cmd] {
    Target T;
    T.Kind = render::TargetKind::Helm;
    T.Path = H->Positional.back();
    if (H->Positional.size() == 2)
      T.Helm.ReleaseName = H->Positional.front();
    if (!H->ReleaseName.empty())
      T.Helm.ReleaseName = H->ReleaseName;
    if (!H->Namespace.empty())
      Flags->Run.Namespace = H->Namespace;
    std::vector<std::string> &Args = T.Helm.ExtraArgs;
    auto Repeat = [&Args](const char *Flag, const std::vector<std::string> &Values) {
      for (const std::string &V : Values) {
        Args.push_back(Flag);
        Args.push_back(V);
      }
    };
    Repeat("--values", H->Values);
    Repeat("--set", H->Set);
    Repeat("--set-string", H->SetString);
    Repeat("--set-file", H->SetFile);
    Repeat("--set-json", H->SetJson);
    Repeat("--api-versions", H->ApiVersions);
    Repeat("--show-only", H->ShowOnly);
    if (!H->KubeVersion.empty())
      Repeat("--kube-version", {H->KubeVersion});
    if (H->IncludeCrds)
      Args.push_back("--include-crds");
    if (H->SkipTests)
      Args.push_back("--skip-tests");
    if (H->NoHooks)
      Args.push_back("--no-hooks");
    for (const std::string &Extra : Cmd->remaining())
      Args.push_back(Extra);
    return std::vector<Target>{std::move(T)};
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
