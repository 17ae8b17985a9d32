//===- TreeWalk.cpp - the files of a folder as a repository sees them -----===//
#include "saguard/render/TreeWalk.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <set>

namespace saguard::render {

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

namespace {

/// One line of a .gitignore.
struct IgnoreRule {
  /// The pattern's text: LLVM 14's GlobPattern keeps pointers into it, so it lives on the heap
  /// with the rule.
  std::shared_ptr<const std::string> Text;
  llvm::GlobPattern Pattern;
  /// The folder of the .gitignore, relative to the root ("" for the root).
  std::string Base;
  bool Negated = false;
  bool DirOnly = false;
  /// A pattern with a `/` before its end matches the path below Base, else any basename.
  bool Anchored = false;
};

std::optional<IgnoreRule> parseIgnoreLine(llvm::StringRef Line, const std::string &Base) {
  Line = Line.rtrim("\r");
  // Trailing blanks are not part of the pattern unless escaped; patterns rarely end in one.
  Line = Line.rtrim(' ');
  if (Line.empty() || Line.startswith("#"))
    return std::nullopt;
  IgnoreRule R;
  R.Base = Base;
  if (Line.consume_front("!"))
    R.Negated = true;
  if (Line.consume_back("/"))
    R.DirOnly = true;
  if (Line.consume_front("**/"))
    R.Anchored = false;
  else if (Line.consume_front("/") || Line.contains('/'))
    R.Anchored = true;
  if (Line.empty())
    return std::nullopt;
  R.Text = std::make_shared<const std::string>(Line.str());
  llvm::Expected<llvm::GlobPattern> P = llvm::GlobPattern::create(*R.Text);
  if (!P) {
    llvm::consumeError(P.takeError());
    return std::nullopt;
  }
  R.Pattern = std::move(*P);
  return R;
}

void readGitIgnore(llvm::StringRef Dir, const std::string &RelDir,
                   std::vector<IgnoreRule> &Rules) {
  llvm::SmallString<256> File(Dir);
  path::append(File, ".gitignore");
  if (!fs::is_regular_file(File))
    return;
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Text = llvm::MemoryBuffer::getFile(File);
  if (!Text)
    return;
  llvm::SmallVector<llvm::StringRef, 32> Lines;
  (*Text)->getBuffer().split(Lines, '\n');
  for (llvm::StringRef L : Lines)
    if (std::optional<IgnoreRule> R = parseIgnoreLine(L, RelDir))
      Rules.push_back(std::move(*R));
}

bool ignored(const std::vector<IgnoreRule> &Rules, llvm::StringRef RelPath, bool IsDir) {
  bool Ignored = false;
  llvm::StringRef Name = path::filename(RelPath, path::Style::posix);
  // The last matching rule decides, as in git.
  for (const IgnoreRule &R : Rules) {
    if (R.DirOnly && !IsDir)
      continue;
    llvm::StringRef Below = RelPath;
    if (!R.Base.empty() && !(Below.consume_front(R.Base) && Below.consume_front("/")))
      continue;
    if (R.Pattern.match(R.Anchored ? Below : Name))
      Ignored = !R.Negated;
  }
  return Ignored;
}

const char *specialKind(fs::file_type T) {
  switch (T) {
  case fs::file_type::fifo_file:
    return "a FIFO";
  case fs::file_type::character_file:
    return "a character device";
  case fs::file_type::block_file:
    return "a block device";
  case fs::file_type::socket_file:
    return "a socket";
  default:
    return nullptr;
  }
}

bool isUnder(llvm::StringRef Path, llvm::StringRef Root) {
  if (Root == "/")
    return true;
  return Path == Root || (Path.startswith(Root) && Path.size() > Root.size() &&
                          Path[Root.size()] == '/');
}

class Walker {
public:
  Walker(const TreeWalkOptions &Options, llvm::function_ref<bool(const WalkedDir &)> Visit,
         std::vector<std::string> &Warnings, std::string RealRoot)
      : Options(Options), Visit(Visit), Warnings(Warnings), RealRoot(std::move(RealRoot)) {}

