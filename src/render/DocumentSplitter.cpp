//===- DocumentSplitter.cpp - cut a YAML stream into documents ------------===//
#include "saguard/render/DocumentSplitter.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace saguard::render {

namespace {

constexpr std::string_view Bom = "\xEF\xBB\xBF";

bool isBlankChar(char C) { return C == ' ' || C == '\t' || C == '\r' || C == '\n'; }

bool isBlank(std::string_view S) { return std::all_of(S.begin(), S.end(), isBlankChar); }

/// True when Line is the marker Marker (`---` or `...`) followed by whitespace or the line end.
bool isMarker(std::string_view Line, std::string_view Marker) {
  return Line.substr(0, 3) == Marker && (Line.size() == 3 || isBlankChar(Line[3]));
}

/// Whether a line that starts with C, in a document that has content and closed no JSON value
/// last, only adds to the document's text: it is no marker, no BOM, no JSON bracket.
bool onlyAddsText(char C) {
  return C != '-' && C != '.' && C != '{' && C != '[' && C != '}' && C != ']' && C != '\xEF';
}

std::string_view trimRight(std::string_view S) {
  while (!S.empty() && isBlankChar(S.back()))
    S.remove_suffix(1);
  return S;
}

} // namespace

bool isDocumentMarkerLine(std::string_view Line) {
  return isMarker(Line, "---") || isMarker(Line, "...");
}

DocumentSplitter::DocumentSplitter(FileId Stream, SinkFn Sink, OversizedFn OnOversized,
                                   size_t MaxDocumentBytes)
    : Stream(Stream), Sink(std::move(Sink)), OnOversized(std::move(OnOversized)),
      MaxDocumentBytes(MaxDocumentBytes) {
  startDocument(1);
}

void DocumentSplitter::feed(std::string_view Chunk) {
  if (Chunk.empty())
    return;
  if (PendingCR) {
    PendingCR = false;
    feedLines(Chunk.front() == '\n' ? "\r" : "\n");
  }
  if (Chunk.find('\r') == std::string_view::npos)
    return feedLines(Chunk);
  // A lone CR ends a line for the YAML parser too, so it becomes a LF here: otherwise a stream
  // with CR line ends is one line, and every document after the first is lost. A CR that ends
  // the chunk waits to see whether a LF follows.
  std::string Lines(Chunk);
  if (Lines.back() == '\r') {
    PendingCR = true;
    Lines.pop_back();
  }
  for (size_t I = 0; I < Lines.size(); ++I)
    if (Lines[I] == '\r' && (I + 1 == Lines.size() || Lines[I + 1] != '\n'))
      Lines[I] = '\n';
  feedLines(Lines);
}

size_t DocumentSplitter::appendTextLines(std::string_view Chunk) {
  if (PendingBytes != 0 || !HasContent || ClosedJsonValue || Oversized)
    return 0;
  size_t End = 0;
  unsigned Lines = 0;
  while (End < Chunk.size() && onlyAddsText(Chunk[End])) {
    const void *NL = std::memchr(Chunk.data() + End, '\n', Chunk.size() - End);
    if (!NL)
      break;
    size_t LineEnd = static_cast<const char *>(NL) - Chunk.data() + 1;
    if (DocBytes + LineEnd > MaxDocumentBytes)
      break; // that line makes the document oversized, line by line
    End = LineEnd;
    ++Lines;
  }
  Doc.Text.append(Chunk.substr(0, End));
  DocBytes += End;
  LineNo += Lines;
  return End;
}

void DocumentSplitter::feedLines(std::string_view Chunk) {
  while (!Chunk.empty()) {
    if (size_t Appended = appendTextLines(Chunk)) {
      Chunk.remove_prefix(Appended);
      continue;
    }
    size_t NL = Chunk.find('\n');
    if (NL == std::string_view::npos) {
      appendToLine(Chunk);
      return;
    }
    std::string_view Part = Chunk.substr(0, NL + 1);
    Chunk.remove_prefix(NL + 1);
    if (PendingBytes == 0) {
      // The whole line is in this chunk: no copy into Pending.
      processLine(Part, Part.size());
    } else {
      appendToLine(Part);
      processLine(Pending, PendingBytes);
      Pending.clear();
      PendingBytes = 0;
    }
    ++LineNo;
  }
}

void DocumentSplitter::finish() {
  if (PendingCR) {
    PendingCR = false;
    feedLines("\n");
  }
  if (PendingBytes != 0) {
    processLine(Pending, PendingBytes);
    ++LineNo;
  }
  endDocument();
  reset();
}

