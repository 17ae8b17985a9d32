//===- Object.h - the slim typed model of a Kubernetes object ---*- C++ -*-===//
//
// Plain structs holding only what the rules read, each field with the source range of the key
// that set it and that key's path in the object (KeyLocation). The YAML schema that fills them
// is in ModelYAML.h (ObjectYAML style).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "saguard/support/Located.h"

#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace saguard::model {

/// Identity of an object: apiVersion, kind, namespace (empty when cluster-scoped), name.
struct ObjectRef {
  std::string ApiVersion;
  std::string Kind;
  std::string Namespace;
  std::string Name;

  /// `Kind/namespace/name`, or `Kind/name` when cluster-scoped (SARIF fullyQualifiedName).
  std::string qualifiedName() const;
  friend bool operator==(const ObjectRef &, const ObjectRef &) = default;
};

/// The namespace of a namespaced object that names none, unless the run says otherwise.
inline constexpr std::string_view DefaultNamespaceName = "default";

/// `namespace/name`: how accounts and roles are named and keyed (`/name` when cluster-scoped).
std::string namespacedName(std::string_view Namespace, std::string_view Name);

/// True for the kinds the API server keeps without a namespace.
bool isClusterScopedKind(std::string_view Kind);

struct Metadata {
  /// Where the name was written (its value is the object's Ref.Name).
  KeyLocation Name;
  /// The namespace as written (Ref.Namespace is defaulted, or empty when cluster-scoped).
  Located<std::string> Namespace;
  /// Only the annotations saguard reads (isReadAnnotation), each at its key, so a problem with
  /// one (an unknown rule in `saguard.io/ignore`) is reported where the user wrote it.
  std::map<std::string, Located<std::string>> Annotations;
};

/// Whether saguard reads an annotation: suppressions, kustomize origins, token owners, hooks.
bool isReadAnnotation(std::string_view Key);

/// A projected volume source `serviceAccountToken` (a token mounted even without automount),
/// located at its `serviceAccountToken:` key.
struct ProjectedTokenVolume : KeyLocation {
  std::string VolumeName;
};

/// The pod spec of a Pod-bearing object.
struct PodSpec {
  Located<std::string> ServiceAccountName;
  Located<std::string> ServiceAccount; ///< deprecated alias of ServiceAccountName
  Located<bool> AutomountServiceAccountToken;
  std::vector<ProjectedTokenVolume> ProjectedTokens;
  /// The `spec:` key of the pod spec (path e.g. `spec.template.spec`), the fallback location of
  /// pod findings.
  KeyLocation SpecKey;

  /// The account the Pod runs as: serviceAccountName, else serviceAccount, else `default`.
  const std::string &accountName() const;
  /// The key that names the account: serviceAccountName, or the deprecated serviceAccount when
  /// only that one does; when the Pod names none (an empty name counts as none), no range and
  /// serviceAccountName's path.
  KeyLocation accountKey() const;
};

struct ServiceAccountData {
  Located<bool> AutomountServiceAccountToken;
  /// Names in `secrets:` (legacy token Secrets bound to the account).
  std::vector<Located<std::string>> Secrets;
};

struct SecretData {
  Located<std::string> Type;
};

struct LabelSelectorRequirement {
  std::string Key;
  std::string Operator; ///< In, NotIn, Exists, DoesNotExist
  std::vector<std::string> Values;
};

struct LabelSelector {
  std::map<std::string, std::string> MatchLabels;
  std::vector<LabelSelectorRequirement> MatchExpressions;

  /// Whether Labels satisfy the selector; an empty selector `{}` matches everything, as
  /// metav1.LabelSelectorAsSelector makes it (so `clusterRoleSelectors: [{}]` gathers all).
  bool matches(const std::map<std::string, std::string> &Labels) const;
};

/// A rule entry, located at its first key.
struct PolicyRule : KeyLocation {
  std::vector<Located<std::string>> ApiGroups;
  std::vector<Located<std::string>> Resources;
  std::vector<Located<std::string>> Verbs;
  std::vector<Located<std::string>> ResourceNames;
  std::vector<Located<std::string>> NonResourceURLs;
};

