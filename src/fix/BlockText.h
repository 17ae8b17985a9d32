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

/// A file's text split into lines, each without its line end.
class BlockText {
public:
  explicit BlockText(llvm::StringRef Text);

  size_t lineCount() const { return Lines.size(); }
  /// Line N (1-based) without its line end; "" past the end.
  llvm::StringRef line(unsigned N) const;
  /// Byte offset of line N's first byte (the text's size past the end).
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
    size_t KeyOffset = 0, ValueOffset = 0; ///< byte offsets in the whole text
  };
  std::optional<KeyLine> keyLine(unsigned N, unsigned Col) const;
  /// The first line after N that is neither blank nor a comment (lineCount() + 1 for none).
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
  llvm::StringRef Text;
  std::vector<llvm::StringRef> Lines;
  std::vector<size_t> Offsets;
};

} // namespace saguard::fix
