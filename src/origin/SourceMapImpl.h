//===- SourceMapImpl.h - the source map's state, shared by its Helm and Kustomize halves --*- C++ -*-===//
#pragma once

#include "FileCache.h"
#include "HelmChart.h"
#include "KustomizeTree.h"
#include "LocatedKeys.h"
#include "TemplateSequences.h"
#include "TemplateText.h"
#include "saguard/origin/SourceMap.h"

#include <map>
#include <memory>
#include <set>
#include <tuple>

namespace saguard::origin {

/// An object of a rendered stream, with the keys the model located in it.
struct RenderedObject {
  const model::Object *Obj;
  unsigned FirstLine;
  /// Filled on the first finding about the object: most objects have none, and keeping every
  /// object's keys cost more memory than the model itself (a pointer, so an object without
  /// findings costs three words here).
  mutable std::unique_ptr<std::vector<LocatedKey>> Keys;

  const std::vector<LocatedKey> &keys() const {
    if (!Keys)
      Keys = std::make_unique<std::vector<LocatedKey>>(locatedKeys(*Obj));
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

struct SourceTree::Data {
  std::optional<HelmChart> Chart;
  std::optional<KustomizeTree> Overlay;
  FileCache Files;
};

/// The map's state; the files it reads are cached (the driver maps on one thread).
struct SourceMap::Impl : FileCache {
  FileTable &Files;
  std::map<std::string, HelmChart> Charts;       ///< by target
  std::map<std::string, KustomizeTree> Overlays; ///< by target
  std::map<FileId, std::vector<RenderedObject>> Streams;

  /// itemLiterals of a template's sequence items, by file and item: every finding about an
  /// item of a list (rules, subjects) compares the list's items again.
  mutable std::map<std::tuple<const TextFile *, size_t, size_t>,
                   std::vector<std::pair<std::string, std::string>>>
      ItemLiterals;

  explicit Impl(FileTable &Files) : Files(Files) {}

  const std::vector<std::pair<std::string, std::string>> &
  literalsOf(const TextFile &T, std::pair<size_t, size_t> Item) const;

  const RenderedObject *objectAt(SourceRange R) const;
  /// The place of RO among the objects of its kind rendered from its template file.
  size_t ordinal(const RenderedObject &RO) const;
  SourceRange fileStart(const std::string &File) const;
  SourceRange at(const std::string &File, SourcePos Pos) const;

  /// The line chosen for a key, and other lines to name with it (branches that may have
  /// written it, the template line that renders a values list).
  struct KeyLines {
    TemplateLine Line;
    std::vector<std::pair<TemplateLine, std::string>> Others;
  };
  std::optional<KeyLines> keyLine(const HelmChart &Chart, const ChartNode &Node,
                                  const std::string &Path, const TemplateFile &T,
                                  std::pair<size_t, size_t> Seg, const LocatedKey &Key,
                                  const std::vector<LocatedKey> &All) const;
  void keyCandidates(const HelmChart &Chart, const std::string &Path, const TemplateFile &T,
                     size_t Begin, size_t End, const LocatedKey &Key, unsigned Offset,
                     const std::vector<StringRef> &Prefix, unsigned Depth,
                     std::vector<TemplateLine> &Out) const;
  std::optional<KeyLines> chooseLine(const HelmChart &Chart, const ChartNode &Node,
                                     const LocatedKey &Key,
                                     std::vector<TemplateLine> Candidates) const;
  std::optional<KeyLines> itemLine(const HelmChart &Chart, const ChartNode &Node,
                                   const KeyLines &Sequence, StringRef SeqPath, unsigned Index,
                                   StringRef Rest, const std::vector<LocatedKey> &All) const;
  std::optional<TemplateLine> valuesLine(const std::string &File, SourcePos Pos) const;
  void fromArchive(const ChartNode &Node, const std::string &File, Mapped &Out) const;
  std::optional<Mapped> mapHelm(const RenderedObject &RO, const LocatedKey *Key,
                                SourceRange Rendered, const HelmChart &Chart) const;
  std::vector<std::pair<SourceRange, std::string>> valuesNotes(const HelmChart &Chart,
                                                               const ChartNode &Node,
                                                               const TemplateFile &T,
                                                               size_t Line) const;
  /// A values key as helm merges it: the file that sets it, its entry, and its full path there.
  struct FoundValue {
    std::string File;
    const YamlEntry *Entry;
    std::string Path;
  };
  std::optional<FoundValue> findValue(const HelmChart &Chart, const ChartNode &Node,
                                      const std::string &Key) const;
  std::optional<TemplateLine> inBlockScalar(const FoundValue &Value, const std::string &Path) const;
  std::optional<Mapped> mapKustomize(const RenderedObject &RO, const LocatedKey *Key,
                                     const KustomizeTree &Tree) const;
  void patchNotes(const KustomizeTree &Tree, const std::string &OriginFile,
                  const RenderedObject &RO, const std::string &SourceName,
                  const std::string &KeyPath, Mapped &Out) const;
};

} // namespace saguard::origin
