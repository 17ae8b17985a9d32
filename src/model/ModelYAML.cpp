//===- ModelYAML.cpp - YAML I/O schema of the model -----------------------===//
#include "saguard/model/ModelYAML.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/YAMLParser.h"

using namespace llvm;
using namespace llvm::yaml;
using saguard::Located;
using saguard::SourceRange;
namespace model = saguard::model;

namespace saguard::model {

SourceRange ParseContext::range(const char *Begin, const char *End) const {
  size_t B = static_cast<size_t>(Begin - Buffer.data());
  size_t E = static_cast<size_t>(End - Buffer.data());
  if (!LineOrigins.empty()) {
    // A rewritten buffer keeps one key per line; its origin is the original key's position.
    SourcePos Origin = LineOrigins[std::min<size_t>(Lines->position(B).Line - 1,
                                                     LineOrigins.size() - 1)];
    return {File, Origin, {Origin.Line, Origin.Column + 1}};
  }
  return {File, Lines->position(B), Lines->position(E)};
}

static bool isBlank(char C) { return C == ' ' || C == '\t' || C == '\r'; }

/// [Begin, End) of the line holding Offset, without its line break.
static std::pair<size_t, size_t> lineAround(StringRef Text, size_t Offset) {
  size_t Begin = Text.rfind('\n', Offset == 0 ? 0 : Offset - 1);
  Begin = (Begin == StringRef::npos || Offset == 0) ? 0 : Begin + 1;
  size_t End = Text.find('\n', Offset);
  if (End == StringRef::npos)
    End = Text.size();
  return {Begin, End};
}

/// Where the key of `key:` ends in Line (the `:`), ignoring a trailing comment; npos if the line
/// does not end in a colon.
static size_t colonAtEnd(StringRef Line) {
  StringRef Trimmed = Line.rtrim(" \t\r");
  if (!Trimmed.endswith(":")) {
    size_t Hash = Trimmed.find(" #");
    if (Hash == StringRef::npos)
      return StringRef::npos;
    Trimmed = Trimmed.substr(0, Hash).rtrim(" \t");
    if (!Trimmed.endswith(":"))
      return StringRef::npos;
  }
  return Trimmed.size() - 1;
}

/// First key character of a line: after indentation and any `- ` sequence-entry markers.
static size_t keyStartInLine(StringRef Line) {
  size_t I = 0;
  for (;;) {
    while (I < Line.size() && isBlank(Line[I]))
      ++I;
    if (I + 1 < Line.size() && Line[I] == '-' && isBlank(Line[I + 1])) {
      ++I;
      continue;
    }
    return I;
  }
}

size_t findKeyBefore(StringRef Text, size_t ValueOffset) {
  // Same line first: `key: value`, `- key: value`, `{key: value}`.
  auto [LineBegin, LineEnd] = lineAround(Text, ValueOffset);
  size_t I = ValueOffset;
  // A flow mapping's node starts at its first key: step back over `{` to the key that holds
  // it. Not over `[`: an item of a flow sequence is no key's value.
  while (I > LineBegin && (isBlank(Text[I - 1]) || Text[I - 1] == '{'))
    --I;
  if (I > LineBegin && Text[I - 1] == ':') {
    size_t KeyEnd = I - 1;
    size_t K = KeyEnd;
    if (K > LineBegin && (Text[K - 1] == '"' || Text[K - 1] == '\'')) {
      char Quote = Text[K - 1];
      size_t Open = Text.rfind(Quote, K - 2 > LineBegin ? K - 2 : LineBegin);
      return (Open == StringRef::npos || Open < LineBegin) ? StringRef::npos : Open;
    }
    while (K > LineBegin && !isBlank(Text[K - 1]) && Text[K - 1] != '{' && Text[K - 1] != ',' &&
           Text[K - 1] != '-')
      --K;
    return K < KeyEnd ? K : StringRef::npos;
  }
  if (I != LineBegin)
    return StringRef::npos; // something other than a key precedes the value on its line
  // Earlier lines: skip blank and comment-only lines up to the line that ends in `key:`.
  size_t Cursor = LineBegin;
  while (Cursor > 0) {
    auto [PrevBegin, PrevEnd] = lineAround(Text, Cursor - 1);
    StringRef Line = Text.slice(PrevBegin, PrevEnd);
    StringRef Content = Line.ltrim(" \t");
    if (Content.rtrim(" \t\r").empty() || Content.startswith("#")) {
      Cursor = PrevBegin;
      continue;
    }
    if (colonAtEnd(Line) == StringRef::npos)
      return StringRef::npos;
    return PrevBegin + keyStartInLine(Line);
  }
  return StringRef::npos;
}

void ParseContext::enterIndex(size_t Index) {
  Path.resize(KeyEnds.empty() ? 0 : KeyEnds.back());
  if (!Path.empty())
    Path += '.';
  Path += std::to_string(Index);
}

KeyScope::KeyScope(ParseContext &Ctx, StringRef Key) : Ctx(Ctx), Saved(Ctx.Path.size()) {
  if (!Ctx.Path.empty())
    Ctx.Path += '.';
  Ctx.Path += Key;
  Ctx.KeyEnds.push_back(Ctx.Path.size());
}

KeyScope::~KeyScope() {
  Ctx.KeyEnds.pop_back();
  Ctx.Path.resize(Saved);
}

SourceRange ParseContext::keyRange(const char *ValueBegin, const char *ValueEnd) const {
  size_t Key = findKeyBefore(Buffer, static_cast<size_t>(ValueBegin - Buffer.data()));
  if (Key == StringRef::npos)
    return range(ValueBegin, ValueEnd);
  return range(Buffer.data() + Key, ValueEnd);
}

} // namespace saguard::model

