//===- PermissionsJson.cpp - `saguard permissions --format json` ----------===//
#include "PermissionsImpl.h"

#include "llvm/Support/ErrorHandling.h"

#include <nlohmann/json.hpp>

namespace saguard::report::detail {
namespace {

// Insertion order, so that fields come out in the order they are written here.
using Json = nlohmann::ordered_json;

Json location(const Place &P) {
  auto Number = [](unsigned N) { return N ? Json(N) : Json(nullptr); };
  return {{"file", P.hasFile() ? Json(P.File) : Json(nullptr)},
          {"line", Number(P.Begin.Line)},
          {"column", Number(P.Begin.Column)}};
}

Json objectRef(const model::ObjectRef &Ref) {
  return {{"apiVersion", Ref.ApiVersion},
          {"kind", Ref.Kind},
          {"namespace", Ref.Namespace},
          {"name", Ref.Name}};
}

std::string_view originName(analysis::RoleOrigin O) {
  switch (O) {
  case analysis::RoleOrigin::InSet:
    return "in set";
  case analysis::RoleOrigin::BuiltIn:
    return "built-in";
  case analysis::RoleOrigin::Missing:
    return "not in the analysed set";
  }
  llvm_unreachable("covered switch");
}

Json grant(const analysis::GrantSummary &S) {
  const analysis::Grant &G = *S.Via;
  const analysis::ResolvedRole &Role = *G.Resolved;
  Json Dangers = Json::array();
  for (const auto &[Rule, Danger] : S.Dangers)
    Dangers.push_back({{"category", Danger.Category},
                       {"permission", Danger.What},
                       {"fromRole", Rule->SourceName}});
  return {{"binding", objectRef(G.Binding->Ref)},
          {"subject", analysis::describeSubject(*G.Binding, *G.Subject)},
          {"role",
           {{"kind", Role.Kind},
            {"namespace", Role.Namespace},
            {"name", Role.Name},
            {"origin", originName(Role.Origin)},
            {"aggregated", Role.Aggregated}}},
          {"scope", G.clusterWide() ? Json(nullptr) : Json(G.Scope)},
          {"dangerous", std::move(Dangers)}};
}

Json access(const analysis::ResourceAccess &A) {
  Json J = {{"scope", A.Scope.empty() ? Json(nullptr) : Json(A.Scope)}};
  if (A.NonResourceURL) {
    J["nonResourceURL"] = A.Resource;
  } else {
    J["apiGroup"] = A.Group;
    J["resource"] = A.Resource;
  }
  J["verbs"] = A.Verbs;
  J["resourceNames"] = A.ResourceNames;
  J["dangerous"] = A.Dangers;
  J["via"] = A.Via;
  return J;
}

Json workload(const analysis::WorkloadPermissions &P, Places &Ps) {
  const model::Object &W = *P.Workload;
  Json Grants = Json::array(), Access = Json::array();
  for (const analysis::GrantSummary &S : P.Grants)
    Grants.push_back(grant(S));
  for (const analysis::ResourceAccess &A : P.Access)
    Access.push_back(access(A));
  Json Token = {{"available", P.Token.Available},
                {"decidedBy", analysis::tokenDeciderName(P.Token.DecidedBy)},
                {"reason", P.Token.Reason}};
  if (P.Token.Range.isValid())
    Token["location"] = location(Ps.at(P.Token.Range, W.Target.str()));
  return {{"object", objectRef(W.Ref)},
          {"location", location(Ps.at(P.Location, W.Target.str()))},
          {"target", Ps.target(W.Target.str())},
          {"account",
           {{"namespace", W.Ref.Namespace},
            {"name", P.Account},
            {"inSet", P.AccountObject != nullptr}}},
          {"token", std::move(Token)},
          {"dangerous", P.Token.Available && P.dangerous()},
          {"grants", std::move(Grants)},
          {"permissions", std::move(Access)}};
}

} // namespace

void writePermissionsJson(const PermissionsData &Data, llvm::raw_ostream &OS) {
  Places Ps = permissionPlaces(Data);
  Json Workloads = Json::array(), Errors = Json::array();
  for (const analysis::WorkloadPermissions &P : Data.Workloads)
    Workloads.push_back(workload(P, Ps));
  for (const ToolNotification &E : Data.Errors) {
    Json J = location(Ps.at(E.Range, E.Target));
    J["message"] = E.Message;
    Errors.push_back(std::move(J));
  }
  Json Root = {{"workloads", std::move(Workloads)},
               {"errors", std::move(Errors)},
               {"clusterAutomountDefault", Data.ClusterAutomountDefault}};
  // Manifests may hold invalid UTF-8; replace it rather than throw.
  OS << Root.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

} // namespace saguard::report::detail
