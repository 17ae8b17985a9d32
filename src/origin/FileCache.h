//===- FileCache.h - chart and overlay files read while mapping, each parsed once --*- C++ -*-===//
#pragma once

#include "HelmChart.h"
#include "TemplateText.h"
#include "YamlIndex.h"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

namespace saguard::origin {

/// The files mapping reads, each read and parsed on first use: template files, YAML files
/// flattened to key paths, the members of packaged charts. A source tree fills its own while
/// its renderer runs (SourceTree::readAhead); the source map takes them over.
struct FileCache {
  mutable std::map<std::string, std::unique_ptr<TemplateFile>> Templates;
  /// By the path asked for; a file read under another spelling of its path is shared.
  mutable std::map<std::string, std::shared_ptr<const YamlFile>> YamlFiles;
  mutable std::map<std::string, std::optional<std::map<std::string, std::string>>> Archives;

  /// A template file, or a file of a packaged chart (`<archive>!/<member>`); null when it
  /// cannot be read.
  const TemplateFile *templateFile(const std::string &File) const;
  /// The text of such a file, read now and not kept.
  std::optional<std::string> templateText(const std::string &File) const;
  /// The files of a packaged chart, by member name; null when it cannot be read.
  const std::map<std::string, std::string> *archive(const std::string &Path) const;
  const YamlFile *yamlFile(const std::string &File) const;
  /// The template files of a chart of a tree: `templates/**/*.{tpl,yaml,yml}` of its folder, or
  /// the members below `templates/` of its archive (`<archive>!/<member>`).
  std::vector<std::string> templatesOf(const ChartNode &Node) const;
  /// The `define` of Name in Chart's tree; the first call finds every define of the tree.
  const DefineLoc *define(const HelmChart &Chart, const std::string &Name) const;
  /// Whether the lines [Begin, End) of File name an object with a function that draws anew,
  /// directly or through the `define`s they include (each looked at once).
  bool drawsNames(const HelmChart &Chart, const TemplateFile &File, size_t Begin, size_t End,
                  std::set<std::string> &Seen) const;
  /// drawsNames of the whole template file File of Chart's tree, remembered in Chart.
  bool templateDrawsNames(const HelmChart &Chart, const std::string &File) const;
  /// Takes over the files Other read that this cache has not.
  void merge(FileCache &&Other);
};

} // namespace saguard::origin
