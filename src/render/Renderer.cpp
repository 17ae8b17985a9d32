//===- Renderer.cpp - helm template and kustomize build -------------------===//
#include "saguard/render/Renderer.h"

#include "saguard/render/Subprocess.h"
#include "saguard/support/Error.h"
#include "saguard/support/Kustomization.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <mutex>
#include <tuple>

#include <stdlib.h>
#include <unistd.h>

namespace saguard::render {

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

Renderer::~Renderer() = default;

TargetKind detectTarget(llvm::StringRef Path) {
  if (Path == "-")
    return TargetKind::Manifests;
  if (!fs::is_directory(Path)) {
    if (fs::is_regular_file(Path) && (Path.endswith(".tgz") || Path.endswith(".tar.gz")))
      return TargetKind::Helm;
    return TargetKind::Manifests;
  }
  auto Has = [&](llvm::StringRef Name) {
    llvm::SmallString<256> P(Path);
    path::append(P, Name);
    return fs::is_regular_file(P);
  };
  if (Has("Chart.yaml"))
    return TargetKind::Helm;
  if (llvm::any_of(KustomizationFileNames, Has))
    return TargetKind::Kustomize;
  return TargetKind::Manifests;
}

//===----------------------------------------------------------------------===//
// helm
//===----------------------------------------------------------------------===//

HelmRenderer::HelmRenderer(HelmOptions Opts) : Options(std::move(Opts)) {
  Target.Kind = TargetKind::Helm;
  Target.Path = Options.Chart;
}

llvm::Expected<RenderCommand> HelmRenderer::command() const {
  RenderCommand Cmd;
  Cmd.Tool = "helm template";
  std::string Helm = Options.HelmBin;
  if (!Helm.empty()) {
    Cmd.MissingMessage = llvm::formatv("helm not found at '{0}': install helm 3 or set HELM_BIN",
                                       Helm);
  } else if (const char *Env = std::getenv("HELM_BIN"); Env && *Env) {
    Helm = Env;
    Cmd.MissingMessage = llvm::formatv(
        "helm not found at '{0}' (from HELM_BIN): install helm 3 or set HELM_BIN", Helm);
  } else {
    Helm = "helm";
    Cmd.MissingMessage = "helm not found: install helm 3 or set HELM_BIN";
  }

  Cmd.Argv = {Helm, "template"};
  if (!Options.ReleaseName.empty())
    Cmd.Argv.push_back(Options.ReleaseName);
  // A chart path starting with `-` would be read as a flag.
  if (llvm::StringRef(Options.Chart).startswith("-"))
    Cmd.Argv.push_back("./" + Options.Chart);
  else
    Cmd.Argv.push_back(Options.Chart);
  if (!Options.Namespace.empty()) {
    Cmd.Argv.push_back("--namespace");
    Cmd.Argv.push_back(Options.Namespace);
  }
  for (const std::string &File : Options.ValuesFiles) {
    Cmd.Argv.push_back("--values");
    Cmd.Argv.push_back(File);
  }
  for (const auto &[Flag, Value] : Options.Sets)
    Cmd.Argv.push_back(Flag + "=" + Value);
  Cmd.Argv.insert(Cmd.Argv.end(), Options.ExtraArgs.begin(), Options.ExtraArgs.end());
  return Cmd;
}

//===----------------------------------------------------------------------===//
// kustomize
//===----------------------------------------------------------------------===//

namespace {

/// The path of To relative to the directory From; both absolute and free of `.`, `..` and
/// symlinks.
std::string relativePath(llvm::StringRef From, llvm::StringRef To) {
  llvm::SmallVector<llvm::StringRef, 16> FromParts, ToParts;
  for (auto I = path::begin(From), E = path::end(From); I != E; ++I)
    FromParts.push_back(*I);
  for (auto I = path::begin(To), E = path::end(To); I != E; ++I)
    ToParts.push_back(*I);
  size_t Common = 0;
  while (Common < FromParts.size() && Common < ToParts.size() &&
         FromParts[Common] == ToParts[Common])
    ++Common;
  llvm::SmallString<256> Result;
  for (size_t I = Common; I < FromParts.size(); ++I)
    path::append(Result, "..");
  for (size_t I = Common; I < ToParts.size(); ++I)
    path::append(Result, ToParts[I]);
  return Result.empty() ? std::string(".") : std::string(Result.str());
}

/// S as a YAML double-quoted scalar (paths may hold spaces, quotes, `#` or `: `).
std::string yamlQuote(llvm::StringRef S) {
  std::string Out = "\"";
  for (char C : S) {
    unsigned char U = static_cast<unsigned char>(C);
    if (C == '"' || C == '\\') {
      Out += '\\';
      Out += C;
    } else if (U < 0x20 || U == 0x7F) {
      constexpr char Hex[] = "0123456789ABCDEF";
      Out += "\\x";
      Out += Hex[U >> 4];
      Out += Hex[U & 0xF];
    } else {
      Out += C;
    }
  }
  Out += '"';
  return Out;
}

std::string realPathOr(llvm::StringRef P) {
  llvm::SmallString<256> Real;
  if (fs::real_path(P, Real))
    return P.str();
  return std::string(Real.str());
}

} // namespace

namespace {

/// Wrapper directories to remove should saguard be interrupted (SIGINT, SIGTERM, SIGHUP,
/// SIGQUIT) while they exist. Fixed slots of fixed size: the signal handler may neither allocate
/// nor lock. A wrapper holds only its kustomization.yaml, so unlink and rmdir remove it.
class WrapperRegistry {
public:
  static WrapperRegistry &get() {
    static WrapperRegistry R;
    return R;
  }

