//===- TokenGrantsDangerousAccessRule.cpp - SA005 -------------------------===//
#include "saguard/analysis/Permissions.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <unordered_map>

namespace saguard::analysis {
namespace {

/// SA005: a Pod's token is available and grants reaching its account allow dangerous
/// permissions. One finding per workload, naming every dangerous permission once (the worst
/// first), with each grant path as its own code flow: the count grows with workloads, never with
/// workloads x paths (a group binding to `system:serviceaccounts` reaches every account).
class TokenGrantsDangerousAccessRule : public Rule {
public:
  model::ModelParts reads() const override {
    return {model::ModelPart::PodSpecs, model::ModelPart::Accounts, model::ModelPart::Roles,
            model::ModelPart::Bindings};
  }
  void check(const AnalysisContext &Ctx, FindingSink &Out) const override {
    // Workloads sharing an account share its grants: judge each account once.
    std::unordered_map<std::string, AccountDangers> ByAccount;
    for (const model::Object *W : Ctx.Idx.workloads()) {
      if (!tokenAvailable(Ctx, *W))
        continue;
      const model::PodSpec &Pod = *W->Pod;
      auto [It, Inserted] =
          ByAccount.try_emplace(model::namespacedName(W->Ref.Namespace, Pod.accountName()));
      AccountDangers &A = It->second;
      if (Inserted) {
        for (GrantSummary &S : summarizeGrants(Ctx, W->Ref.Namespace, Pod.accountName()))
          if (!S.Dangers.empty())
            A.Paths.push_back(std::move(S));
        A.Dangers = tokenDangers(A.Paths);
      }
      if (A.Dangers.empty())
        continue;
      report(Ctx, *W, A, Out);
    }
  }

private:
  struct AccountDangers {
    /// The grants with a dangerous permission, in binding order.
    std::vector<GrantSummary> Paths;
    std::vector<TokenDanger> Dangers;
  };

  static constexpr size_t MaxPathsNamed = 3;

  static void report(const AnalysisContext &Ctx, const model::Object &W, const AccountDangers &A,
                     FindingSink &Out) {
    const model::PodSpec &Pod = *W.Pod;
    std::vector<std::string> Permissions;
    bool AllNamed = true;
    double Severity = 0;
    for (const TokenDanger &D : A.Dangers) {
      Permissions.push_back(D.describe());
      AllNamed &= D.Named;
      Severity = std::max(Severity, D.securitySeverity());
    }
    std::string Clauses;
    for (const std::string &P : Permissions)
      Clauses += (Clauses.empty() ? "" : "; ") + P;
    std::string Through;
    for (size_t I = 0; I < A.Paths.size() && I < MaxPathsNamed; ++I)
      Through += (I ? ", " : "") + pathName(*A.Paths[I].Via);
    if (A.Paths.size() > MaxPathsNamed)
      Through += llvm::formatv(" and {0} more", A.Paths.size() - MaxPathsNamed).str();
    // Limited to named objects (a hook Job patching its own webhook) is worth a look, not an alarm.
    FindingBuilder F =
        Out.report(W, Pod.accountKey(),
                   llvm::formatv("{0} mounts the token of ServiceAccount '{1}', which {2}; granted "
                                 "through {3}",
                                 describeObject(W.Ref), Pod.accountName(), Clauses, Through),
                   AllNamed ? Level::Warning : Out.defaultLevel());
    F.permissions(std::move(Permissions)).securitySeverity(Severity);
    const model::Object *Account = accountOf(Ctx, W);
    std::vector<const RoleRule *> Noted;
    for (const GrantSummary &S : A.Paths) {
      const Grant &G = *S.Via;
      // Each path ends at the first dangerous rule of its role; every dangerous rule is noted.
      F.path();
      for (Note &Step :
           privilegePath(&W, Account, *G.Binding, *G.Subject, *G.Resolved, S.Dangers.front().first))
        F.step(Step.Range, std::move(Step.Message));
      for (const auto &[Rule, Danger] : S.Dangers) {
        if (!Rule->Source || llvm::is_contained(Noted, Rule))
          continue;
        Noted.push_back(Rule);
        F.related(Rule->Rule->Range, "this rule allows " + Danger.What);
      }
    }
  }

  /// `ClusterRoleBinding 'x' (group 'system:serviceaccounts') -> ClusterRole 'y'`.
  static std::string pathName(const Grant &G) {
    std::string Subject = G.Target.Reach == SubjectTarget::Account
                              ? std::string()
                              : " (" + describeSubject(*G.Binding, *G.Subject) + ")";
    return describeObject(G.Binding->Ref) + Subject + " -> " + G.Resolved->describe(true);
  }
};

} // namespace

std::unique_ptr<Rule> createTokenGrantsDangerousAccessRule() {
  return std::make_unique<TokenGrantsDangerousAccessRule>();
}

} // namespace saguard::analysis
