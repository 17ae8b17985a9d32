//===- FilePeek.h - a glance at a YAML file without loading it -*- C++ -*-===//
//
// Target discovery decides what a file is before anything is loaded: whether a Chart.yaml is
// a library chart, which folders a kustomization uses, whether a YAML file holds Kubernetes
// objects at all (a compose file or a values file does not).
//
//===----------------------------------------------------------------------===//
#pragma once

#include <map>
#include <string>
#include <vector>

namespace saguard::model {

/// Top-level scalars and lists of scalars of a file's first YAML document.
struct TopLevel {
  std::map<std::string, std::string> Scalars;
  std::map<std::string, std::vector<std::string>> Lists;
};

/// The top level of File's first document; empty when it cannot be read or is no mapping.
TopLevel readTopLevel(const std::string &File);

/// True when a document of the YAML or JSON file Path is a mapping with `apiVersion` and
/// `kind` keys (a file that is not even YAML counts when such keys start its lines, so the
/// loader can say what is wrong with it; so does one that cannot be read).
bool holdsKubernetesObjects(const std::string &Path);

} // namespace saguard::model
