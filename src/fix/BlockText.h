//===- BlockText.h - block-style YAML read as lines, for safe edits -*- C++ -*-===//
//
// A fix changes a few bytes of a file the user owns. Where the parser only says where a key is,
// this reads the lines around it: the indentation a new key needs, the line end the file uses,
// and whether the text is plain block style that a line-based edit cannot misread. Anything
// else (flow collections, tabs, anchors, quoted or multi-line values) is "unsafe": the caller
// then emits no fix.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "saguard/support/SourcePos.h"

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>
#include <vector>

namespace saguard::fix {

/// Bytes of Line before its code-point column Column (1-based); nullopt past the line's end.
std::optional<size_t> bytesBeforeColumn(llvm::StringRef Line, unsigned Column);

/// A text split into lines, each without its line end: a whole file, or the lines of a file
/// from line FirstLine on (one document), numbered as in the file.
class BlockText {
public:
  explicit BlockText(llvm::StringRef Text, unsigned FirstLine = 1);

  llvm::StringRef text() const { return Text; }
  unsigned firstLine() const { return FirstLine; }
  /// The number of the text's last line (firstLine() - 1 for an empty text).
  unsigned lastLine() const { return FirstLine + static_cast<unsigned>(Lines.size()) - 1; }
  /// Line N without its line end; "" outside the text.
  llvm::StringRef line(unsigned N) const;
  /// Byte offset in text() of line N's first byte (the text's size past the end).
  size_t lineOffset(unsigned N) const;
  /// Byte offset of Pos (a code-point column), or nullopt when Pos is not in the text.
  std::optional<size_t> offsetOf(SourcePos Pos) const;
  /// The line end line N uses ("\r\n" or "\n"); the one of the line before for the last line.
  llvm::StringRef lineEnd(unsigned N) const;

  /// Spaces before the first other character of line N; nullopt when a tab comes first.
  std::optional<unsigned> indentOf(unsigned N) const;
  /// Whether line N holds only spaces, or a comment.
  bool isBlankOrComment(unsigned N) const;
  /// Whether line N is `---` or `...` (a document boundary).
  bool isDocumentMarker(unsigned N) const;

  /// The `key: value` written at line N from byte column Col (plain or quoted key); nullopt when
  /// no key starts there.
  struct KeyLine {
    llvm::StringRef Key;     ///< as written, quotes included
    llvm::StringRef KeyName; ///< without quotes
    /// The value when it is a plain scalar on this line followed by nothing but a comment;
    /// empty when nothing but a comment follows the colon (the value is on later lines).
    llvm::StringRef Value;
    /// False for any other value: quoted, flow, anchored, aliased, tagged or a block scalar.
    bool PlainValue = true;
    size_t KeyOffset = 0, ValueOffset = 0; ///< byte offsets in text()
  };
  std::optional<KeyLine> keyLine(unsigned N, unsigned Col) const;
  /// The first line after N that is neither blank nor a comment (lastLine() + 1 for none).
  unsigned nextContentLine(unsigned N) const;

  /// The lines of the block mapping whose key at line N sits at byte column Col: the first and
  /// one past the last line (first key to last line indented at least as much), stopping at a
  /// less indented line or a document marker. Unsafe (nullopt) when a line of it has a tab in
  /// its indentation or a block scalar that keeps trailing blank lines (`|+`).
  struct Block {
    unsigned First = 0, End = 0;
    unsigned Indent = 0;
  };
  std::optional<Block> blockAt(unsigned N, unsigned Col) const;
  /// Whether Block has a key named Name at its own indentation.
  bool hasKey(const Block &B, llvm::StringRef Name) const;

  /// Whether line N is a sequence item whose content (`- key: ...`) starts at byte column Col:
  /// the key there is the first of its mapping.
  bool isItemAt(unsigned N, unsigned Col) const;

private:
  /// Index into Lines and Offsets of line N, which must be in the text.
  size_t at(unsigned N) const { return N - FirstLine; }
  bool holds(unsigned N) const { return N >= FirstLine && N - FirstLine < Lines.size(); }

  llvm::StringRef Text;
  unsigned FirstLine;
  std::vector<llvm::StringRef> Lines;
  std::vector<size_t> Offsets;
};

} // namespace saguard::fix
