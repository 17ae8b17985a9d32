//===- Kustomization.h - the names of a kustomization file ------*- C++ -*-===//
#pragma once

#include <array>
#include <string_view>

namespace saguard {

/// The names kustomize reads a kustomization from, in the order it tries them.
inline constexpr std::array<std::string_view, 3> KustomizationFileNames = {
    "kustomization.yaml", "kustomization.yml", "Kustomization"};

} // namespace saguard
