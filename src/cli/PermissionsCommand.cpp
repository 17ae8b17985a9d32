//===- PermissionsCommand.cpp - saguard permissions PATH... ---------------===//
#include "Commands.h"
#include "SourceMapping.h"

#include "saguard/analysis/Permissions.h"
#include "saguard/analysis/RoleProposal.h"
#include "saguard/report/Permissions.h"
#include "saguard/report/RoleProposal.h"

#include "llvm/Support/raw_ostream.h"

#include <iterator>
#include <memory>

namespace saguard::cli {
namespace {

/// Points each workload's location and token key at the file a user edits, through the same
/// mapping findings get: one stand-in finding per workload, its message the workload's index
/// (mapping sorts the findings; a key path would steer the mapping).
void mapLocations(const RunOptions &Options, std::vector<RenderedTarget> &Rendered,
                  const analysis::Index &Idx, FileTable &Files,
                  std::vector<analysis::WorkloadPermissions> &Workloads) {
  std::vector<analysis::Finding> StandIns;
  for (size_t I = 0; I < Workloads.size(); ++I) {
    analysis::Finding F;
    F.Object = Workloads[I].Workload->Ref;
    F.Target = Workloads[I].Workload->Target;
    F.Primary = Workloads[I].Location;
    F.Message = std::to_string(I);
    if (Workloads[I].Token.Range.isValid())
      F.Flow.push_back({Workloads[I].Token.Range, ""});
    StandIns.push_back(std::move(F));
  }
  mapFindingsToSources(
      Options, [&](size_t I) -> auto & { return Rendered[I]; }, Idx, Files, StandIns);
  for (const analysis::Finding &F : StandIns) {
    analysis::WorkloadPermissions &P = Workloads[std::stoul(F.Message)];
    P.Location = F.Primary;
    if (!F.Flow.empty())
      P.Token.Range = F.Flow.front().Range;
  }
}

/// One target's objects and RBAC (all targets' with --together), kept while the report that
/// points into them is written.
struct Universe {
  std::unique_ptr<analysis::Index> Idx = std::make_unique<analysis::Index>();
  std::unique_ptr<analysis::RbacGraph> Rbac;
};

/// Whether Spec (`Kind/namespace/name`, `Kind/name` or `name`) names Ref.
bool namesWorkload(llvm::StringRef Spec, const model::ObjectRef &Ref) {
  llvm::SmallVector<llvm::StringRef, 3> Parts;
  Spec.split(Parts, '/');
  if (Parts.size() == 1)
    return Parts[0] == Ref.Name;
  if (!Parts[0].equals_insensitive(Ref.Kind) || Parts.back() != Ref.Name)
    return false;
  return Parts.size() == 2 || (Parts.size() == 3 && Parts[1] == Ref.Namespace);
}

llvm::Expected<ExitCode> runPermissions(const RunOptions &Options, const std::string &Format,
                                        const std::string &Propose) {
  if (llvm::Error E = refuseOutputOverInput(Options.Output, {}, Options.Targets))
    return E;
  FileTable Files;
  report::PermissionsData Data;
  std::vector<std::vector<Target>> Sets;
  if (Options.Together)
    Sets.push_back(Options.Targets);
  else
    for (const Target &T : Options.Targets)
      Sets.push_back({T});
  std::vector<Universe> Universes(Sets.size());
  std::vector<analysis::RoleProposal> Proposals;
  std::string Proposed; // the workload --propose found, as messages name it
  for (size_t I = 0; I < Sets.size(); ++I) {
    RunOptions Part = Options;
    Part.Targets = std::move(Sets[I]);
    // Every grant is listed, whichever rules a config file enables: load every part.
    Part.Selection = {};
    Universe &U = Universes[I];
    std::vector<RenderedTarget> Rendered = loadTargets(Part, Files, *U.Idx, Data.Errors);
    U.Rbac = std::make_unique<analysis::RbacGraph>(*U.Idx);
    analysis::AnalysisContext Ctx(*U.Idx, *U.Rbac, Options.Analysis);
    std::vector<analysis::WorkloadPermissions> Workloads = analysis::summarizePermissions(Ctx);
    for (const analysis::WorkloadPermissions &W : Workloads)
      if (!Propose.empty() && Proposed.empty() && namesWorkload(Propose, W.Workload->Ref)) {
        Proposed = analysis::describeObject(W.Workload->Ref);
        Proposals = analysis::proposeRoles(Ctx, *W.Workload);
      }
    mapLocations(Part, Rendered, *U.Idx, Files, Workloads);
    std::move(Workloads.begin(), Workloads.end(), std::back_inserter(Data.Workloads));
  }
  Data.Files = &Files;
  Data.SrcRoot = sourceRoot(Options);
  Data.ClusterAutomountDefault = Options.Analysis.ClusterAutomountDefault;

  if (!Propose.empty()) {
    if (Proposed.empty())
      return llvm::createStringError(std::errc::invalid_argument,
                                     "no workload '%s' in the analysed set (name it Kind/name, "
                                     "Kind/namespace/name or name)",
                                     Propose.c_str());
    if (llvm::Error E = writeOutput(Options.Output, [&](llvm::raw_ostream &OS) {
          report::writeRoleProposals(Proposals, Proposed, OS);
          return llvm::Error::success();
        }))
      return E;
    return Data.Errors.empty() ? ExitClean : ExitInputError;
  }
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
  addModelOptions(*Cmd, *Flags);
  Cmd->add_option("--jobs", R.Jobs, JobsHelp)->check(CLI::Range(1u, 256u));
  Cmd->add_option("--kustomize-bin", Flags->KustomizeBin, "kustomize or kubectl program");
  Cmd->add_option("--render-timeout", Flags->RenderTimeoutSeconds,
                  "Seconds a renderer may run before it is stopped")
      ->check(CLI::PositiveNumber);
  auto Propose = std::make_shared<std::string>();
  Cmd->add_option("--propose", *Propose,
                  "Print the roles WORKLOAD (Kind/name) keeps without its dangerous rules and "
                  "wildcards, as a YAML proposal");
  runOnFoundTargets(*Cmd, Flags, Paths, Run, [Format, Propose](const RunOptions &Options) {
    return runPermissions(Options, *Format, *Propose);
  });
}

} // namespace saguard::cli
