//===- BlockText.cpp - block-style YAML read as lines, for safe edits -----===//
#include "BlockText.h"

#include "saguard/render/DocumentSplitter.h"

namespace saguard::fix {

std::optional<size_t> bytesBeforeColumn(llvm::StringRef L, unsigned Column) {
  if (Column < 1)
    return std::nullopt;
  size_t Byte = 0;
  // Columns count code points: skip one lead byte and its continuation bytes per column.
  for (unsigned Col = 1; Col < Column; ++Col) {
    if (Byte >= L.size())
      return std::nullopt;
    ++Byte;
    while (Byte < L.size() && (static_cast<unsigned char>(L[Byte]) & 0xC0) == 0x80)
      ++Byte;
  }
  return Byte;
}

BlockText::BlockText(llvm::StringRef Text, unsigned FirstLine) : Text(Text), FirstLine(FirstLine) {
  size_t Begin = 0;
  while (Begin < Text.size()) {
    size_t End = Text.find('\n', Begin);
    if (End == llvm::StringRef::npos)
      End = Text.size();
    llvm::StringRef Line = Text.slice(Begin, End);
    Offsets.push_back(Begin);
    Line.consume_back("\r");
    Lines.push_back(Line);
    Begin = End + 1;
  }
}

llvm::StringRef BlockText::line(unsigned N) const {
  return holds(N) ? Lines[at(N)] : llvm::StringRef();
}

size_t BlockText::lineOffset(unsigned N) const {
  return holds(N) ? Offsets[at(N)] : Text.size();
}

std::optional<size_t> BlockText::offsetOf(SourcePos Pos) const {
  if (!holds(Pos.Line))
    return std::nullopt;
  std::optional<size_t> Byte = bytesBeforeColumn(Lines[at(Pos.Line)], Pos.Column);
  if (!Byte)
    return std::nullopt;
  return Offsets[at(Pos.Line)] + *Byte;
}

llvm::StringRef BlockText::lineEnd(unsigned N) const {
  if (holds(N)) {
    size_t After = Offsets[at(N)] + Lines[at(N)].size();
    if (Text.substr(After).startswith("\r\n"))
      return "\r\n";
    if (Text.substr(After).startswith("\n"))
      return "\n";
  }
  return N > FirstLine && N - 1 <= lastLine() ? lineEnd(N - 1) : "\n";
}

std::optional<unsigned> BlockText::indentOf(unsigned N) const {
  llvm::StringRef L = line(N);
  size_t Spaces = L.find_first_not_of(' ');
  if (Spaces == llvm::StringRef::npos)
    return static_cast<unsigned>(L.size());
  if (L[Spaces] == '\t')
    return std::nullopt;
  return static_cast<unsigned>(Spaces);
}

bool BlockText::isBlankOrComment(unsigned N) const {
  llvm::StringRef T = line(N).ltrim(" \t");
  return T.empty() || T.startswith("#");
}

bool BlockText::isDocumentMarker(unsigned N) const { return render::isDocumentMarkerLine(line(N)); }

unsigned BlockText::nextContentLine(unsigned N) const {
  unsigned Next = N + 1;
  while (Next <= lastLine() && isBlankOrComment(Next))
    ++Next;
  return Next;
}

std::optional<BlockText::KeyLine> BlockText::keyLine(unsigned N, unsigned Col) const {
  llvm::StringRef L = line(N);
  if (Col >= L.size())
    return std::nullopt;
  KeyLine K;
  K.KeyOffset = lineOffset(N) + Col;
  llvm::StringRef Rest = L.substr(Col);
  if (Rest[0] == '"' || Rest[0] == '\'') {
    size_t Close = Rest.find(Rest[0], 1);
    // Escapes would make the name differ from the text; such keys are not edited.
    if (Close == llvm::StringRef::npos || Rest.slice(1, Close).contains('\\'))
      return std::nullopt;
    K.Key = Rest.take_front(Close + 1);
    K.KeyName = Rest.slice(1, Close);
  } else {
    if (llvm::StringRef(" -?:,[]{}#&*!|>%@`").contains(Rest[0]))
      return std::nullopt;
    size_t Colon = 0;
    while ((Colon = Rest.find(':', Colon)) != llvm::StringRef::npos && Colon + 1 < Rest.size() &&
           Rest[Colon + 1] != ' ')
      ++Colon;
    if (Colon == llvm::StringRef::npos)
      return std::nullopt;
    K.Key = Rest.take_front(Colon).rtrim(' ');
    K.KeyName = K.Key;
    if (K.Key.contains(" #"))
      return std::nullopt;
  }
  llvm::StringRef AfterKey = Rest.drop_front(K.Key.size()).ltrim(' ');
  if (!AfterKey.consume_front(":") || (!AfterKey.empty() && AfterKey[0] != ' '))
    return std::nullopt;
  llvm::StringRef Value = AfterKey.ltrim(' ');
  if (Value.empty() || Value.startswith("#"))
    return K;
  K.ValueOffset = lineOffset(N) + (Value.data() - L.data());
  if (llvm::StringRef("\"'&*!|>{[").contains(Value[0])) {
    K.PlainValue = false;
    return K;
  }
  size_t Comment = Value.find(" #");
  K.Value = Value.take_front(Comment).rtrim(' ');
  K.PlainValue = !K.Value.contains(": ");
  return K;
}

std::optional<BlockText::Block> BlockText::blockAt(unsigned N, unsigned Col) const {
  Block B{N, N + 1, Col};
  if (!isItemAt(N, Col))
    for (unsigned M = N - 1; M >= FirstLine && M < N; --M) {
      if (isBlankOrComment(M))
        continue;
      std::optional<unsigned> Indent = indentOf(M);
      if (!Indent)
        return std::nullopt;
      if (isDocumentMarker(M))
        break;
      if (*Indent >= Col) {
        B.First = M;
        continue;
      }
      if (isItemAt(M, Col))
        B.First = M;
      break;
    }
  for (unsigned M = N + 1; M <= lastLine(); ++M) {
    if (line(M).trim(" ").empty())
      continue;
    std::optional<unsigned> Indent = indentOf(M);
    if (!Indent)
      return std::nullopt;
    if (isDocumentMarker(M) || (*Indent < Col && !isBlankOrComment(M)))
      break;
    if (*Indent >= Col)
      B.End = M + 1;
  }
  for (unsigned M = B.First; M < B.End; ++M) {
    llvm::StringRef L = line(M);
    size_t Hash = L.find(" #");
    llvm::StringRef Last = L.take_front(Hash).rtrim(' ');
    size_t Space = Last.find_last_of(' ');
    llvm::StringRef Token = Space == llvm::StringRef::npos ? Last : Last.substr(Space + 1);
    // A kept block scalar owns the blank lines after it: nothing may go between.
    if ((Token.startswith("|") || Token.startswith(">")) && Token.contains('+'))
      return std::nullopt;
  }
  return B;
}

bool BlockText::hasKey(const Block &B, llvm::StringRef Name) const {
  for (unsigned M = B.First; M < B.End; ++M)
    if (indentOf(M) == B.Indent || isItemAt(M, B.Indent))
      if (std::optional<KeyLine> K = keyLine(M, B.Indent); K && K->KeyName == Name)
        return true;
  return false;
}

bool BlockText::isItemAt(unsigned N, unsigned Col) const {
  llvm::StringRef L = line(N);
  std::optional<unsigned> Indent = indentOf(N);
  return Indent && *Indent < Col && L.size() > Col && L[*Indent] == '-' &&
         L.slice(*Indent + 1, Col).trim(' ').empty();
}

} // namespace saguard::fix
