//===- LineTable.h - byte offsets to lines and code-point columns -*- C++ -*-===//
#pragma once

#include "saguard/support/SourcePos.h"

#include <string_view>
#include <vector>

namespace saguard {

/// Maps byte offsets of one document's text to positions in its stream: lines offset by the
/// document's first line, columns in Unicode code points (a BOM does not count), as SARIF's
/// `columnKind: unicodeCodePoints` wants.
class LineTable {
public:
  LineTable(std::string_view Text, unsigned FirstLine);
  /// The same table from LineStarts found already: 0 and the offset after each `\n` of Text.
  LineTable(std::string_view Text, unsigned FirstLine, std::vector<size_t> LineStarts)
      : Text(Text), FirstLine(FirstLine), LineStarts(std::move(LineStarts)) {}

  /// Position of the byte at Offset (clamped to the text).
  SourcePos position(size_t Offset) const;
  /// Byte offset of the start of the 1-based line Line of the document (not of the stream).
  size_t lineStart(unsigned DocLine) const { return LineStarts[DocLine - 1]; }
  unsigned lineCount() const { return static_cast<unsigned>(LineStarts.size()); }

private:
  std::string_view Text;
  unsigned FirstLine;
  std::vector<size_t> LineStarts;
};

} // namespace saguard
