//===- PreScan.h - cheap checks before the parser sees a document -*- C++ -*-===//
#pragma once

#include "saguard/model/Loader.h"

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace saguard::model {

/// What one linear pass over a document's bytes learned.
struct PreScanResult {
  /// Some line is neither blank nor a comment.
  bool HasContent = false;
  /// The document may hold anchors, aliases, merge keys or complex keys, which yaml::Input
  /// cannot map (it hangs or fails on them): it must go through the alias resolver first.
  bool NeedsResolution = false;
  /// A reason to reject the document before parsing, with the byte offset it concerns.
  std::optional<std::string> Error;
  size_t ErrorOffset = 0;
};

/// Bounds nesting (LLVM's parser recurses and overflows the stack near 20,000 levels), line and
/// document size, and UTF-8 validity, and spots alias syntax, without building any node.
PreScanResult preScan(llvm::StringRef Text, const LoadLimits &Limits);

} // namespace saguard::model
