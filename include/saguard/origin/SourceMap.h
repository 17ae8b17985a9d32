//===- SourceMap.h - rendered positions back to the files a user edits -*- C++ -*-===//
//
// Findings point into the stream `helm template` or `kustomize build` wrote. The source map
// turns such a position into the template line (helm, via `# Source:` comments) or the overlay
// file line (kustomize, via origin annotations) of the same key, and names the values.yaml keys
// and patches behind it. When no line is certain it points at the
// object's first line in that file, never at a guessed one.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "saguard/model/Object.h"
#include "saguard/support/SourcePos.h"

#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace saguard::origin {

/// A chart rendered with `helm template`, with the run's values options.
struct HelmChartSource {
  /// The target name its objects carry (Object::Target).
  std::string Target;
  /// The chart directory (a packaged `.tgz` chart has no templates to point at).
  std::string ChartDir;
  /// `-f`/`--values` files in command-line order (the last one that sets a key wins).
  std::vector<std::string> ValuesFiles;
  /// Keys set with `--set`, `--set-string`, `--set-json` or `--set-file`; they override every
  /// file, which the values notes say.
  std::vector<std::string> SetKeys;
};

/// An overlay built with kustomize and origin annotations.
struct KustomizeSource {
  /// The target name its objects carry (Object::Target).
  std::string Target;
  /// The kustomization directory that was built.
  std::string OverlayDir;
  /// Turns a `path`/`configuredIn` value of an origin annotation into a file path
  /// (render::resolveOriginPath with the render target; the model layer knows no renderer).
  std::function<std::string(std::string_view)> ResolvePath;
};

/// A chart or overlay whose files findings are mapped to. Its files are read on first use,
/// or all at once by readAhead: none of them depends on the render, so the driver reads them
/// on another thread while the renderer runs rather than after it.
class SourceTree {
public:
  /// A rendered chart: its chart-name -> directory table is read now (Chart.yaml names,
  /// dependency aliases, `charts/*`).
  static SourceTree helm(HelmChartSource Chart);
  /// A built overlay: its tree of kustomizations is read now.
  static SourceTree kustomize(KustomizeSource Overlay);
  ~SourceTree();
  SourceTree(SourceTree &&) noexcept;
  SourceTree &operator=(SourceTree &&) noexcept;

  /// Reads and parses the files mapping may read: a chart's templates with their defines, its
  /// values and Chart.yaml files, and whether each template draws random names; an overlay's
  /// kustomizations, patch files and resources. A file of CRDs alone is left, as nothing maps
  /// into it. Stops between files once Stop is set (mapping reads the rest on first use).
  /// Touches nothing but this tree, so any one thread may run it.
  void readAhead(const std::atomic<bool> &Stop);

private:
  friend class SourceMap;
  struct Data;
  explicit SourceTree(std::unique_ptr<Data> D);
  std::unique_ptr<Data> P;
};

/// Maps ranges in rendered streams to the chart and overlay files they came from.
class SourceMap {
public:
  /// Paths of mapped files are interned in Files.
  explicit SourceMap(FileTable &Files);
  ~SourceMap();
  SourceMap(const SourceMap &) = delete;
  SourceMap &operator=(const SourceMap &) = delete;

  /// Registers a chart or overlay, with the files it has read.
  void add(SourceTree Tree);
  /// Learns which rendered document (stream and first line) holds which object, and the keys
  /// the model located in it. Objects must outlive the map.
  void addObjects(const std::deque<model::Object> &Objects);

  /// Where a rendered range points in the user's files, with notes to attach to the finding.
  struct Mapped {
    SourceRange Range;
    /// values.yaml keys, patches, and the rendered position itself.
    std::vector<std::pair<SourceRange, std::string>> Related;
  };
  /// Maps Rendered; KeyPath (the path the finding's key carries) picks that key among those
  /// starting at the range, and is a hint when the range is no key the model located. std::nullopt:
  /// the range is in no rendered stream (plain manifests), so it already names the user's file.
  std::optional<Mapped> map(SourceRange Rendered, std::string_view KeyPath = {}) const;

  /// What fingerprints call each rendered object whose name changes from render to render:
  /// `#N`, its ordinal among the objects of its source file and kind in render order, when its
  /// template names it with randAlphaNum, randAlpha, uuidv4, now/date, a content hash and the
  /// like; the generator's name for an overlay's generated ConfigMap or Secret. Objects with
  /// literal names are not in the map.
  std::map<const model::Object *, std::string> stableNames() const;
  /// Where a failed `helm template` of the chart registered as Target says the problem is:
  /// `template: web/templates/x.yaml:12:20: ...`, `execution error at (web/templates/x.yaml:6:8)`,
  /// or `YAML parse error on web/templates/x.yaml: ... line 7: ...`, as a template file range.
  std::optional<SourceRange> helmError(std::string_view Target, std::string_view Message) const;
  /// Line Line, byte column Column (1-based; 0: the line's first non-blank) of the template a
  /// `# Source:` path names in the chart registered as Target; Line 0 is the template's first
  /// line of YAML.
  std::optional<SourceRange> helmTemplate(std::string_view Target, std::string_view Source,
                                          unsigned Line = 0, unsigned Column = 0) const;

private:
  struct Impl;
  std::unique_ptr<Impl> P;
};

} // namespace saguard::origin
