//===- PermissionsCommand.cpp - saguard permissions PATH... ---------------===//
#include "Commands.h"
#include "SourceMapping.h"

#include "saguard/analysis/Permissions.h"
#include "saguard/report/Permissions.h"

#include "llvm/Support/raw_ostream.h"

#include <memory>

namespace saguard::cli {
namespace {

/// Points each workload's location and token key at the file a user edits, through the same
/// mapping findings get: one stand-in finding per workload, its key path the workload's index.
void mapLocations(const RunOptions &Options, const std::vector<render::RenderTarget> &Rendered,
                  const analysis::Index &Idx, FileTable &Files,
                  std::vector<analysis::WorkloadPermissions> &Workloads) {
  std::vector<analysis::Finding> StandIns;
  for (size_t I = 0; I < Workloads.size(); ++I) {
    analysis::Finding F;
    F.Object = Workloads[I].Workload->Ref;
    F.Target = Workloads[I].Workload->Target;
    F.Primary = Workloads[I].Location;
    F.KeyPath = std::to_string(I);
    if (Workloads[I].Token.Range.isValid())
      F.Flow.push_back({Workloads[I].Token.Range, ""});
    StandIns.push_back(std::move(F));
  }
  mapFindingsToSources(
      Options, [&](size_t I) -> auto & { return Rendered[I]; }, Idx, Files, StandIns);
  for (const analysis::Finding &F : StandIns) {
    analysis::WorkloadPermissions &P = Workloads[std::stoul(F.KeyPath)];
    P.Location = F.Primary;
    if (!F.Flow.empty())
      P.Token.Range = F.Flow.front().Range;
  }
}

llvm::Expected<ExitCode> runPermissions(const RunOptions &Options, const std::string &Format) {
  FileTable Files;
  analysis::Index Idx;
  report::PermissionsData Data;
  std::vector<render::RenderTarget> Rendered = loadTargets(Options, Files, Idx, Data.Errors);
  analysis::RbacGraph Rbac(Idx);
  analysis::AnalysisContext Ctx{Idx, Rbac, Options.Analysis};
  Data.Workloads = analysis::summarizePermissions(Ctx);
  mapLocations(Options, Rendered, Idx, Files, Data.Workloads);
  Data.Files = &Files;
  Data.SrcRoot = sourceRoot(Options);
  Data.ClusterAutomountDefault = Options.Analysis.ClusterAutomountDefault;

  if (llvm::Error E = writeOutput(Options.Output, [&](llvm::raw_ostream &OS) {
        return report::writePermissions(Data, Format, OS);
      }))
    return E;
  return Data.Errors.empty() ? ExitClean : ExitInputError;
}

} // namespace

void setupPermissionsCommand(CLI::App &App, Action &Run) {
  CLI::App *Cmd = App.add_subcommand(
      "permissions", "Per workload: which account, whether its token is mounted, what it can do");
  auto Flags = std::make_shared<CommonFlags>();
  auto Paths = std::make_shared<std::vector<std::string>>();
  auto Format = std::make_shared<std::string>("text");
  RunOptions &R = Flags->Run;
  Cmd->add_option("paths", *Paths, "Charts, overlays, manifest files or directories, or -")
      ->required();
  std::vector<std::string> Formats;
  for (std::string_view F : report::permissionsFormatNames())
    Formats.emplace_back(F);
  Cmd->add_option("-f,--format", *Format, "Output format (dot and mermaid draw the graph)")
      ->check(CLI::IsMember(Formats))
      ->capture_default_str();
  Cmd->add_option("-o,--output", R.Output, "Write to FILE instead of stdout");
  Cmd->add_option("-n,--namespace", R.Namespace, "Namespace of objects that carry none")
      ->capture_default_str();
  Cmd->add_option("--cluster-automount-default", Flags->ClusterAutomountDefault,
                  "Assume automount is on (true) or off when neither Pod nor ServiceAccount says")
      ->check(CLI::IsMember({"true", "false"}))
      ->capture_default_str();
  Cmd->add_option("--jobs", R.Jobs, "Targets rendered at once")->check(CLI::Range(1u, 256u));
  Cmd->add_option("--kustomize-bin", Flags->KustomizeBin, "kustomize or kubectl program");
  Cmd->add_option("--render-timeout", Flags->RenderTimeoutSeconds,
                  "Seconds a renderer may run before it is stopped")
      ->check(CLI::PositiveNumber);
  Cmd->callback([Flags, Paths, Format, &Run] {
    Run = [Flags, Paths, Format]() -> llvm::Expected<ExitCode> {
      // Targets first, as for the analysing commands: finishing the options reads them.
      Flags->Run.Targets = detectTargets(*Paths, Flags->KustomizeBin);
      if (llvm::Error E = finishCommonOptions(*Flags))
        return E;
      return runPermissions(Flags->Run, *Format);
    };
  });
}

} // namespace saguard::cli
