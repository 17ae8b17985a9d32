//===- RenderStart.cpp - a target's renderer, and starting it early -------===//
#include "RenderStart.h"

#include <algorithm>
#include <cstdlib>

namespace saguard::cli {
namespace {

/// The Go garbage collector's target (GOGC) for renderers that run beside others. helm and
/// kubectl collect in background threads: alone, those use the core a render leaves idle; with
/// renders on every core, each collection takes time from another render. Collecting at 400%
/// heap growth instead of 100% cuts the CPU of a run over the corpus charts by about 15%, for at
/// most half again helm's peak memory (kyverno's 4 MB of CRDs: 100 to 150 MB). The output is the
/// same.
constexpr const char *ConcurrentRendererGogc = "400";

} // namespace

std::vector<std::pair<std::string, std::optional<std::string>>>
rendererEnv(const RunOptions &Options) {
  if (std::min<size_t>(Options.Jobs, Options.Targets.size()) < 2 || std::getenv("GOGC"))
    return {};
  return {{"GOGC", std::string(ConcurrentRendererGogc)}};
}

std::string helmNamespace(const Target &T, const RunOptions &Options) {
  return T.Helm.Namespace.empty() ? Options.Namespace : T.Helm.Namespace;
}

llvm::Expected<std::unique_ptr<render::Renderer>> makeRenderer(const Target &T,
                                                               const RunOptions &Options) {
  if (T.Kind == render::TargetKind::Helm) {
    render::HelmOptions Helm = T.Helm;
    Helm.Chart = T.Path;
    Helm.Namespace = helmNamespace(T, Options);
    return std::make_unique<render::HelmRenderer>(std::move(Helm));
  }
  render::KustomizeOptions Kustomize = T.Kustomize;
  Kustomize.Dir = T.Path;
  auto R = render::KustomizeRenderer::create(Kustomize);
  if (!R)
    return R.takeError();
  return std::unique_ptr<render::Renderer>(std::move(*R));
}

EarlyRender::EarlyRender(Target T, const RunOptions &Options, std::unique_ptr<render::Renderer> R)
    : T(std::move(T)), Namespace(Options.Namespace), R(std::move(R)) {
  render::RenderOptions RenderOpts;
  RenderOpts.Env = rendererEnv(Options);
  Started = render::startRender(*this->R, RenderOpts);
}

std::optional<std::pair<std::unique_ptr<render::Renderer>, render::StartedRender>>
EarlyRender::take(const Target &Wanted, const RunOptions &Options) {
  std::lock_guard<std::mutex> Lock(Mutex);
  bool Same = R && Wanted.Kind == T.Kind && Wanted.Path == T.Path && Wanted.Helm == T.Helm &&
              Wanted.Kustomize == T.Kustomize && Options.Namespace == Namespace &&
              rendererEnv(Options).empty();
  if (!Same) {
    drop();
    return std::nullopt;
  }
  auto Taken = std::make_pair(std::move(R), std::move(Started));
  R.reset();
  return Taken;
}

void EarlyRender::drop() {
  Started = {}; // killed and reaped before the renderer (a kustomize wrapper) goes
  R.reset();
}

std::shared_ptr<EarlyRender> startEarlyRender(const RunOptions &Options) {
  if (Options.Targets.size() != 1 || Options.Targets[0].Kind == render::TargetKind::Manifests)
    return nullptr;
  const Target &T = Options.Targets[0];
  llvm::Expected<std::unique_ptr<render::Renderer>> R = makeRenderer(T, Options);
  if (!R) {
    llvm::consumeError(R.takeError()); // said when the run renders the target itself
    return nullptr;
  }
  return std::make_shared<EarlyRender>(T, Options, std::move(*R));
}

} // namespace saguard::cli
