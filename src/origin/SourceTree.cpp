//===- SourceTree.cpp - a chart or overlay, its files read on first use or ahead --------------===//
#include "SourceMapImpl.h"

#include "llvm/Support/FileSystem.h"

namespace saguard::origin {

SourceTree::SourceTree(std::unique_ptr<Data> D) : P(std::move(D)) {}
SourceTree::~SourceTree() = default;
SourceTree::SourceTree(SourceTree &&) noexcept = default;
SourceTree &SourceTree::operator=(SourceTree &&) noexcept = default;

SourceTree SourceTree::helm(HelmChartSource Chart) {
  auto D = std::make_unique<Data>();
  HelmChart &C = D->Chart.emplace();
  C.Nodes.emplace_back();
  if (llvm::sys::fs::is_directory(Chart.ChartDir))
    C.Nodes[0].Dir = Chart.ChartDir;
  else
    C.Nodes[0].DeclaredIn = Chart.ChartDir; // a packaged chart: the archive is all there is
  C.Source = std::move(Chart);
  if (!C.Nodes[0].Dir.empty())
    buildChartTree(C, 0, 0);
  return SourceTree(std::move(D));
}

SourceTree SourceTree::kustomize(KustomizeSource Overlay) {
  auto D = std::make_unique<Data>();
  KustomizeTree &Tree = D->Overlay.emplace();
  std::map<std::string, size_t> Seen;
  buildKustomizeTree(Tree, Overlay.OverlayDir, Seen, 0);
  Tree.Reachable.resize(Tree.Nodes.size());
  std::vector<int> State(Tree.Nodes.size(), 0);
  for (size_t I = 0; I < Tree.Nodes.size(); ++I)
    reachable(Tree, I, State);
  Tree.Source = std::move(Overlay);
  return SourceTree(std::move(D));
}

namespace {

/// Whether every column-0 `kind:` of Text names a CRD. The model keeps no CRD, so nothing maps
/// into such a file, and CRDs are often most of a chart's or overlay's bytes: left unread.
bool onlyCrds(StringRef Text) {
  bool Crd = false;
  for (size_t At = Text.find("kind:"); At != StringRef::npos; At = Text.find("kind:", At + 5))
    if (At == 0 || Text[At - 1] == '\n') {
      if (!Text.substr(At).startswith("kind: CustomResourceDefinition"))
        return false;
      Crd = true;
    }
  return Crd;
}

void readChartAhead(const HelmChart &C, const FileCache &Files, const std::atomic<bool> &Stop) {
  // What nearly every finding needs first.
  Files.define(C, "");
  for (const std::string &Values : C.Source.ValuesFiles) {
    if (Stop)
      return;
    Files.yamlFile(Values);
  }
  for (const ChartNode &N : C.Nodes)
    for (const char *Name : {"values.yaml", "Chart.yaml"}) {
      if (Stop)
        return;
      if (!N.Dir.empty())
        Files.yamlFile(joinPath(N.Dir, Name));
    }
  // Each template that may render an object: whether it draws names (asked of every one), and
  // its lines read for the keys mapping places in it.
  for (const ChartNode &N : C.Nodes)
    for (const std::string &File : Files.templatesOf(N)) {
      if (Stop)
        return;
      std::optional<std::string> Text = Files.templateText(File);
      if (!Text || onlyCrds(*Text))
        continue;
      Files.templateDrawsNames(C, File);
      if (const TemplateFile *T = Files.templateFile(File))
        T->info();
    }
}

void readOverlayAhead(const KustomizeTree &Tree, const FileCache &Files,
                      const std::atomic<bool> &Stop) {
  std::vector<std::string> Paths;
  for (const Kustomization &K : Tree.Nodes) {
    if (!K.File.empty())
      Paths.push_back(K.File);
    for (const KustomizePatch &Patch : K.Patches)
      if (!Patch.InlineText)
        Paths.push_back(Patch.File);
  }
  size_t FirstResource = Paths.size();
  for (const Kustomization &K : Tree.Nodes)
    Paths.insert(Paths.end(), K.ResourceFiles.begin(), K.ResourceFiles.end());
  for (size_t I = 0; I < Paths.size(); ++I) {
    if (Stop)
      return;
    // A resource file of CRDs alone is left unread.
    std::optional<std::string> Text = I < FirstResource ? std::nullopt : readText(Paths[I]);
    if (!Text || !onlyCrds(*Text))
      Files.yamlFile(Paths[I]);
  }
}

} // namespace

void SourceTree::readAhead(const std::atomic<bool> &Stop) {
  if (P->Chart)
    readChartAhead(*P->Chart, P->Files, Stop);
  if (P->Overlay)
    readOverlayAhead(*P->Overlay, P->Files, Stop);
}

} // namespace saguard::origin
