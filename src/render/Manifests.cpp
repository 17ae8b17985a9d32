//===- Manifests.cpp - manifest files, directories and stdin --------------===//
#include "saguard/render/Renderer.h"
#include "saguard/render/TreeWalk.h"

#include "saguard/support/Error.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <cerrno>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

namespace saguard::render {

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

namespace {

constexpr size_t ChunkBytes = 64 * 1024;

llvm::Error fileError(llvm::StringRef File, std::error_code EC) {
  return llvm::createStringError(EC, "cannot read '%s': %s", File.str().c_str(),
                                 EC.message().c_str());
}

/// Collects the manifest files below Dir in sorted order, depth first, as walkTree sees the
/// tree (no hidden folders, nothing .gitignore ignores, no symlink out of Dir).
llvm::Error collectFiles(llvm::StringRef Dir, std::vector<std::string> &Files,
                         const ManifestReadOptions &Options) {
  std::vector<std::string> Warnings;
  llvm::Error E = walkTree(
      Dir, {},
      [&](const WalkedDir &D) {
        for (const std::string &Name : D.Files)
          if (isManifestName(Name)) {
            llvm::SmallString<256> P(D.Path);
            path::append(P, Name);
            Files.push_back(P.str().str());
          }
        return true;
      },
      Warnings);
  for (const std::string &W : Warnings)
    if (Options.OnWarning)
      Options.OnWarning(W);
  return E;
}

/// Reads the open descriptor Fd to its end through a splitter for the stream Name.
llvm::Error readStream(int Fd, llvm::StringRef Name, FileTable &Files,
                       const std::function<void(DocumentText)> &Sink,
                       const ManifestReadOptions &Options, std::vector<std::string> &Dropped) {
  FileId Id = Files.intern(std::string_view(Name.data(), Name.size()));
  DocumentSplitter Splitter(
      Id, Sink,
      [&](unsigned FirstLine, size_t Bytes) {
        if (Options.OnOversized)
          Options.OnOversized(Id, FirstLine, Bytes);
        else
          Dropped.push_back(Name.str() + ":" + std::to_string(FirstLine) + ": document of " +
                            std::to_string(Bytes) + " bytes is larger than the limit of " +
                            std::to_string(Options.MaxDocumentBytes) + " bytes; skipped");
      },
      Options.MaxDocumentBytes);
  std::vector<char> Buffer(ChunkBytes);
  while (true) {
    ssize_t N = ::read(Fd, Buffer.data(), Buffer.size());
    if (N > 0) {
      Splitter.feed(std::string_view(Buffer.data(), static_cast<size_t>(N)));
      continue;
    }
    if (N == 0)
      break;
    if (errno == EINTR)
      continue;
    std::error_code EC(errno, std::generic_category());
    // Keep what was read: documents already emitted were whole, the last one may not be.
    Splitter.reset();
    return fileError(Name, EC);
  }
  Splitter.finish();
  return llvm::Error::success();
}

llvm::Error readFile(llvm::StringRef File, FileTable &Files,
                     const std::function<void(DocumentText)> &Sink,
                     const ManifestReadOptions &Options, std::vector<std::string> &Dropped) {
  // `./a.yaml` and `a.yaml` are one file: intern one spelling (`..` stays, for symlinks).
  llvm::SmallString<256> Clean(File);
  path::remove_dots(Clean, /*remove_dot_dot=*/false);
  if (!Clean.empty())
    File = Clean.str();
  int Fd;
  while (true) {
    Fd = ::open(File.str().c_str(), O_RDONLY | O_CLOEXEC);
    if (Fd >= 0 || errno != EINTR)
      break;
  }
  if (Fd < 0)
    return fileError(File, std::error_code(errno, std::generic_category()));
  llvm::Error Err = readStream(Fd, File, Files, Sink, Options, Dropped);
  ::close(Fd);
  return Err;
}

} // namespace

llvm::Error readManifests(llvm::StringRef Path, FileTable &Files,
                          std::function<void(DocumentText)> Sink,
                          const ManifestReadOptions &Options) {
  std::vector<std::string> Dropped;
  llvm::Error Errors = llvm::Error::success();

  if (Path == "-") {
    Errors = readStream(STDIN_FILENO, "<stdin>", Files, Sink, Options, Dropped);
  } else {
    fs::file_status Status;
    if (std::error_code EC = fs::status(Path, Status))
      return fileError(Path, EC);
    if (fs::is_directory(Status)) {
      std::vector<std::string> List;
      Errors = collectFiles(Path, List, Options);
      for (const std::string &File : List)
        Errors = llvm::joinErrors(std::move(Errors),
                                  readFile(File, Files, Sink, Options, Dropped));
    } else if (std::string What; isUnreadableSpecialFile(Path, What)) {
      return makeError("'%s' is %s, not a manifest file", Path.str().c_str(), What.c_str());
    } else {
      // Any other non-directory named on the command line is read, whatever its name: a
      // file, a FIFO, /dev/fd/N from process substitution.
      Errors = readFile(Path, Files, Sink, Options, Dropped);
    }
  }

  for (const std::string &Message : Dropped)
    Errors = llvm::joinErrors(std::move(Errors), makeError("%s", Message.c_str()));
  return Errors;
}

} // namespace saguard::render