void DocumentSplitter::reset() {
  PendingCR = false;
  Pending.clear();
  Pending.shrink_to_fit();
  PendingBytes = 0;
  LineNo = 1;
  startDocument(1);
}

void DocumentSplitter::appendToLine(std::string_view Part) {
  PendingBytes += Part.size();
  if (PendingBytes <= MaxDocumentBytes) {
    Pending.append(Part);
    return;
  }
  // This line alone is over the limit, so whichever document it belongs to will be dropped;
  // a prefix is enough to tell whether it is a marker, a comment or content.
  if (Pending.size() < LinePrefixKeep)
    Pending.append(Part.substr(0, LinePrefixKeep - Pending.size()));
  else if (Pending.size() > LinePrefixKeep) {
    Pending.resize(LinePrefixKeep);
    Pending.shrink_to_fit();
  }
}

void DocumentSplitter::processLine(std::string_view Line, size_t FullBytes) {
  std::string_view Body = Line;
  // YAML allows a BOM before each document (l-document-prefix); LLVM's parser only accepts one
  // at the very start of its input, so drop it wherever a document may begin.
  if (Body.substr(0, Bom.size()) == Bom) {
    std::string_view Rest = Body.substr(Bom.size());
    if (!HasContent || isMarker(Rest, "---") || isMarker(Rest, "...")) {
      Body = Rest;
      FullBytes -= Bom.size();
    }
  }

  if (isMarker(Body, "---")) {
    endDocument();
    std::string_view Rest = Body.substr(3);
    if (isBlank(Rest)) {
      startDocument(LineNo + 1);
      return;
    }
    // `--- {a: 1}` or `--- !tag`: the rest opens the new document, at its own columns.
    startDocument(LineNo);
    std::string First(3, ' ');
    First.append(Rest);
    addDocumentLine(First, FullBytes);
    return;
  }
  if (isMarker(Body, "...")) {
    endDocument();
    startDocument(LineNo + 1);
    return;
  }
  // kubectl writes several objects as JSON values one after the other, each opening and closing
  // at column 0, with no `---` between them (`kubectl create --dry-run=client -o json -f`).
  bool OpensJson = !Body.empty() && (Body[0] == '{' || Body[0] == '[');
  if (OpensJson && HasContent && ClosedJsonValue) {
    endDocument();
    startDocument(LineNo);
  }
  addDocumentLine(Body, FullBytes);
  // Whether this content line closed a JSON value; a comment or blank line leaves that as is.
  char First = Body.empty() ? '\0' : Body.front();
  if (First == '}' || First == ']')
    ClosedJsonValue = trimRight(Body).size() == 1;
  else if (First != '#' && !isBlank(Body))
    ClosedJsonValue = false;
}

void DocumentSplitter::addDocumentLine(std::string_view Line, size_t FullBytes) {
  // Once a document has content, no line of it is its `# Source:` comment or a directive.
  size_t First = HasContent ? std::string_view::npos : Line.find_first_not_of(" \t\r\n");
  if (First != std::string_view::npos) {
    if (Line[First] == '#') {
      // helm writes `# Source: <chart>/templates/<file>` right after each `---`.
      constexpr std::string_view Tag = "# Source:";
      if (!HasContent && Doc.HelmSource.empty() && First == 0 &&
          Line.substr(0, Tag.size()) == Tag) {
        std::string_view Value = trimRight(Line.substr(Tag.size()));
        Value.remove_prefix(std::min(Value.find_first_not_of(" \t"), Value.size()));
        Doc.HelmSource.assign(Value);
      }
    } else if (!(First == 0 && Line[0] == '%' && !HasContent)) {
      // Anything but a comment, or a `%YAML`/`%TAG` directive before the content, is content.
      HasContent = true;
    }
  }

  DocBytes += FullBytes;
  if (Oversized)
    return;
  if (DocBytes > MaxDocumentBytes) {
    Oversized = true;
    Doc.Text.clear();
    Doc.Text.shrink_to_fit();
    return;
  }
  Doc.Text.append(Line);
}

void DocumentSplitter::startDocument(unsigned FirstLine) {
  Doc = DocumentText();
  Doc.Stream = Stream;
  Doc.FirstLine = FirstLine;
  DocBytes = 0;
  HasContent = false;
  Oversized = false;
  ClosedJsonValue = false;
}

void DocumentSplitter::endDocument() {
  if (!HasContent)
    return;
  if (Oversized) {
    if (OnOversized)
      OnOversized(Doc.FirstLine, DocBytes);
    return;
  }
  Sink(std::move(Doc));
}

} // namespace saguard::render
