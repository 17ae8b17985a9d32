// The files of a folder as a repository sees them, and glob patterns expanded like a shell.
#include "saguard/render/TreeWalk.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace saguard::render;
namespace stdfs = std::filesystem;

namespace {

struct Tree {
  stdfs::path Root;
  explicit Tree(const std::string &Name) : Root(stdfs::path(testing::TempDir()) / Name) {
    stdfs::remove_all(Root);
    stdfs::create_directories(Root);
  }
  ~Tree() {
    std::error_code EC;
    stdfs::remove_all(Root, EC);
  }
  void file(const std::string &Rel, const std::string &Text = "a: 1\n") const {
    stdfs::create_directories((Root / Rel).parent_path());
    std::ofstream(Root / Rel) << Text;
  }
  /// Every file walkTree lists, relative to the root.
  std::vector<std::string> files(std::vector<std::string> *Warnings = nullptr,
                                 const TreeWalkOptions &Options = {}) const {
    std::vector<std::string> Out, Said;
    llvm::Error E = walkTree(
        Root.string(), Options,
        [&](const WalkedDir &D) {
          for (const std::string &F : D.Files)
            Out.push_back(D.RelPath.empty() ? F : D.RelPath + "/" + F);
          return true;
        },
        Said);
    EXPECT_FALSE(static_cast<bool>(E)) << llvm::toString(std::move(E));
    if (Warnings)
      *Warnings = Said;
    return Out;
  }
};

} // namespace

TEST(TreeWalk, GitIgnoreRulesAsGitReadsThem) {
  Tree T("saguard-walk-ignore");
  T.file(".gitignore", "# build output\n/build/\n*.log\n!keep.log\nsub/only-here.yaml\n");
  T.file("build/out.yaml");
  T.file("deep/build/kept.yaml"); // /build is anchored at the root
  T.file("a.log");
  T.file("keep.log");
  T.file("sub/only-here.yaml");
  T.file("sub/.gitignore", "local.yaml\n");
  T.file("sub/local.yaml");
  T.file("local.yaml"); // sub/.gitignore does not reach up
  T.file(".hidden/x.yaml");
  EXPECT_EQ(T.files(), (std::vector<std::string>{"keep.log", "local.yaml", "deep/build/kept.yaml"}));
}

TEST(TreeWalk, ExcludedPathsAndSymlinksOutOfTheTree) {
  Tree T("saguard-walk-links");
  Tree Outside("saguard-walk-outside");
  Outside.file("secret.yaml");
  T.file("a/x.yaml");
  T.file("vendor/y.yaml");
  stdfs::create_directory_symlink(Outside.Root, T.Root / "out");
  stdfs::create_directory_symlink(T.Root / "a", T.Root / "a-again"); // a folder read once
  stdfs::create_directory_symlink(T.Root, T.Root / "a" / "loop");    // a loop: ends
  stdfs::create_symlink(T.Root / "a" / "x.yaml", T.Root / "z.yaml"); // inside: followed
  TreeWalkOptions Options;
  Options.Excluded = [](llvm::StringRef Rel, bool IsDir) { return IsDir && Rel == "vendor"; };
  std::vector<std::string> Warnings;
  std::vector<std::string> Files = T.files(&Warnings, Options);
  EXPECT_EQ(Files, (std::vector<std::string>{"z.yaml", "a/x.yaml"}));
  ASSERT_EQ(Warnings.size(), 1u);
  EXPECT_NE(Warnings[0].find("outside the folder walked"), std::string::npos) << Warnings[0];
}

TEST(TreeWalk, GlobsMatchSegmentsAndDoubleStarMatchesFolders) {
  Tree T("saguard-walk-glob");
  T.file("charts/api/Chart.yaml");
  T.file("charts/web/Chart.yaml");
  T.file("charts/.hidden/Chart.yaml");
  T.file("deploy/eu/overlays/prod/kustomization.yaml");
  T.file("deploy/overlays/prod/kustomization.yaml");
  std::string R = T.Root.string();
  EXPECT_EQ(expandGlob(R + "/charts/*"),
            (std::vector<std::string>{R + "/charts/api", R + "/charts/web"}));
  EXPECT_EQ(expandGlob(R + "/deploy/**/overlays/*"),
            (std::vector<std::string>{R + "/deploy/eu/overlays/prod", R + "/deploy/overlays/prod"}));
  EXPECT_TRUE(expandGlob(R + "/nothing/*").empty());
  EXPECT_TRUE(hasGlobCharacters("charts/*"));
  EXPECT_FALSE(hasGlobCharacters("charts/web"));
}

TEST(TreeWalk, DevicesAreNoManifestFiles) {
  std::string What;
  EXPECT_TRUE(isUnreadableSpecialFile("/dev/zero", What));
  EXPECT_EQ(What, "a character device");
  EXPECT_FALSE(isUnreadableSpecialFile("/etc/hostname", What));
}
