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

void readChartAhead(const HelmChart &C, const FileCache &Files, const std::atomic<bool> &Stop) {
  // What nearly every finding needs first; whether names are drawn is asked of every template.
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
  for (const ChartNode &N : C.Nodes)
    for (const std::string &File : Files.templatesOf(N)) {
      if (Stop)
        return;
      Files.templateDrawsNames(C, File);
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
  for (const Kustomization &K : Tree.Nodes)
    Paths.insert(Paths.end(), K.ResourceFiles.begin(), K.ResourceFiles.end());
  for (const std::string &Path : Paths) {
    if (Stop)
      return;
    Files.yamlFile(Path);
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