  void walk(const std::string &Dir, const std::string &RelDir, std::vector<IgnoreRule> Rules) {
    fs::UniqueID Id;
    if (fs::getUniqueID(Dir, Id) || !Visited.insert(Id).second)
      return; // a loop through a symlink ends here
    if (Options.GitIgnore)
      readGitIgnore(Dir, RelDir, Rules);

    WalkedDir Here{Dir, RelDir, {}};
    std::vector<std::pair<std::string, std::string>> SubDirs; // name, path
    std::error_code EC;
    for (fs::directory_iterator I(Dir, EC), E; I != E && !EC; I.increment(EC)) {
      std::string Name = path::filename(I->path()).str();
      if (Name.empty() || Name[0] == '.')
        continue; // hidden: .git, .github, editor folders
      std::string Rel = RelDir.empty() ? Name : RelDir + "/" + Name;
      fs::file_status Status;
      if (std::error_code StatusEC = fs::status(I->path(), Status, /*Follow=*/true)) {
        // A dangling symlink holds nothing; anything else unreadable (a link loop) is listed,
        // so reading it says why it cannot be read.
        if (StatusEC != std::errc::no_such_file_or_directory &&
            !(ignored(Rules, Rel, false) || (Options.Excluded && Options.Excluded(Rel, false))))
          Here.Files.push_back(Name);
        continue;
      }
      bool IsDir = Status.type() == fs::file_type::directory_file;
      if (ignored(Rules, Rel, IsDir) || (Options.Excluded && Options.Excluded(Rel, IsDir)))
        continue;
      if (I->type() == fs::file_type::symlink_file && !staysInside(I->path()))
        continue;
      if (IsDir) {
        SubDirs.emplace_back(Name, I->path());
      } else if (Status.type() == fs::file_type::regular_file) {
        Here.Files.push_back(Name);
      } else if (const char *Kind = specialKind(Status.type())) {
        Warnings.push_back("skipped '" + I->path() + "': " + Kind + ", not a file");
      }
    }
    if (EC) {
      Warnings.push_back("cannot read folder '" + Dir + "': " + EC.message() + "; skipped");
      return;
    }
    llvm::sort(Here.Files);
    llvm::sort(SubDirs);
    if (!Visit(Here))
      return;
    for (auto &[Name, Path] : SubDirs)
      walk(Path, RelDir.empty() ? Name : RelDir + "/" + Name, Rules);
  }

private:
  bool staysInside(const std::string &Link) {
    llvm::SmallString<256> Real;
    if (fs::real_path(Link, Real))
      return false;
    if (isUnder(Real, RealRoot))
      return true;
    Warnings.push_back("skipped '" + Link + "': a symlink to '" + Real.str().str() +
                       "', outside the folder walked");
    return false;
  }

  const TreeWalkOptions &Options;
  llvm::function_ref<bool(const WalkedDir &)> Visit;
  std::vector<std::string> &Warnings;
  std::string RealRoot;
  std::set<fs::UniqueID> Visited;
};

/// Appends to Out the paths below Base that match Segments[I...].
void matchSegments(const std::string &Base, llvm::ArrayRef<std::string> Segments,
                   std::vector<std::string> &Out) {
  if (Segments.empty()) {
    Out.push_back(Base);
    return;
  }
  const std::string &Seg = Segments.front();
  auto Join = [&](llvm::StringRef Name) {
    if (Base.empty())
      return Name.str();
    return Base == "/" ? "/" + Name.str() : Base + "/" + Name.str();
  };
  if (!hasGlobCharacters(Seg)) {
    std::string Next = Join(Seg);
    if (fs::exists(Next))
      matchSegments(Next, Segments.drop_front(), Out);
    return;
  }
  std::string Dir = Base.empty() ? "." : Base;
  std::vector<std::string> Names;
  std::error_code EC;
  for (fs::directory_iterator I(Dir, EC), E; I != E && !EC; I.increment(EC))
    Names.push_back(path::filename(I->path()).str());
  llvm::sort(Names);
  if (Seg == "**") {
    matchSegments(Base, Segments.drop_front(), Out); // zero folders
    for (const std::string &Name : Names)
      if (Name[0] != '.' && fs::is_directory(Join(Name)))
        matchSegments(Join(Name), Segments, Out);
    return;
  }
  llvm::Expected<llvm::GlobPattern> P = llvm::GlobPattern::create(Seg);
  if (!P) {
    llvm::consumeError(P.takeError());
    return;
  }
  for (const std::string &Name : Names) {
    if (Name[0] == '.' && Seg[0] != '.')
      continue;
    if (P->match(Name))
      matchSegments(Join(Name), Segments.drop_front(), Out);
  }
}

} // namespace

llvm::Error walkTree(llvm::StringRef Root, const TreeWalkOptions &Options,
                     llvm::function_ref<bool(const WalkedDir &)> Visit,
                     std::vector<std::string> &Warnings) {
  llvm::SmallString<256> Real;
  if (std::error_code EC = fs::real_path(Root, Real))
    return llvm::createStringError(EC, "cannot read '%s': %s", Root.str().c_str(),
                                   EC.message().c_str());
  if (!fs::is_directory(Real))
    return llvm::createStringError(std::errc::not_a_directory, "'%s' is not a folder",
                                   Root.str().c_str());
  Walker W(Options, Visit, Warnings, Real.str().str());
  W.walk(Root.str(), "", {});
  return llvm::Error::success();
}

bool isUnreadableSpecialFile(llvm::StringRef Path, std::string &What) {
  fs::file_status Status;
  if (fs::status(Path, Status, /*Follow=*/true))
    return false;
  fs::file_type T = Status.type();
  if (T != fs::file_type::character_file && T != fs::file_type::block_file &&
      T != fs::file_type::socket_file)
    return false;
  What = specialKind(T);
  return true;
}

bool isManifestName(llvm::StringRef Name) {
  llvm::StringRef Ext = path::extension(Name);
  return Ext.equals_insensitive(".yaml") || Ext.equals_insensitive(".yml") ||
         Ext.equals_insensitive(".json");
}

bool hasGlobCharacters(llvm::StringRef Arg) { return Arg.find_first_of("*?[") != Arg.npos; }

std::vector<std::string> expandGlob(llvm::StringRef Pattern) {
  std::vector<std::string> Segments;
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  Pattern.split(Parts, '/', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef P : Parts)
    if (P != ".")
      Segments.push_back(P.str());
  std::vector<std::string> Out;
  matchSegments(Pattern.startswith("/") ? "/" : "", Segments, Out);
  llvm::sort(Out);
  Out.erase(std::unique(Out.begin(), Out.end()), Out.end());
  return Out;
}

} // namespace saguard::render
