//===- Rule.cpp - what every rule shares: automount, sinks, builders ------===//
#include "saguard/analysis/Rule.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/ErrorHandling.h"

#include <algorithm>

namespace saguard::analysis {

std::string_view levelName(Level L) {
  switch (L) {
  case Level::Note:
    return "note";
  case Level::Warning:
    return "warning";
  case Level::Error:
    return "error";
  }
  llvm_unreachable("covered switch");
}

double levelSecuritySeverity(Level L) {
  switch (L) {
  case Level::Note:
    return 2.0;
  case Level::Warning:
    return 5.0;
  case Level::Error:
    return 8.0;
  }
  llvm_unreachable("covered switch");
}

std::optional<Level> parseLevel(std::string_view Name) {
  if (Name == "note")
    return Level::Note;
  if (Name == "warning")
    return Level::Warning;
  if (Name == "error")
    return Level::Error;
  return std::nullopt;
}

const RbacGraph &AnalysisContext::rbac() const {
  if (Given)
    return *Given;
  if (!Built)
    Built = std::make_unique<RbacGraph>(Idx);
  return *Built;
}

const model::Object *accountOf(const AnalysisContext &Ctx, const model::Object &Workload) {
  return Ctx.Idx.serviceAccount(Workload.Ref.Namespace, Workload.Pod->accountName());
}

std::string describeObject(const model::ObjectRef &Ref) {
  std::string Text = Ref.Kind + " '" + Ref.Name + "'";
  if (!Ref.Namespace.empty())
    Text += " in namespace '" + Ref.Namespace + "'";
  return Text;
}

bool isHelmHook(const model::Object &Obj) { return !Obj.annotation("helm.sh/hook").empty(); }

bool isHelmTestHook(const model::Object &Obj) {
  llvm::SmallVector<llvm::StringRef, 4> Hooks;
  std::string List = Obj.annotation("helm.sh/hook");
  llvm::StringRef(List).split(Hooks, ',', -1, false);
  return llvm::any_of(Hooks, [](llvm::StringRef Hook) {
    Hook = Hook.trim();
    return Hook == "test" || Hook == "test-success" || Hook == "test-failure";
  });
}

EffectiveAutomount effectiveAutomount(const AnalysisContext &Ctx, const model::Object &Workload) {
  auto From = [](const Located<bool> &Field, AutomountSource Source) {
    EffectiveAutomount E;
    static_cast<KeyLocation &>(E) = Field;
    E.Value = *Field;
    E.Source = Source;
    return E;
  };
  const Located<bool> &PodField = Workload.Pod->AutomountServiceAccountToken;
  if (PodField.isSet())
    return From(PodField, AutomountSource::Pod);
  if (const model::Object *Account = accountOf(Ctx, Workload)) {
    const Located<bool> &AccountField = Account->Account->AutomountServiceAccountToken;
    if (AccountField.isSet())
      return From(AccountField, AutomountSource::Account);
  }
  EffectiveAutomount E;
  E.Value = Ctx.Options.ClusterAutomountDefault;
  return E;
}

bool tokenAvailable(const AnalysisContext &Ctx, const model::Object &Workload) {
  return effectiveAutomount(Ctx, Workload).Value || !Workload.Pod->ProjectedTokens.empty();
}

FindingBuilder &FindingBuilder::related(SourceRange Range, std::string Message) {
  F.Related.push_back({Range, std::move(Message)});
  return *this;
}

FindingBuilder &FindingBuilder::step(SourceRange Range, std::string Message) {
  F.Flow.push_back({Range, std::move(Message)});
  return *this;
}

FindingBuilder &FindingBuilder::path() {
  if (!F.Flow.empty())
    F.FlowStarts.push_back(F.Flow.size());
  return *this;
}

FindingBuilder &FindingBuilder::securitySeverity(double Score) {
  F.SecuritySeverity = Score;
  return *this;
}

FindingBuilder &FindingBuilder::permissions(std::vector<std::string> Listed) {
  F.Permissions = std::move(Listed);
  return *this;
}

std::vector<std::span<const Note>> flowPaths(const Finding &F) {
  std::vector<std::span<const Note>> Paths;
  std::span<const Note> All(F.Flow);
  size_t Begin = 0;
  for (size_t Start : F.FlowStarts) {
    if (Start > Begin && Start <= All.size())
      Paths.push_back(All.subspan(Begin, Start - Begin));
    Begin = std::max(Begin, Start);
  }
  if (Begin < All.size())
    Paths.push_back(All.subspan(Begin));
  return Paths;
}

FindingBuilder &FindingBuilder::fix(std::string Description, SourceRange Range,
                                    std::string Replacement, FixKind Kind,
                                    std::string KeyPath) {
  F.Fixes.push_back(
      {std::move(Description), Range, std::move(Replacement), Kind, std::move(KeyPath)});
  return *this;
}

/// Whether the comma-separated list in an ignore annotation names this rule.
static bool ignoreListNames(llvm::StringRef List, llvm::StringRef Id, llvm::StringRef Name) {
  llvm::SmallVector<llvm::StringRef, 8> Items;
  List.split(Items, ',', -1, false);
  for (llvm::StringRef Item : Items) {
    Item = Item.trim();
    if (Item.equals_insensitive("all") || Item.equals_insensitive(Id) || Item == Name)
      return true;
  }
  return false;
}

std::optional<Suppression> FindingSink::suppressionFor(const model::Object &Obj) const {
  auto Check = [&](const model::Object &Annotated) -> std::optional<Suppression> {
    std::string List = Annotated.annotation("saguard.io/ignore");
    if (List.empty() || !ignoreListNames(List, RuleId, RuleName))
      return std::nullopt;
    std::string Reason = Annotated.annotation("saguard.io/ignore-reason");
    if (Reason.empty())
      Reason = "saguard.io/ignore on " + Annotated.Ref.qualifiedName();
    return Suppression{std::move(Reason)};
  };
  if (auto S = Check(Obj))
    return S;
  // An account's annotation covers the findings about the Pods that run as it.
  if (Obj.Pod)
    if (const model::Object *Account =
            Idx.serviceAccount(Obj.Ref.Namespace, Obj.Pod->accountName()))
      return Check(*Account);
  return std::nullopt;
}

FindingBuilder FindingSink::report(const model::Object &Obj, const KeyLocation &Where,
                                   std::string Message) {
  return report(Obj, Where, std::move(Message), DefaultLevel);
}

FindingBuilder FindingSink::report(const model::Object &Obj, const KeyLocation &Where,
                                   std::string Message, Level Severity) {
  Finding F;
  F.RuleId = RuleId;
  F.RuleName = RuleName;
  F.Severity = Severity;
  // A finding at its rule's level carries the rule's score; one the rule lowered (or raised)
  // ranks as its level does, so a note is never more than low.
  F.SecuritySeverity = Severity == DefaultLevel && SecuritySeverity > 0
                           ? SecuritySeverity
                           : levelSecuritySeverity(Severity);
  F.Message = std::move(Message);
  F.Object = Obj.Ref;
  // Where the user edits: the deciding key, else the pod `spec:`, else the object's first line.
  if (Where.Range.isValid())
    F.Primary = Where.Range;
  else if (Obj.Pod && Obj.Pod->SpecKey.Range.isValid())
    F.Primary = Obj.Pod->SpecKey.Range;
  else
    F.Primary = Obj.Range;
  F.KeyPath = std::string(Where.Path.str());
  F.Target = Obj.Target;
  F.Source = Obj.source();
  F.Suppressed = suppressionFor(Obj);
  Out.push_back(std::move(F));
  return FindingBuilder(Out.back());
}

} // namespace saguard::analysis
