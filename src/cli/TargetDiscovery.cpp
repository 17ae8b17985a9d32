//===- TargetDiscovery.cpp - the charts, overlays and manifests of a tree -===//
#include "TargetDiscovery.h"

#include "saguard/model/FilePeek.h"
#include "saguard/render/TreeWalk.h"
#include "saguard/support/Error.h"
#include "saguard/support/Kustomization.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <map>
#include <set>

namespace saguard::cli {

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

namespace {

const char *kustomizationFile(const std::vector<std::string> &Files) {
  for (std::string_view Name : KustomizationFileNames)
    if (std::binary_search(Files.begin(), Files.end(), std::string(Name)))
      return Name.data(); // the names are literals
  return nullptr;
}

/// `a/./b/` as `a/b`; `.` stays `.`.
std::string cleanPath(llvm::StringRef P) {
  llvm::SmallString<256> S(P);
  path::remove_dots(S, /*remove_dot_dot=*/false, path::Style::posix);
  while (S.size() > 1 && S.back() == '/')
    S.pop_back_n(1);
  return S.empty() ? std::string(".") : S.str().str();
}

std::string realPathOr(llvm::StringRef P) {
  llvm::SmallString<256> Real;
  if (fs::real_path(P, Real))
    return P.str();
  return Real.str().str();
}

std::string joinPath(llvm::StringRef Dir, llvm::StringRef Name) {
  llvm::SmallString<256> P(Dir);
  path::append(P, Name);
  return P.str().str();
}

/// A folder with a kustomization met in the walk.
struct Overlay {
  std::string Path, RelPath, Real;
  bool Component = false;
  /// Real paths of the folders its resources, bases and components name.
  std::vector<std::string> Uses;
};

class TreeDiscovery {
public:
  TreeDiscovery(const DiscoveryOptions &Options, Discovered &Out) : Options(Options), Out(Out) {}

  llvm::Error walk(const std::string &Root) {
    std::vector<std::string> Manifests;
    std::vector<Overlay> Overlays;
    render::TreeWalkOptions Walk;
    Walk.Excluded = [this](llvm::StringRef Rel, bool) {
      for (const model::NameGlob &G : Options.Exclude)
        if (G.match(Rel) || G.match(path::filename(Rel, path::Style::posix)))
          return true;
      return false;
    };
    auto InOverlay = [&Overlays](llvm::StringRef Rel) {
      for (const Overlay &O : Overlays)
        if (O.RelPath.empty() || Rel == O.RelPath ||
            (Rel.startswith(O.RelPath) && Rel.size() > O.RelPath.size() &&
             Rel[O.RelPath.size()] == '/'))
          return true;
      return false;
    };
    llvm::Error E = render::walkTree(
        Root, Walk,
        [&](const render::WalkedDir &D) {
          std::string Dir = cleanPath(D.Path);
          if (std::binary_search(D.Files.begin(), D.Files.end(), std::string("Chart.yaml"))) {
            addChart(Dir);
            return false; // templates, values and subcharts belong to the chart
          }
          if (const char *K = kustomizationFile(D.Files)) {
            Overlay O{Dir, D.RelPath, realPathOr(Dir), false, {}};
            model::TopLevel Top = model::readTopLevel(joinPath(Dir, K));
            O.Component = Top.Scalars["kind"] == "Component";
            for (const char *Field : {"resources", "bases", "components"})
              for (const std::string &Ref : Top.Lists[Field])
                O.Uses.push_back(realPathOr(joinPath(Dir, Ref)));
            Overlays.push_back(std::move(O));
            return true; // overlays nested in it are found, its files are its own
          }
          if (InOverlay(D.RelPath))
            return true;
          for (const std::string &Name : D.Files) {
            if (!render::isManifestName(Name))
              continue;
            std::string File = cleanPath(joinPath(D.Path, Name));
            if (model::holdsKubernetesObjects(File))
              Manifests.push_back(File);
            else
              Out.Skipped.push_back(File);
          }
          return true;
        },
        Out.Warnings);
    if (E)
      return E;

    std::set<std::string> Used;
    for (const Overlay &O : Overlays)
      Used.insert(O.Uses.begin(), O.Uses.end());
    for (const Overlay &O : Overlays) {
      if (O.Component || Used.count(O.Real))
        continue;
      Target T;
      T.Kind = render::TargetKind::Kustomize;
      T.Path = O.Path;
      T.Kustomize.KustomizeBin = Options.KustomizeBin;
      add(std::move(T));
    }
    if (!Manifests.empty()) {
      Target T;
      T.Kind = render::TargetKind::Manifests;
      T.Path = cleanPath(Root);
      T.Files = std::move(Manifests);
      add(std::move(T));
    }
    return llvm::Error::success();
  }

  void addChart(const std::string &Dir) {
    model::TopLevel Chart = model::readTopLevel(joinPath(Dir, "Chart.yaml"));
    if (Chart.Scalars["type"] == "library")
      return; // only other charts render it
    std::vector<std::string> Sets;
    for (const model::NameGlob &G : Options.ValuesSets)
      for (const std::string &File : render::expandGlob(joinPath(Dir, G.pattern()))) {
        std::string Rel = llvm::StringRef(File).drop_front(Dir.size() + 1).str();
        if (G.match(Rel) && fs::is_regular_file(File))
          Sets.push_back(Rel);
      }
    llvm::sort(Sets);
    Sets.erase(std::unique(Sets.begin(), Sets.end()), Sets.end());
    if (Sets.empty())
      Sets.push_back("");
    for (const std::string &Set : Sets) {
      Target T;
      T.Kind = render::TargetKind::Helm;
      T.Path = Dir;
      T.ValuesSet = Set;
      if (!Set.empty()) {
        T.Helm.ValuesFiles = {joinPath(Dir, Set)};
      }
      add(std::move(T));
    }
  }

  void add(Target T) {
    // `saguard . charts/web` names charts/web twice: analyse it once.
    std::string Key = realPathOr(T.Path) + '\0' + T.ValuesSet;
    if (Seen.insert(Key).second)
      Out.Targets.push_back(std::move(T));
  }

private:
  const DiscoveryOptions &Options;
  Discovered &Out;
  std::set<std::string> Seen;
};

} // namespace

llvm::Expected<Discovered> discoverTargets(const std::vector<std::string> &Paths,
                                           const DiscoveryOptions &Options) {
  Discovered Out;
  TreeDiscovery Tree(Options, Out);
  for (const std::string &Arg : Paths) {
    std::vector<std::string> Expanded{Arg};
    // Action inputs and pre-commit arguments reach saguard unexpanded.
    if (Arg != "-" && render::hasGlobCharacters(Arg) && !fs::exists(Arg)) {
      Expanded = render::expandGlob(Arg);
      if (Expanded.empty())
        return makeError("no file or folder matches '%s'", Arg.c_str());
    }
    for (const std::string &P : Expanded) {
      if (P != "-" && !fs::exists(P))
        return makeError("cannot read '%s': no such file or folder", P.c_str());
      if (P != "-" && fs::is_directory(P)) {
        if (llvm::Error E = Tree.walk(P))
          return std::move(E);
        continue;
      }
      Target T;
      T.Path = P;
      T.Kind = render::detectTarget(P);
      T.Kustomize.KustomizeBin = Options.KustomizeBin;
      Tree.add(std::move(T));
    }
  }
  return Out;
}

} // namespace saguard::cli
