//===- Driver.cpp - render, load, analyse and report a set of targets -----===//
#include "saguard/cli/Driver.h"

#include "SourceMapping.h"

#include "saguard/model/Loader.h"
#include "saguard/report/Baseline.h"
#include "saguard/report/Report.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <mutex>
#include <thread>

namespace saguard::cli {
namespace {

/// What one target gave: its objects and problems, in stream order.
struct TargetResult {
  model::LoadResult Loaded;
  render::RenderTarget Rendered;
};

std::string errorText(llvm::Error E) { return llvm::toString(std::move(E)); }

/// Splits a stream and loads each document as it arrives, so only the slim model stays.
render::DocumentSplitter makeSplitter(FileId Stream, const model::LoadOptions &Load,
                                      TargetResult &Out, const std::string &TargetName) {
  return render::DocumentSplitter(
      Stream, [&Load, &Out](DocumentText Doc) { model::loadDocument(Doc, Load, Out.Loaded); },
      [&Out, Stream, TargetName, Max = Load.Limits.MaxDocumentBytes](unsigned FirstLine,
                                                                    size_t Bytes) {
        SourcePos Pos{FirstLine, 1};
        Out.Loaded.Errors.push_back(
            {llvm::formatv("document of {0} bytes exceeds the limit of {1}", Bytes, Max).str(),
             {Stream, Pos, Pos},
             TargetName});
      },
      Load.Limits.MaxDocumentBytes);
}

void analyseManifests(const Target &T, const model::LoadOptions &Load, FileTable &Files,
                      TargetResult &Out) {
  render::ManifestReadOptions Read;
  Read.MaxDocumentBytes = Load.Limits.MaxDocumentBytes;
  Read.OnOversized = [&](FileId File, unsigned FirstLine, size_t Bytes) {
    SourcePos Pos{FirstLine, 1};
    Out.Loaded.Errors.push_back(
        {llvm::formatv("document of {0} bytes exceeds the limit of {1}", Bytes,
                       Load.Limits.MaxDocumentBytes)
             .str(),
         {File, Pos, Pos},
         T.Path});
  };
  if (llvm::Error E = render::readManifests(
          T.Path, Files, [&](DocumentText Doc) { model::loadDocument(Doc, Load, Out.Loaded); },
          Read))
    Out.Loaded.Errors.push_back({errorText(std::move(E)), {}, T.Path});
}

void analyseRendered(const render::Renderer &R, const Target &T, const RunOptions &Options,
                     const model::LoadOptions &Load, FileTable &Files, TargetResult &Out) {
  Out.Rendered = R.target();
  // The rendered stream is no file of the repository; findings are mapped back to the
  // template or overlay file before reporting, and this name only shows in related locations.
  FileId Stream = Files.intern(T.Path + (T.Kind == render::TargetKind::Helm
                                             ? " (helm template output)"
                                             : " (kustomize build output)"));
  render::DocumentSplitter Splitter = makeSplitter(Stream, Load, Out, T.Path);
  render::RenderOptions RenderOpts;
  RenderOpts.Timeout = Options.RenderTimeout;
  if (llvm::Error E = render::render(R, Splitter, RenderOpts))
    Out.Loaded.Errors.push_back({errorText(std::move(E)), {}, T.Path});
}

void analyseTarget(const Target &T, const RunOptions &Options, FileTable &Files,
                   TargetResult &Out) {
  model::LoadOptions Load;
  Load.DefaultNamespace = Options.Namespace;
  Load.Target = T.Path;
  switch (T.Kind) {
  case render::TargetKind::Manifests:
    return analyseManifests(T, Load, Files, Out);
  case render::TargetKind::Helm: {
    render::HelmOptions Helm = T.Helm;
    Helm.Chart = T.Path;
    if (Helm.Namespace.empty())
      Helm.Namespace = Options.Namespace;
    // helm's namespace is the one objects without a namespace end up in.
    Load.DefaultNamespace = Helm.Namespace;
    return analyseRendered(render::HelmRenderer(Helm), T, Options, Load, Files, Out);
  }
  case render::TargetKind::Kustomize: {
    render::KustomizeOptions Kustomize = T.Kustomize;
    Kustomize.Dir = T.Path;
    auto R = render::KustomizeRenderer::create(Kustomize);
    if (!R) {
      Out.Loaded.Errors.push_back({errorText(R.takeError()), {}, T.Path});
      return;
    }
    return analyseRendered(**R, T, Options, Load, Files, Out);
  }
  }
}

/// Renders targets on up to Jobs threads; results keep the targets' order.
std::vector<TargetResult> analyseAll(const RunOptions &Options, FileTable &Files) {
  std::vector<TargetResult> Results(Options.Targets.size());
  std::atomic<size_t> Next{0};
  auto Worker = [&] {
    for (size_t I = Next++; I < Options.Targets.size(); I = Next++)
      analyseTarget(Options.Targets[I], Options, Files, Results[I]);
  };
  unsigned Threads = std::max(1u, std::min<unsigned>(Options.Jobs, Options.Targets.size()));
  std::vector<std::thread> Pool;
  for (unsigned I = 1; I < Threads; ++I)
    Pool.emplace_back(Worker);
  Worker();
  for (std::thread &T : Pool)
    T.join();
  return Results;
}

std::string automationId(const RunOptions &Options) {
  if (Options.Targets.size() != 1 || Options.Sharded)
    return "saguard/";
  llvm::SmallString<128> Name(Options.Targets[0].Path);
  llvm::sys::path::remove_dots(Name, true);
  std::string Id = Name.str().str();
  std::replace(Id.begin(), Id.end(), '\\', '/');
  while (!Id.empty() && Id.back() == '/')
    Id.pop_back();
  return "saguard/" + (Id.empty() || Id == "." ? std::string("root") : Id) + "/";
}

} // namespace

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

std::vector<render::RenderTarget> loadTargets(const RunOptions &Options, FileTable &Files,
                                              analysis::Index &Idx,
                                              std::vector<ToolNotification> &Errors) {
  std::vector<TargetResult> Results = analyseAll(Options, Files);
  std::vector<render::RenderTarget> Rendered;
  for (TargetResult &R : Results) {
    // Pop as we go: a deque frees each block once emptied, so the model is never held twice.
    for (auto &Objects = R.Loaded.Objects; !Objects.empty(); Objects.pop_front())
      Idx.add(std::move(Objects.front()));
    Idx.countSkipped(R.Loaded.Skipped);
    std::move(R.Loaded.Errors.begin(), R.Loaded.Errors.end(), std::back_inserter(Errors));
    Rendered.push_back(std::move(R.Rendered));
  }
  Idx.finalize();
  return Rendered;
}

llvm::Error writeOutput(const std::string &Path,
                        llvm::function_ref<llvm::Error(llvm::raw_ostream &)> Write) {
  if (Path.empty()) {
    llvm::Error E = Write(llvm::outs());
    llvm::outs().flush();
    return E;
  }
  auto CannotWrite = [&](const std::string &Why) {
    return llvm::createStringError(std::errc::io_error, "cannot write '%s': %s", Path.c_str(),
                                   Why.c_str());
  };
  // A device or pipe (`-o /dev/stdout`) is written in place: it cannot be replaced.
  llvm::sys::fs::file_status Status;
  bool Special = !llvm::sys::fs::status(Path, Status) &&
                 llvm::sys::fs::exists(Status) && !llvm::sys::fs::is_regular_file(Status);
  if (Special) {
    std::error_code EC;
    llvm::raw_fd_ostream File(Path, EC);
    if (EC)
      return CannotWrite(EC.message());
    llvm::Error E = Write(File);
    File.close();
    if (File.has_error()) {
      // An error left set would abort in the stream's destructor.
      std::string Why = File.error().message();
      File.clear_error();
      return llvm::joinErrors(std::move(E), CannotWrite(Why));
    }
    return E;
  }
  // Written beside the target and renamed over it: a crash, Ctrl-C or full disk leaves the old
  // report or none, never half a report (TempFile removes itself on a signal).
  llvm::Expected<llvm::sys::fs::TempFile> Temp =
      llvm::sys::fs::TempFile::create(Path + ".saguard-%%%%%%.tmp");
  if (!Temp)
    return CannotWrite(llvm::toString(Temp.takeError()));
  std::string Failure;
  llvm::Error Written = llvm::Error::success();
  {
    llvm::raw_fd_ostream File(Temp->FD, /*shouldClose=*/false);
    Written = Write(File);
    File.flush();
    if (File.has_error()) {
      Failure = File.error().message();
      File.clear_error();
    }
  }
  if (Written || !Failure.empty()) {
    llvm::consumeError(Temp->discard()); // the write error is the one worth reporting
    return Failure.empty() ? std::move(Written)
                           : llvm::joinErrors(std::move(Written), CannotWrite(Failure));
  }
  if (llvm::Error E = Temp->keep(Path))
    return CannotWrite(llvm::toString(std::move(E)));
  return llvm::Error::success();
}

namespace {

bool isManifestFileName(llvm::StringRef Name) {
  llvm::StringRef Ext = llvm::sys::path::extension(Name);
  return Ext.equals_insensitive(".yaml") || Ext.equals_insensitive(".yml") ||
         Ext.equals_insensitive(".json");
}

/// Path as the file system resolves it (symlinks, `.` and `..`), or empty if it does not exist.
std::string realPath(llvm::StringRef Path) {
  llvm::SmallString<256> Real;
  if (llvm::sys::fs::real_path(Path, Real))
    return "";
  return Real.str().str();
}

/// Whether the existing file Output (resolved) is read when the target Tree is analysed: any
/// file below a chart or overlay, a manifest below a folder of manifests.
bool readByTree(llvm::StringRef RealOutput, const Target &Tree) {
  std::string Dir = realPath(Tree.Path);
  if (Dir.empty() || !llvm::sys::fs::is_directory(Dir) || RealOutput.size() <= Dir.size() + 1 ||
      !RealOutput.startswith(Dir) || RealOutput[Dir.size()] != '/')
    return false;
  if (Tree.Kind != render::TargetKind::Manifests)
    return true;
  llvm::StringRef Rel = RealOutput.drop_front(Dir.size() + 1);
  for (auto It = llvm::sys::path::begin(Rel), End = llvm::sys::path::end(Rel); It != End; ++It)
    if (It->startswith("."))
      return false; // the walk skips hidden files and folders
  return isManifestFileName(Rel);
}

/// Values files named by `-f`/`--values` among helm flags.
std::vector<std::string> valuesFiles(const std::vector<std::string> &Args) {
  std::vector<std::string> Files;
  for (size_t I = 0; I < Args.size(); ++I) {
    llvm::StringRef A = Args[I];
    if ((A == "-f" || A == "--values") && I + 1 < Args.size())
      Files.push_back(Args[++I]);
    else if (A.consume_front("--values=") || A.consume_front("-f"))
      Files.push_back(A.str());
  }
  return Files;
}

} // namespace

llvm::Error refuseOutputOverInput(const std::string &Output,
                                  llvm::ArrayRef<std::string> InputFiles,
                                  llvm::ArrayRef<Target> Targets) {
  if (Output.empty())
    return llvm::Error::success();
  std::string RealOutput = realPath(Output);
  if (RealOutput.empty())
    return llvm::Error::success(); // nothing there yet, so no input either
  auto Refuse = [&](llvm::StringRef Input) {
    return llvm::createStringError(std::errc::file_exists,
                                   "output file '%s' is an input ('%s'); refusing to overwrite it",
                                   Output.c_str(), Input.str().c_str());
  };
  llvm::sys::fs::UniqueID OutputId;
  if (llvm::sys::fs::getUniqueID(RealOutput, OutputId))
    return llvm::Error::success();
  auto Same = [&](llvm::StringRef Input) {
    llvm::sys::fs::UniqueID Id;
    return Input != "-" && !llvm::sys::fs::getUniqueID(Input, Id) && Id == OutputId;
  };
  for (const std::string &Input : InputFiles)
    if (Same(Input))
      return Refuse(Input);
  for (const Target &T : Targets) {
    if (Same(T.Path) || readByTree(RealOutput, T))
      return Refuse(T.Path);
    for (const std::string &Values : valuesFiles(T.Helm.ExtraArgs))
      if (Same(Values))
        return Refuse(Values);
  }
  return llvm::Error::success();
}

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

