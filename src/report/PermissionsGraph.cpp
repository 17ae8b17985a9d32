//===- PermissionsGraph.cpp - `saguard permissions` as Graphviz or Mermaid ===//
#include "PermissionsImpl.h"

#include "llvm/Support/ErrorHandling.h"

#include <unordered_map>

namespace saguard::report::detail {
namespace {

using analysis::PermissionGraph;
using NodeKind = PermissionGraph::NodeKind;

constexpr const char *DangerColor = "#d62728";

/// A DOT double-quoted string: quotes and backslashes escaped, line breaks as `\n`.
std::string dotString(std::string_view Text) {
  std::string Out = "\"";
  for (char C : Text) {
    if (C == '\n') {
      Out += "\\n";
      continue;
    }
    if (C == '"' || C == '\\')
      Out += '\\';
    Out += C;
  }
  return Out + "\"";
}

/// A Mermaid quoted label: quotes as the `#quot;` entity, line breaks as `<br/>`.
std::string mermaidString(std::string_view Text) {
  std::string Out = "\"";
  for (char C : Text) {
    if (C == '\n')
      Out += "<br/>";
    else if (C == '"')
      Out += "#quot;";
    else if (C == '<')
      Out += "#lt;";
    else if (C == '>')
      Out += "#gt;";
    else
      Out += C;
  }
  return Out + "\"";
}

const char *dotShape(NodeKind K) {
  switch (K) {
  case NodeKind::Workload:
    return "box";
  case NodeKind::Account:
    return "ellipse";
  case NodeKind::Binding:
    return "hexagon";
  case NodeKind::Role:
    return "note";
  }
  llvm_unreachable("covered switch");
}

std::string errorLine(const ToolNotification &E, Places &Ps) {
  std::string At = Ps.at(E.Range, E.Target).str();
  return "error: " + (At.empty() ? "" : At + ": ") + oneLine(E.Message);
}

} // namespace

void writePermissionsDot(const PermissionsData &Data, llvm::raw_ostream &OS) {
  PermissionGraph G = analysis::buildPermissionGraph(Data.Workloads);
  Places Ps = permissionPlaces(Data);
  OS << "// saguard permissions: workloads -> ServiceAccounts -> bindings -> roles; red edges "
        "carry dangerous permissions\n";
  for (const ToolNotification &E : Data.Errors)
    OS << "// " << errorLine(E, Ps) << "\n";
  OS << "digraph permissions {\n"
     << "  rankdir=LR;\n"
     << "  node [fontname=\"Helvetica\", fontsize=10];\n"
     << "  edge [fontname=\"Helvetica\", fontsize=9];\n";
  for (const PermissionGraph::Node &N : G.Nodes) {
    OS << "  " << dotString(N.Id) << " [label=" << dotString(N.Label)
       << ", shape=" << dotShape(N.Kind);
    if (!N.InSet)
      OS << ", style=dashed";
    if (N.Dangerous)
      OS << ", color=\"" << DangerColor << "\", fontcolor=\"" << DangerColor << "\"";
    OS << "];\n";
  }
  for (const PermissionGraph::Edge &E : G.Edges) {
    OS << "  " << dotString(E.From) << " -> " << dotString(E.To) << " [";
    if (!E.Label.empty())
      OS << "label=" << dotString(E.Label) << ", ";
    if (E.Dangerous)
      OS << "color=\"" << DangerColor << "\", fontcolor=\"" << DangerColor
         << "\", penwidth=2.5, style=bold";
    else
      OS << "color=\"#555555\"";
    OS << "];\n";
  }
  OS << "}\n";
}

void writePermissionsMermaid(const PermissionsData &Data, llvm::raw_ostream &OS) {
  PermissionGraph G = analysis::buildPermissionGraph(Data.Workloads);
  Places Ps = permissionPlaces(Data);
  OS << "%% saguard permissions: workloads -> ServiceAccounts -> bindings -> roles; red edges "
        "carry dangerous permissions\n";
  for (const ToolNotification &E : Data.Errors)
    OS << "%% " << errorLine(E, Ps) << "\n";
  OS << "flowchart LR\n";
  // Mermaid ids must be plain words: number the nodes.
  std::unordered_map<std::string, std::string> Ids;
  std::string Dangerous, Outside;
  for (const PermissionGraph::Node &N : G.Nodes) {
    std::string Id = "n" + std::to_string(Ids.size());
    Ids.emplace(N.Id, Id);
    std::string Label = mermaidString(N.Label);
    switch (N.Kind) {
    case NodeKind::Workload:
      OS << "  " << Id << "[" << Label << "]\n";
      break;
    case NodeKind::Account:
      OS << "  " << Id << "([" << Label << "])\n";
      break;
    case NodeKind::Binding:
      OS << "  " << Id << "{{" << Label << "}}\n";
      break;
    case NodeKind::Role:
      OS << "  " << Id << "[/" << Label << "/]\n";
      break;
    }
    if (N.Dangerous)
      Dangerous += (Dangerous.empty() ? "" : ",") + Id;
    if (!N.InSet)
      Outside += (Outside.empty() ? "" : ",") + Id;
  }
  std::string DangerousEdges;
  for (size_t I = 0; I < G.Edges.size(); ++I) {
    const PermissionGraph::Edge &E = G.Edges[I];
    OS << "  " << Ids.at(E.From) << (E.Dangerous ? " ==>" : " -->");
    if (!E.Label.empty())
      OS << "|" << mermaidString(E.Label) << "|";
    OS << " " << Ids.at(E.To) << "\n";
    if (E.Dangerous)
      DangerousEdges += (DangerousEdges.empty() ? "" : ",") + std::to_string(I);
  }
  OS << "  classDef dangerous stroke:" << DangerColor << ",stroke-width:2px,color:" << DangerColor
     << "\n";
  OS << "  classDef outside stroke-dasharray:4 3\n";
  if (!Dangerous.empty())
    OS << "  class " << Dangerous << " dangerous\n";
  if (!Outside.empty())
    OS << "  class " << Outside << " outside\n";
  if (!DangerousEdges.empty())
    OS << "  linkStyle " << DangerousEdges << " stroke:" << DangerColor << ",stroke-width:3px\n";
}

} // namespace saguard::report::detail