  /// Takes a slot for Dir; false when none is free (then only the destructor removes it).
  bool add(const std::string &Dir) {
    if (Dir.size() + sizeof("/kustomization.yaml") > sizeof(Slot::File))
      return false;
    installHandlers();
    for (Slot &S : Slots) {
      bool Free = false;
      if (!S.Busy.compare_exchange_strong(Free, true))
        continue;
      std::snprintf(S.Dir, sizeof(S.Dir), "%s", Dir.c_str());
      std::snprintf(S.File, sizeof(S.File), "%s/kustomization.yaml", Dir.c_str());
      S.Ready.store(true);
      return true;
    }
    return false;
  }

  void remove(const std::string &Dir) {
    for (Slot &S : Slots)
      if (S.Ready.load() && Dir == S.Dir) {
        S.Ready.store(false);
        S.Busy.store(false);
      }
  }

private:
  struct Slot {
    std::atomic<bool> Busy{false};
    std::atomic<bool> Ready{false};
    char Dir[4096];
    char File[4096 + 32];
  };
  static constexpr int Signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

  static void onSignal(int Sig) {
    WrapperRegistry &R = get();
    for (Slot &S : R.Slots)
      if (S.Ready.load()) {
        ::unlink(S.File);
        ::rmdir(S.Dir);
      }
    // Then whatever was there before (LLVM's handler, or the default): the signal still ends
    // saguard as it would have.
    for (size_t I = 0; I < std::size(Signals); ++I)
      if (Signals[I] == Sig)
        ::sigaction(Sig, &R.Previous[I], nullptr);
    ::raise(Sig);
  }

  void installHandlers() {
    std::call_once(Installed, [this] {
      struct sigaction Action = {};
      Action.sa_handler = onSignal;
      sigemptyset(&Action.sa_mask);
      for (size_t I = 0; I < std::size(Signals); ++I)
        ::sigaction(Signals[I], &Action, &Previous[I]);
    });
  }

