//===- Driver.cpp - render, load, analyse and report a set of targets -----===//
#include "saguard/cli/Driver.h"

#include "RenderStart.h"
#include "SourceMapping.h"

#include "saguard/analysis/Analyzer.h"
#include "saguard/fix/Fixes.h"
#include "saguard/fix/LoadedDocuments.h"
#include "saguard/model/Loader.h"
#include "saguard/model/ParallelLoader.h"
#include "saguard/report/Baseline.h"
#include "saguard/report/Report.h"
#include "saguard/rules/RuleRegistry.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <numeric>
#include <thread>

namespace saguard::cli {
namespace {

/// What one target gave: its objects and problems, in stream order.
struct TargetResult {
  model::LoadResult Loaded;
  render::RenderTarget Rendered;
  /// Its chart or overlay tree, read from the start of the render until mapping.
  SourceReading Sources;
  /// Parts of a manifests folder left unread.
  std::vector<std::string> Warnings;
  /// Objects the target yielded, kept or not.
  size_t Objects = 0;
};

std::string errorText(llvm::Error E) { return llvm::toString(std::move(E)); }

/// An error for a document of Bytes bytes over the limit, at its first line.
ToolNotification oversized(FileId Stream, unsigned FirstLine, size_t Bytes,
                           const model::LoadOptions &Load, const std::string &TargetName) {
  SourcePos Pos{FirstLine, 1};
  return {llvm::formatv("document of {0} bytes exceeds the limit of {1}", Bytes,
                        Load.Limits.MaxDocumentBytes)
              .str(),
          {Stream, Pos, Pos},
          TargetName};
}

/// Splits a stream and hands each document to Loader as it arrives, so only the slim model
/// stays; the renderer still writes while the documents it wrote are loaded.
render::DocumentSplitter makeSplitter(FileId Stream, const model::LoadOptions &Load,
                                      model::ParallelLoader &Loader,
                                      const std::string &TargetName) {
  return render::DocumentSplitter(
      Stream, [&Loader](DocumentText Doc) { Loader.load(std::move(Doc)); },
      [&Loader, &Load, Stream, TargetName](unsigned FirstLine, size_t Bytes) {
        Loader.addError(oversized(Stream, FirstLine, Bytes, Load, TargetName));
      },
      Load.Limits.MaxDocumentBytes);
}

void analyseManifests(const Target &T, const model::LoadOptions &Load, FileTable &Files,
                      TargetResult &Out) {
  model::ParallelLoader Loader(Load, Out.Loaded, Load.Threads);
  render::ManifestReadOptions Read;
  Read.MaxDocumentBytes = Load.Limits.MaxDocumentBytes;
  Read.OnOversized = [&](FileId File, unsigned FirstLine, size_t Bytes) {
    Loader.addError(oversized(File, FirstLine, Bytes, Load, T.Path));
  };
  Read.OnWarning = [&](const std::string &W) { Out.Warnings.push_back(W); };
  Out.Sources.start(T, Out.Rendered); // the chart of `helm template ... | saguard scan --chart`
  auto Sink = [&](DocumentText Doc) { Loader.load(std::move(Doc)); };
  for (const std::string &Path : T.Files.empty() ? std::vector<std::string>{T.Path} : T.Files)
    if (llvm::Error E = render::readManifests(Path, Files, Sink, Read))
      Loader.addError({errorText(std::move(E)), {}, T.Path});
}

/// The file `--keep-render` writes T's render to, inside the folder: the target's path with
/// its separators as `_` (one flat folder, no `..` escaping it), its values set, and the tool.
std::string keptRenderName(const Target &T) {
  std::string Name = T.Path;
  if (!T.ValuesSet.empty())
    Name += "+" + T.ValuesSet;
  for (char &C : Name)
    if (C == '/' || C == '\\')
      C = '_';
  if (Name.empty() || Name.front() == '.')
    Name.insert(0, "target");
  return Name + (T.Kind == render::TargetKind::Helm ? ".helm.yaml" : ".kustomize.yaml");
}

/// Renders T with R (its render started already when Started says so) and loads what it writes.
void analyseRendered(const render::Renderer &R, render::StartedRender Started, const Target &T,
                     const RunOptions &Options, const model::LoadOptions &Load, FileTable &Files,
                     TargetResult &Out) {
  render::RenderOptions RenderOpts;
  RenderOpts.Timeout = Options.RenderTimeout;
  RenderOpts.Env = rendererEnv(Options);
  // The renderer first: nothing below feeds it, and all of it can overlap the render.
  if (!Started.started())
    Started = render::startRender(R, RenderOpts);
  Out.Rendered = R.target();
  Out.Sources.start(T, Out.Rendered);
  std::unique_ptr<llvm::raw_fd_ostream> Kept;
  std::string KeptPath;
  if (!Options.KeepRenderDir.empty()) {
    llvm::SmallString<256> P(Options.KeepRenderDir);
    llvm::sys::path::append(P, keptRenderName(T));
    KeptPath = P.str().str();
    std::error_code EC = llvm::sys::fs::create_directories(Options.KeepRenderDir);
    if (!EC)
      Kept = std::make_unique<llvm::raw_fd_ostream>(KeptPath, EC);
    if (EC) {
      Out.Loaded.Errors.push_back(
          {"cannot keep the render in " + KeptPath + ": " + EC.message(), {}, T.Path});
      Kept.reset();
    } else {
      RenderOpts.OnOutput = [&Kept](std::string_view Chunk) { *Kept << Chunk; };
    }
  }
  // Without --keep-render the rendered stream is no file of the repository: findings are
  // mapped back to the template or overlay file, and reports link to no rendered position.
  FileId Stream = Kept ? Files.intern(KeptPath)
                       : Files.internRendered(T.Path + (T.Kind == render::TargetKind::Helm
                                                            ? " (helm template output)"
                                                            : " (kustomize build output)"));
  model::ParallelLoader Loader(Load, Out.Loaded, Load.Threads);
  render::DocumentSplitter Splitter = makeSplitter(Stream, Load, Loader, T.Path);
  if (llvm::Error E = render::finishRender(Started, Splitter, RenderOpts))
    Loader.addError({errorText(std::move(E)), {}, T.Path});
  // The renderer's core is free: reading the tree ahead now goes beside the analysis.
  Out.Sources.hurry();
}

void analyseTarget(const Target &T, const RunOptions &Options, FileTable &Files, TargetResult &Out,
                   fix::LoadedDocuments *Loaded) {
  model::LoadOptions Load;
  Load.DefaultNamespace = Options.Namespace;
  Load.Target = InternedString::intern(T.Path);
  Load.Keep = analysis::partsRead(Options.Selection, analysis::allRules());
  // Targets analysed at once share the jobs; a lone target loads its documents with all of them.
  Load.Threads =
      Options.Jobs / std::max<unsigned>(1, std::min<size_t>(Options.Jobs, Options.Targets.size()));
  if (T.Kind == render::TargetKind::Manifests) {
    // Only files hold the documents fixes edit in place.
    if (Loaded)
      Load.OnDocument = Loaded->recorder(Load.DefaultNamespace);
    return analyseManifests(T, Load, Files, Out);
  }
  // helm's namespace is the one objects without a namespace end up in.
  if (T.Kind == render::TargetKind::Helm)
    Load.DefaultNamespace = helmNamespace(T, Options);
  std::unique_ptr<render::Renderer> R;
  render::StartedRender Started;
  if (auto Early = Options.Early ? Options.Early->take(T, Options) : std::nullopt) {
    R = std::move(Early->first);
    Started = std::move(Early->second);
  } else if (llvm::Expected<std::unique_ptr<render::Renderer>> Made = makeRenderer(T, Options)) {
    R = std::move(*Made);
  } else {
    Out.Loaded.Errors.push_back({errorText(Made.takeError()), {}, T.Path});
    return;
  }
  analyseRendered(*R, std::move(Started), T, Options, Load, Files, Out);
}

/// Bytes of the files under Dir, a guess at how long its render takes; stops counting after
/// MaxEntries entries, so a huge tree costs little.
uint64_t treeBytes(const std::string &Dir) {
  constexpr size_t MaxEntries = 10000;
  uint64_t Bytes = 0;
  size_t Entries = 0;
  std::error_code EC;
  for (llvm::sys::fs::recursive_directory_iterator It(Dir, EC), End;
       It != End && !EC && Entries < MaxEntries; It.increment(EC), ++Entries)
    if (llvm::ErrorOr<llvm::sys::fs::basic_file_status> Status = It->status())
      if (Status->type() == llvm::sys::fs::file_type::regular_file)
        Bytes += Status->getSize();
  return Bytes;
}

/// Target indexes, those with the most input first: a long render started last would keep one
/// worker busy while the others idle (a chart with megabytes of CRDs among small ones).
std::vector<size_t> largestFirst(const std::vector<Target> &Targets) {
  std::vector<uint64_t> Bytes;
  for (const Target &T : Targets) {
    uint64_t B = 0;
    if (T.Kind != render::TargetKind::Manifests && llvm::sys::fs::is_directory(T.Path))
      B = treeBytes(T.Path);
    for (const std::string &File : T.Files.empty() ? std::vector<std::string>{T.Path} : T.Files)
      if (uint64_t Size;
          llvm::sys::fs::is_regular_file(File) && !llvm::sys::fs::file_size(File, Size))
        B += Size;
    Bytes.push_back(B);
  }
  std::vector<size_t> Order(Targets.size());
  std::iota(Order.begin(), Order.end(), 0);
  std::stable_sort(Order.begin(), Order.end(),
                   [&](size_t A, size_t B) { return Bytes[A] > Bytes[B]; });
  return Order;
}

/// Renders targets on up to Jobs threads; results keep the targets' order. On a terminal, a
/// run of several targets shows each finished one (`[3/12] charts/web`), and a run that
/// lasts over 2 s shows what it is rendering; the line is erased before the report.
std::vector<TargetResult> analyseAll(const RunOptions &Options, FileTable &Files,
                                     fix::LoadedDocuments *Loaded = nullptr) {
  std::vector<TargetResult> Results(Options.Targets.size());
  std::atomic<size_t> Next{0};
  size_t Done = 0;
  std::mutex ProgressMutex;
  std::condition_variable Finished;
  bool Terminal = llvm::sys::Process::StandardErrIsDisplayed() && !Options.Quiet;
  bool Shown = false;
  auto Show = [&](llvm::StringRef Path) { // with ProgressMutex held
    llvm::errs() << "\r\x1b[K[" << Done << "/" << Options.Targets.size() << "] " << Path;
    llvm::errs().flush();
    Shown = true;
  };
  unsigned Threads = std::max(1u, std::min<unsigned>(Options.Jobs, Options.Targets.size()));
  std::vector<size_t> Order(Options.Targets.size());
  if (Threads > 1)
    Order = largestFirst(Options.Targets);
  else
    std::iota(Order.begin(), Order.end(), 0);
  auto Worker = [&] {
    for (size_t N = Next++; N < Order.size(); N = Next++) {
      size_t I = Order[N];
      analyseTarget(Options.Targets[I], Options, Files, Results[I], Loaded);
      Results[I].Objects = Results[I].Loaded.Objects.size() + Results[I].Loaded.Skipped;
      std::lock_guard<std::mutex> Lock(ProgressMutex);
      ++Done;
      if (Terminal && Options.Targets.size() > 1)
        Show(Options.Targets[I].Path);
      Finished.notify_all();
    }
  };
  std::thread Ticker;
  if (Terminal && Options.Targets.size() == 1)
    Ticker = std::thread([&] {
      std::unique_lock<std::mutex> Lock(ProgressMutex);
      if (!Finished.wait_for(Lock, std::chrono::seconds(2), [&] { return Done == 1; }))
        Show(Options.Targets[0].Path);
    });
  std::vector<std::thread> Pool;
  for (unsigned I = 1; I < Threads; ++I)
    Pool.emplace_back(Worker);
  Worker();
  for (std::thread &T : Pool)
    T.join();
  if (Options.Early)
    Options.Early->drop(); // no target took it: the one it renders left the run (--shard)
  if (Ticker.joinable())
    Ticker.join();
  if (Shown)
    llvm::errs() << "\r\x1b[K";
  return Results;
}

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
