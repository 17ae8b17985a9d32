//===- SourceMapping.cpp - findings from rendered streams to the user's files --===//
#include "SourceMapping.h"

#include "saguard/model/SourceMap.h"

#include "llvm/ADT/StringRef.h"

#include <algorithm>
#include <tuple>

namespace saguard::cli {

namespace {

/// The value of flag Long/Short at Args[I] (`--values x`, `--values=x`, `-f x`, `-fx`), if
/// Args[I] is that flag; I moves past a separate value.
std::optional<std::string> flagValue(const std::vector<std::string> &Args, size_t &I,
                                     llvm::StringRef Long, llvm::StringRef Short = "") {
  llvm::StringRef A = Args[I];
  if (A == Long || (!Short.empty() && A == Short)) {
    if (I + 1 >= Args.size())
      return std::nullopt;
    return Args[++I];
  }
  if (A.consume_front(Long) && A.consume_front("="))
    return A.str();
  if (!Short.empty() && A.consume_front(Short) && !A.empty()) {
    A.consume_front("=");
    return A.str();
  }
  return std::nullopt;
}

} // namespace

std::vector<std::string> helmValuesFiles(const std::vector<std::string> &Args) {
  std::vector<std::string> Files;
  for (size_t I = 0; I < Args.size(); ++I)
    if (std::optional<std::string> V = flagValue(Args, I, "--values", "-f")) {
      // `-f a.yaml,b.yaml` is two files, as helm reads it.
      llvm::SmallVector<llvm::StringRef, 4> Parts;
      llvm::StringRef(*V).split(Parts, ',', -1, /*KeepEmpty=*/false);
      for (llvm::StringRef P : Parts)
        Files.push_back(P.str());
    }
  return Files;
}

std::vector<std::string> helmSetKeys(const std::vector<std::string> &Args) {
  std::vector<std::string> Keys;
  for (size_t I = 0; I < Args.size(); ++I) {
    std::optional<std::string> V;
    for (const char *Flag : {"--set", "--set-string", "--set-json", "--set-file"}) {
      size_t J = I;
      if ((V = flagValue(Args, J, Flag))) {
        I = J;
        break;
      }
    }
    if (!V)
      continue;
    // `a=1,b.c=2`: a comma starts a new key only where the text before `=` names one.
    llvm::SmallVector<llvm::StringRef, 4> Parts;
    llvm::StringRef(*V).split(Parts, ',');
    for (llvm::StringRef P : Parts) {
      auto [Key, Value] = P.split('=');
      if (P.contains('=') && !Key.empty() && !Key.contains(' '))
        Keys.push_back(Key.str());
    }
  }
  return Keys;
}

void mapFindingsToSources(const RunOptions &Options,
                          const std::function<const render::RenderTarget &(size_t)> &RenderedOf,
                          const analysis::Index &Idx, FileTable &Files,
                          std::vector<analysis::Finding> &Findings) {
  model::SourceMap Map(Files);
  std::vector<FileId> RenderedStreams;
  for (size_t I = 0; I < Options.Targets.size(); ++I) {
    const Target &T = Options.Targets[I];
    const render::RenderTarget &R = RenderedOf(I);
    if (T.Kind == render::TargetKind::Helm)
      Map.addHelmChart(
          {T.Path, T.Path, helmValuesFiles(T.Helm.ExtraArgs), helmSetKeys(T.Helm.ExtraArgs)});
    else if (T.Kind == render::TargetKind::Kustomize)
      Map.addKustomize(
          {T.Path, T.Path, [R](std::string_view P) { return render::resolveOriginPath(R, P); }});
  }
  Map.addObjects(Idx.objects());

  for (analysis::Finding &F : Findings) {
    size_t OwnNotes = F.Related.size();
    bool Rendered = false;
    if (std::optional<model::SourceMap::Mapped> M = Map.map(F.Primary, F.KeyPath)) {
      Rendered = true;
      F.Primary = M->Range;
      for (auto &[Range, Message] : M->Related)
        F.Related.push_back({Range, std::move(Message)});
    }
    for (size_t I = 0; I < OwnNotes; ++I)
      if (std::optional<model::SourceMap::Mapped> M = Map.map(F.Related[I].Range))
        F.Related[I].Range = M->Range;
    for (analysis::Note &Step : F.Flow)
      if (std::optional<model::SourceMap::Mapped> M = Map.map(Step.Range))
        Step.Range = M->Range;
    // A fix edits rendered YAML; in a template or a base it would replace the wrong text (a
    // `{{ .Values.x }}` with a literal), so only its key path serves (a Kustomize patch).
    if (Rendered)
      for (analysis::Fix &Fx : F.Fixes)
        Fx.InRender = true;
  }

  auto Less = [&Files](const analysis::Finding &A, const analysis::Finding &B) {
    const std::string &PathA = Files.path(A.Primary.File);
    const std::string &PathB = Files.path(B.Primary.File);
    if (PathA != PathB)
      return PathA < PathB;
    return std::forward_as_tuple(A.Primary.Begin.Line, A.Primary.Begin.Column, A.RuleId,
                                 A.Object.Kind, A.Object.Namespace, A.Object.Name, A.Message) <
           std::forward_as_tuple(B.Primary.Begin.Line, B.Primary.Begin.Column, B.RuleId,
                                 B.Object.Kind, B.Object.Namespace, B.Object.Name, B.Message);
  };
  std::stable_sort(Findings.begin(), Findings.end(), Less);
}

} // namespace saguard::cli
