//===- Rule.h - the interface of one check ----------------------*- C++ -*-===//
#pragma once

#include "saguard/analysis/Finding.h"
#include "saguard/analysis/Index.h"
#include "saguard/analysis/Rbac.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace saguard::analysis {

/// Run-wide settings the rules read.
struct AnalysisOptions {
  /// What to assume when neither Pod nor ServiceAccount sets automount.
  bool ClusterAutomountDefault = true;
};

/// What a rule sees: the whole indexed set, its RBAC resolution, and the options.
class AnalysisContext {
public:
  /// The RBAC graph is built over Idx the first time a rule asks for it, so a run whose rules
  /// read no bindings never builds it.
  AnalysisContext(const Index &Idx, const AnalysisOptions &Options) : Idx(Idx), Options(Options) {}
  /// With a graph already built over Idx.
  AnalysisContext(const Index &Idx, const RbacGraph &Rbac, const AnalysisOptions &Options)
      : Idx(Idx), Options(Options), Given(&Rbac) {}

  const Index &Idx;
  const AnalysisOptions &Options;
  /// The RBAC resolution of Idx.
  const RbacGraph &rbac() const;

private:
  const RbacGraph *Given = nullptr;
  mutable std::unique_ptr<RbacGraph> Built;
};

/// Where effective automount came from.
enum class AutomountSource { Pod, Account, ClusterDefault };

/// Effective automount, located at the deciding key (invalid for ClusterDefault).
struct EffectiveAutomount : KeyLocation {
  bool Value = true;
  AutomountSource Source = AutomountSource::ClusterDefault;
};

/// Effective automount of Workload's pod: the Pod's field, else its account object's (when in
/// the set and set), else the cluster default.
EffectiveAutomount effectiveAutomount(const AnalysisContext &Ctx, const model::Object &Workload);
/// Token available: effective automount is true or a projected serviceAccountToken volume exists.
bool tokenAvailable(const AnalysisContext &Ctx, const model::Object &Workload);
/// The ServiceAccount object Workload runs as, when the set has it.
const model::Object *accountOf(const AnalysisContext &Ctx, const model::Object &Workload);
/// How messages name an object: `Kind 'name' in namespace 'ns'`, or `Kind 'name'` when
/// cluster-scoped.
std::string describeObject(const model::ObjectRef &Ref);
/// Whether Obj is a Helm hook (`helm.sh/hook` annotation): run by Helm around an install or
/// upgrade, not kept running.
bool isHelmHook(const model::Object &Obj);
/// Whether Obj is a Helm test hook (`helm.sh/hook` lists `test`, `test-success` or
/// `test-failure`): a Pod that lives for seconds when someone runs `helm test`.
bool isHelmTestHook(const model::Object &Obj);

/// Adds notes and fixes to a finding just reported (clang-tidy's DiagnosticBuilder, in small).
class FindingBuilder {
public:
  explicit FindingBuilder(Finding &F) : F(F) {}
  FindingBuilder &related(SourceRange Range, std::string Message);
  /// Adds one step to the current privilege path.
  FindingBuilder &step(SourceRange Range, std::string Message);
  /// Starts a new privilege path (a finding may carry several); the steps that follow belong
  /// to it.
  FindingBuilder &path();
  FindingBuilder &permissions(std::vector<std::string> Listed);
  /// Ranks this finding apart from its rule's table score (e.g. by what a token can do).
  FindingBuilder &securitySeverity(double Score);
  FindingBuilder &fix(std::string Description, SourceRange Range, std::string Replacement,
                      FixKind Kind = FixKind::Replace, std::string KeyPath = "");

private:
  Finding &F;
};

/// Collects the findings of one rule; the rule id, name and level come from the rule table.
/// Findings on an object annotated `saguard.io/ignore` (or on a Pod whose ServiceAccount is)
/// are kept, marked suppressed.
class FindingSink {
public:
  /// SecuritySeverity is the rule's table score, which findings at the rule's level carry.
  FindingSink(std::string RuleId, std::string RuleName, Level DefaultLevel,
              double SecuritySeverity, const Index &Idx, std::vector<Finding> &Out)
      : RuleId(std::move(RuleId)), RuleName(std::move(RuleName)), DefaultLevel(DefaultLevel),
        SecuritySeverity(SecuritySeverity), Idx(Idx), Out(Out) {}

  /// Reports a finding about Obj at the deciding key Where (a located field of the model); when
  /// Where is absent, the finding is at the pod `spec:`, else at Obj's first line, and still
  /// names Where's path.
  FindingBuilder report(const model::Object &Obj, const KeyLocation &Where, std::string Message);
  /// The level of the rule's table row.
  Level defaultLevel() const { return DefaultLevel; }
  /// The same, at an explicit level (SA011 raises itself to a warning in one case).
  FindingBuilder report(const model::Object &Obj, const KeyLocation &Where, std::string Message,
                        Level Severity);

private:
  std::optional<Suppression> suppressionFor(const model::Object &Obj) const;

  std::string RuleId, RuleName;
  Level DefaultLevel;
  double SecuritySeverity;
  const Index &Idx;
  std::vector<Finding> &Out;
};

/// One check. Implementations live in src/rules/, one class per file, listed in Rules.def.
class Rule {
public:
  virtual ~Rule() = default;
  /// The parts of the model the rule reads; the loader keeps only the objects some enabled
  /// rule reads, so a part left out here is missing from the set the rule sees.
  virtual model::ModelParts reads() const = 0;
  /// Reports findings about the objects of interest; may read the whole set.
  virtual void check(const AnalysisContext &Ctx, FindingSink &Out) const = 0;
};

/// What the analyzer and the reports know of a rule: one row of the rules layer's table
/// (src/rules/Rules.def, see saguard/rules/RuleRegistry.h), plus its help page
/// (docs/rules/SAxxx.md, embedded).
struct RuleInfo {
  std::string_view Id;   ///< SA001
  std::string_view Name; ///< default-sa-token-automount
  Level DefaultLevel;
  std::string_view Summary; ///< one line
  std::string_view Help;    ///< markdown help page
  std::unique_ptr<Rule> (*Create)();
  /// The rule's row of src/rules/SecuritySeverity.def (GitHub's scale); 0 when it has none.
  double SecuritySeverity = 0;
};

} // namespace saguard::analysis
