//===- PermissionsFixture.h - permissions of a YAML stream, for tests -*- C++ -*-===//
#pragma once

#include "TestUtil.h"

#include "saguard/analysis/Permissions.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace saguard::test {

/// The index, RBAC graph and permissions summary of a YAML stream. With Errors, documents that
/// do not load are collected there instead of failing the test.
struct PermissionsOf {
  explicit PermissionsOf(const std::string &Yaml, analysis::AnalysisOptions Opts = {},
                         std::vector<ToolNotification> *Errors = nullptr)
      : Idx(loadIndex(Yaml, Errors)), Rbac(*Idx), Options(Opts),
        Workloads(analysis::summarizePermissions({*Idx, Rbac, Options})) {}

  /// The permissions of the workload named Name.
  const analysis::WorkloadPermissions &of(std::string_view Name) const {
    for (const analysis::WorkloadPermissions &P : Workloads)
      if (P.Workload->Ref.Name == Name)
        return P;
    ADD_FAILURE() << "no workload " << Name;
    return Workloads.front();
  }

  std::unique_ptr<analysis::Index> Idx;
  analysis::RbacGraph Rbac;
  analysis::AnalysisOptions Options;
  std::vector<analysis::WorkloadPermissions> Workloads;
};

/// The graph as lines: `id` per node, `from -> to [label]` per edge, with ` (outside)` for what
/// the set does not define and ` !` for what is dangerous.
struct GraphLines {
  explicit GraphLines(const analysis::PermissionGraph &G) {
    for (const analysis::PermissionGraph::Node &N : G.Nodes)
      Nodes.push_back(N.Id + (N.InSet ? "" : " (outside)") + (N.Dangerous ? " !" : ""));
    for (const analysis::PermissionGraph::Edge &E : G.Edges)
      Edges.push_back(E.From + " -> " + E.To + " [" + E.Label + "]" + (E.Dangerous ? " !" : ""));
  }
  std::vector<std::string> Nodes, Edges;
};

} // namespace saguard::test
