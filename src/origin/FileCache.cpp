//===- FileCache.cpp - chart and overlay files read while mapping, each parsed once ----------===//
#include "FileCache.h"

#include "ChartArchive.h"

#include "llvm/ADT/StringExtras.h"

namespace saguard::origin {

namespace {

/// Whether Text has `define "` (a word, blanks, a quote) anywhere, as every `{{ define "x" }}`
/// does: a cheap test that passes CRD schemas, whose descriptions say "defines", unread.
bool mayDefine(StringRef Text) {
  for (size_t At = Text.find("define"); At != StringRef::npos; At = Text.find("define", At + 1)) {
    if (At > 0 && (llvm::isAlnum(Text[At - 1]) || Text[At - 1] == '_'))
      continue;
    StringRef Rest = Text.substr(At + 6);
    if (!Rest.empty() && (Rest.front() == ' ' || Rest.front() == '\t') &&
        Rest.ltrim().startswith("\""))
      return true;
  }
  return false;
}

} // namespace

const TemplateFile *FileCache::templateFile(const std::string &File) const {
  auto It = Templates.find(File);
  if (It != Templates.end())
    return It->second.get();
  std::optional<std::string> Text = templateText(File);
  return Templates.emplace(File, Text ? templateFromText(std::move(*Text)) : nullptr)
      .first->second.get();
}

std::optional<std::string> FileCache::templateText(const std::string &File) const {
  size_t Cut = File.find(ArchiveSeparator);
  if (Cut == std::string::npos)
    return readText(File);
  // A file of a packaged chart: `<archive>!/<member>`.
  const auto *Members = archive(File.substr(0, Cut));
  if (!Members)
    return std::nullopt;
  auto Member = Members->find(File.substr(Cut + 2));
  if (Member == Members->end())
    return std::nullopt;
  return Member->second;
}

const std::map<std::string, std::string> *FileCache::archive(const std::string &Path) const {
  auto It = Archives.find(Path);
  if (It == Archives.end())
    It = Archives.emplace(Path, readChartArchive(Path)).first;
  return It->second ? &*It->second : nullptr;
}

const YamlFile *FileCache::yamlFile(const std::string &File) const {
  auto It = YamlFiles.find(File);
  if (It != YamlFiles.end())
    return It->second.get();
  // An overlay's tree names its files by absolute path, origin annotations resolve to paths
  // relative to the working directory: the same file, read once.
  std::string Absolute = absolutePath(File);
  if (auto Same = YamlFiles.find(Absolute); Same != YamlFiles.end() && Absolute != File)
    return YamlFiles.emplace(File, Same->second).first->second.get();
  std::shared_ptr<YamlFile> Y;
  if (std::optional<std::string> Text = readText(File)) {
    Y = std::make_shared<YamlFile>();
    Y->Text = std::make_unique<TextFile>(std::move(*Text));
    Y->Docs = flattenYaml(*Y->Text);
  }
  return YamlFiles.emplace(File, std::move(Y)).first->second.get();
}

std::vector<std::string> FileCache::templatesOf(const ChartNode &Node) const {
  if (!Node.Dir.empty())
    return templateFiles(Node.Dir);
  std::vector<std::string> Files;
  if (const auto *Members = Node.Archive.empty() ? nullptr : archive(Node.Archive))
    for (const auto &Member : *Members)
      if (StringRef(Member.first).startswith(Node.ArchiveRoot + "/templates/"))
        Files.push_back(Node.Archive + ArchiveSeparator + Member.first);
  return Files;
}

const DefineLoc *FileCache::define(const HelmChart &Chart, const std::string &Name) const {
  if (!Chart.Defines) {
    auto &Defines = Chart.Defines.emplace();
    // Only files that define something are kept: most templates are never asked for.
    for (const ChartNode &N : Chart.Nodes)
      for (const std::string &File : templatesOf(N))
        if (std::optional<std::string> Text = templateText(File); Text && mayDefine(*Text))
          if (const TemplateFile *T = templateFile(File))
            collectDefinesIn(File, *T->Text, Defines);
  }
  auto It = Chart.Defines->find(Name);
  return It == Chart.Defines->end() ? nullptr : &It->second;
}

bool FileCache::templateDrawsNames(const HelmChart &Chart, const std::string &File) const {
  auto [It, New] = Chart.DrawsNames.try_emplace(File, false);
  if (New) {
    const TemplateFile *T = templateFile(File);
    std::set<std::string> Helpers;
    It->second = T && drawsNames(Chart, *T, 0, T->Text->Lines.size(), Helpers);
  }
  return It->second;
}

void FileCache::merge(FileCache &&Other) {
  Templates.merge(Other.Templates);
  YamlFiles.merge(Other.YamlFiles);
  Archives.merge(Other.Archives);
}

} // namespace saguard::origin
