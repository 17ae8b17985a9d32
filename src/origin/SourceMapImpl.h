//===- SourceMapImpl.h - the source map's state, shared by its Helm and Kustomize halves --*- C++ -*-===//
#pragma once

#include "HelmChart.h"
#include "KustomizeTree.h"
#include "LocatedKeys.h"
#include "TemplateText.h"
#include "saguard/origin/SourceMap.h"

#include <map>
#include <memory>
#include <set>

namespace saguard::origin {

/// An object of a rendered stream, with the keys the model located in it.
struct RenderedObject {
  const model::Object *Obj;
  unsigned FirstLine;
  /// Filled on the first finding about the object: most objects have none, and keeping every
  /// object's keys cost more memory than the model itself.
  mutable std::optional<std::vector<LocatedKey>> Keys;

  const std::vector<LocatedKey> &keys() const {
    if (!Keys)
      Keys = locatedKeys(*Obj);
    return *Keys;
  }
};

/// The template line a key was written on.
struct TemplateLine {
  std::string Path;
  const TemplateFile *File;
  size_t Index;
  size_t KeyCol;
};

struct SourceMap::Impl {
  FileTable &Files;
  std::map<std::string, HelmChart> Charts;       ///< by target
  std::map<std::string, KustomizeTree> Overlays; ///< by target
  std::map<FileId, std::vector<RenderedObject>> Streams;
  // Caches of files read while mapping (the driver maps on one thread).
  mutable std::map<std::string, std::unique_ptr<TemplateFile>> Templates;
  mutable std::map<std::string, std::unique_ptr<YamlFile>> YamlFiles;

  explicit Impl(FileTable &Files) : Files(Files) {}

  const RenderedObject *objectAt(SourceRange R) const;
  const TemplateFile *templateFile(const std::string &File) const;
  const YamlFile *yamlFile(const std::string &File) const;
  SourceRange fileStart(const std::string &File) const;
  SourceRange at(const std::string &File, SourcePos Pos) const;

  const DefineLoc *define(const HelmChart &Chart, const std::string &Name) const;
  bool drawsNames(const HelmChart &Chart, const TemplateFile &File, size_t Begin, size_t End,
                  std::set<std::string> &Seen) const;
  std::optional<TemplateLine> keyLine(const HelmChart &Chart, const std::string &Path,
                                      const TemplateFile &T, std::pair<size_t, size_t> Seg,
                                      const LocatedKey &Key) const;
  std::optional<Mapped> mapHelm(const RenderedObject &RO, const LocatedKey *Key,
                                SourceRange Rendered, const HelmChart &Chart) const;
  std::vector<std::pair<SourceRange, std::string>> valuesNotes(const HelmChart &Chart,
                                                               const ChartNode &Node,
                                                               const TemplateFile &T,
                                                               size_t Line) const;
  std::optional<std::pair<std::string, SourcePos>>
  findValue(const HelmChart &Chart, const ChartNode &Node, const std::string &Key) const;
  std::optional<Mapped> mapKustomize(const RenderedObject &RO, const LocatedKey *Key,
                                     const KustomizeTree &Tree) const;
  void patchNotes(const KustomizeTree &Tree, const std::string &OriginFile,
                  const RenderedObject &RO, const std::string &SourceName,
                  const std::string &KeyPath, Mapped &Out) const;
};

} // namespace saguard::origin
