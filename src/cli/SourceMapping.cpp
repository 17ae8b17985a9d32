//===- SourceMapping.cpp - findings from rendered streams to the user's files --===//
#include "SourceMapping.h"

#include "saguard/origin/SourceMap.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringRef.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <thread>
#include <tuple>

#include <pthread.h>
#include <sched.h>

namespace saguard::cli {

struct SourceReading::State {
  explicit State(origin::SourceTree Tree) : Tree(std::move(Tree)) {}
  origin::SourceTree Tree;
  std::atomic<bool> Stop{false};
  std::thread Reader;
  bool Hurried = false;
};

SourceReading::SourceReading() = default;
SourceReading::~SourceReading() { finish(); }
SourceReading::SourceReading(SourceReading &&) noexcept = default;

void SourceReading::start(const Target &T, const render::RenderTarget &R) {
  finish();
  std::optional<origin::SourceTree> Tree;
  if (T.Kind == render::TargetKind::Helm)
    Tree = origin::SourceTree::helm(
        {T.Path, T.Path, T.Helm.ValuesFiles, helmSetKeys(T.Helm.Sets)});
  else if (T.Kind == render::TargetKind::Manifests && !T.Helm.Chart.empty())
    Tree = origin::SourceTree::helm({T.Path, T.Helm.Chart, {}, {}}); // `helm template | scan -`
  else if (T.Kind == render::TargetKind::Kustomize)
    Tree = origin::SourceTree::kustomize(
        {T.Path, T.Path, [R](std::string_view P) { return render::resolveOriginPath(R, P); }});
  if (!Tree)
    return;
  S = std::make_unique<State>(std::move(*Tree));
  S->Reader = std::thread([Reading = S.get()] { Reading->Tree.readAhead(Reading->Stop); });
  // Idle time only: on a busy machine the renderer comes first, and what the reading has not
  // reached when mapping starts is read then, as without it. Set here, not by the reader, so
  // that a hurry() coming at once is not undone.
  sched_param Param{};
  pthread_setschedparam(S->Reader.native_handle(), SCHED_IDLE, &Param);
}

void SourceReading::hurry() {
  if (!S || S->Hurried)
    return;
  // At idle priority a busy machine (another build, another render) would leave the reader
  // without a core for as long as it is busy, and a run waiting for it idle with it.
  sched_param Param{};
  pthread_setschedparam(S->Reader.native_handle(), SCHED_OTHER, &Param);
  S->Hurried = true;
}

std::optional<origin::SourceTree> SourceReading::finish() {
  if (!S)
    return std::nullopt;
  hurry();
  S->Stop = true;
  S->Reader.join();
  std::optional<origin::SourceTree> Tree = std::move(S->Tree);
  S.reset();
  return Tree;
}

std::vector<std::string> helmSetKeys(const std::vector<std::pair<std::string, std::string>> &Sets) {
  std::vector<std::string> Keys;
  for (const auto &[Flag, Value] : Sets) {
    // `a=1,b.c=2`: a comma starts a new key only where the text before `=` names one.
    llvm::SmallVector<llvm::StringRef, 4> Parts;
    llvm::StringRef(Value).split(Parts, ',');
    for (llvm::StringRef P : Parts) {
      auto [Key, Rest] = P.split('=');
      if (P.contains('=') && !Key.empty() && !Key.contains(' '))
        Keys.push_back(Key.str());
    }
  }
  return Keys;
}

void mapFindingsToSources(const RunOptions &Options,
                          const std::function<RenderedTarget &(size_t)> &RenderedOf,
                          const analysis::Index &Idx, FileTable &Files,
                          std::vector<analysis::Finding> &Findings,
                          llvm::MutableArrayRef<ToolNotification> Errors) {
  auto Held = std::make_shared<origin::SourceMap>(Files);
  origin::SourceMap &Map = *Held;
  auto Leave = llvm::make_scope_exit([&] { leaveToExit(Options, std::move(Held)); });
  std::vector<FileId> RenderedStreams;
  for (size_t I = 0; I < Options.Targets.size(); ++I)
    if (std::optional<origin::SourceTree> &Tree = RenderedOf(I).Sources) {
      Map.add(std::move(*Tree));
      Tree.reset();
    }
  Map.addObjects(Idx.objects());
  for (ToolNotification &E : Errors) {
    if (E.Range.File == 0) {
      if (std::optional<SourceRange> At = Map.helmError(E.Target, E.Message))
        E.Range = *At;
    } else if (!E.HelmSource.empty() &&
               (Files.isRendered(E.Range.File) || !Options.KeepRenderDir.empty())) {
      // A document helm rendered but saguard cannot read: at its template, with the position
      // in the stream said.
      if (std::optional<SourceRange> At = Map.helmTemplate(E.Target, E.HelmSource)) {
        E.Message += " (at line " + std::to_string(E.Range.Begin.Line) +
                     " of `helm template` output)";
        E.Range = *At;
      }
    }
  }

  // Fingerprints call an object whose name a render draws by a name that stays.
  std::map<std::tuple<std::string, std::string, std::string, std::string>, std::string> Stable;
  for (const auto &[Obj, Name] : Map.stableNames())
    Stable[{Obj->Target, Obj->Ref.Kind, Obj->Ref.Namespace, Obj->Ref.Name}] = Name;

  for (analysis::Finding &F : Findings) {
    auto It = Stable.find({F.Target, F.Object.Kind, F.Object.Namespace, F.Object.Name});
    if (It != Stable.end())
      F.StableName = It->second;
    size_t OwnNotes = F.Related.size();
    bool Rendered = false;
    if (std::optional<origin::SourceMap::Mapped> M = Map.map(F.Primary, F.KeyPath)) {
      Rendered = true;
      F.Primary = M->Range;
      for (auto &[Range, Message] : M->Related)
        F.Related.push_back({Range, std::move(Message)});
    } else if (F.Source.empty()) {
      // A manifest directory's finding is known by its file there, as a chart's by its template.
      llvm::StringRef File = Files.path(F.Primary.File);
      if (File.consume_front(llvm::StringRef(F.Target).rtrim('/')) && File.consume_front("/"))
        F.Source = File.str();
    }
    for (size_t I = 0; I < OwnNotes; ++I)
      if (std::optional<origin::SourceMap::Mapped> M = Map.map(F.Related[I].Range))
        F.Related[I].Range = M->Range;
    for (analysis::Note &Step : F.Flow)
      if (std::optional<origin::SourceMap::Mapped> M = Map.map(Step.Range))
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
