//===- NodeWalk.h - visit every node of a YAML document ---------*- C++ -*-===//
#pragma once

#include "llvm/Support/YAMLParser.h"

#include <cstddef>

namespace saguard::bench {

/// Counts N and every node below it: the work of a plain parse, nothing mapped. Recursive: the
/// benchmark streams are shallow, and lazy yaml::Stream nodes must be read in order anyway.
inline void walkNodes(llvm::yaml::Node *N, size_t &Count) {
  ++Count;
  if (auto *M = llvm::dyn_cast_or_null<llvm::yaml::MappingNode>(N)) {
    for (auto &KV : *M) {
      walkNodes(KV.getKey(), Count);
      walkNodes(KV.getValue(), Count);
    }
  } else if (auto *Seq = llvm::dyn_cast_or_null<llvm::yaml::SequenceNode>(N)) {
    for (auto &Item : *Seq)
      walkNodes(&Item, Count);
  }
}

} // namespace saguard::bench
