//===- TreeWalk.h - the files of a folder as a repository sees them -*- C++ -*-===//
//
// Walks a folder the way `git ls-files` would list it: hidden folders (.git, .github), what
// .gitignore files ignore, and caller-given excludes are left out; symlinks are followed only
// while they stay inside the walked folder, and a loop ends. FIFOs, devices and sockets are no
// files to read (a FIFO without a writer blocks for ever, /dev/zero never ends): they are
// skipped with a warning naming them, as are folders that cannot be read.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <functional>
#include <string>
#include <vector>

namespace saguard::render {

/// One folder met by walkTree.
struct WalkedDir {
  /// The folder as reached from the root (the root as given, then `root/sub/...`).
  std::string Path;
  /// The folder relative to the root, `/`-separated; "" for the root itself.
  std::string RelPath;
  /// Names of the regular files in it (symlinks to files included), and of entries that
  /// cannot even be looked at (a symlink loop), for reading them to say why; sorted.
  std::vector<std::string> Files;
};

/// Options of walkTree.
struct TreeWalkOptions {
  /// True for a path (relative to the root, `/`-separated) to leave out; IsDir says whether
  /// it is a folder (whose whole subtree is then left out).
  std::function<bool(llvm::StringRef RelPath, bool IsDir)> Excluded;
  /// Honour .gitignore files of the root and the folders below it.
  bool GitIgnore = true;
};

/// Visits Root and the folders below it depth first, in sorted order; Visit returns whether
/// to descend into the folder it was given. Problems that leave part of the tree unread (an
/// unreadable folder, a special file, a symlink out of Root) are appended to Warnings, one
/// line each. Fails only when Root itself cannot be read as a folder.
llvm::Error walkTree(llvm::StringRef Root, const TreeWalkOptions &Options,
                     llvm::function_ref<bool(const WalkedDir &)> Visit,
                     std::vector<std::string> &Warnings);

/// True when Path names something that is not read as a manifest file even when named on the
/// command line: a character or block device or a socket (`/dev/zero` would never end). Sets
/// What to a description ("a character device").
bool isUnreadableSpecialFile(llvm::StringRef Path, std::string &What);

/// True for the names manifests have: `*.yaml`, `*.yml`, `*.json` (any case).
bool isManifestName(llvm::StringRef Name);

/// True when Arg holds glob characters (`*`, `?`, `[`).
bool hasGlobCharacters(llvm::StringRef Arg);

/// The existing paths matching Pattern, sorted: `*`, `?` and `[...]` match within one path
/// segment, a `**` segment matches any number of folders. Hidden entries match only a segment
/// that starts with a dot, as in a shell.
std::vector<std::string> expandGlob(llvm::StringRef Pattern);

} // namespace saguard::render