  FileTable Files;
  analysis::Index Idx;
  report::ReportData Data;
  std::vector<render::RenderTarget> Rendered = loadTargets(Options, Files, Idx, Data.Errors);

  Data.Findings = analysis::analyze(Idx, Options.Analysis, Options.Selection,
                                    analysis::allRules());
  applyPolicy(Options.Policy, Idx, Data.Findings);
  mapFindingsToSources(Options, [&](size_t I) -> auto & { return Rendered[I]; }, Idx,
                       Files, Data.Findings);
  Data.Files = &Files;
  Data.Rules = analysis::allRules();
  for (const Target &T : Options.Targets)
    Data.Targets.push_back(T.Path);
  Data.SrcRoot = sourceRoot(Options);
  Data.AutomationId = automationId(Options);
  Data.ClusterAutomountDefault = Options.Analysis.ClusterAutomountDefault;
  Data.ToolVersion = SAGUARD_VERSION;
  Data.ObjectsAnalysed = Idx.analysedCount();
  if (Baseline)
    report::markBaseline(Data, std::move(*Baseline));

  if (llvm::Error E = writeOutput(Options.Output, [&](llvm::raw_ostream &OS) {
        (*Reporter)->write(Data, OS);
        return llvm::Error::success();
      }))
    return E;

  if (!Data.Errors.empty())
    return ExitInputError;
  return report::failsRun(Data, Options.FailOn) ? ExitFindings : ExitClean;
}

} // namespace saguard::cli
