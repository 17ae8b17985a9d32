//===- Object.cpp - model helpers -----------------------------------------===//
#include "saguard/model/Object.h"
#include "saguard/model/Origin.h"

#include <algorithm>
#include <array>

namespace saguard::model {

std::string ObjectRef::qualifiedName() const {
  if (Namespace.empty())
    return Kind + "/" + Name;
  return Kind + "/" + Namespace + "/" + Name;
}

std::string namespacedName(std::string_view Namespace, std::string_view Name) {
  std::string Key(Namespace);
  Key += '/';
  Key += Name;
  return Key;
}

bool isClusterScopedKind(std::string_view Kind) {
  // The cluster-scoped kinds of the built-in API groups; custom resources count as namespaced.
  static constexpr std::array<std::string_view, 22> Kinds = {
      "APIService",          "CertificateSigningRequest",  "ClusterRole",
      "ClusterRoleBinding",  "ComponentStatus",            "CSIDriver",
      "CSINode",             "CustomResourceDefinition",   "FlowSchema",
      "IngressClass",        "MutatingWebhookConfiguration", "Namespace",
      "Node",                "PersistentVolume",           "PriorityClass",
      "PriorityLevelConfiguration", "RuntimeClass",        "StorageClass",
      "ValidatingAdmissionPolicy",  "ValidatingAdmissionPolicyBinding",
      "ValidatingWebhookConfiguration", "VolumeAttachment"};
  return std::find(Kinds.begin(), Kinds.end(), Kind) != Kinds.end();
}

const std::string &PodSpec::accountName() const {
  static const std::string Default = "default";
  // An empty value counts as unset, as in Kubernetes.
  if (ServiceAccountName.isSet() && !ServiceAccountName->empty())
    return *ServiceAccountName;
  if (ServiceAccount.isSet() && !ServiceAccount->empty())
    return *ServiceAccount;
  return Default;
}

KeyLocation PodSpec::accountKey() const {
  if (ServiceAccountName.isSet() && !ServiceAccountName->empty())
    return ServiceAccountName;
  if (ServiceAccount.isSet() && !ServiceAccount->empty())
    return ServiceAccount;
  return {{}, ServiceAccountName.Path};
}

bool LabelSelector::matches(const std::map<std::string, std::string> &Labels) const {
  for (const auto &[Key, Value] : MatchLabels) {
    auto It = Labels.find(Key);
    if (It == Labels.end() || It->second != Value)
      return false;
  }
  for (const LabelSelectorRequirement &Req : MatchExpressions) {
    auto It = Labels.find(Req.Key);
    bool Has = It != Labels.end();
    bool In = Has && std::find(Req.Values.begin(), Req.Values.end(), It->second) !=
                         Req.Values.end();
    if ((Req.Operator == "In" && !In) || (Req.Operator == "NotIn" && In) ||
        (Req.Operator == "Exists" && !Has) || (Req.Operator == "DoesNotExist" && Has))
      return false;
    if (Req.Operator != "In" && Req.Operator != "NotIn" && Req.Operator != "Exists" &&
        Req.Operator != "DoesNotExist")
      return false; // an unknown operator selects nothing, as the API server rejects it
  }
  return true;
}

bool isReadAnnotation(std::string_view Key) {
  return Key.starts_with("saguard.io/") || Key == "config.kubernetes.io/origin" ||
         Key == "kubernetes.io/service-account.name" || Key.starts_with("helm.sh/hook");
}

bool Object::carriesAny(ModelParts Parts) const {
  return (Pod && Parts.has(ModelPart::PodSpecs)) || (Account && Parts.has(ModelPart::Accounts)) ||
         (Secret && Parts.has(ModelPart::TokenSecrets) &&
          Secret->Type.valueOr("") == "kubernetes.io/service-account-token") ||
         (Role && Parts.has(ModelPart::Roles)) || (Binding && Parts.has(ModelPart::Bindings));
}

std::string Object::annotation(std::string_view Key) const {
  auto It = Meta.Annotations.find(std::string(Key));
  return It == Meta.Annotations.end() ? std::string() : It->second.valueOr("");
}

std::string Object::source() const {
  if (!HelmSource.empty())
    return HelmSource;
  std::string Origin = annotation(OriginAnnotationKey);
  if (Origin.empty())
    return "";
  llvm::Expected<KustomizeOrigin> Parsed = parseOriginAnnotation(Origin);
  if (!Parsed) {
    llvm::consumeError(Parsed.takeError()); // an origin that says nothing names no file
    return "";
  }
  return Parsed->Path.empty() ? Parsed->ConfiguredIn : Parsed->Path;
}

} // namespace saguard::model
