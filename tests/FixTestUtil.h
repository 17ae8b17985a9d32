//===- FixTestUtil.h - apply fixes and SARIF replacements in tests -*- C++ -*-===//
#pragma once

#include "saguard/analysis/Finding.h"
#include "saguard/fix/Fixes.h"

#include <optional>
#include <string>

namespace saguard::test {

/// Byte offset of a 1-based line and code-point column in Text; npos when outside it. Written
/// apart from the library's own, so a test checks the library against a second reading.
inline size_t byteOffsetOf(const std::string &Text, unsigned Line, unsigned Column) {
  size_t At = 0;
  for (unsigned L = 1; L < Line; ++L) {
    At = Text.find('\n', At);
    if (At == std::string::npos)
      return std::string::npos;
    ++At;
  }
  for (unsigned C = 1; C < Column; ++C) {
    if (At >= Text.size() || Text[At] == '\n')
      return std::string::npos;
    ++At;
    while (At < Text.size() && (static_cast<unsigned char>(Text[At]) & 0xC0) == 0x80)
      ++At;
  }
  return At;
}

/// Text with the region (SARIF deletedRegion: start inclusive, end exclusive) replaced by
/// Inserted (insertedContent); nullopt when the region is not in Text.
inline std::optional<std::string> replaceRegion(const std::string &Text, unsigned StartLine,
                                                unsigned StartColumn, unsigned EndLine,
                                                unsigned EndColumn, const std::string &Inserted) {
  size_t Begin = byteOffsetOf(Text, StartLine, StartColumn);
  size_t End = byteOffsetOf(Text, EndLine, EndColumn);
  if (Begin == std::string::npos || End == std::string::npos || End < Begin)
    return std::nullopt;
  return Text.substr(0, Begin) + Inserted + Text.substr(End);
}

/// Yaml with F resolved against it (fix::resolveFix) and applied; nullopt when the library
/// finds no safe edit.
inline std::optional<std::string> applyFix(const std::string &Yaml, const analysis::Fix &F) {
  std::optional<analysis::Fix> R = fix::resolveFix(F, Yaml);
  if (!R)
    return std::nullopt;
  return replaceRegion(Yaml, R->Range.Begin.Line, R->Range.Begin.Column, R->Range.End.Line,
                       R->Range.End.Column, R->Replacement);
}

} // namespace saguard::test
