//===- Origin.h - kustomize origin annotations -------------------*- C++ -*-===//
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>

namespace saguard::model {

/// The annotation kustomize writes with `buildMetadata: [originAnnotations]`.
inline constexpr llvm::StringLiteral OriginAnnotationKey = "config.kubernetes.io/origin";

/// The fields of a `config.kubernetes.io/origin` annotation value.
struct KustomizeOrigin {
  /// The file the object was read from (`resources:`), relative to the build root.
  std::string Path;
  /// The kustomization that generated the object (generators), relative to the build root.
  std::string ConfiguredIn;
  /// The generator's `configuredBy.apiVersion` (`builtin`).
  std::string ConfiguredByApiVersion;
  /// The generator's `configuredBy.kind` (`ConfigMapGenerator`, `HelmChartInflationGenerator`).
  std::string ConfiguredByKind;
  /// For remote resources: the repository that Path is inside.
  std::string Repo;
  /// For remote resources: the ref of Repo.
  std::string Ref;
};

/// Parses an origin annotation value (a small YAML mapping such as `path: ../x/deployment.yaml`)
/// with LLVM's YAML parser. Unknown keys are ignored; a value that is not a mapping fails.
llvm::Expected<KustomizeOrigin> parseOriginAnnotation(llvm::StringRef Value);

} // namespace saguard::model
