//===- ListItems.cpp - the items of a block List, found from its lines ----===//
#include "ListItems.h"

#include <algorithm>

using namespace llvm;

namespace saguard::model {
namespace {

bool isBlankOrBreak(char C) { return C == ' ' || C == '\t' || C == '\r' || C == '\n'; }

} // namespace

std::optional<BlockItems> findBlockItems(llvm::StringRef Text) {
  size_t First = Text.find_first_not_of(" \t\r\n");
  if (First == StringRef::npos || Text[First] == '{' || Text[First] == '[')
    return std::nullopt; // a flow root: its lines say nothing about its structure
  auto Content = [](StringRef Line) {
    StringRef Rest = Line.ltrim(" ").rtrim(" \t\r");
    return !Rest.empty() && !Rest.startswith("#");
  };
  // The `items:` line, at the root.
  size_t At = 0;
  for (;;) {
    if (Text.substr(At).startswith("items:") && !Content(Text.substr(At + 6).split('\n').first))
      break;
    At = Text.find('\n', At);
    if (At == StringRef::npos)
      return std::nullopt;
    ++At;
  }
  BlockItems Out;
  size_t LineBegin = Text.find('\n', At);
  if (LineBegin == StringRef::npos)
    return std::nullopt;
  Out.Value.Begin = ++LineBegin;
  size_t Indent = StringRef::npos;
  size_t ItemBegin = StringRef::npos;
  while (LineBegin < Text.size()) {
    size_t LineEnd = std::min(Text.find('\n', LineBegin), Text.size());
    StringRef Line = Text.slice(LineBegin, LineEnd);
    if (Content(Line)) {
      size_t Spaces = Line.find_first_not_of(' ');
      bool Dash = Line[Spaces] == '-' && (Spaces + 1 == Line.size() || isBlankOrBreak(Line[Spaces + 1]));
      if (Indent == StringRef::npos) {
        if (!Dash)
          return std::nullopt; // `items:` holds no block sequence
        Indent = Spaces;
      }
      if (Spaces < Indent || (Spaces == Indent && !Dash))
        break; // the next root key
      if (Spaces == Indent) {
        if (ItemBegin != StringRef::npos)
          Out.Items.push_back({ItemBegin, LineBegin});
        ItemBegin = LineBegin + Spaces + 1;
      }
    }
    LineBegin = LineEnd + 1;
  }
  LineBegin = std::min(LineBegin, Text.size());
  if (ItemBegin == StringRef::npos)
    return std::nullopt;
  Out.Items.push_back({ItemBegin, LineBegin});
  Out.Value.End = LineBegin;
  return Out;
}

} // namespace saguard::model
