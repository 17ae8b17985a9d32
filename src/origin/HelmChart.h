//===- HelmChart.h - a chart tree: subcharts, defines, Chart.yaml -------------------*- C++ -*-===//
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "SourceFiles.h"
#include "saguard/origin/SourceMap.h"

namespace saguard::origin {

/// A chart of a chart tree (the rendered chart and its subcharts).
struct ChartNode {
  std::string Dir; ///< empty for a packaged subchart
  /// Names or aliases of the parents' subchart entries from the root down (values prefixes).
  std::vector<std::string> ValuesPrefix;
  /// Subcharts by the name `# Source:` uses (chart name or alias).
  std::map<std::string, size_t> Children;
  /// Where a packaged subchart is declared: the parent's Chart.yaml and the dependency line.
  std::string DeclaredIn;
  SourcePos DeclaredAt{1, 1};
  /// A subchart packaged as `charts/x.tgz`: the archive, and the folder its files are in.
  std::string Archive;
  std::string ArchiveRoot;
};

/// `<archive>!/<member>`: how a file inside a packaged chart is named while mapping.
inline constexpr const char *ArchiveSeparator = "!/";

/// Where a `{{ define "name" }}` body is: its file and the lines of `define` and `end`.
struct DefineLoc {
  std::string File;
  size_t Begin = 0, End = 0;
};

struct HelmChart {
  HelmChartSource Source;
  std::vector<ChartNode> Nodes; ///< [0] is the rendered chart
  /// `define` bodies of every chart of the tree (helm shares them), read on first use.
  mutable std::optional<std::map<std::string, DefineLoc>> Defines;
  /// Whether a template file (by path) names an object with a function that draws anew, found
  /// on first use.
  mutable std::map<std::string, bool> DrawsNames;
};

/// Adds the subcharts of node Index to Chart.Nodes, recursively: the names `# Source:` uses for
/// them (Chart.yaml names, dependency aliases) and their directories under charts/.
void buildChartTree(HelmChart &Chart, size_t Index, unsigned Depth);

/// The chart of the tree a `# Source:` path lies in, and the path of its template file: a member
/// `<archive>!/<root>/...` of a packaged subchart, "" when the path names no file in it.
std::pair<const ChartNode *, std::string> sourceFile(const HelmChart &Chart,
                                                     llvm::StringRef HelmSource);

/// The template files of the chart in Dir (`templates/**/*.{tpl,yaml,yml}`), in walk order.
std::vector<std::string> templateFiles(const std::string &Dir);

/// Finds the `{{ define "name" }}` bodies of Text, the template named File; a name found
/// before keeps its body.
void collectDefinesIn(const std::string &File, const TextFile &Text,
                      std::map<std::string, DefineLoc> &Out);

} // namespace saguard::origin