struct RoleData {
  /// metadata.labels, which aggregation selects ClusterRoles by (no other kind keeps them).
  std::map<std::string, std::string> Labels;
  std::vector<PolicyRule> Rules;
  std::vector<LabelSelector> AggregationSelectors; ///< aggregationRule.clusterRoleSelectors
  KeyLocation AggregationKey;                      ///< the `aggregationRule:` key
  bool HasAggregationRule = false;
};

/// A subject entry, located at its first key.
struct Subject : KeyLocation {
  Located<std::string> Kind; ///< ServiceAccount, User, Group
  Located<std::string> Name;
  Located<std::string> Namespace;
};

struct BindingData {
  Located<std::string> RoleRefKind; ///< Role or ClusterRole
  Located<std::string> RoleRefName;
  KeyLocation RoleRef; ///< the `roleRef:` key
  std::vector<Subject> Subjects;
};

/// A part of the model rules read. Each rule declares the parts it reads, and the loader keeps
/// only the objects that carry a part some enabled rule reads.
enum class ModelPart : unsigned {
  PodSpecs = 1u << 0,     ///< objects with a pod spec (Pods, workloads, custom kinds)
  Accounts = 1u << 1,     ///< ServiceAccounts
  TokenSecrets = 1u << 2, ///< Secrets of type kubernetes.io/service-account-token
  Roles = 1u << 3,        ///< Roles and ClusterRoles
  Bindings = 1u << 4,     ///< RoleBindings and ClusterRoleBindings
};

/// A set of ModelParts.
class ModelParts {
public:
  constexpr ModelParts() = default;
  constexpr ModelParts(std::initializer_list<ModelPart> Parts) {
    for (ModelPart P : Parts)
      Bits |= static_cast<unsigned>(P);
  }
  /// Every part: what a run that analyses everything (or lists permissions) keeps.
  static constexpr ModelParts all() {
    return {ModelPart::PodSpecs, ModelPart::Accounts, ModelPart::TokenSecrets, ModelPart::Roles,
            ModelPart::Bindings};
  }
  constexpr bool has(ModelPart P) const { return (Bits & static_cast<unsigned>(P)) != 0; }
  constexpr ModelParts &operator|=(ModelParts Other) {
    Bits |= Other.Bits;
    return *this;
  }
  friend constexpr bool operator==(ModelParts, ModelParts) = default;

private:
  unsigned Bits = 0;
};

/// One Kubernetes object of the analysed set.
struct Object {
  ObjectRef Ref; ///< namespace already defaulted for namespaced kinds
  Metadata Meta;
  /// The object's first line (its first key), the last-resort location of findings.
  SourceRange Range;
  /// `# Source:` path from helm, when the object was rendered by helm (shared by the objects of
  /// one template).
  InternedString HelmSource;
  /// Line of the document's first line in its stream (for template line matching).
  unsigned DocumentFirstLine = 1;
  /// The target (manifest path, chart or overlay) the object came from (shared by its objects).
  InternedString Target;

  // At most one part is set, chosen by kind; held by pointer so an object costs only the part
  // it has (memory holds the slim model, not the YAML).
  std::unique_ptr<PodSpec> Pod;               ///< Pod-bearing objects
  std::unique_ptr<ServiceAccountData> Account; ///< kind ServiceAccount
  std::unique_ptr<SecretData> Secret;          ///< kind Secret
  std::unique_ptr<RoleData> Role;              ///< Role and ClusterRole
  std::unique_ptr<BindingData> Binding;        ///< RoleBinding and ClusterRoleBinding

  bool isKind(std::string_view K) const { return Ref.Kind == K; }
  /// Whether the object carries one of Parts (a Secret only when it holds an account token).
  bool carriesAny(ModelParts Parts) const;
  /// Value of an annotation, or "" when absent.
  std::string annotation(std::string_view Key) const;
  /// The file the object was written in, relative to its target: HelmSource, else the path
  /// (or generating kustomization) of its kustomize origin annotation; "" for the target itself.
  std::string source() const;
};

} // namespace saguard::model
