#include "saguard/support/LineTable.h"

#include <algorithm>

namespace saguard {

LineTable::LineTable(std::string_view Text, unsigned FirstLine)
    : Text(Text), FirstLine(FirstLine) {
  LineStarts.push_back(0);
  for (size_t I = 0; I < Text.size(); ++I)
    if (Text[I] == '\n')
      LineStarts.push_back(I + 1);
}

static bool isContinuationByte(unsigned char C) { return (C & 0xC0) == 0x80; }

SourcePos LineTable::position(size_t Offset) const {
  Offset = std::min(Offset, Text.size());
  auto It = std::upper_bound(LineStarts.begin(), LineStarts.end(), Offset);
  size_t Index = static_cast<size_t>(It - LineStarts.begin()) - 1;
  size_t Begin = LineStarts[Index];
  // A BOM is invisible to editors, so it must not shift columns.
  if (Begin == 0 && Text.substr(0, 3) == "\xEF\xBB\xBF" && Offset >= 3)
    Begin = 3;
  unsigned Column = 1;
  for (size_t I = Begin; I < Offset; ++I)
    if (!isContinuationByte(static_cast<unsigned char>(Text[I])))
      ++Column;
  return {FirstLine + static_cast<unsigned>(Index), Column};
}

} // namespace saguard
