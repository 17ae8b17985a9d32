//===- PreScan.cpp - cheap checks before the parser sees a document -------===//
#include "saguard/model/PreScan.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <array>
#include <string_view>

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

/// What a byte means to the pass: most bytes mean nothing and are skipped in a tight loop.
enum ByteClass : uint8_t {
  Ordinary,   ///< no meaning of its own (blanks included)
  Structural, ///< may start a quote, comment, flow collection, indicator, colon scalar or alias
  Break,      ///< `\n` or `\r`: ends a line
  Excluded,   ///< a C0 control other than tab and line breaks, or DEL
  NonAscii,   ///< starts a UTF-8 sequence, checked on its own
};

constexpr std::array<uint8_t, 256> makeByteClasses() {
  std::array<uint8_t, 256> Classes{};
  for (unsigned C = 0; C < 0x20; ++C)
    Classes[C] = Excluded;
  Classes['\t'] = Ordinary;
  Classes['\n'] = Classes['\r'] = Break;
  Classes[0x7F] = Excluded;
  for (unsigned C = 0x80; C < 0x100; ++C)
    Classes[C] = NonAscii;
  for (char C : std::string_view("\"'#[]{}-?:&*<"))
    Classes[static_cast<unsigned char>(C)] = Structural;
  return Classes;
}

constexpr std::array<uint8_t, 256> ByteClasses = makeByteClasses();

uint8_t classOf(char C) { return ByteClasses[static_cast<unsigned char>(C)]; }

/// The length of the character at I, which is no ASCII YAML allows (an Excluded or NonAscii
/// byte), or 0 with the reason in Bad: not valid UTF-8, or a character YAML excludes (C0
/// controls other than tab and line breaks, DEL, C1 controls other than NEL, U+FFFE, U+FFFF),
/// as Kubernetes' YAML reader refuses them ("control characters are not allowed").
unsigned checkCharacter(llvm::StringRef Text, size_t I, BadCharacter &Bad) {
  const auto *Begin = reinterpret_cast<const llvm::UTF8 *>(Text.data());
  unsigned char C = Begin[I];
  if (C < 0x80) {
    Bad = {I, "control character " + codePointName(C) + " is not allowed"};
    return 0;
  }
  unsigned Length = llvm::getNumBytesForUTF8(C);
  if (I + Length > Text.size() || !llvm::isLegalUTF8Sequence(Begin + I, Begin + I + Length)) {
    Bad = {I, "invalid UTF-8"};
    return 0;
  }
  uint32_t CodePoint = 0;
  const llvm::UTF8 *Cursor = Begin + I;
  if (llvm::convertUTF8Sequence(&Cursor, Begin + I + Length, &CodePoint,
                                llvm::strictConversion) == llvm::conversionOK &&
      ((CodePoint >= 0x80 && CodePoint <= 0x9F && CodePoint != 0x85) || CodePoint == 0xFFFE ||
       CodePoint == 0xFFFF)) {
    Bad = {I, "control character " + codePointName(CodePoint) + " is not allowed"};
    return 0;
  }
  return Length;
}

/// Moves I over characters while Keep(I) holds (and, with ToLineEnd, up to a line break),
/// checking each that is no plain ASCII; false at one YAML excludes, with the reason in Bad.
template <typename KeepFn>
bool skipChecked(llvm::StringRef Text, size_t &I, bool ToLineEnd, KeepFn Keep, BadCharacter &Bad) {
  while (I < Text.size() && Keep(I)) {
    uint8_t Class = classOf(Text[I]);
    if (Class == Break && ToLineEnd)
      return true;
    if (Class != Excluded && Class != NonAscii) {
      ++I;
      continue;
    }
    unsigned Length = checkCharacter(Text, I, Bad);
    if (!Length)
      return false;
    I += Length;
  }
  return true;
}

bool always(size_t) { return true; }

