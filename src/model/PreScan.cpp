//===- PreScan.cpp - cheap checks before the parser sees a document -------===//
#include "saguard/model/PreScan.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

namespace saguard::model {
namespace {

/// Why the character at an offset may not appear in YAML, if it may not.
struct BadCharacter {
  size_t Offset = llvm::StringRef::npos;
  std::string Message;
};

std::string codePointName(uint32_t C) {
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  OS << llvm::format("U+%04X", C);
  return OS.str();
}

/// The first byte that is not valid UTF-8, or a character YAML excludes (C0 controls other than
/// tab and line breaks, DEL, C1 controls other than NEL, U+FFFE, U+FFFF), as Kubernetes' YAML
/// reader refuses them ("control characters are not allowed"). ASCII is checked byte by byte
/// first: manifests are nearly all ASCII, and isLegalUTF8String alone cost 7% of loading.
BadCharacter firstBadCharacter(llvm::StringRef Text) {
  const auto *Begin = reinterpret_cast<const llvm::UTF8 *>(Text.data());
  size_t Size = Text.size();
  for (size_t I = 0; I < Size;) {
    unsigned char C = Begin[I];
    if (C < 0x80) {
      if ((C < 0x20 && C != '\t' && C != '\n' && C != '\r') || C == 0x7F)
        return {I, "control character " + codePointName(C) + " is not allowed"};
      ++I;
      continue;
    }
    unsigned Length = llvm::getNumBytesForUTF8(C);
    if (I + Length > Size || !llvm::isLegalUTF8Sequence(Begin + I, Begin + I + Length))
      return {I, "invalid UTF-8"};
    uint32_t CodePoint = 0;
    const llvm::UTF8 *Cursor = Begin + I;
    if (llvm::convertUTF8Sequence(&Cursor, Begin + I + Length, &CodePoint,
                                  llvm::strictConversion) == llvm::conversionOK &&
        ((CodePoint >= 0x80 && CodePoint <= 0x9F && CodePoint != 0x85) || CodePoint == 0xFFFE ||
         CodePoint == 0xFFFF))
      return {I, "control character " + codePointName(CodePoint) + " is not allowed"};
    I += Length;
  }
  return {};
}

bool isBlank(char C) { return C == ' ' || C == '\t'; }

bool startsToken(char Prev) {
  return isBlank(Prev) || Prev == '[' || Prev == '{' || Prev == ',' || Prev == '\n';
}

/// Whether Before (a line up to a token) ends where a value starts: after `- `, `: `, `[` or `,`.
bool valueFollows(llvm::StringRef Before) {
  Before = Before.rtrim(" \t");
  return Before.empty() || Before.endswith("-") || Before.endswith(":") ||
         Before.endswith("[") || Before.endswith(",");
}

/// Whether a quote at the end of Before surely opens a quoted scalar: where a node starts.
/// Inside a plain scalar (`[b "c, [[`) it is an ordinary character, and the brackets after it
/// are structure.
bool quoteOpensNode(llvm::StringRef Before) {
  Before = Before.rtrim(" \t");
  return Before.empty() || Before.endswith("-") || Before.endswith(":") ||
         Before.endswith("[") || Before.endswith("{") || Before.endswith(",") ||
         Before.endswith("?");
}

/// Whether an indicator (`-`, `?`) is followed by a blank or the line end, so opens a node.
bool indicatorAt(llvm::StringRef Line, size_t I) {
  return I + 1 == Line.size() || isBlank(Line[I + 1]);
}

/// Whether a plain scalar ends before Line[I]: a comment, the line end, or (in flow context) a
/// flow indicator.
bool isScalarEnd(llvm::StringRef Line, size_t I, bool InFlow) {
  char C = Line[I];
  if (C == '#' && isBlank(Line[I - 1]))
    return true;
  return InFlow && (C == ',' || C == ']' || C == '}');
}

/// End of the line starting at Begin and where the next one starts: `\n`, `\r\n` and a lone
/// `\r` all end a line, as for the YAML parser. (memchr twice: find_first_of costs more.)
std::pair<size_t, size_t> lineEnd(llvm::StringRef Text, size_t Begin) {
  size_t End = Text.find('\n', Begin);
  size_t Next = End == llvm::StringRef::npos ? Text.size() : End + 1;
  if (End == llvm::StringRef::npos)
    End = Text.size();
  size_t CR = Text.slice(Begin, End).find('\r');
  if (CR == llvm::StringRef::npos)
    return {End, Next};
  CR += Begin;
  return {CR, CR + 1 == End ? Next : CR + 1};
}

} // namespace

std::string quoteColonScalars(llvm::StringRef Text, const std::vector<TextRange> &ColonScalars) {
  std::string Out;
  Out.reserve(Text.size() + 2 * ColonScalars.size());
  size_t Done = 0;
  for (const TextRange &Scalar : ColonScalars) {
    assert(Scalar.Begin >= Done && Scalar.End <= Text.size() && "ranges are sorted and apart");
    Out.append(Text.data() + Done, Scalar.Begin - Done);
    Out += '\'';
    for (char C : Text.slice(Scalar.Begin, Scalar.End)) {
      if (C == '\'')
        Out += '\'';
      Out += C;
    }
    Out += '\'';
    Done = Scalar.End;
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
  if (BadCharacter Bad = firstBadCharacter(Text); Bad.Offset != llvm::StringRef::npos)
    return Fail(Bad.Offset, Bad.Message);

  // Flow depth is tracked across lines; quotes only within a line, which can only make the
  // depth estimate too high for odd multi-line quoted strings, never too low for real nesting.
  unsigned FlowDepth = 0;
  size_t LineBegin = 0;
  while (LineBegin < Text.size()) {
    auto [LineEnd, NextLine] = lineEnd(Text, LineBegin);
    llvm::StringRef Line = Text.slice(LineBegin, LineEnd);
    if (Line.size() > Limits.MaxScalarBytes)
      return Fail(LineBegin, llvm::Twine("line of ") + llvm::Twine(Line.size()) +
                                 " bytes exceeds the scalar limit of " +
                                 llvm::Twine(Limits.MaxScalarBytes));
    size_t Indent = Line.find_first_not_of(" \t");
    if (Indent != llvm::StringRef::npos && Line[Indent] != '#') {
      R.HasContent = true;
      // YAML forbids tabs as indentation and Kubernetes' reader refuses them; LLVM's parser
      // takes them silently, with a nesting of its own. (A tab after spaces may be a block
      // scalar's content, and flow context has no indentation.)
      if (Line.front() == '\t' && FlowDepth == 0)
        return Fail(LineBegin, "a tab character as indentation");
      // Block nesting needs indentation or `- `/`? ` markers; flow nesting needs brackets.
      unsigned Depth = static_cast<unsigned>(Indent) + FlowDepth;
      char Quote = 0;
      bool QuoteMayBePlain = false;
      for (size_t I = Indent; I < Line.size(); ++I) {
        char C = Line[I];
        char Prev = I == 0 ? '\n' : Line[I - 1];
        if (Quote) {
          if (C == Quote) {
            Quote = 0;
          } else if (QuoteMayBePlain && (C == '[' || C == '{')) {
            // Perhaps no quote at all: brackets count, so that nesting is never hidden.
            ++FlowDepth;
            Depth = std::max(Depth, static_cast<unsigned>(Indent) + FlowDepth);
          } else if (QuoteMayBePlain && (C == ']' || C == '}') && FlowDepth > 0) {
            --FlowDepth;
          }
          continue;
        }
        if ((C == '"' || C == '\'') && startsToken(Prev)) {
          Quote = C;
          QuoteMayBePlain = !quoteOpensNode(Line.substr(0, I));
          continue;
        }
        if (C == '#' && isBlank(Prev))
          break;
        if (C == '[' || C == '{') {
          ++FlowDepth;
          Depth = std::max(Depth, static_cast<unsigned>(Indent) + FlowDepth);
        } else if ((C == ']' || C == '}') && FlowDepth > 0) {
          --FlowDepth;
        } else if ((C == '-' || C == '?') && startsToken(Prev) && indicatorAt(Line, I)) {
          ++Depth;
          if (C == '?')
            R.NeedsResolution = true; // a complex key
        } else if (C == ':' && startsToken(Prev) && I + 1 < Line.size() && !isBlank(Line[I + 1]) &&
                   valueFollows(Line.substr(0, I))) {
          size_t End = I + 1;
          while (End < Line.size() && !isScalarEnd(Line, End, FlowDepth > 0))
            ++End;
          size_t Begin = I;
          I = End - 1;
          while (End > Begin + 1 && isBlank(Line[End - 1]))
            --End;
          R.ColonScalars.push_back({LineBegin + Begin, LineBegin + End});
        } else if ((C == '&' || C == '*') && startsToken(Prev) && I + 1 < Line.size() &&
                   Line[I + 1] != ' ') {
          R.NeedsResolution = true;
        } else if (C == '<' && Line.substr(I).startswith("<<") && startsToken(Prev)) {
          R.NeedsResolution = true;
        }
      }
      if (Depth > Limits.MaxDepth)
        return Fail(LineBegin, llvm::Twine("nesting deeper than the limit of ") +
                                   llvm::Twine(Limits.MaxDepth));
    }
    LineBegin = NextLine;
  }
  return R;
}

} // namespace saguard::model
