//===- PreScan.cpp - cheap checks before the parser sees a document -------===//
#include "PreScan.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/ConvertUTF.h"

namespace saguard::model {

/// Offset of the first byte that is not valid UTF-8, or npos. ASCII is skipped byte by byte
/// first: manifests are nearly all ASCII, and isLegalUTF8String alone cost 7% of loading.
static size_t firstInvalidUtf8(llvm::StringRef Text) {
  const auto *Begin = reinterpret_cast<const llvm::UTF8 *>(Text.data());
  size_t Size = Text.size();
  for (size_t I = 0; I < Size;) {
    if (Begin[I] < 0x80) {
      ++I;
      continue;
    }
    unsigned Length = llvm::getNumBytesForUTF8(Begin[I]);
    if (I + Length > Size || !llvm::isLegalUTF8Sequence(Begin + I, Begin + I + Length))
      return I;
    I += Length;
  }
  return llvm::StringRef::npos;
}

static bool startsToken(char Prev) {
  return Prev == ' ' || Prev == '\t' || Prev == '[' || Prev == '{' || Prev == ',' || Prev == '\n';
}

/// Whether Before (a line up to a token) ends where a value starts: after `- `, `: `, `[` or `,`.
static bool valueFollows(llvm::StringRef Before) {
  Before = Before.rtrim(" \t");
  return Before.empty() || Before.endswith("-") || Before.endswith(":") ||
         Before.endswith("[") || Before.endswith(",");
}

/// Whether a plain scalar ends before Line[I]: a comment, the line end, or (in flow context) a
/// flow indicator.
static bool isScalarEnd(llvm::StringRef Line, size_t I, bool InFlow) {
  char C = Line[I];
  if (C == '\r' || (C == '#' && (Line[I - 1] == ' ' || Line[I - 1] == '\t')))
    return true;
  return InFlow && (C == ',' || C == ']' || C == '}');
}

std::string quoteColonScalars(llvm::StringRef Text, const std::vector<size_t> &ColonScalars) {
  std::string Out;
  Out.reserve(Text.size() + 2 * ColonScalars.size());
  size_t Done = 0;
  for (size_t Start : ColonScalars) {
    size_t LineEnd = Text.find('\n', Start);
    if (LineEnd == llvm::StringRef::npos)
      LineEnd = Text.size();
    llvm::StringRef Line = Text.slice(0, LineEnd);
    // Flow context is whatever brackets are open before the scalar on its line.
    size_t LineBegin = Text.rfind('\n', Start);
    LineBegin = LineBegin == llvm::StringRef::npos ? 0 : LineBegin + 1;
    llvm::StringRef Before = Text.slice(LineBegin, Start);
    bool InFlow = Before.count('[') + Before.count('{') > Before.count(']') + Before.count('}');
    size_t End = Start + 1;
    while (End < LineEnd && !isScalarEnd(Line, End, InFlow))
      ++End;
    while (End > Start + 1 && (Text[End - 1] == ' ' || Text[End - 1] == '\t'))
      --End;
    Out.append(Text.data() + Done, Start - Done);
    Out += '\'';
    for (char C : Text.slice(Start, End)) {
      if (C == '\'')
        Out += '\'';
      Out += C;
    }
    Out += '\'';
    Done = End;
  }
  Out.append(Text.data() + Done, Text.size() - Done);
  return Out;
}

PreScanResult preScan(llvm::StringRef Text, const LoadLimits &Limits) {
  PreScanResult R;
  auto Fail = [&](size_t Offset, const llvm::Twine &Message) {
    R.Error = Message.str();
    R.ErrorOffset = Offset;
    return R;
  };
  if (Text.size() > Limits.MaxDocumentBytes)
    return Fail(0, llvm::Twine("document of ") + llvm::Twine(Text.size()) +
                       " bytes exceeds the limit of " + llvm::Twine(Limits.MaxDocumentBytes));
  if (size_t Bad = firstInvalidUtf8(Text); Bad != llvm::StringRef::npos)
    return Fail(Bad, "invalid UTF-8");

  // Flow depth is tracked across lines; quotes only within a line, which can only make the
  // depth estimate too high for odd multi-line quoted strings, never too low for real nesting.
  unsigned FlowDepth = 0;
  size_t LineBegin = 0;
  while (LineBegin < Text.size()) {
    size_t LineEnd = Text.find('\n', LineBegin);
    if (LineEnd == llvm::StringRef::npos)
      LineEnd = Text.size();
    llvm::StringRef Line = Text.slice(LineBegin, LineEnd);
    if (Line.size() > Limits.MaxScalarBytes)
      return Fail(LineBegin, llvm::Twine("line of ") + llvm::Twine(Line.size()) +
                                 " bytes exceeds the scalar limit of " +
                                 llvm::Twine(Limits.MaxScalarBytes));
    size_t Indent = Line.find_first_not_of(" \t");
    bool Blank = Indent == llvm::StringRef::npos || Line.substr(Indent).rtrim("\r").empty();
    if (!Blank && Line[Indent] != '#') {
      R.HasContent = true;
      // Block nesting needs indentation or `- ` markers; flow nesting needs brackets.
      unsigned Depth = static_cast<unsigned>(Indent) + FlowDepth;
      char Quote = 0;
      for (size_t I = Indent; I < Line.size(); ++I) {
        char C = Line[I];
        char Prev = I == 0 ? '\n' : Line[I - 1];
        if (Quote) {
          if (C == Quote)
            Quote = 0;
          continue;
        }
        if ((C == '"' || C == '\'') && startsToken(Prev)) {
          Quote = C;
          continue;
        }
        if (C == '#' && (Prev == ' ' || Prev == '\t'))
          break;
        if (C == '[' || C == '{') {
          ++FlowDepth;
          Depth = std::max(Depth, static_cast<unsigned>(Indent) + FlowDepth);
        } else if ((C == ']' || C == '}') && FlowDepth > 0) {
          --FlowDepth;
        } else if (C == '-' && I + 1 < Line.size() && Line[I + 1] == ' ' && startsToken(Prev)) {
          ++Depth;
        } else if (C == ':' && startsToken(Prev) && I + 1 < Line.size() &&
                   Line[I + 1] != ' ' && Line[I + 1] != '\t' && Line[I + 1] != '\r' &&
                   valueFollows(Line.substr(0, I))) {
          R.ColonScalars.push_back(LineBegin + I);
          while (I + 1 < Line.size() && !isScalarEnd(Line, I + 1, FlowDepth > 0))
            ++I;
        } else if ((C == '&' || C == '*') && startsToken(Prev) && I + 1 < Line.size() &&
                   Line[I + 1] != ' ') {
          R.NeedsResolution = true;
        } else if (C == '?' && startsToken(Prev) &&
                   (I + 1 == Line.size() || Line[I + 1] == ' ')) {
          R.NeedsResolution = true;
        } else if (C == '<' && Line.substr(I).startswith("<<") && startsToken(Prev)) {
          R.NeedsResolution = true;
        }
      }
      if (Depth > Limits.MaxDepth)
        return Fail(LineBegin, llvm::Twine("nesting deeper than the limit of ") +
                                   llvm::Twine(Limits.MaxDepth));
    }
    LineBegin = LineEnd + 1;
  }
  return R;
}

} // namespace saguard::model
