//===- SourceFiles.h - chart and overlay files read while mapping, split into lines --*- C++ -*-===//
#pragma once

#include "saguard/support/LineTable.h"
#include "saguard/support/SourcePos.h"

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace saguard::origin {

using llvm::StringRef;

/// Depth of nested subcharts and kustomizations followed; real trees are a few levels deep.
inline constexpr unsigned MaxTreeDepth = 16;

/// The text of a regular file of sane size, or nullopt (a missing or huge file maps nothing).
std::optional<std::string> readText(const std::string &File);

/// Rel resolved against Dir (kept when absolute), with `.` and `..` removed.
std::string joinPath(StringRef Dir, StringRef Rel);

/// P made absolute against the working directory, with `.` and `..` removed.
std::string absolutePath(StringRef P);

/// A file's text split into lines, with code-point columns.
struct TextFile {
  std::string Text;
  std::vector<StringRef> Lines; ///< without line breaks (and without a trailing `\r`)
  LineTable Table{"", 1};

  explicit TextFile(std::string Content) : Text(std::move(Content)), Table(Text, 1) {
    StringRef Rest = Text;
    while (!Rest.empty()) {
      auto [Line, Tail] = Rest.split('\n');
      Lines.push_back(Line.rtrim('\r'));
      Rest = Tail;
    }
  }
  TextFile(const TextFile &) = delete;

  /// Position of byte Col (0-based) of 0-based line Index.
  SourcePos pos(size_t Index, size_t Col) const {
    return Table.position(Table.lineStart(static_cast<unsigned>(Index) + 1) + Col);
  }
  /// The range from Begin to the end of its line's content, as findings mark a `key: value`.
  SourceRange lineRange(FileId File, SourcePos Begin) const {
    if (Begin.Line == 0 || Begin.Line > Lines.size())
      return {File, Begin, Begin};
    StringRef Line = Lines[Begin.Line - 1];
    SourcePos End = pos(Begin.Line - 1, Line.rtrim(" \t").size());
    if (End.Column <= Begin.Column)
      End = {Begin.Line, Begin.Column + 1};
    return {File, Begin, End};
  }
};

} // namespace saguard::origin
