//===- SourceMapping.h - findings from rendered streams to the user's files -*- C++ -*-===//
#pragma once

#include "saguard/analysis/Finding.h"
#include "saguard/analysis/Index.h"
#include "saguard/cli/Driver.h"

#include "saguard/support/Notification.h"

#include "llvm/ADT/ArrayRef.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace saguard::cli {

/// A target's chart or overlay tree (origin::SourceTree) read on a thread of its own from the
/// start of its render until mapping needs it: none of those files depends on the render, and
/// read after it they lengthened every run.
class SourceReading {
public:
  SourceReading();
  /// Stops and joins the reading.
  ~SourceReading();
  SourceReading(SourceReading &&) noexcept;
  SourceReading &operator=(SourceReading &&) = delete;

  /// Starts reading the tree of T, rendered as R; nothing for manifests no chart rendered. A
  /// reading started before is finished and dropped.
  void start(const Target &T, const render::RenderTarget &R);
  /// Reads on at normal priority: the renderer is done, and mapping will need the files.
  void hurry();
  /// Stops the reading after the file at hand (hurried, so that comes soon whatever else runs)
  /// and gives the tree, whose other files are read on first use; nullopt when nothing was
  /// started.
  std::optional<origin::SourceTree> finish();

private:
  struct State;
  std::unique_ptr<State> S;
};

/// Points every range of Findings that lies in a rendered stream at the template, values or
/// overlay file it came from, adds the notes that go with it (values keys, patches,
/// the rendered position), and sorts the findings by path, line, column and rule so the output
/// does not depend on the order render threads interned files. RenderedOf(I) is what rendering
/// Options.Targets[I] gave; its source tree is taken. A chart's render error that names a
/// template position (helm's `template: web/templates/x.yaml:12:20: ...`) is put at that
/// template line.
void mapFindingsToSources(const RunOptions &Options,
                          const std::function<RenderedTarget &(size_t)> &RenderedOf,
                          const analysis::Index &Idx, FileTable &Files,
                          std::vector<analysis::Finding> &Findings,
                          llvm::MutableArrayRef<ToolNotification> Errors = {});

/// The keys that `--set`-family flags (render::HelmOptions::Sets) set: `--set a.b=1,c=2` sets
/// a.b and c.
std::vector<std::string> helmSetKeys(const std::vector<std::pair<std::string, std::string>> &Sets);

} // namespace saguard::cli
