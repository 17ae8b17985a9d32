//===- TargetDiscovery.cpp - the charts, overlays and manifests of a tree -===//
#include "TargetDiscovery.h"

#include "saguard/render/TreeWalk.h"
#include "saguard/support/Error.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLParser.h"

#include <map>
#include <set>

namespace saguard::cli {

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

namespace {

/// Top-level scalars and lists of scalars of a file's first YAML document.
struct TopLevel {
  std::map<std::string, std::string> Scalars;
  std::map<std::string, std::vector<std::string>> Lists;
};

TopLevel readTopLevel(const std::string &File) {
  TopLevel Out;
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Text = llvm::MemoryBuffer::getFile(File);
  if (!Text)
    return Out;
  llvm::SourceMgr SM;
  SM.setDiagHandler([](const llvm::SMDiagnostic &, void *) {});
  llvm::yaml::Stream Stream((*Text)->getBuffer(), SM, /*ShowColors=*/false);
  auto Doc = Stream.begin();
  if (Doc == Stream.end())
    return Out;
  auto *Map = llvm::dyn_cast_or_null<llvm::yaml::MappingNode>(Doc->getRoot());
  if (!Map)
    return Out;
  for (llvm::yaml::KeyValueNode &KV : *Map) {
    auto *Key = llvm::dyn_cast_or_null<llvm::yaml::ScalarNode>(KV.getKey());
    if (!Key)
      continue;
    llvm::SmallString<32> KeyStorage, ValueStorage;
    std::string Name = Key->getValue(KeyStorage).str();
    llvm::yaml::Node *Value = KV.getValue();
    if (auto *S = llvm::dyn_cast_or_null<llvm::yaml::ScalarNode>(Value)) {
      Out.Scalars[Name] = S->getValue(ValueStorage).str();
    } else if (auto *Seq = llvm::dyn_cast_or_null<llvm::yaml::SequenceNode>(Value)) {
      std::vector<std::string> &List = Out.Lists[Name];
      for (llvm::yaml::Node &Item : *Seq)
        if (auto *S = llvm::dyn_cast<llvm::yaml::ScalarNode>(&Item)) {
          llvm::SmallString<64> ItemStorage;
          List.push_back(S->getValue(ItemStorage).str());
        }
    }
  }
  return Out;
}

const char *kustomizationFile(const std::vector<std::string> &Files) {
  for (const char *Name : {"kustomization.yaml", "kustomization.yml", "Kustomization"})
    if (std::binary_search(Files.begin(), Files.end(), std::string(Name)))
      return Name;
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
            TopLevel Top = readTopLevel(joinPath(Dir, K));
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
            if (holdsKubernetesObjects(File))
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
    TopLevel Chart = readTopLevel(joinPath(Dir, "Chart.yaml"));
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
        T.Helm.ExtraArgs = {"--values", joinPath(Dir, Set)};
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

bool holdsKubernetesObjects(const std::string &Path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Text = llvm::MemoryBuffer::getFile(Path);
  if (!Text)
    return true; // let reading it say why it cannot be read
  llvm::StringRef Buffer = (*Text)->getBuffer();
  llvm::SourceMgr SM;
  bool Failed = false;
  SM.setDiagHandler([](const llvm::SMDiagnostic &, void *Ctx) { *static_cast<bool *>(Ctx) = true; },
                    &Failed);
  llvm::yaml::Stream Stream(Buffer, SM, /*ShowColors=*/false);
  for (llvm::yaml::Document &Doc : Stream) {
    auto *Map = llvm::dyn_cast_or_null<llvm::yaml::MappingNode>(Doc.getRoot());
    if (!Map)
      continue;
    bool ApiVersion = false, Kind = false;
    for (llvm::yaml::KeyValueNode &KV : *Map) {
      if (auto *Key = llvm::dyn_cast_or_null<llvm::yaml::ScalarNode>(KV.getKey())) {
        llvm::SmallString<16> Storage;
        llvm::StringRef Name = Key->getValue(Storage);
        ApiVersion |= Name == "apiVersion";
        Kind |= Name == "kind";
      }
      if (Failed)
        break;
    }
    if (ApiVersion && Kind)
      return true;
    if (Failed)
      break;
  }
  if (!Failed)
    return false;
  // Broken YAML that still reads like a manifest is one, so its errors are reported.
  return (Buffer.startswith("apiVersion:") || Buffer.contains("\napiVersion:")) &&
         (Buffer.startswith("kind:") || Buffer.contains("\nkind:"));
}

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
