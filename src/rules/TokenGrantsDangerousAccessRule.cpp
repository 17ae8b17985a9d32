//===- TokenGrantsDangerousAccessRule.cpp - SA005 -------------------------===//
#include "saguard/analysis/Permissions.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"

namespace saguard::analysis {
namespace {

/// SA005: a Pod's token is available and a grant reaching its account allows a dangerous
/// permission. One finding per workload and grant path (binding subject -> role), listing what the
/// path allows, so that a cluster-admin binding gives one finding, not one per permission.
class TokenGrantsDangerousAccessRule : public Rule {
public:
  void check(const AnalysisContext &Ctx, FindingSink &Out) const override {
    for (const model::Object *W : Ctx.Idx.workloads()) {
      if (!tokenAvailable(Ctx, *W))
        continue;
      const model::PodSpec &Pod = *W->Pod;
      const model::Object *Account = accountOf(Ctx, *W);
      for (const GrantSummary &S : summarizeGrants(Ctx, W->Ref.Namespace, Pod.accountName())) {
        if (S.Dangers.empty())
          continue;
        const Grant &G = *S.Via;
        FindingBuilder F =
            Out.report(*W, Pod.accountRange(), accountKeyPath(Pod), message(*W, G, S.Dangers));
        const RoleRule *First = S.Dangers.front().first;
        for (Note &Step : privilegePath(W, Account, *G.Binding, *G.Subject, *G.Resolved, First))
          F.step(Step.Range, std::move(Step.Message));
        F.related(G.Binding->Range, llvm::formatv("{0} grants {1}", describeObject(G.Binding->Ref),
                                                  G.Resolved->describe(/*WithOrigin=*/true)));
        if (G.Resolved->Object)
          F.related(G.Resolved->Object->Range, G.Resolved->describe() + " is defined here");
        // The path ends at the first dangerous rule; the others are pointed at as notes.
        std::vector<const RoleRule *> Noted = {First};
        for (const auto &[Rule, Danger] : S.Dangers) {
          if (!Rule->Source || llvm::is_contained(Noted, Rule))
            continue;
          Noted.push_back(Rule);
          F.related(Rule->Rule->Range, "this rule also allows " + Danger.What);
        }
      }
    }
  }

private:
  static constexpr size_t MaxListed = 8;

  static std::string
  message(const model::Object &W, const Grant &G,
          const std::vector<std::pair<const RoleRule *, DangerousPermission>> &Dangers) {
    std::vector<std::string> Categories, Whats;
    for (const auto &[Rule, Danger] : Dangers) {
      if (!llvm::is_contained(Categories, Danger.Category))
        Categories.push_back(std::string(Danger.Category));
      if (!llvm::is_contained(Whats, Danger.What))
        Whats.push_back(Danger.What);
    }
    std::string Listed;
    for (size_t I = 0; I < Whats.size() && I < MaxListed; ++I)
      Listed += (I ? "; " : "") + Whats[I];
    if (Whats.size() > MaxListed)
      Listed += llvm::formatv("; and {0} more", Whats.size() - MaxListed).str();
    std::string Through = G.Target.Reach == SubjectTarget::Account
                              ? std::string()
                              : " through " + describeSubject(*G.Binding, *G.Subject);
    std::string Scope = G.scopePhrase();
    std::string What = Categories.front();
    for (size_t I = 1; I < Categories.size(); ++I)
      What += (I + 1 == Categories.size() ? " and " : ", ") + Categories[I];
    return llvm::formatv("{0} mounts the token of ServiceAccount '{1}', which can {2}: {3} "
                         "grants {4}{5}{6}: {7}",
                         describeObject(W.Ref), W.Pod->accountName(), What,
                         describeObject(G.Binding->Ref), G.Resolved->describe(true), Through,
                         Scope.empty() ? "" : " " + Scope, Listed);
  }
};

} // namespace

std::unique_ptr<Rule> createTokenGrantsDangerousAccessRule() {
  return std::make_unique<TokenGrantsDangerousAccessRule>();
}

} // namespace saguard::analysis
