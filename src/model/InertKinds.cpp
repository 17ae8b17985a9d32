//===- InertKinds.cpp - documents no rule reads, known from their top-level lines -===//
#include "saguard/model/InertKinds.h"

#include "llvm/ADT/StringExtras.h"

#include <algorithm>
#include <array>
#include <optional>
#include <utility>

namespace saguard::model {
namespace {

/// Built-in kinds, by API group ("" is the core group), whose schema holds no pod template,
/// service account, RBAC rule or subject, and no Secret. A kind absent here is mapped as before.
constexpr std::array<std::pair<llvm::StringLiteral, llvm::StringLiteral>, 33> InertKinds = {{
    {"", "ConfigMap"},
    {"", "Endpoints"},
    {"", "Event"},
    {"", "LimitRange"},
    {"", "Namespace"},
    {"", "PersistentVolume"},
    {"", "PersistentVolumeClaim"},
    {"", "ResourceQuota"},
    {"", "Service"},
    {"admissionregistration.k8s.io", "MutatingWebhookConfiguration"},
    {"admissionregistration.k8s.io", "ValidatingAdmissionPolicy"},
    {"admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding"},
    {"admissionregistration.k8s.io", "ValidatingWebhookConfiguration"},
    {"apiextensions.k8s.io", "CustomResourceDefinition"},
    {"apiregistration.k8s.io", "APIService"},
    {"autoscaling", "HorizontalPodAutoscaler"},
    {"certificates.k8s.io", "CertificateSigningRequest"},
    {"coordination.k8s.io", "Lease"},
    {"discovery.k8s.io", "EndpointSlice"},
    {"events.k8s.io", "Event"},
    {"flowcontrol.apiserver.k8s.io", "FlowSchema"},
    {"flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"},
    {"networking.k8s.io", "Ingress"},
    {"networking.k8s.io", "IngressClass"},
    {"networking.k8s.io", "NetworkPolicy"},
    {"node.k8s.io", "RuntimeClass"},
    {"policy", "PodDisruptionBudget"},
    {"scheduling.k8s.io", "PriorityClass"},
    {"storage.k8s.io", "CSIDriver"},
    {"storage.k8s.io", "CSINode"},
    {"storage.k8s.io", "CSIStorageCapacity"},
    {"storage.k8s.io", "StorageClass"},
    {"storage.k8s.io", "VolumeAttachment"},
}};

bool isKeyChar(char C) {
  return llvm::isAlnum(C) || C == '_' || C == '.' || C == '/' || C == '-';
}

/// The closing character of a value that may span lines: a quoted scalar or flow collection.
std::optional<char> closerOf(char Open) {
  switch (Open) {
  case '"':
  case '\'':
    return Open;
  case '{':
    return '}';
  case '[':
    return ']';
  default:
    return std::nullopt;
  }
}

/// A scalar value without its comment and one pair of quotes; empty when it is anything else.
llvm::StringRef plainValue(llvm::StringRef Value) {
  if (size_t Hash = Value.find(" #"); Hash != llvm::StringRef::npos)
    Value = Value.take_front(Hash);
  Value = Value.trim(" \t");
  if (Value.size() >= 2 && (Value.front() == '"' || Value.front() == '\'') &&
      Value.back() == Value.front())
    Value = Value.drop_front().drop_back();
  if (Value.empty() || !std::all_of(Value.begin(), Value.end(), isKeyChar))
    return "";
  return Value;
}

/// Whether the kind of ApiVersion and Kind is in InertKinds.
bool isInertKind(llvm::StringRef ApiVersion, llvm::StringRef Kind) {
  if (ApiVersion.empty() || Kind.empty())
    return false;
  // `v1` names the core group (""); a structured binding would not be capturable by clang 14.
  llvm::StringRef Group = ApiVersion.contains('/') ? ApiVersion.split('/').first : "";
  return std::any_of(InertKinds.begin(), InertKinds.end(), [&](const auto &Entry) {
    return Entry.first == Group && Entry.second == Kind;
  });
}

} // namespace

bool isInertDocument(llvm::StringRef Text) {
  // A lone `\r` ends a line for the parser: lines this look cannot see.
  for (size_t R = Text.find('\r'); R != llvm::StringRef::npos; R = Text.find('\r', R + 1))
    if (R + 1 == Text.size() || Text[R + 1] != '\n')
      return false;

  bool SeenRoot = false;
  unsigned ApiVersions = 0, Kinds = 0;
  llvm::StringRef ApiVersion, Kind;
  while (!Text.empty()) {
    auto [Line, Rest] = Text.split('\n');
    Text = Rest;
    Line.consume_back("\r");
    if (Line.empty() || Line.front() == '#')
      continue;
    if (Line.front() == ' ' || Line.front() == '\t') {
      if (SeenRoot)
        continue; // inside a top-level value
      llvm::StringRef Content = Line.ltrim(" \t");
      if (Content.empty() || Content.front() == '#')
        continue;
      return false; // the root mapping is indented, or is no block mapping
    }
    // A line at column 0 is a key of the root block mapping, or the look gives up.
    size_t KeyEnd = 0;
    while (KeyEnd < Line.size() && isKeyChar(Line[KeyEnd]))
      ++KeyEnd;
    if (KeyEnd == 0 || KeyEnd == Line.size() || Line[KeyEnd] != ':' ||
        (KeyEnd + 1 < Line.size() && Line[KeyEnd + 1] != ' ' && Line[KeyEnd + 1] != '\t'))
      return false;
    SeenRoot = true;
    llvm::StringRef Key = Line.take_front(KeyEnd);
    llvm::StringRef Value = Line.drop_front(KeyEnd + 1).trim(" \t");
    if (!Value.empty())
      if (std::optional<char> Closer = closerOf(Value.front()))
        if (Value.size() < 2 || Value.back() != *Closer)
          return false; // may continue on lines at column 0
    if (Key == "apiVersion") {
      ++ApiVersions;
      ApiVersion = plainValue(Value);
    } else if (Key == "kind") {
      ++Kinds;
      Kind = plainValue(Value);
    } else {
      continue;
    }
    // The rest of the lines can only say no: once a kind no rule skips is known, stop.
    if (ApiVersions == 1 && Kinds == 1 && !isInertKind(ApiVersion, Kind))
      return false;
  }
  return ApiVersions == 1 && Kinds == 1 && isInertKind(ApiVersion, Kind);
}

} // namespace saguard::model
