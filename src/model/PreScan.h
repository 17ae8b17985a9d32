//===- PreScan.h - cheap checks before the parser sees a document -*- C++ -*-===//
#pragma once

#include "saguard/model/Loader.h"

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>
#include <vector>

namespace saguard::model {

/// What one linear pass over a document's bytes learned.
struct PreScanResult {
  /// Some line is neither blank nor a comment.
  bool HasContent = false;
  /// The document may hold anchors, aliases, merge keys or complex keys, which yaml::Input
  /// cannot map (it hangs or fails on them): it must go through the alias resolver first.
  bool NeedsResolution = false;
  /// Offsets of plain scalars that start with `:` (`- :8080`): valid YAML that Kubernetes
  /// reads, but LLVM 14's scanner rejects it ("Unrecognized character"), so they get quoted.
  std::vector<size_t> ColonScalars;
  /// A reason to reject the document before parsing, with the byte offset it concerns.
  std::optional<std::string> Error;
  size_t ErrorOffset = 0;
};

/// Bounds nesting (LLVM's parser recurses and overflows the stack near 20,000 levels), line and
/// document size, and UTF-8 validity, and spots alias syntax, without building any node.
PreScanResult preScan(llvm::StringRef Text, const LoadLimits &Limits);

/// Text with the plain scalars at ColonScalars single-quoted (same string value). Columns after
/// an inserted quote on that line move by one or two; lines do not move.
std::string quoteColonScalars(llvm::StringRef Text, const std::vector<size_t> &ColonScalars);

} // namespace saguard::model
