//===- SourcePos.h - file ids, positions and ranges -------------*- C++ -*-===//
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace saguard {

/// Index of a file in a FileTable; 0 means "no file".
using FileId = std::uint32_t;

/// A 1-based line and a 1-based column counted in Unicode code points.
struct SourcePos {
  unsigned Line = 0;
  unsigned Column = 0;

  bool isValid() const { return Line != 0; }
  friend bool operator==(const SourcePos &, const SourcePos &) = default;
  friend auto operator<=>(const SourcePos &, const SourcePos &) = default;
};

/// A range in one file; End is exclusive, as SARIF regions are.
struct SourceRange {
  FileId File = 0;
  SourcePos Begin;
  SourcePos End;

  bool isValid() const { return File != 0 && Begin.isValid(); }
  friend bool operator==(const SourceRange &, const SourceRange &) = default;
};

/// Interns file paths so positions stay small; safe to share between render threads.
class FileTable {
public:
  FileTable() { Paths.emplace_back(); }

  /// Returns the id of Path, adding it on first sight.
  FileId intern(std::string_view Path);
  /// Returns the path of Id ("" for 0).
  const std::string &path(FileId Id) const;
  /// Interns the name of a stream a renderer wrote (`charts/web (helm template output)`): no
  /// file on disk, which formats that link to files (SARIF) leave out.
  FileId internRendered(std::string_view Name);
  /// Whether Id names a rendered stream rather than a file.
  bool isRendered(FileId Id) const;

private:
  mutable std::mutex Mutex;
  std::deque<std::string> Paths; // deque: references stay valid while it grows
  std::unordered_set<FileId> Rendered;
  std::unordered_map<std::string_view, FileId> Ids;
};

} // namespace saguard
