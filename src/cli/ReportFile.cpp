//===- ReportFile.cpp - where the report goes: stdout, a file replaced whole, never an input ===//
#include "saguard/cli/Driver.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace saguard::cli {

llvm::Error writeOutput(const std::string &Path,
                        llvm::function_ref<llvm::Error(llvm::raw_ostream &)> Write) {
  if (Path.empty()) {
    llvm::Error E = Write(llvm::outs());
    llvm::outs().flush();
    return E;
  }
  auto CannotWrite = [&](const std::string &Why) {
    return llvm::createStringError(std::errc::io_error, "cannot write '%s': %s", Path.c_str(),
                                   Why.c_str());
  };
  // A device or pipe (`-o /dev/stdout`) is written in place: it cannot be replaced.
  llvm::sys::fs::file_status Status;
  bool Special = !llvm::sys::fs::status(Path, Status) &&
                 llvm::sys::fs::exists(Status) && !llvm::sys::fs::is_regular_file(Status);
  if (Special) {
    std::error_code EC;
    llvm::raw_fd_ostream File(Path, EC);
    if (EC)
      return CannotWrite(EC.message());
    llvm::Error E = Write(File);
    File.close();
    if (File.has_error()) {
      // An error left set would abort in the stream's destructor.
      std::string Why = File.error().message();
      File.clear_error();
      return llvm::joinErrors(std::move(E), CannotWrite(Why));
    }
    return E;
  }
  // Written beside the target and renamed over it: a crash, Ctrl-C or full disk leaves the old
  // report or none, never half a report (TempFile removes itself on a signal).
  llvm::Expected<llvm::sys::fs::TempFile> Temp =
      llvm::sys::fs::TempFile::create(Path + ".saguard-%%%%%%.tmp");
  if (!Temp)
    return CannotWrite(llvm::toString(Temp.takeError()));
  std::string Failure;
  llvm::Error Written = llvm::Error::success();
  {
    llvm::raw_fd_ostream File(Temp->FD, /*shouldClose=*/false);
    Written = Write(File);
    File.flush();
    if (File.has_error()) {
      Failure = File.error().message();
      File.clear_error();
    }
  }
  if (Written || !Failure.empty()) {
    llvm::consumeError(Temp->discard()); // the write error is the one worth reporting
    return Failure.empty() ? std::move(Written)
                           : llvm::joinErrors(std::move(Written), CannotWrite(Failure));
  }
  if (llvm::Error E = Temp->keep(Path))
    return CannotWrite(llvm::toString(std::move(E)));
  return llvm::Error::success();
}

namespace {

bool isManifestFileName(llvm::StringRef Name) {
  llvm::StringRef Ext = llvm::sys::path::extension(Name);
  return Ext.equals_insensitive(".yaml") || Ext.equals_insensitive(".yml") ||
         Ext.equals_insensitive(".json");
}

/// Path as the file system resolves it (symlinks, `.` and `..`), or empty if it does not exist.
std::string realPath(llvm::StringRef Path) {
  llvm::SmallString<256> Real;
  if (llvm::sys::fs::real_path(Path, Real))
    return "";
  return Real.str().str();
}

/// Whether the existing file Output (resolved) is read when the target Tree is analysed: any
/// file below a chart or overlay, a manifest below a folder of manifests.
bool readByTree(llvm::StringRef RealOutput, const Target &Tree) {
  std::string Dir = realPath(Tree.Path);
  if (Dir.empty() || !llvm::sys::fs::is_directory(Dir) || RealOutput.size() <= Dir.size() + 1 ||
      !RealOutput.startswith(Dir) || RealOutput[Dir.size()] != '/')
    return false;
  if (Tree.Kind != render::TargetKind::Manifests)
    return true;
  llvm::StringRef Rel = RealOutput.drop_front(Dir.size() + 1);
  for (auto It = llvm::sys::path::begin(Rel), End = llvm::sys::path::end(Rel); It != End; ++It)
    if (It->startswith("."))
      return false; // the walk skips hidden files and folders
  return isManifestFileName(Rel);
}

} // namespace

llvm::Error refuseOutputOverInput(const std::string &Output,
                                  llvm::ArrayRef<std::string> InputFiles,
                                  llvm::ArrayRef<Target> Targets) {
  if (Output.empty())
    return llvm::Error::success();
  std::string RealOutput = realPath(Output);
  if (RealOutput.empty())
    return llvm::Error::success(); // nothing there yet, so no input either
  auto Refuse = [&](llvm::StringRef Input) {
    return llvm::createStringError(std::errc::file_exists,
                                   "output file '%s' is an input ('%s'); refusing to overwrite it",
                                   Output.c_str(), Input.str().c_str());
  };
  llvm::sys::fs::UniqueID OutputId;
  if (llvm::sys::fs::getUniqueID(RealOutput, OutputId))
    return llvm::Error::success();
  auto Same = [&](llvm::StringRef Input) {
    llvm::sys::fs::UniqueID Id;
    return Input != "-" && !llvm::sys::fs::getUniqueID(Input, Id) && Id == OutputId;
  };
  for (const std::string &Input : InputFiles)
    if (Same(Input))
      return Refuse(Input);
  for (const Target &T : Targets) {
    if (Same(T.Path) || readByTree(RealOutput, T))
      return Refuse(T.Path);
    for (const std::string &Values : T.Helm.ValuesFiles)
      if (Same(Values))
        return Refuse(Values);
  }
  return llvm::Error::success();
}

} // namespace saguard::cli
