//===- TemplateText.h - Go-template text: key lines, actions, `---` segments --------*- C++ -*-===//
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "LocatedKeys.h"
#include "SourceFiles.h"

namespace saguard::origin {

struct TemplateFile;

/// A line read as `[indent][- ]key: rest`.
struct KeyLine {
  size_t Indent = 0;
  bool HasMarker = false;
  size_t KeyCol = 0; ///< byte column of the key
  StringRef Key;
  StringRef Rest; ///< the value text, comment and blanks stripped
};

/// The line read as `[indent][- ]key: rest`, if it is one.
std::optional<KeyLine> parseKeyLine(StringRef Line);

/// Blank, a comment, or nothing but template actions: no YAML of its own.
bool isStructureFree(StringRef Line);

/// The go-template actions of a line, without their delimiters and trim markers.
std::vector<StringRef> actionsOf(StringRef Line);

/// A dotted field chain starting at Text[I] (after a `.`): `a.b.c`.
std::string fieldChain(StringRef Text, size_t I);

/// `.Values.a.b` / `$.Values.a.b` references in an action.
void valuesRefs(StringRef Action, std::vector<std::string> &Out);

/// Fields of the dot (`.b`, and `.` alone as ""), for actions inside a `with .Values.a` block.
void dotRefs(StringRef Action, std::vector<std::string> &Out);

/// The first `"quoted"` word after Keyword in an action (`include "x.name" .`).
std::optional<std::string> quotedArg(StringRef Action, StringRef Keyword);

/// Block actions that an `{{ end }}` closes.
bool opensBlock(StringRef Action);


/// The segment of T that renders an object of Kind named Name: the one whose name's literal text
/// matches best; among equals, the Ordinal-th segment of that kind (helm prints a file's objects
/// of one kind in their written order, Ordinal is the object's place among them), else the
/// first.
std::optional<std::pair<size_t, size_t>> findSegment(const TemplateFile &File, StringRef Kind,
                                                     StringRef Name, size_t Ordinal);

/// The object's first line in a segment: `apiVersion:`, else `kind:`, else its first YAML line.
size_t objectLine(const TemplateFile &T, std::pair<size_t, size_t> Seg);

/// The chain of parent keys of the key on line Index (root first), or nullopt when the lines
/// above do not show it (a parent written by an include, say).
std::optional<std::vector<StringRef>> parentKeys(const TemplateFile &T, size_t SegBegin,
                                                 size_t Index, const KeyLine &Key);

/// A line that may have written a key: (line index, byte column of the key).
using KeyCandidate = std::pair<size_t, size_t>;

/// Adds the lines of [Begin, End) that may have written Key (see the file comment) to Out. The
/// lines render Offset columns further right than written, below the parent keys Prefix.
void findKeyLines(const TemplateFile &T, size_t Begin, size_t End, const LocatedKey &Key,
                  unsigned Offset, const std::vector<StringRef> &Prefix,
                  std::vector<KeyCandidate> &Out);

/// A line that renders a `define`d template in place: `{{ include "name" . | nindent N }}` on a
/// line of its own, or after a key (`template: {{ template "name" . }}`).
struct IncludeLine {
  std::string Name;
  /// Columns the pipeline's `indent N` or `nindent N` adds to every line of the define.
  unsigned Indent = 0;
  /// The key the include writes the value of, when the line has one.
  std::optional<KeyLine> Key;
};
std::optional<IncludeLine> includeLine(StringRef Line);

/// What one line of a template is, found when its file is read: mapping asks it of the same
/// lines for every key it places.
struct TemplateLineInfo {
  bool StructureFree = false;         ///< isStructureFree
  std::optional<KeyLine> Key;         ///< parseKeyLine
  std::optional<IncludeLine> Include; ///< includeLine
};

/// A template file split at column-0 `---` lines.
struct TemplateFile {
  std::unique_ptr<TextFile> Text;
  std::vector<std::pair<size_t, size_t>> Segments; ///< [first, last) line indexes

  /// What each line is, by line index; read on first use (a file read for its defines alone
  /// may be all CRD schemas).
  const std::vector<TemplateLineInfo> &info() const;

private:
  mutable std::optional<std::vector<TemplateLineInfo>> Info;
};

std::unique_ptr<TemplateFile> templateFromText(std::string Text);

/// The indentation of a define body's first line of YAML (between Begin and End).
size_t bodyIndent(const TemplateFile &T, size_t Begin, size_t End);

/// Whether a value written as Pattern (literal text around actions) can render to Rendered;
/// the number of literal characters that matched, or nullopt.
std::optional<size_t> patternMatches(StringRef Pattern, StringRef Rendered);

/// The values key a value written as `{{ .Values.a.b }}` (with `| quote` or `| toString`
/// at most) renders, when that is all it renders.
std::optional<std::string> plainValuesRef(StringRef Rest);

} // namespace saguard::origin