namespace {

model::ParseContext &context(IO &IO) {
  assert(!IO.outputting() && "saguard only reads YAML");
  return *static_cast<model::ParseContext *>(IO.getContext());
}

const Node *currentNode(IO &IO) { return context(IO).In->getCurrentNode(); }

bool isYamlNull(StringRef Plain) {
  return Plain == "~" || Plain == "null" || Plain == "Null" || Plain == "NULL";
}

/// A scalar node's value and whether it was plain (unquoted, untagged as a string).
struct ScalarText {
  std::string Value;
  bool Plain = true;
  bool Null = false;
};

/// Reads the current node as a scalar; sets an error and returns None for a collection.
Optional<ScalarText> readScalar(IO &IO, const char *Expected) {
  const Node *N = currentNode(IO);
  if (!N || isa<NullNode>(N))
    return ScalarText{"", true, true};
  auto &Ctx = context(IO);
  if (const auto *S = dyn_cast<ScalarNode>(N)) {
    SmallString<64> Storage;
    StringRef Value = S->getValue(Storage);
    if (Value.size() > Ctx.Limits->MaxScalarBytes) {
      IO.setError(Twine("scalar of ") + Twine(Value.size()) + " bytes exceeds the limit of " +
                  Twine(Ctx.Limits->MaxScalarBytes));
      return None;
    }
    StringRef Raw = S->getRawValue();
    bool Quoted = Raw.startswith("\"") || Raw.startswith("'");
    // getVerbatimTag() resolves an untagged scalar to !!str as well, so only the written tag counts.
    bool StringTag = S->getRawTag() == "!!str" || S->getRawTag() == "!<tag:yaml.org,2002:str>";
    bool Plain = !Quoted && !StringTag;
    // LLVM's scanner keeps the line break and indentation after a plain scalar that ends a flow
    // mapping (`"a": false\n    }`, as kubectl writes JSON) in its value; a plain scalar never
    // ends in whitespace.
    if (!Quoted)
      Value = Value.rtrim(" \t\r\n");
    return ScalarText{Value.str(), Plain, Plain && isYamlNull(Value)};
  }
  if (const auto *B = dyn_cast<BlockScalarNode>(N))
    return ScalarText{B->getValue().str(), false, false};
  IO.setError(Twine("expected ") + Expected + ", found a " +
              (isa<MappingNode>(N) ? "mapping" : "sequence"));
  return None;
}

SourceRange valueKeyRange(IO &IO) {
  const Node *N = currentNode(IO);
  SMRange R = N->getSourceRange();
  return context(IO).keyRange(R.Start.getPointer(), R.End.getPointer());
}

/// The key whose (mapping) value is the current node.
saguard::KeyLocation mappingKey(IO &IO) {
  const Node *N = currentNode(IO);
  return {N ? valueKeyRange(IO) : SourceRange(), context(IO).keyPath()};
}

template <typename T> struct IsOptional : std::false_type {};
template <typename T> struct IsOptional<Optional<T>> : std::true_type {};

/// Maps Key into Val, with Key on the path of whatever Val's mapping locates; a located field
/// knows its path even when Key is absent.
template <typename T> void mapKey(IO &IO, const char *Key, T &Val) {
  model::KeyScope Scope(context(IO), Key);
  if constexpr (IsOptional<T>::value) {
    // IO::mapOptional of an Optional casts the IO to yaml::Input to look for `<none>`, which
    // StrictInput is not: the same steps, without that.
    void *Saved = nullptr;
    bool UseDefault = false;
    if (IO.preflightKey(Key, /*Required=*/false, /*SameAsDefault=*/false, UseDefault, Saved)) {
      Val.emplace();
      EmptyContext Ctx;
      yamlize(IO, *Val, true, Ctx);
      IO.postflightKey(Saved);
    }
  } else {
    IO.mapOptional(Key, Val);
  }
  // A value read set the path already: intern it once.
  if constexpr (std::is_base_of_v<saguard::KeyLocation, T>)
    if (Val.Path.empty())
      Val.Path = context(IO).keyPath();
}

} // namespace

