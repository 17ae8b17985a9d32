//===- Driver.cpp - render, load, analyse and report a set of targets -----===//
#include "saguard/cli/Driver.h"

#include "RenderStart.h"
#include "TargetLoading.h"

#include "saguard/analysis/Analyzer.h"
#include "saguard/fix/Fixes.h"
#include "saguard/fix/LoadedDocuments.h"
#include "saguard/report/Baseline.h"
#include "saguard/report/Report.h"
#include "saguard/rules/RuleRegistry.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <mutex>

namespace saguard::cli {
namespace {

/// `saguard/<path>/`: the target's path from the repository root, whatever the spelling on the
/// command line, plus the values files that shaped a chart (`saguard/charts/web+ci/a.yaml/`).
std::string automationId(const Target &T, const std::string &SrcRoot) {
  std::string Path = report::displayPath(T.Path, SrcRoot);
  // A target outside the repository shows absolute; ids have no empty segment.
  llvm::StringRef Rel = llvm::StringRef(Path).ltrim('/');
  std::string Id = "saguard/" + (Rel.empty() || Rel == "." ? std::string("root") : Rel.str());
  if (T.Kind == render::TargetKind::Helm) {
    std::string Chart = report::displayPath(T.Path, "") + "/";
    for (const std::string &V : T.Helm.ValuesFiles) {
      std::string File = report::displayPath(V, "");
      Id += "+" + (llvm::StringRef(File).startswith(Chart) ? File.substr(Chart.size())
                                                           : report::displayPath(V, SrcRoot));
    }
  }
  return Id + "/";
}

/// Targets analysed as one universe, and the SARIF run they make.
struct AnalysedSet {
  std::string AutomationId;
  std::vector<size_t> Targets;
};

/// One set per target, or one of all with --together or --category; ordered by id so a
/// run's SARIF does not depend on the order targets were named or sharded in.
std::vector<AnalysedSet> analysedSets(const RunOptions &Options, const std::string &SrcRoot) {
  std::vector<AnalysedSet> Sets;
  if (Options.Together || !Options.Category.empty()) {
    AnalysedSet All;
    All.AutomationId = Options.Category.empty() ? "saguard/together/" : Options.Category;
    if (All.AutomationId.back() != '/')
      All.AutomationId += '/'; // as upload-sarif does with its `category`
    for (size_t I = 0; I < Options.Targets.size(); ++I)
      All.Targets.push_back(I);
    Sets.push_back(std::move(All));
    return Sets;
  }
  for (size_t I = 0; I < Options.Targets.size(); ++I)
    Sets.push_back({automationId(Options.Targets[I], SrcRoot), {I}});
  std::stable_sort(Sets.begin(), Sets.end(), [](const AnalysedSet &A, const AnalysedSet &B) {
    return A.AutomationId < B.AutomationId;
  });
  return Sets;
}

report::TargetSummary summaryOf(const Target &T, size_t Objects) {
  report::TargetSummary S;
  S.Path = T.Path;
  S.Objects = Objects;
  switch (T.Kind) {
  case render::TargetKind::Helm:
    S.Kind = "chart";
    S.RenderedBy = "helm template";
    for (const std::string &V : T.Helm.ValuesFiles)
      S.RenderedBy += " -f " + V;
    break;
  case render::TargetKind::Kustomize:
    S.Kind = "overlay";
    S.RenderedBy = "kustomize build";
    break;
  case render::TargetKind::Manifests:
    S.Kind = "manifests";
    S.RenderedBy = T.Files.empty() ? "read" : "read " + std::to_string(T.Files.size()) + " files";
    break;
  }
  return S;
}

} // namespace

bool leaksChecked() {
#if defined(__SANITIZE_ADDRESS__)
  return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(leak_sanitizer)
  return true;
#else
  return false;
#endif
#else
  return false;
#endif
}

void leaveToExit(const RunOptions &Options, std::shared_ptr<void> Object) {
  if (!Options.EndsProcess || leaksChecked())
    return; // freed as the caller's last reference goes
  // Never destroyed: a static's destructor would run at exit, the very work this saves.
  static auto *Spares = new std::vector<std::shared_ptr<void>>();
  static std::mutex SparesMutex;
  std::lock_guard<std::mutex> Lock(SparesMutex);
  Spares->push_back(std::move(Object));
}

std::string sourceRoot(const RunOptions &Options) {
  llvm::SmallString<256> Dir;
  if (!Options.Targets.empty() && Options.Targets[0].Path != "-") {
    Dir = Options.Targets[0].Path;
    llvm::sys::fs::make_absolute(Dir);
    llvm::sys::path::remove_dots(Dir, /*remove_dot_dot=*/true);
    for (llvm::StringRef D = Dir; !D.empty(); D = llvm::sys::path::parent_path(D)) {
      llvm::SmallString<256> Git(D);
      llvm::sys::path::append(Git, ".git");
      if (llvm::sys::fs::exists(Git))
        return D.str();
    }
  }
  llvm::SmallString<256> Cwd;
  if (llvm::sys::fs::current_path(Cwd))
    return ".";
  return Cwd.str().str();
}

std::vector<RenderedTarget> loadTargets(const RunOptions &Options, FileTable &Files,
                                        analysis::Index &Idx,
                                        std::vector<ToolNotification> &Errors) {
  std::vector<TargetResult> Results = analyseAll(Options, Files);
  std::vector<RenderedTarget> Rendered;
  for (TargetResult &R : Results) {
    // Pop as we go: a deque frees each block once emptied, so the model is never held twice.
    for (auto &Objects = R.Loaded.Objects; !Objects.empty(); Objects.pop_front())
      Idx.add(std::move(Objects.front()));
    Idx.countSkipped(R.Loaded.Skipped);
    std::move(R.Loaded.Errors.begin(), R.Loaded.Errors.end(), std::back_inserter(Errors));
  }
  Idx.finalize();
  for (TargetResult &R : Results)
    Rendered.push_back({std::move(R.Rendered), R.Sources.finish()});
  return Rendered;
}

namespace {

/// Input errors on stderr, one line each and at most MaxShown, for reports that go to a file
/// or are meant for machines: a failure must show in the log of a CI job.
void printErrorSummary(const report::ReportData &Data, const FileTable &Files) {
  constexpr size_t MaxShown = 10;
  for (size_t I = 0; I < Data.Errors.size() && I < MaxShown; ++I) {
    const ToolNotification &E = Data.Errors[I];
    std::string Where;
    if (E.Range.File != 0) {
      Where = report::displayPath(Files.path(E.Range.File), "");
      if (E.Range.Begin.isValid())
        Where += ":" + std::to_string(E.Range.Begin.Line);
    } else if (!E.Target.empty()) {
      Where = report::displayPath(E.Target, "");
    }
    std::string Message = E.Message;
    std::replace(Message.begin(), Message.end(), '\n', ' ');
    llvm::WithColor::error(llvm::errs(), "saguard")
        << (Where.empty() ? "" : Where + ": ") << llvm::StringRef(Message).rtrim() << "\n";
  }
  if (Data.Errors.size() > MaxShown)
    llvm::errs() << "saguard: ... and " << Data.Errors.size() - MaxShown
                 << " more input errors (see the report)\n";
  llvm::errs() << "saguard: " << Data.Errors.size() << " input error"
               << (Data.Errors.size() == 1 ? "" : "s") << "; exit status 2\n";
}

/// A rule that `saguard.io/ignore` names but no rule table has suppresses nothing: a typo the
/// user should hear of, at the annotation that names it.
void warnUnknownIgnoredRules(const analysis::Index &Idx, const FileTable &Files) {
  for (const model::Object &O : Idx.objects()) {
    auto Annotation = O.Meta.Annotations.find("saguard.io/ignore");
    if (Annotation == O.Meta.Annotations.end())
      continue;
    std::string List = Annotation->second.valueOr("");
    SourceRange At = Annotation->second.Range.isValid() ? Annotation->second.Range : O.Range;
    llvm::SmallVector<llvm::StringRef, 4> Items;
    llvm::StringRef(List).split(Items, ',', -1, /*KeepEmpty=*/false);
    for (llvm::StringRef Item : Items) {
      Item = Item.trim();
      if (Item.empty() || Item.equals_insensitive("all") || findRuleAnyCase(Item))
        continue;
      std::string Where = At.File ? report::displayPath(Files.path(At.File), "") : "";
      if (!Where.empty() && At.Begin.isValid())
        Where += ":" + std::to_string(At.Begin.Line) + ":" + std::to_string(At.Begin.Column);
      // Names and the annotation are the input's words: printable, so none can forge a line.
      llvm::WithColor::warning(llvm::errs(), "saguard")
          << report::printable((Where.empty() ? "" : Where + ": ") + "saguard.io/ignore on " +
                               O.Ref.qualifiedName() + " names unknown rule '" + Item.str() +
                               "' (see `saguard rules`)")
          << "\n";
    }
  }
}

} // namespace

size_t analyseTargets(const RunOptions &Options, FileTable &Files, report::ReportData &Data,
                      fix::LoadedDocuments *Loaded) {
  std::vector<TargetResult> Results = analyseAll(Options, Files, Loaded);
  Data.SrcRoot = sourceRoot(Options);
  size_t Objects = 0;
  // Each set is its own universe: index, RBAC, rules and policy see only its targets.
  std::vector<AnalysedSet> Sets = analysedSets(Options, Data.SrcRoot);
  for (const AnalysedSet &Set : Sets) {
    report::RunSlice Slice;
    Slice.AutomationId = Set.AutomationId;
    Slice.FindingsBegin = Data.Findings.size();
    Slice.ErrorsBegin = Data.Errors.size();
    RunOptions Part = Options;
    Part.Targets.clear();
    // Only the last set's model is left to the exit: the others are freed before the next set
    // is loaded, so a run's peak memory stays that of its largest set.
    Part.EndsProcess = Options.EndsProcess && &Set == &Sets.back();
    auto Model = std::make_shared<analysis::Index>();
    analysis::Index &Idx = *Model;
    for (size_t I : Set.Targets) {
      TargetResult &R = Results[I];
      const Target &T = Options.Targets[I];
      Part.Targets.push_back(T);
      Slice.Targets.push_back(Data.TargetList.size());
      Data.TargetList.push_back(summaryOf(T, R.Objects));
      for (const std::string &W : R.Warnings)
        llvm::WithColor::warning(llvm::errs(), "saguard") << W << "\n";
      if (R.Objects == 0 && R.Loaded.Errors.empty()) {
        std::string Message = "'" + T.Path + "' yields no Kubernetes objects";
        if (Options.FailIfNoObjects)
          R.Loaded.Errors.push_back({Message + " (--fail-if-no-objects)", {}, T.Path});
        else if (!Options.Quiet)
          llvm::WithColor::warning(llvm::errs(), "saguard") << Message << "\n";
      }
      // Pop as we go: a deque frees each block once emptied, so the model is never held twice.
      for (auto &Loaded = R.Loaded.Objects; !Loaded.empty(); Loaded.pop_front())
        Idx.add(std::move(Loaded.front()));
      Idx.countSkipped(R.Loaded.Skipped);
      std::move(R.Loaded.Errors.begin(), R.Loaded.Errors.end(), std::back_inserter(Data.Errors));
    }
    Idx.finalize();
    warnUnknownIgnoredRules(Idx, Files);
    Objects += Idx.analysedCount();
    // No object, no finding: an empty input does not build the RBAC graph of built-in roles.
    std::vector<analysis::Finding> Findings =
        Idx.objects().empty()
            ? std::vector<analysis::Finding>()
            : analysis::analyze(Idx, Options.Analysis, Options.Selection, analysis::allRules());
    applyPolicy(Options.Policy, Idx, Findings);
    std::vector<RenderedTarget> Rendered;
    for (size_t I : Set.Targets)
      Rendered.push_back({std::move(Results[I].Rendered), Results[I].Sources.finish()});
    mapFindingsToSources(
        Part, [&](size_t I) -> auto & { return Rendered[I]; }, Idx, Files, Findings,
        llvm::MutableArrayRef<ToolNotification>(Data.Errors).drop_front(Slice.ErrorsBegin));
    std::move(Findings.begin(), Findings.end(), std::back_inserter(Data.Findings));
    Slice.FindingsEnd = Data.Findings.size();
    Slice.ErrorsEnd = Data.Errors.size();
    Data.Runs.push_back(std::move(Slice));
    leaveToExit(Part, std::move(Model));
  }
  return Objects;
}

namespace {

/// The Kustomize patches of --emit-patches, their paths as the (first) overlay sees them.
llvm::Error emitPatches(const RunOptions &Options, const std::vector<analysis::Finding> &Findings) {
  fix::PatchSet Patches = fix::kustomizePatches(Findings);
  auto Absolute = [](llvm::StringRef Path) {
    llvm::SmallString<256> Abs(Path);
    llvm::sys::fs::make_absolute(Abs);
    llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
    return std::string(Abs);
  };
  std::string Out = Absolute(Options.EmitPatches);
  std::string Overlay = Options.Targets.empty() ? "" : Absolute(Options.Targets[0].Path);
  // Kustomize reads files only below the overlay, so the snippet names them from there.
  std::string Prefix = Out + "/";
  if (llvm::StringRef(Out).startswith(Overlay + "/"))
    Prefix = Out.substr(Overlay.size() + 1) + "/";
  else
    llvm::WithColor::warning(llvm::errs(), "saguard")
        << "'" << Options.EmitPatches << "' is outside the overlay; kustomize reads patches only "
        << "below it, so move them there and fix the paths\n";
  if (llvm::Error E = fix::writePatches(Patches, Options.EmitPatches, Prefix))
    return E;
  llvm::errs() << "saguard: wrote " << Patches.Files.size() << " patch"
               << (Patches.Files.size() == 1 ? "" : "es") << " and kustomization-patches.yaml to "
               << Options.EmitPatches << "\n";
  for (const std::string &Missed : Patches.NotPatched)
    llvm::errs() << "saguard: needs a base change (no patch): " << report::printable(Missed)
                 << "\n";
  return llvm::Error::success();
}

/// The values override of --emit-values, and on stderr what it sets and what it cannot.
llvm::Error emitValues(const std::string &Path, const std::vector<analysis::Finding> &Findings,
                       const FileTable &Files) {
  fix::ValuesOverride Values = fix::chartValuesOverride(Findings, Files);
  if (llvm::Error E = writeOutput(Path, [&](llvm::raw_ostream &OS) {
        OS << "# saguard: pass with -f to render without the findings these keys fix\n"
           << Values.Yaml;
        return llvm::Error::success();
      }))
    return E;
  for (const std::string &Key : Values.Keys)
    llvm::errs() << "saguard: " << Path << " sets " << report::printable(Key) << "\n";
  for (const std::string &Fixed : Values.Fixed)
    llvm::errs() << "saguard: fixed by " << report::printable(Fixed) << "\n";
  for (const std::string &Missed : Values.NeedsTemplateChange)
    llvm::errs() << "saguard: needs a template change (no values key): "
                 << report::printable(Missed) << "\n";
  return llvm::Error::success();
}

} // namespace

llvm::Expected<ExitCode> runAnalysis(const RunOptions &Options) {
  // Before anything is rendered or written: `-o app.yaml` must never replace app.yaml.
  std::vector<std::string> InputFiles;
  for (const std::string *File : {&Options.ConfigFile, &Options.Baseline})
    if (!File->empty())
      InputFiles.push_back(*File);
  if (llvm::Error E = refuseOutputOverInput(Options.Output, InputFiles, Options.Targets))
    return E;
  report::ReporterOptions ReportOpts{Options.Color};
  ReportOpts.SarifOmitSuppressed = Options.SarifOmitSuppressed;
  ReportOpts.WrapWidth = Options.Output.empty() && llvm::sys::Process::StandardOutIsDisplayed()
                             ? llvm::sys::Process::StandardOutColumns()
                             : 0;
  if (ReportOpts.WrapWidth == 0)
    ReportOpts.WrapWidth = 80; // a file, a pipe, or a terminal that does not say
  auto Reporter = report::createReporter(Options.Format, ReportOpts);
  if (!Reporter)
    return Reporter.takeError();
  // Read before rendering: a baseline that cannot be read stops the run at once.
  std::optional<report::BaselineLog> Baseline;
  if (!Options.Baseline.empty()) {
    auto Read = report::readBaseline(Options.Baseline);
    if (!Read)
      return Read.takeError();
    Baseline = std::move(*Read);
  }

  auto FilesHeld = std::make_shared<FileTable>();
  auto DataHeld = std::make_shared<report::ReportData>();
  auto LoadedHeld = std::make_shared<fix::LoadedDocuments>();
  auto Leave = llvm::make_scope_exit([&] {
    leaveToExit(Options, std::move(FilesHeld));
    leaveToExit(Options, std::move(DataHeld));
    leaveToExit(Options, std::move(LoadedHeld));
  });
  FileTable &Files = *FilesHeld;
  report::ReportData &Data = *DataHeld;
  fix::LoadedDocuments &Loaded = *LoadedHeld;
  size_t Objects = analyseTargets(Options, Files, Data, &Loaded);
  if (!Options.EmitPatches.empty())
    if (llvm::Error E = emitPatches(Options, Data.Findings))
      return E;
  if (!Options.EmitValues.empty())
    if (llvm::Error E = emitValues(Options.EmitValues, Data.Findings, Files))
      return E;
  // Reports offer only fixes that are certain in the files as they are now.
  fix::resolveFixes(Data.Findings, Files, &Loaded, Options.Jobs);

  Data.Files = &Files;
  Data.Rules = analysis::allRules();
  for (const Target &T : Options.Targets)
    Data.Targets.push_back(T.Path);
  Data.ClusterAutomountDefault = Options.Analysis.ClusterAutomountDefault;
  Data.ToolVersion = SAGUARD_VERSION;
  Data.ObjectsAnalysed = Objects;
  if (Baseline)
    report::markBaseline(Data, std::move(*Baseline));
  // Text and gcc lines are for terminals and editors, which open paths from where saguard
  // ran; SARIF, github and JSON paths stay relative to the repository root, as GitHub needs.
  if (Options.Format == "text" || Options.Format == "gcc")
    Data.SrcRoot.clear();

  if (llvm::Error E = writeOutput(Options.Output, [&](llvm::raw_ostream &OS) {
        (*Reporter)->write(Data, OS);
        return llvm::Error::success();
      }))
    return E;

  if (!Data.Errors.empty()) {
    if (Options.Format != "text" || !Options.Output.empty())
      printErrorSummary(Data, Files);
    return ExitInputError;
  }
  return report::failsRun(Data, Options.FailOn) ? ExitFindings : ExitClean;
}

} // namespace saguard::cli
