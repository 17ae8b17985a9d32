//===- TargetDiscovery.h - the charts, overlays and manifests of a tree -*- C++ -*-===//
//
// A target is what one `helm install`, one `kubectl apply -k` or one `kubectl apply -R -f DIR`
// deploys. A folder named on the command line is walked: a folder with Chart.yaml is a chart
// (its subcharts belong to it; library charts are none), a folder with a kustomization is an
// overlay unless another kustomization of the tree uses it (Components never are), and the
// remaining YAML/JSON files that hold Kubernetes objects are the folder's plain manifests.
// Other YAML (compose files, values files, CI workflows) is skipped and counted.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "saguard/cli/Driver.h"
#include "saguard/model/Config.h"

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace saguard::cli {

/// How discoverTargets treats what it finds.
struct DiscoveryOptions {
  /// `--exclude` and `exclude:` patterns, matched against paths relative to a walked folder.
  std::vector<model::NameGlob> Exclude;
  /// `--values-sets` patterns relative to a chart (`ci/*-values.yaml`): a chart with matching
  /// files is rendered once per file instead of once.
  std::vector<model::NameGlob> ValuesSets;
  /// `--kustomize-bin` for every overlay found.
  std::string KustomizeBin;
};

/// What discoverTargets found.
struct Discovered {
  std::vector<Target> Targets;
  /// YAML/JSON files outside charts and overlays that hold no Kubernetes object.
  std::vector<std::string> Skipped;
  /// Parts of the tree left unread (special files, symlinks out of it, unreadable folders).
  std::vector<std::string> Warnings;
};

/// The targets of the command-line Paths: glob patterns are expanded, folders walked, files
/// and `-` taken as manifests. An argument that names nothing is an error.
llvm::Expected<Discovered> discoverTargets(const std::vector<std::string> &Paths,
                                           const DiscoveryOptions &Options);

} // namespace saguard::cli
