//===- ModelYAML.h - YAML I/O schema of the model ---------------*- C++ -*-===//
//
// MappingTraits specialisations beside the model (LLVM ObjectYAML style). The IO context is a
// ParseContext, which knows the document's buffer and how its offsets map to stream positions.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "saguard/model/Loader.h"
#include "saguard/model/Object.h"
#include "saguard/model/StrictInput.h"
#include "saguard/support/LineTable.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/YAMLTraits.h"

#include <string>
#include <vector>

namespace saguard::model {

/// Where the YAML text handed to the input came from, so node ranges become stream positions.
struct ParseContext {
  StrictInput *In = nullptr;
  /// The buffer given to In.
  llvm::StringRef Buffer;
  FileId File = 0;
  const LoadLimits *Limits = nullptr;
  /// Offsets of Buffer to positions in the stream.
  const LineTable *Lines = nullptr;
  /// When Buffer was rewritten (aliases resolved), the original position of each line Lines
  /// numbers; empty when Buffer is the document's own text.
  llvm::ArrayRef<SourcePos> LineOrigins;

  /// Set while mapping a custom kind's spec: shapes that do not fit are skipped, not errors.
  bool LenientShapes = false;
  /// Whether the pod spec mapped last had `containers` (custom kinds need it to count as Pods).
  bool SawContainers = false;

  /// Dotted path of the node being mapped: KeyScope appends a key, enterIndex a list index.
  std::string Path;
  /// Length of Path after each open key, innermost last.
  std::vector<size_t> KeyEnds;

  /// Path, interned.
  KeyPath keyPath() const { return KeyPath::intern(Path); }
  /// Entry Index of the list held by the innermost open key is mapped next.
  void enterIndex(size_t Index);

  /// Stream range of [Begin, End) in Buffer.
  SourceRange range(const char *Begin, const char *End) const;
  /// Range of the key whose value starts at ValueBegin (found by scanning back over the text),
  /// ending at ValueEnd; the value's own range when no key precedes it (a sequence entry).
  SourceRange keyRange(const char *ValueBegin, const char *ValueEnd) const;
};

/// The key Key of the node being mapped, for as long as it is mapped.
class KeyScope {
public:
  KeyScope(ParseContext &Ctx, llvm::StringRef Key);
  ~KeyScope();
  KeyScope(const KeyScope &) = delete;
  KeyScope &operator=(const KeyScope &) = delete;

private:
  ParseContext &Ctx;
  size_t Saved;
};

/// Offset in Text of the key whose value starts at ValueOffset, or npos: looks back over
/// blanks, comment-only lines and the `:` for `key:`, skipping `- ` entry markers. Exposed for
/// tests; YAML I/O does not give a mapping-valued key's own position.
size_t findKeyBefore(llvm::StringRef Text, size_t ValueOffset);

/// The `spec`/`template` chain of a workload: spec.template.spec or
/// spec.jobTemplate.spec.template.spec.
/// (llvm::Optional, because LLVM 14's mapOptional knows no std::optional.)
struct PodTemplateYAML {
  llvm::Optional<PodSpec> Spec;
};
struct JobSpecYAML {
  llvm::Optional<PodTemplateYAML> Template;
};
struct JobTemplateYAML {
  llvm::Optional<JobSpecYAML> Spec;
};
struct WorkloadSpecYAML {
  llvm::Optional<PodTemplateYAML> Template;
  llvm::Optional<JobTemplateYAML> JobTemplate;
};

/// `metadata` as written; the object keeps the name and namespace in its Ref, the labels only
/// for roles, and only the annotations saguard reads.
struct MetadataYAML {
  Located<std::string> Name;
  Located<std::string> Namespace;
  std::map<std::string, std::string> Labels;
  std::map<std::string, Located<std::string>> Annotations;
};

/// A collection a custom resource may shape as it likes: mapped when it is a mapping, ignored
/// otherwise, so kinds saguard does not know never fail to load.
template <typename T> struct Lenient {
  std::optional<T> Value;
};

/// Whether a key was present, whatever its value (pod specs of custom kinds need containers).
struct Presence {
  bool Present = false;
};

} // namespace saguard::model