  Slot Slots[16];
  struct sigaction Previous[std::size(Signals)] = {};
  std::once_flag Installed;
};

} // namespace

KustomizeRenderer::KustomizeRenderer(KustomizeOptions Opts) : Options(std::move(Opts)) {
  Target.Kind = TargetKind::Kustomize;
  Target.Path = Options.Dir;
}

KustomizeRenderer::~KustomizeRenderer() {
  if (WrapperDir.empty())
    return;
  (void)fs::remove_directories(WrapperDir, /*IgnoreErrors=*/true);
  WrapperRegistry::get().remove(WrapperDir);
}

llvm::Expected<std::unique_ptr<KustomizeRenderer>>
KustomizeRenderer::create(KustomizeOptions Options) {
  if (!fs::is_directory(Options.Dir))
    return llvm::createStringError(std::errc::not_a_directory,
                                   "'%s' is not a directory with a kustomization",
                                   Options.Dir.c_str());
  if (detectTarget(Options.Dir) != TargetKind::Kustomize)
    return makeError("'%s' has no kustomization.yaml, kustomization.yml or Kustomization",
                     Options.Dir.c_str());

  std::unique_ptr<KustomizeRenderer> R(new KustomizeRenderer(std::move(Options)));
  llvm::SmallString<256> RealDir;
  if (std::error_code EC = fs::real_path(R->Options.Dir, RealDir))
    return llvm::createStringError(EC, "cannot resolve '%s': %s", R->Options.Dir.c_str(),
                                   EC.message().c_str());
  if (!R->Options.OriginAnnotations) {
    // Origin paths of a direct build are relative to the overlay itself.
    R->Target.OriginBase = std::string(RealDir.str());
    return R;
  }

  llvm::SmallString<256> Tmp;
  path::system_temp_directory(/*ErasedOnReboot=*/true, Tmp);
  std::string Template = realPathOr(Tmp);
  Template += "/saguard-kustomize-XXXXXX";
  if (!::mkdtemp(Template.data()))
    return llvm::createStringError(std::error_code(errno, std::generic_category()),
                                   "cannot create a temporary directory in '%s': %s",
                                   Tmp.c_str(), std::strerror(errno));
  R->WrapperDir = Template; // from here on the destructor removes it, and so does a signal
  WrapperRegistry::get().add(Template);
  R->Target.OriginBase = Template;

  // kustomize rejects absolute resource paths ("new root cannot be absolute"): go relative.
  std::string Rel = relativePath(Template, RealDir);
  llvm::SmallString<256> File(Template);
  path::append(File, "kustomization.yaml");
  std::error_code EC;
  llvm::raw_fd_ostream OS(File, EC, fs::OF_Text);
  if (EC)
    return llvm::createStringError(EC, "cannot write '%s': %s", File.c_str(),
                                   EC.message().c_str());
  OS << "# Written by saguard to build " << yamlQuote(R->Options.Dir)
     << " with origin annotations; removed after the build.\n"
     << "apiVersion: kustomize.config.k8s.io/v1beta1\n"
     << "kind: Kustomization\n"
     << "resources:\n"
     << "  - " << yamlQuote(Rel) << "\n"
     << "buildMetadata: [originAnnotations]\n";
  OS.close();
  if (OS.has_error()) {
    std::error_code WriteEC = OS.error();
    OS.clear_error();
    return llvm::createStringError(WriteEC, "cannot write '%s': %s", File.c_str(),
                                   WriteEC.message().c_str());
  }
  return R;
}

llvm::Expected<RenderCommand> KustomizeRenderer::command() const {
  RenderCommand Cmd;
  std::string Bin = Options.KustomizeBin;
  bool UseKubectl = false;
  if (!Bin.empty()) {
    UseKubectl = path::filename(Bin).startswith("kubectl");
    Cmd.MissingMessage =
        llvm::formatv("{0} not found at '{1}': install it or fix --kustomize-bin",
                      UseKubectl ? "kubectl" : "kustomize", Bin);
  } else if (llvm::sys::findProgramByName("kustomize")) {
    Bin = "kustomize";
    Cmd.MissingMessage = "kustomize not found: install kustomize or kubectl, or pass "
                         "--kustomize-bin";
  } else if (llvm::sys::findProgramByName("kubectl")) {
    Bin = "kubectl";
    UseKubectl = true;
    Cmd.MissingMessage = "kubectl not found: install kustomize or kubectl, or pass "
                         "--kustomize-bin";
  } else {
    return llvm::createStringError(
        std::errc::no_such_file_or_directory,
        "kustomize not found: install kustomize or kubectl, or pass --kustomize-bin");
  }

  const std::string &Dir = WrapperDir.empty() ? Options.Dir : WrapperDir;
  if (UseKubectl) {
    Cmd.Tool = "kubectl kustomize";
    Cmd.Argv = {Bin, "kustomize", Dir};
  } else {
    Cmd.Tool = "kustomize build";
    Cmd.Argv = {Bin, "build", Dir};
  }
  Cmd.Argv.insert(Cmd.Argv.end(), Options.ExtraArgs.begin(), Options.ExtraArgs.end());
  return Cmd;
}

//===----------------------------------------------------------------------===//
// running a renderer
//===----------------------------------------------------------------------===//

namespace {

std::string formatSeconds(std::chrono::milliseconds D) {
  auto Ms = D.count();
  if (Ms % 1000 == 0)
    return std::to_string(Ms / 1000);
  std::string S = llvm::formatv("{0:F3}", static_cast<double>(Ms) / 1000.0).str();
  while (S.back() == '0')
    S.pop_back();
  return S;
}

/// ": <stderr>" with the stderr trimmed, or "" when it said nothing.
std::string stderrSuffix(const ProcessResult &Result) {
  llvm::StringRef Err = llvm::StringRef(Result.Stderr).trim();
  if (Err.empty())
    return "";
  return (Result.StderrTruncated ? ": ..." : ": ") + Err.str();
}

} // namespace

namespace {

/// The message and error code of E, which is consumed.
std::pair<std::string, std::error_code> describe(llvm::Error E) {
  std::pair<std::string, std::error_code> Said;
  llvm::handleAllErrors(std::move(E), [&](const llvm::ErrorInfoBase &Info) {
    Said = {Info.message(), Info.convertToErrorCode()};
  });
  return Said;
}

} // namespace

StartedRender::StartedRender() = default;
StartedRender::~StartedRender() = default;
StartedRender::StartedRender(StartedRender &&) noexcept = default;
StartedRender &StartedRender::operator=(StartedRender &&) noexcept = default;

StartedRender startRender(const Renderer &R, const RenderOptions &Options) {
  StartedRender Started;
  Started.Asked = true;
  auto Fail = [&Started](llvm::Error E) {
    std::tie(Started.StartError, Started.StartErrorCode) = describe(std::move(E));
    return std::move(Started);
  };
  llvm::Expected<RenderCommand> Cmd = R.command();
  if (!Cmd)
    return Fail(Cmd.takeError());
  Started.Tool = Cmd->Tool;
  ProcessOptions Process;
  Process.KillGrace = Options.KillGrace;
  Process.Env = Options.Env;
  llvm::Expected<std::unique_ptr<StartedProcess>> P = startProcess(Cmd->Argv, Process);
  if (!P) {
    auto [Message, EC] = describe(P.takeError());
    if (EC == std::errc::no_such_file_or_directory)
      return Fail(llvm::createStringError(EC, "%s", Cmd->MissingMessage.c_str()));
    return Fail(llvm::createStringError(EC, "cannot run %s: %s", Cmd->Tool.c_str(),
                                        Message.c_str()));
  }
  Started.Process = std::move(*P);
  return Started;
}

llvm::Error finishRender(StartedRender &Started, DocumentSplitter &Splitter,
                         const RenderOptions &Options) {
  if (!Started.Process) {
    Splitter.reset();
    return llvm::createStringError(Started.StartErrorCode, "%s", Started.StartError.c_str());
  }
  llvm::Expected<ProcessResult> Result = Started.Process->collect(
      [&](std::string_view Chunk) {
        if (Options.OnOutput)
          Options.OnOutput(Chunk);
        Splitter.feed(Chunk);
      },
      Options.Timeout, Options.OnWait);
  Started.Process.reset();
  const std::string &Tool = Started.Tool;
  if (!Result) {
    Splitter.reset();
    auto [Message, EC] = describe(Result.takeError());
    return llvm::createStringError(EC, "cannot run %s: %s", Tool.c_str(), Message.c_str());
  }

  if (Result->TimedOut) {
    Splitter.reset();
    return llvm::createStringError(std::errc::timed_out, "%s timed out after %s s", Tool.c_str(),
                                   formatSeconds(Options.Timeout).c_str());
  }
  if (Result->Signal != 0) {
    Splitter.reset();
    return makeError("%s was killed by signal %d (%s)%s", Tool.c_str(), Result->Signal,
                     strsignal(Result->Signal), stderrSuffix(*Result).c_str());
  }
  if (Result->ExitCode != 0) {
    Splitter.reset();
    return makeError("%s failed (exit %d)%s", Tool.c_str(), Result->ExitCode,
                     stderrSuffix(*Result).c_str());
  }
  Splitter.finish();
  return llvm::Error::success();
}

llvm::Error render(const Renderer &R, DocumentSplitter &Splitter, const RenderOptions &Options) {
  StartedRender Started = startRender(R, Options);
  return finishRender(Started, Splitter, Options);
}

//===----------------------------------------------------------------------===//
// origin paths
//===----------------------------------------------------------------------===//

std::string resolveOriginPath(const RenderTarget &Target, std::string_view AnnotationPath) {
  llvm::StringRef Value(AnnotationPath.data(), AnnotationPath.size());
  if (Target.OriginBase.empty() || Value.empty() || path::is_absolute(Value))
    return std::string(AnnotationPath);

  llvm::SmallString<256> Abs(Target.OriginBase);
  path::append(Abs, Value);
  path::remove_dots(Abs, /*remove_dot_dot=*/true);

  llvm::SmallString<256> Cwd;
  if (fs::current_path(Cwd))
    return std::string(Abs.str());
  std::string Prefix = realPathOr(Cwd);
  if (Prefix.empty() || Prefix.back() != '/')
    Prefix += '/';
  llvm::StringRef Rest = Abs.str();
  if (Rest.consume_front(Prefix) && !Rest.empty())
    return Rest.str();
  return std::string(Abs.str());
}

} // namespace saguard::render
