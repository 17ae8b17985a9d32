//===- TargetLoading.cpp - render or read targets and load their documents -===//
#include "TargetLoading.h"

#include "RenderStart.h"

#include "saguard/analysis/Analyzer.h"
#include "saguard/fix/LoadedDocuments.h"
#include "saguard/model/ParallelLoader.h"
#include "saguard/rules/RuleRegistry.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <numeric>
#include <thread>

namespace saguard::cli {
namespace {

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
  RenderOpts.OnWait = [&Loader] { Loader.handOver(); };
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

} // namespace

/// Renders targets on up to Jobs threads; results keep the targets' order. On a terminal, a
/// run of several targets shows each finished one (`[3/12] charts/web`), and a run that
/// lasts over 2 s shows what it is rendering; the line is erased before the report.
std::vector<TargetResult> analyseAll(const RunOptions &Options, FileTable &Files,
                                     fix::LoadedDocuments *Loaded) {
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

} // namespace saguard::cli