namespace llvm::yaml {

// YAML I/O has no scalar hook that sees a null value or the node's range, so Located<T> is
// declared as a mapping whose mapping() reads the current node itself: a scalar fills Value, a
// null leaves it unset (as Kubernetes reads null), anything else is an error of the document.
template <> struct MappingTraits<saguard::Located<std::string>> {
  static void mapping(IO &IO, saguard::Located<std::string> &Val);
};
template <> struct MappingTraits<saguard::Located<bool>> {
  static void mapping(IO &IO, saguard::Located<bool> &Val);
};
template <> struct MappingTraits<saguard::model::Presence> {
  static void mapping(IO &IO, saguard::model::Presence &Val);
};
template <typename T> struct MappingTraits<saguard::model::Lenient<T>> {
  static void mapping(IO &IO, saguard::model::Lenient<T> &Val);
};

// Labels and annotations: CustomMappingTraits would reject an empty `annotations:` (Input::keys()
// fails on a null node), which Kubernetes reads as no annotations.
template <> struct MappingTraits<std::map<std::string, std::string>> {
  static void mapping(IO &IO, std::map<std::string, std::string> &Map);
};
template <> struct MappingTraits<std::map<std::string, saguard::Located<std::string>>> {
  static void mapping(IO &IO, std::map<std::string, saguard::Located<std::string>> &Map);
};

template <> struct MappingTraits<saguard::model::Object> {
  static void mapping(IO &IO, saguard::model::Object &Obj);
};
template <> struct MappingTraits<saguard::model::MetadataYAML> {
  static void mapping(IO &IO, saguard::model::MetadataYAML &Meta);
};
template <> struct MappingTraits<saguard::model::PodSpec> {
  static void mapping(IO &IO, saguard::model::PodSpec &Spec);
};
template <> struct MappingTraits<saguard::model::PodTemplateYAML> {
  static void mapping(IO &IO, saguard::model::PodTemplateYAML &T);
};
template <> struct MappingTraits<saguard::model::JobSpecYAML> {
  static void mapping(IO &IO, saguard::model::JobSpecYAML &S);
};
template <> struct MappingTraits<saguard::model::JobTemplateYAML> {
  static void mapping(IO &IO, saguard::model::JobTemplateYAML &T);
};
template <> struct MappingTraits<saguard::model::WorkloadSpecYAML> {
  static void mapping(IO &IO, saguard::model::WorkloadSpecYAML &S);
};
template <> struct MappingTraits<saguard::model::ProjectedTokenVolume> {
  static void mapping(IO &IO, saguard::model::ProjectedTokenVolume &V);
};
template <> struct MappingTraits<saguard::model::PolicyRule> {
  static void mapping(IO &IO, saguard::model::PolicyRule &Rule);
};
template <> struct MappingTraits<saguard::model::LabelSelector> {
  static void mapping(IO &IO, saguard::model::LabelSelector &Sel);
};
template <> struct MappingTraits<saguard::model::LabelSelectorRequirement> {
  static void mapping(IO &IO, saguard::model::LabelSelectorRequirement &Req);
};
template <> struct MappingTraits<saguard::model::Subject> {
  static void mapping(IO &IO, saguard::model::Subject &S);
};

} // namespace llvm::yaml

namespace saguard::model {
/// The lists of the model: YAML I/O asks for entry Index right before it maps it, so each
/// entry's key path gets its index.
template <typename T> struct IndexedSequence {
  static size_t size(llvm::yaml::IO &, std::vector<T> &Seq) { return Seq.size(); }
  static T &element(llvm::yaml::IO &IO, std::vector<T> &Seq, size_t Index) {
    if (Index >= Seq.size())
      Seq.resize(Index + 1);
    static_cast<ParseContext *>(IO.getContext())->enterIndex(Index);
    return Seq[Index];
  }
};
} // namespace saguard::model

#define SAGUARD_YAML_INDEXED_SEQUENCE(T)                                                           \
  template <>                                                                                      \
  struct llvm::yaml::SequenceTraits<std::vector<T>> : saguard::model::IndexedSequence<T> {};

SAGUARD_YAML_INDEXED_SEQUENCE(saguard::Located<std::string>)
SAGUARD_YAML_INDEXED_SEQUENCE(saguard::model::PolicyRule)
SAGUARD_YAML_INDEXED_SEQUENCE(saguard::model::LabelSelector)
SAGUARD_YAML_INDEXED_SEQUENCE(saguard::model::LabelSelectorRequirement)
SAGUARD_YAML_INDEXED_SEQUENCE(saguard::model::Subject)

namespace llvm::yaml {

template <typename T>
void MappingTraits<saguard::model::Lenient<T>>::mapping(IO &IO, saguard::model::Lenient<T> &Val) {
  auto *Ctx = static_cast<saguard::model::ParseContext *>(IO.getContext());
  if (!isa_and_nonnull<MappingNode>(Ctx->In->getCurrentNode()))
    return;
  // Already inside beginMapping() of this node: map T's keys on it directly.
  Val.Value.emplace();
  MappingTraits<T>::mapping(IO, *Val.Value);
}

} // namespace llvm::yaml
