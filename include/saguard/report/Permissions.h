//===- Permissions.h - printing what each Pod's token can do ----*- C++ -*-===//
#pragma once

#include "saguard/analysis/Permissions.h"
#include "saguard/support/Notification.h"
#include "saguard/support/SourcePos.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace saguard::report {

/// Everything `saguard permissions` prints.
struct PermissionsData {
  /// Per Pod-bearing object, in input order (analysis::summarizePermissions).
  std::vector<analysis::WorkloadPermissions> Workloads;
  /// Problems with the input; printed after the permissions.
  std::vector<ToolNotification> Errors;
  /// Resolves FileIds; null prints no file names.
  const FileTable *Files = nullptr;
  /// Absolute directory printed paths are relative to; empty means the current directory.
  std::string SrcRoot;
  /// The --cluster-automount-default in effect; false is an assumption the output states.
  bool ClusterAutomountDefault = true;
};

/// The formats writePermissions accepts: text, json, dot, mermaid.
std::span<const std::string_view> permissionsFormatNames();

/// Writes Data in Format: `text` (a table per workload), `json`, `dot` (Graphviz) or `mermaid`
/// (a flowchart), the graphs drawing workloads -> accounts -> bindings -> roles with dangerous
/// edges in red. Fails only for an unknown Format.
llvm::Error writePermissions(const PermissionsData &Data, std::string_view Format,
                             llvm::raw_ostream &OS);

} // namespace saguard::report