/// The first character from From on that YAML excludes, if any.
BadCharacter firstBadCharacter(llvm::StringRef Text, size_t From) {
  BadCharacter Bad;
  skipChecked(Text, From, /*ToLineEnd=*/false, always, Bad);
  return Bad;
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
  // One pass checks characters and lines together. A character YAML excludes is reported
  // before any problem of a line, wherever it is: a line's problem is only reported once the
  // rest of the text holds no such character.
  auto LineFail = [&](size_t LineBegin, const llvm::Twine &Message) {
    BadCharacter Bad = firstBadCharacter(Text, LineBegin);
    return Bad.Offset != llvm::StringRef::npos ? Fail(Bad.Offset, Bad.Message)
                                               : Fail(LineBegin, Message);
  };
  auto TooLong = [&](size_t LineBegin, size_t LineEnd) {
    return LineFail(LineBegin, llvm::Twine("line of ") + llvm::Twine(LineEnd - LineBegin) +
                                   " bytes exceeds the scalar limit of " +
                                   llvm::Twine(Limits.MaxScalarBytes));
  };
  const size_t Size = Text.size();
  const char *T = Text.data();
  auto AtBreak = [&](size_t I) { return I == Size || classOf(T[I]) == Break; };
  // Moves I over a comment (or a colon scalar, while Keep holds) to the line end.
  BadCharacter Bad;
  auto Skip = [&](size_t &I, auto Keep) {
    return skipChecked(Text, I, /*ToLineEnd=*/true, Keep, Bad);
  };

  // Flow depth is tracked across lines; quotes only within a line, which can only make the
  // depth estimate too high for odd multi-line quoted strings, never too low for real nesting.
  unsigned FlowDepth = 0;
  size_t LineBegin = 0;
  R.LineStarts.reserve(Size / 24 + 1);
  R.LineStarts.push_back(0);
  while (LineBegin < Size) {
    size_t I = LineBegin;
    while (I < Size && isBlank(T[I]))
      ++I;
    unsigned Indent = static_cast<unsigned>(I - LineBegin);
    unsigned Depth = 0;
    if (AtBreak(I) || T[I] == '#') {
      if (!Skip(I, always))
        return Fail(Bad.Offset, Bad.Message);
    } else {
      R.HasContent = true;
      // YAML forbids tabs as indentation and Kubernetes' reader refuses them; LLVM's parser
      // takes them silently, with a nesting of its own. (A tab after spaces may be a block
      // scalar's content, and flow context has no indentation.)
      if (T[LineBegin] == '\t' && FlowDepth == 0) {
        size_t End = LineBegin;
        while (!AtBreak(End))
          ++End;
        if (End - LineBegin > Limits.MaxScalarBytes)
          return TooLong(LineBegin, End);
        return LineFail(LineBegin, "a tab character as indentation");
      }
      // Block nesting needs indentation or `- `/`? ` markers; flow nesting needs brackets.
      Depth = Indent + FlowDepth;
      char Quote = 0;
      bool QuoteMayBePlain = false;
      auto Line = [&](size_t Before) { return llvm::StringRef(T + LineBegin, Before - LineBegin); };
      while (I < Size) {
        uint8_t Class = classOf(T[I]);
        if (Class == Ordinary) {
          ++I;
          continue;
        }
        if (Class == Break)
          break;
        if (Class != Structural) {
          unsigned Length = checkCharacter(Text, I, Bad);
          if (!Length)
            return Fail(Bad.Offset, Bad.Message);
          I += Length;
          continue;
        }
        char C = T[I];
        char Prev = I == LineBegin ? '\n' : T[I - 1];
        if (Quote) {
          if (C == Quote) {
            Quote = 0;
          } else if (QuoteMayBePlain && (C == '[' || C == '{')) {
            // Perhaps no quote at all: brackets count, so that nesting is never hidden.
            ++FlowDepth;
            Depth = std::max(Depth, Indent + FlowDepth);
          } else if (QuoteMayBePlain && (C == ']' || C == '}') && FlowDepth > 0) {
            --FlowDepth;
          }
          ++I;
          continue;
        }
        if ((C == '"' || C == '\'') && startsToken(Prev)) {
          Quote = C;
          QuoteMayBePlain = !quoteOpensNode(Line(I));
        } else if (C == '#' && isBlank(Prev)) {
          if (!Skip(I, always))
            return Fail(Bad.Offset, Bad.Message);
          break;
        } else if (C == '[' || C == '{') {
          ++FlowDepth;
          Depth = std::max(Depth, Indent + FlowDepth);
        } else if ((C == ']' || C == '}') && FlowDepth > 0) {
          --FlowDepth;
        } else if ((C == '-' || C == '?') && startsToken(Prev) &&
                   (AtBreak(I + 1) || isBlank(T[I + 1]))) {
          ++Depth;
          if (C == '?')
            R.NeedsResolution = true; // a complex key
        } else if (C == ':' && startsToken(Prev) && !AtBreak(I + 1) && !isBlank(T[I + 1]) &&
                   valueFollows(Line(I))) {
          // A plain scalar that starts with a colon, up to a comment, the line end, or (in
          // flow context) a flow indicator.
          size_t Begin = I;
          size_t End = I + 1;
          bool InFlow = FlowDepth > 0;
          if (!Skip(End, [&](size_t At) {
                char E = T[At];
                return !((E == '#' && isBlank(T[At - 1])) ||
                         (InFlow && (E == ',' || E == ']' || E == '}')));
              }))
            return Fail(Bad.Offset, Bad.Message);
          I = End;
          while (End > Begin + 1 && isBlank(T[End - 1]))
            --End;
          R.ColonScalars.push_back({Begin, End});
          continue;
        } else if ((C == '&' || C == '*') && startsToken(Prev) && !AtBreak(I + 1) &&
                   T[I + 1] != ' ') {
          R.NeedsResolution = true;
        } else if (C == '<' && I + 1 < Size && T[I + 1] == '<' && startsToken(Prev)) {
          R.NeedsResolution = true;
        }
        ++I;
      }
    }
    if (I - LineBegin > Limits.MaxScalarBytes)
      return TooLong(LineBegin, I);
    if (Depth > Limits.MaxDepth)
      return LineFail(LineBegin, llvm::Twine("nesting deeper than the limit of ") +
                                     llvm::Twine(Limits.MaxDepth));
    // `\r\n` ends a line as one break; a lone `\r` ends it too, as for the parser (but not for
    // a LineTable, which counts `\n` only).
    LineBegin = I + (I + 1 < Size && T[I] == '\r' && T[I + 1] == '\n' ? 2 : 1);
    if (LineBegin <= Size && T[LineBegin - 1] == '\n')
      R.LineStarts.push_back(LineBegin);
  }
  return R;
}

} // namespace saguard::model