namespace llvm::yaml {

void MappingTraits<Located<std::string>>::mapping(IO &IO, Located<std::string> &Val) {
  Optional<ScalarText> S = readScalar(IO, "a string");
  if (!S || S->Null)
    return;
  Val.Value = std::move(S->Value);
  Val.Range = valueKeyRange(IO);
  Val.Path = context(IO).keyPath();
}

void MappingTraits<Located<bool>>::mapping(IO &IO, Located<bool> &Val) {
  Optional<ScalarText> S = readScalar(IO, "a boolean");
  if (!S || S->Null)
    return;
  // Kubernetes reads YAML 1.1 (go-yaml v2): `yes`, `on`, `y` are booleans, as for parseBool.
  Optional<bool> B = S->Plain ? llvm::yaml::parseBool(S->Value) : None;
  if (!B) {
    // A quoted "true" is a string to the API server, which rejects it for a boolean field.
    IO.setError(Twine("expected a boolean, found ") +
                (S->Plain ? "'" + S->Value + "'" : "the string \"" + S->Value + "\""));
    return;
  }
  Val.Value = *B;
  Val.Range = valueKeyRange(IO);
  Val.Path = context(IO).keyPath();
}

void MappingTraits<model::Presence>::mapping(IO &IO, model::Presence &Val) {
  const Node *N = currentNode(IO);
  if (!N || isa<NullNode>(N) || isa<SequenceNode>(N)) {
    Val.Present = true;
    return;
  }
  // Strict decoding rejects `containers: "x"`; a custom kind's shape is its own business.
  if (!context(IO).LenientShapes)
    IO.setError(Twine("expected a list, found a ") +
                (isa<MappingNode>(N) ? "mapping" : "scalar"));
}

namespace {
/// A string map (labels, annotations); Read maps the value of each key into Map.
template <typename V, typename ReadFn>
void mapStringMap(IO &IO, std::map<std::string, V> &Map, ReadFn Read) {
  const Node *N = currentNode(IO);
  if (!N || isa<NullNode>(N))
    return;
  if (!isa<MappingNode>(N)) {
    Optional<ScalarText> S = readScalar(IO, "a mapping");
    if (S && !S->Null)
      IO.setError("expected a mapping, found a scalar");
    return;
  }
  for (StringRef Key : IO.keys()) {
    std::string Name = Key.str();
    Read(Name, Map[Name]);
  }
}
} // namespace

void MappingTraits<std::map<std::string, std::string>>::mapping(
    IO &IO, std::map<std::string, std::string> &Map) {
  // Plain values: no position or key path to compute for each label.
  mapStringMap(IO, Map, [&IO](const std::string &Key, std::string &Value) {
    void *Map = nullptr;
    bool UseDefault = false;
    if (!IO.preflightKey(Key.c_str(), false, false, UseDefault, Map))
      return;
    if (Optional<ScalarText> S = readScalar(IO, "a string"); S && !S->Null)
      Value = std::move(S->Value); // null reads as empty, as Kubernetes reads it
    IO.postflightKey(Map);
  });
}

void MappingTraits<std::map<std::string, Located<std::string>>>::mapping(
    IO &IO, std::map<std::string, Located<std::string>> &Map) {
  mapStringMap(IO, Map, [&IO](const std::string &Key, Located<std::string> &Value) {
    mapKey(IO, Key.c_str(), Value);
    if (!Value.Value) // a null annotation is an empty one, as Kubernetes reads it
      Value.Value.emplace();
  });
}

void MappingTraits<model::MetadataYAML>::mapping(IO &IO, model::MetadataYAML &Meta) {
  mapKey(IO, "name", Meta.Name);
  mapKey(IO, "namespace", Meta.Namespace);
  mapKey(IO, "labels", Meta.Labels);
  mapKey(IO, "annotations", Meta.Annotations);
}

namespace {
/// `volumes[].projected.sources[].serviceAccountToken` (YAML-only shapes).
struct ProjectionYAML {
  Optional<model::ProjectedTokenVolume> ServiceAccountToken;
};
struct ProjectedYAML {
  std::vector<ProjectionYAML> Sources;
};
struct VolumeYAML {
  Located<std::string> Name;
  Optional<ProjectedYAML> Projected;
};
struct RoleRefYAML {
  Located<std::string> Kind, Name;
  saguard::KeyLocation Key;
};
struct SecretRefYAML {
  Located<std::string> Name;
};
struct AggregationRuleYAML {
  std::vector<model::LabelSelector> ClusterRoleSelectors;
  saguard::KeyLocation Key;
};
} // namespace
} // namespace llvm::yaml

