//===- DocumentSplitter.h - cut a YAML stream into documents ----*- C++ -*-===//
//
// Incremental: bytes arrive in chunks that may cut lines anywhere (a renderer's stdout, a file
// read 64 KiB at a time), and only the document being assembled is kept in memory.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "saguard/support/Document.h"

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace saguard::render {

/// Whether Line is a document marker the splitter cuts at: `---` or `...` at column 0,
/// followed by whitespace or the line's end. What else edits a stream by its documents (fixes)
/// must cut where the splitter does.
bool isDocumentMarkerLine(std::string_view Line);

/// Cuts a YAML stream into DocumentTexts at column-0 `---` lines (`^---(\s|$)`) and after
/// column-0 `...` document-end lines, and hands each document with content to a sink.
///
/// * Text after `---` on the marker line (`--- {a: 1}`, `--- !tag`) opens the new document: the
///   line is kept as its first line with `---` replaced by three spaces, so columns stay right.
/// * A UTF-8 BOM at the start of the stream, of a document, or before a marker is dropped.
/// * Documents holding only blank lines, comments and directives are not emitted; line numbers
///   of later documents stay exact.
/// * A leading `# Source: <path>` comment (helm) sets DocumentText::HelmSource.
/// * CRLF line ends are kept in the text; `---\r` is a marker. A lone CR ends a line, as for
///   the YAML parser, and becomes a LF in the text (offsets do not move).
/// * A document larger than the byte limit is not emitted: its text is dropped as soon as it
///   passes the limit (lines are still counted), and OnOversized gets its first line and full
///   size when it ends. Without an OnOversized callback such a document is silently lost, so
///   callers that report problems should pass one. Memory stays below about twice the limit
///   (the document so far plus one line in progress).
class DocumentSplitter {
public:
  /// Default cap on one document's size (64 MiB), the loader's LoadLimits::MaxDocumentBytes.
  static constexpr size_t DefaultMaxDocumentBytes = size_t(64) << 20;

  /// Receives each document with content, in stream order.
  using SinkFn = std::function<void(DocumentText)>;
  /// Told about a document dropped for its size: its first line in the stream and its bytes.
  using OversizedFn = std::function<void(unsigned FirstLine, size_t Bytes)>;

  /// Creates a splitter for the stream Stream; documents go to Sink.
  DocumentSplitter(FileId Stream, SinkFn Sink, OversizedFn OnOversized = nullptr,
                   size_t MaxDocumentBytes = DefaultMaxDocumentBytes);

  /// Consumes the next bytes of the stream; may call the sink zero or more times.
  void feed(std::string_view Chunk);
  /// Ends the stream: emits the last document (a last line without a line end counts). The
  /// splitter is then reset, so further feed() calls start a new stream at line 1.
  void finish();
  /// Drops the document being assembled without emitting it and starts a new stream at line 1
  /// (after a renderer failed half-way).
  void reset();

private:
  /// How much of an over-long line is kept to classify it once its document is oversized.
  static constexpr size_t LinePrefixKeep = 4096;

  void feedLines(std::string_view Chunk);
  /// Appends the whole lines at the start of Chunk that change nothing but the document's text
  /// (most lines of most documents) in one go; returns their bytes.
  size_t appendTextLines(std::string_view Chunk);
  void appendToLine(std::string_view Part);
  void processLine(std::string_view Line, size_t FullBytes);
  void addDocumentLine(std::string_view Line, size_t FullBytes);
  void startDocument(unsigned FirstLine);
  void endDocument();

  FileId Stream;
  SinkFn Sink;
  OversizedFn OnOversized;
  size_t MaxDocumentBytes;

  unsigned LineNo = 1;        ///< 1-based number of the line being assembled
  std::string Pending;        ///< the current line so far, when a chunk ended inside it
  size_t PendingBytes = 0;    ///< full length of the current line, also once Pending is cut
  bool PendingCR = false;     ///< the last chunk ended in a CR (held back, see feed)

  DocumentText Doc;           ///< the document being assembled
  size_t DocBytes = 0;        ///< its full size, also counted once its text was dropped
  bool HasContent = false;    ///< a line that is not blank, a comment or a directive was seen
  bool Oversized = false;
  /// The last content line closed a JSON value at column 0 (`}` or `]`): a `{` or `[` at column 0
  /// after it opens the next object of a concatenated JSON stream.
  bool ClosedJsonValue = false;
};

} // namespace saguard::render
