//===- SourceFiles.cpp - chart and overlay files read while mapping, split into lines ---------===//
#include "SourceFiles.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

namespace saguard::origin {

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

namespace {

/// Source files bigger than this are not read (a rendered chart's sources are far smaller).
constexpr uint64_t MaxSourceFileBytes = 32u << 20;

} // namespace

std::optional<std::string> readText(const std::string &File) {
  uint64_t Size = 0;
  if (!fs::is_regular_file(File) || fs::file_size(File, Size) || Size > MaxSourceFileBytes)
    return std::nullopt;
  auto Buffer = llvm::MemoryBuffer::getFile(File, /*IsText=*/true);
  if (!Buffer)
    return std::nullopt;
  return (*Buffer)->getBuffer().str();
}

std::string joinPath(StringRef Dir, StringRef Rel) {
  if (path::is_absolute(Rel))
    return Rel.str();
  llvm::SmallString<256> P(Dir);
  path::append(P, Rel);
  path::remove_dots(P, /*remove_dot_dot=*/true);
  return P.str().str();
}

std::string absolutePath(StringRef P) {
  llvm::SmallString<256> Abs(P);
  fs::make_absolute(Abs);
  path::remove_dots(Abs, /*remove_dot_dot=*/true);
  return Abs.str().str();
}

} // namespace saguard::origin
