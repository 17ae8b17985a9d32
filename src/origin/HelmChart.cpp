//===- HelmChart.cpp - a chart tree: subcharts, defines, Chart.yaml ---------------------------===//
#include "HelmChart.h"

#include "TemplateText.h"
#include "YamlIndex.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <map>
#include <algorithm>

namespace saguard::origin {


namespace fs = llvm::sys::fs;

namespace {

/// The dependency entries of a Chart.yaml: (name, alias, position of the entry).
struct Dependency {
  std::string Name, Alias;
  SourcePos Pos;
};

struct ChartYaml {
  std::string Name;
  std::vector<Dependency> Dependencies;
};

std::optional<ChartYaml> readChartYaml(const std::string &Dir) {
  std::optional<std::string> Text = readText(joinPath(Dir, "Chart.yaml"));
  if (!Text)
    return std::nullopt;
  TextFile File(std::move(*Text));
  std::vector<YamlDoc> Docs = flattenYaml(File);
  if (Docs.empty())
    return std::nullopt;
  ChartYaml C;
  C.Name = Docs[0].scalar("name");
  for (unsigned I = 0;; ++I) {
    std::string Entry = "dependencies." + std::to_string(I);
    const YamlEntry *E = Docs[0].find(Entry);
    if (!E)
      break;
    C.Dependencies.push_back(
        {Docs[0].scalar(Entry + ".name"), Docs[0].scalar(Entry + ".alias"), E->Pos});
  }
  return C;
}

} // namespace

std::pair<const ChartNode *, std::string> sourceFile(const HelmChart &Chart, StringRef HelmSource) {
  // `<chart>/charts/<sub>/.../templates/<file>`: follow the subchart names from the root.
  llvm::SmallVector<StringRef, 8> Parts;
  HelmSource.split(Parts, '/');
  const ChartNode *Node = &Chart.Nodes[0];
  size_t I = 1;
  while (I + 1 < Parts.size() && Parts[I] == "charts") {
    auto It = Node->Children.find(Parts[I + 1].str());
    if (It == Node->Children.end())
      break;
    Node = &Chart.Nodes[It->second];
    I += 2;
  }
  if (Node->Dir.empty() || I >= Parts.size())
    return {Node, ""};
  std::string Rest;
  for (size_t J = I; J < Parts.size(); ++J)
    Rest += (J == I ? "" : "/") + Parts[J].str();
  return {Node, joinPath(Node->Dir, Rest)};
}

void buildChartTree(HelmChart &Chart, size_t Index, unsigned Depth) {
  std::string Dir = Chart.Nodes[Index].Dir;
  std::optional<ChartYaml> Yaml = readChartYaml(Dir);
  if (!Yaml || Depth > MaxTreeDepth)
    return;
  std::error_code EC;
  std::vector<std::pair<std::string, std::string>> SubDirs; // chart name, directory
  for (fs::directory_iterator It(joinPath(Dir, "charts"), EC), End; It != End && !EC;
       It.increment(EC)) {
    std::optional<ChartYaml> Sub = readChartYaml(It->path());
    if (Sub && !Sub->Name.empty())
      SubDirs.push_back({Sub->Name, It->path()});
  }
  std::sort(SubDirs.begin(), SubDirs.end());
  auto AddChild = [&](const std::string &SourceName, const std::string &SubDir,
                      const Dependency *Declared) {
    if (Chart.Nodes[Index].Children.count(SourceName))
      return;
    ChartNode Node;
    Node.Dir = SubDir;
    Node.ValuesPrefix = Chart.Nodes[Index].ValuesPrefix;
    Node.ValuesPrefix.push_back(SourceName);
    if (Declared) {
      Node.DeclaredIn = joinPath(Dir, "Chart.yaml");
      Node.DeclaredAt = Declared->Pos;
    }
    Chart.Nodes.push_back(std::move(Node));
    size_t Child = Chart.Nodes.size() - 1;
    Chart.Nodes[Index].Children[SourceName] = Child;
    if (!SubDir.empty())
      buildChartTree(Chart, Child, Depth + 1);
  };
  for (const Dependency &D : Yaml->Dependencies) {
    std::string SourceName = D.Alias.empty() ? D.Name : D.Alias;
    auto It = std::find_if(SubDirs.begin(), SubDirs.end(),
                           [&](const auto &S) { return S.first == D.Name; });
    // A dependency without a directory is a packaged .tgz (or not fetched): no files to show.
    AddChild(SourceName, It == SubDirs.end() ? std::string() : It->second, &D);
  }
  for (const auto &[Name, SubDir] : SubDirs)
    AddChild(Name, SubDir, nullptr);
}

void collectDefines(const std::string &Dir, std::map<std::string, DefineLoc> &Out) {
  std::error_code EC;
  for (fs::recursive_directory_iterator It(joinPath(Dir, "templates"), EC), End; It != End && !EC;
       It.increment(EC)) {
    StringRef P = It->path();
    if (!P.endswith(".tpl") && !P.endswith(".yaml") && !P.endswith(".yml"))
      continue;
    std::optional<std::string> Text = readText(P.str());
    if (!Text || !StringRef(*Text).contains("define"))
      continue;
    TextFile File(std::move(*Text));
    std::optional<std::string> Current;
    size_t Begin = 0;
    int Depth = 0;
    for (size_t I = 0; I < File.Lines.size(); ++I) {
      for (StringRef A : actionsOf(File.Lines[I])) {
        if (!Current) {
          if (std::optional<std::string> Name = quotedArg(A, "define")) {
            Current = *Name;
            Begin = I;
            Depth = 0;
          }
          continue;
        }
        if (opensBlock(A))
          ++Depth;
        else if (A == "end" && Depth-- == 0) {
          Out.emplace(*Current, DefineLoc{P.str(), Begin, I});
          Current.reset();
        }
      }
    }
  }
}

} // namespace saguard::origin
