//===- KustomizeTree.h - a kustomization tree and its patches -----------------------*- C++ -*-===//
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "SourceFiles.h"
#include "saguard/origin/SourceMap.h"
#include "YamlIndex.h"

namespace saguard::origin {

/// A patch of a kustomization, with the objects it targets.
struct KustomizePatch {
  std::string File; ///< the patch file, or the kustomization for an inline patch
  std::optional<std::string> InlineText;
  SourcePos InlinePos; ///< the inline patch's key in the kustomization
  bool HasTarget = false;
  std::string TargetKind, TargetName;
  bool TargetBySelector = false;
};

/// One kustomization of the tree under the built overlay.
struct Kustomization {
  std::string File;                       ///< its kustomization.yaml; empty: none found
  std::vector<size_t> Children;           ///< kustomizations it includes
  std::vector<std::string> ResourceFiles; ///< absolute paths
  std::vector<KustomizePatch> Patches;
};

struct KustomizeTree {
  KustomizeSource Source;
  std::vector<Kustomization> Nodes; ///< [0] is the overlay
  /// Absolute resource files each kustomization reaches through its children.
  std::vector<std::set<std::string>> Reachable;
};

std::optional<std::string> kustomizationFile(const std::string &Dir);

size_t buildKustomizeTree(KustomizeTree &Tree, const std::string &Dir,
                          std::map<std::string, size_t> &Seen, unsigned Depth);

/// Fills Tree.Reachable for every node (the tree may share nodes; cycles are cut).
const std::set<std::string> &reachable(KustomizeTree &Tree, size_t Index, std::vector<int> &State);

/// Where in Patch the key Path of an object (Kind, names it may be known by) is set, if the
/// patch certainly targets the object and sets that key.
std::optional<SourcePos> patchSetsKey(const KustomizePatch &Patch, const YamlFile &Parsed,
                                      StringRef Kind, const std::set<std::string> &Names,
                                      const std::string &Path);

/// The generator list of a kustomization that makes objects of a `configuredBy` kind.
StringRef generatorList(StringRef ConfiguredByKind);

} // namespace saguard::origin
