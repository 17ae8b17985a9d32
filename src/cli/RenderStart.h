//===- RenderStart.h - a target's renderer, and starting it early -*- C++ -*-===//
#pragma once

#include "saguard/cli/Driver.h"
#include "saguard/render/Renderer.h"

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace saguard::cli {

/// Changes to a renderer's environment: GOGC when several render at once, unless the user set it.
std::vector<std::pair<std::string, std::optional<std::string>>>
rendererEnv(const RunOptions &Options);

/// The namespace helm renders T into: the chart's own, else the run's.
std::string helmNamespace(const Target &T, const RunOptions &Options);

/// The renderer of a chart or overlay T as Options have it.
llvm::Expected<std::unique_ptr<render::Renderer>> makeRenderer(const Target &T,
                                                               const RunOptions &Options);

/// A renderer started by startEarlyRender, and what it was made from.
class EarlyRender {
public:
  EarlyRender(Target T, const RunOptions &Options, std::unique_ptr<render::Renderer> R);

  /// The renderer and its running render, when they render Wanted as Options say; else
  /// nothing, and the early render is stopped. Taken once.
  std::optional<std::pair<std::unique_ptr<render::Renderer>, render::StartedRender>>
  take(const Target &Wanted, const RunOptions &Options);

  /// Stops the render, if no target took it.
  void drop();

private:
  Target T;
  std::string Namespace;
  std::unique_ptr<render::Renderer> R;
  render::StartedRender Started;
  std::mutex Mutex;
};

} // namespace saguard::cli