SAGUARD_YAML_INDEXED_SEQUENCE(llvm::yaml::ProjectionYAML)
SAGUARD_YAML_INDEXED_SEQUENCE(llvm::yaml::VolumeYAML)
SAGUARD_YAML_INDEXED_SEQUENCE(llvm::yaml::SecretRefYAML)

namespace llvm::yaml {

template <> struct MappingTraits<ProjectionYAML> {
  static void mapping(IO &IO, ProjectionYAML &P) {
    mapKey(IO, "serviceAccountToken", P.ServiceAccountToken);
  }
};
template <> struct MappingTraits<ProjectedYAML> {
  static void mapping(IO &IO, ProjectedYAML &P) { mapKey(IO, "sources", P.Sources); }
};
template <> struct MappingTraits<VolumeYAML> {
  static void mapping(IO &IO, VolumeYAML &V) {
    mapKey(IO, "name", V.Name);
    mapKey(IO, "projected", V.Projected);
  }
};
template <> struct MappingTraits<RoleRefYAML> {
  static void mapping(IO &IO, RoleRefYAML &R) {
    R.Key = mappingKey(IO);
    mapKey(IO, "kind", R.Kind);
    mapKey(IO, "name", R.Name);
  }
};
template <> struct MappingTraits<SecretRefYAML> {
  static void mapping(IO &IO, SecretRefYAML &S) { mapKey(IO, "name", S.Name); }
};
template <> struct MappingTraits<AggregationRuleYAML> {
  static void mapping(IO &IO, AggregationRuleYAML &A) {
    A.Key = mappingKey(IO);
    mapKey(IO, "clusterRoleSelectors", A.ClusterRoleSelectors);
  }
};

void MappingTraits<model::ProjectedTokenVolume>::mapping(IO &IO, model::ProjectedTokenVolume &V) {
  static_cast<saguard::KeyLocation &>(V) = mappingKey(IO);
}

void MappingTraits<model::PodSpec>::mapping(IO &IO, model::PodSpec &Spec) {
  Spec.SpecKey = mappingKey(IO);
  mapKey(IO, "serviceAccountName", Spec.ServiceAccountName);
  mapKey(IO, "serviceAccount", Spec.ServiceAccount);
  mapKey(IO, "automountServiceAccountToken", Spec.AutomountServiceAccountToken);
  std::vector<VolumeYAML> Volumes;
  mapKey(IO, "volumes", Volumes);
  for (VolumeYAML &V : Volumes) {
    if (!V.Projected)
      continue;
    for (ProjectionYAML &P : V.Projected->Sources)
      if (P.ServiceAccountToken) {
        Spec.ProjectedTokens.push_back(std::move(*P.ServiceAccountToken));
        Spec.ProjectedTokens.back().VolumeName = V.Name.valueOr("");
      }
  }
  model::Presence Containers;
  mapKey(IO, "containers", Containers);
  context(IO).SawContainers = Containers.Present;
}

/// Maps Key into Out, strictly for built-in kinds and leniently under a custom kind.
template <typename T> static void mapShape(IO &IO, const char *Key, Optional<T> &Out) {
  if (!context(IO).LenientShapes) {
    mapKey(IO, Key, Out);
    return;
  }
  model::Lenient<T> L;
  mapKey(IO, Key, L);
  if (L.Value)
    Out = std::move(*L.Value);
}

void MappingTraits<model::PodTemplateYAML>::mapping(IO &IO, model::PodTemplateYAML &T) {
  auto &Ctx = context(IO);
  mapShape(IO, "spec", T.Spec);
  // A custom kind's spec.template.spec is a pod spec only when it has containers.
  if (Ctx.LenientShapes && T.Spec && !Ctx.SawContainers)
    T.Spec = None;
}

void MappingTraits<model::JobSpecYAML>::mapping(IO &IO, model::JobSpecYAML &S) {
  mapShape(IO, "template", S.Template);
}

void MappingTraits<model::JobTemplateYAML>::mapping(IO &IO, model::JobTemplateYAML &T) {
  mapShape(IO, "spec", T.Spec);
}

void MappingTraits<model::WorkloadSpecYAML>::mapping(IO &IO, model::WorkloadSpecYAML &S) {
  mapShape(IO, "template", S.Template);
  mapShape(IO, "jobTemplate", S.JobTemplate);
}

void MappingTraits<model::PolicyRule>::mapping(IO &IO, model::PolicyRule &Rule) {
  static_cast<saguard::KeyLocation &>(Rule) = mappingKey(IO);
  mapKey(IO, "apiGroups", Rule.ApiGroups);
  mapKey(IO, "resources", Rule.Resources);
  mapKey(IO, "verbs", Rule.Verbs);
  mapKey(IO, "resourceNames", Rule.ResourceNames);
  mapKey(IO, "nonResourceURLs", Rule.NonResourceURLs);
}

void MappingTraits<model::LabelSelectorRequirement>::mapping(
    IO &IO, model::LabelSelectorRequirement &Req) {
  Located<std::string> Key, Operator;
  std::vector<Located<std::string>> Values;
  mapKey(IO, "key", Key);
  mapKey(IO, "operator", Operator);
  mapKey(IO, "values", Values);
  Req.Key = Key.valueOr("");
  Req.Operator = Operator.valueOr("");
  for (auto &V : Values)
    Req.Values.push_back(V.valueOr(""));
}

void MappingTraits<model::LabelSelector>::mapping(IO &IO, model::LabelSelector &Sel) {
  mapKey(IO, "matchLabels", Sel.MatchLabels);
  mapKey(IO, "matchExpressions", Sel.MatchExpressions);
}

void MappingTraits<model::Subject>::mapping(IO &IO, model::Subject &S) {
  static_cast<saguard::KeyLocation &>(S) = mappingKey(IO);
  mapKey(IO, "kind", S.Kind);
  mapKey(IO, "name", S.Name);
  mapKey(IO, "namespace", S.Namespace);
}

/// Kinds whose spec.template is a pod template by definition; their shape is checked strictly.
static bool isBuiltinWorkloadKind(StringRef Kind) {
  return StringSwitch<bool>(Kind)
      .Cases("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", true)
      .Cases("ReplicationController", "Job", "CronJob", true)
      .Default(false);
}

void MappingTraits<model::Object>::mapping(IO &IO, model::Object &Obj) {
  auto &Ctx = context(IO);
  if (const Node *N = currentNode(IO)) {
    // The object's first line is its first key, not the key that holds it (a List item).
    SMRange R = N->getSourceRange();
    Obj.Range = Ctx.range(R.Start.getPointer(), R.Start.getPointer());
  }
  Located<std::string> ApiVersion, Kind;
  mapKey(IO, "apiVersion", ApiVersion);
  mapKey(IO, "kind", Kind);
  model::MetadataYAML Meta;
  mapKey(IO, "metadata", Meta);
  Obj.Ref.ApiVersion = ApiVersion.valueOr("");
  Obj.Ref.Kind = Kind.valueOr("");
  Obj.Ref.Name = Meta.Name.valueOr("");
  Obj.Meta.Name = Meta.Name;
  Obj.Meta.Namespace = std::move(Meta.Namespace);
  // Only a few annotations are read: the rest never enter the model, however much metadata a
  // chart renders.
  for (auto &[Key, Value] : Meta.Annotations)
    if (model::isReadAnnotation(Key))
      Obj.Meta.Annotations.emplace(Key, std::move(Value));
  StringRef K = Obj.Ref.Kind;

  if (K == "Pod") {
    Optional<model::PodSpec> Spec;
    mapKey(IO, "spec", Spec);
    if (Spec) {
      Obj.Pod = std::make_unique<model::PodSpec>(std::move(*Spec));
    }
  } else if (K == "PodTemplate") {
    Optional<model::PodTemplateYAML> Template;
    mapKey(IO, "template", Template);
    if (Template && Template->Spec) {
      Obj.Pod = std::make_unique<model::PodSpec>(std::move(*Template->Spec));
    }
  } else if (K == "ServiceAccount") {
    model::ServiceAccountData Account;
    mapKey(IO, "automountServiceAccountToken", Account.AutomountServiceAccountToken);
    std::vector<SecretRefYAML> Secrets;
    mapKey(IO, "secrets", Secrets);
    for (SecretRefYAML &S : Secrets)
      if (S.Name.isSet())
        Account.Secrets.push_back(std::move(S.Name));
    Obj.Account = std::make_unique<model::ServiceAccountData>(std::move(Account));
  } else if (K == "Secret") {
    model::SecretData Secret;
    mapKey(IO, "type", Secret.Type);
    Obj.Secret = std::make_unique<model::SecretData>(std::move(Secret));
  } else if (K == "Role" || K == "ClusterRole") {
    model::RoleData Role;
    Role.Labels = std::move(Meta.Labels);
    mapKey(IO, "rules", Role.Rules);
    Optional<AggregationRuleYAML> Aggregation;
    mapKey(IO, "aggregationRule", Aggregation);
    if (Aggregation) {
      Role.HasAggregationRule = true;
      Role.AggregationSelectors = std::move(Aggregation->ClusterRoleSelectors);
      Role.AggregationKey = Aggregation->Key;
    }
    Obj.Role = std::make_unique<model::RoleData>(std::move(Role));
  } else if (K == "RoleBinding" || K == "ClusterRoleBinding") {
    model::BindingData Binding;
    RoleRefYAML Ref;
    mapKey(IO, "roleRef", Ref);
    Binding.RoleRefKind = std::move(Ref.Kind);
    Binding.RoleRefName = std::move(Ref.Name);
    Binding.RoleRef = Ref.Key;
    mapKey(IO, "subjects", Binding.Subjects);
    Obj.Binding = std::make_unique<model::BindingData>(std::move(Binding));
  } else if (K.endswith("List")) {
    // The loader maps each item of a List as a document of its own.
  } else {
    // Any kind may carry a pod template (Argo Rollout, Knative, ...); only the built-in
    // workload kinds are held to the shape, so unknown custom resources never fail to load.
    bool Strict = isBuiltinWorkloadKind(K);
    bool SavedLenient = Ctx.LenientShapes;
    Ctx.LenientShapes = !Strict;
    Optional<model::WorkloadSpecYAML> Spec;
    mapShape(IO, "spec", Spec);
    Ctx.LenientShapes = SavedLenient;
    if (Spec && Spec->Template && Spec->Template->Spec) {
      Obj.Pod = std::make_unique<model::PodSpec>(std::move(*Spec->Template->Spec));
    } else if (Spec && Spec->JobTemplate && Spec->JobTemplate->Spec &&
               Spec->JobTemplate->Spec->Template && Spec->JobTemplate->Spec->Template->Spec) {
      auto &Pod = *Spec->JobTemplate->Spec->Template->Spec;
      Obj.Pod = std::make_unique<model::PodSpec>(std::move(Pod));
    }
  }
}

} // namespace llvm::yaml
