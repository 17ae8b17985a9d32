//===- Permissions.cpp - `saguard permissions` as text, and the dispatcher ===//
#include "PermissionsImpl.h"

#include "saguard/support/Error.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <array>

namespace saguard::report {
namespace {

constexpr std::array<std::string_view, 4> PermissionsFormats = {"text", "json", "dot", "mermaid"};

} // namespace

std::span<const std::string_view> permissionsFormatNames() { return PermissionsFormats; }

llvm::Error writePermissions(const PermissionsData &Data, std::string_view Format,
                             llvm::raw_ostream &OS) {
  if (Format == "json") {
    detail::writePermissionsJson(Data, OS); // JSON escapes every control character itself
    return llvm::Error::success();
  }
  // The line-based formats name objects, accounts and paths an input chose: each line is made
  // printable, so none can hold a terminal escape or pose as a workflow command.
  std::string Text;
  llvm::raw_string_ostream Lines(Text);
  if (Format == "text")
    detail::writePermissionsText(Data, Lines);
  else if (Format == "dot")
    detail::writePermissionsDot(Data, Lines);
  else if (Format == "mermaid")
    detail::writePermissionsMermaid(Data, Lines);
  else
    return makeError("unknown permissions format '%s' (text, json, dot, mermaid)",
                     std::string(Format).c_str());
  llvm::SmallVector<llvm::StringRef, 0> Split;
  llvm::StringRef(Lines.str()).split(Split, '\n');
  for (size_t I = 0; I < Split.size(); ++I)
    OS << printable(Split[I]) << (I + 1 < Split.size() ? "\n" : "");
  return llvm::Error::success();
}

namespace detail {

Places permissionPlaces(const PermissionsData &Data) {
  ReportData Paths;
  Paths.Files = Data.Files;
  Paths.SrcRoot = Data.SrcRoot;
  return Places(Paths);
}

namespace {

std::string join(const std::vector<std::string> &Items, std::string_view Sep) {
  std::string Out;
  for (const std::string &Item : Items)
    Out += (Out.empty() ? "" : std::string(Sep)) + Item;
  return Out;
}

/// `secrets`, `deployments.apps`, `* (all groups)`, `/metrics`, with `[names: a, b]`.
std::string resourceCell(const analysis::ResourceAccess &A) {
  if (A.NonResourceURL)
    return "URL " + A.Resource;
  // kubectl's spelling: `deployments.apps`, `workflows.argoproj.io/finalizers`.
  size_t Slash = A.Resource.find('/');
  std::string Cell = A.Resource.substr(0, Slash);
  if (A.Group == "*")
    Cell += " (all groups)";
  else if (!A.Group.empty())
    Cell += "." + A.Group;
  if (Slash != std::string::npos)
    Cell += A.Resource.substr(Slash);
  if (!A.ResourceNames.empty())
    Cell += " [" + join(A.ResourceNames, ",") + "]";
  return Cell;
}

void writeTable(const std::vector<std::array<std::string, 4>> &Rows, llvm::raw_ostream &OS) {
  std::array<size_t, 4> Width = {0, 0, 0, 0};
  for (const auto &Row : Rows)
    for (size_t I = 0; I < Row.size(); ++I)
      Width[I] = std::max(Width[I], Row[I].size());
  for (const auto &Row : Rows) {
    std::string Line = "    ";
    for (size_t I = 0; I < Row.size(); ++I)
      Line += Row[I] + (I + 1 < Row.size() ? std::string(Width[I] - Row[I].size() + 2, ' ') : "");
    while (!Line.empty() && Line.back() == ' ')
      Line.pop_back();
    OS << Line << "\n";
  }
}

void writeWorkload(const analysis::WorkloadPermissions &P, Places &Ps, llvm::raw_ostream &OS) {
  const model::Object &W = *P.Workload;
  Place Where = Ps.at(P.Location, W.Target.str());
  OS << analysis::describeObject(W.Ref);
  if (Where.hasFile())
    OS << "  (" << Where.str(/*WithColumn=*/false) << ")";
  OS << "\n";
  OS << "  account: ServiceAccount '" << P.Account << "'"
     << (P.AccountObject ? "" : " (not in the analysed set)") << "\n";
  OS << "  token:   " << (P.Token.Available ? "available" : "not mounted") << ", decided by the "
     << analysis::tokenDeciderName(P.Token.DecidedBy) << ": " << P.Token.Reason << "\n";
  if (P.Grants.empty()) {
    OS << "  grants:  none in the analysed set\n\n";
    return;
  }
  OS << "  grants:\n";
  for (const analysis::GrantSummary &S : P.Grants) {
    const analysis::Grant &G = *S.Via;
    OS << "    " << analysis::describeObject(G.Binding->Ref) << " -> "
       << G.Resolved->describe(/*WithOrigin=*/true);
    if (std::string Scope = G.scopePhrase(); !Scope.empty())
      OS << ", " << Scope;
    if (G.Target.Reach != analysis::SubjectTarget::Account)
      OS << ", through " << analysis::describeSubject(*G.Binding, *G.Subject);
    OS << (S.Dangers.empty() ? "" : "  [dangerous]") << "\n";
  }
  if (P.Access.empty())
    return void(OS << "  can do:  nothing the analysed set defines\n\n");
  OS << "  can do" << (P.Token.Available ? "" : " (with the token, were it mounted)") << ":\n";
  std::vector<std::array<std::string, 4>> Rows = {{"SCOPE", "RESOURCE", "VERBS", "DANGER"}};
  for (const analysis::ResourceAccess &A : P.Access)
    Rows.push_back({A.Scope.empty() ? "cluster" : A.Scope, resourceCell(A), join(A.Verbs, ","),
                    A.dangerous() ? "! " + join(A.Dangers, ", ") : ""});
  writeTable(Rows, OS);
  OS << "\n";
}

} // namespace

void writePermissionsText(const PermissionsData &Data, llvm::raw_ostream &OS) {
  Places Ps = permissionPlaces(Data);
  size_t WithToken = 0, Dangerous = 0;
  for (const analysis::WorkloadPermissions &P : Data.Workloads) {
    writeWorkload(P, Ps, OS);
    WithToken += P.Token.Available;
    Dangerous += P.Token.Available && P.dangerous();
  }
  for (const ToolNotification &E : Data.Errors) {
    std::string At = Ps.at(E.Range, E.Target).str();
    OS << "error: " << (At.empty() ? "" : At + ": ") << oneLine(E.Message) << "\n";
  }
  if (!Data.ClusterAutomountDefault)
    OS << "note: " << AutomountAssumption << "\n";
  OS << llvm::formatv("{0}, {1} with a token, {2} with dangerous permissions\n",
                      plural(Data.Workloads.size(), "workload"), WithToken, Dangerous);
}

} // namespace detail
} // namespace saguard::report
