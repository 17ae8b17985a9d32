//===- PreScan.h - cheap checks before the parser sees a document -*- C++ -*-===//
#pragma once

#include "saguard/model/Loader.h"

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>
#include <vector>

namespace saguard::model {

/// Bytes [Begin, End) of a document's text.
struct TextRange {
  size_t Begin = 0;
  size_t End = 0;
};

/// What one linear pass over a document's bytes learned.
struct PreScanResult {
  /// Some line is neither blank nor a comment.
  bool HasContent = false;
  /// The document may hold anchors, aliases, merge keys or complex keys, which yaml::Input
  /// cannot map (it hangs or fails on them): it must go through the alias resolver first.
  bool NeedsResolution = false;
  /// Offsets of plain scalars that start with `:` (`- :8080`): valid YAML that Kubernetes
  /// reads, but LLVM 14's scanner rejects it ("Unrecognized character"), so they get quoted.
  /// Found with the flow context of the whole document, so they are sorted and never overlap.
  std::vector<TextRange> ColonScalars;
  /// 0 and the offset after each `\n`: the line starts a LineTable of the text needs, found
  /// on the way (incomplete when Error is set).
  std::vector<size_t> LineStarts;
  /// A reason to reject the document before parsing, with the byte offset it concerns.
  std::optional<std::string> Error;
  size_t ErrorOffset = 0;
};

/// Bounds nesting (LLVM's parser recurses and overflows the stack near 20,000 levels), line and
/// document size, checks UTF-8 validity and refuses control characters, and spots alias syntax,
/// without building any node. Lines end at `\n`, `\r\n` or a lone `\r`, as for the parser.
PreScanResult preScan(llvm::StringRef Text, const LoadLimits &Limits);

/// Text with the plain scalars at ColonScalars single-quoted (same string value). Columns after
/// an inserted quote on that line move by one or two; lines do not move.
std::string quoteColonScalars(llvm::StringRef Text, const std::vector<TextRange> &ColonScalars);

} // namespace saguard::model
