//===- SharedServiceAccountRule.cpp - SA006 -------------------------------===//
#include "saguard/analysis/Rule.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <map>

namespace saguard::analysis {
namespace {

/// SA006: two or more Pod-bearing objects of one namespace run as the same non-default account,
/// at least two of them get its token, and a binding reaches the account. Reported on each one
/// that has the token: any of them can use what the account was granted for the others. Helm hook
/// objects (a certificate job that creates, then one that patches) run one after the other by
/// design, so a hook sharing only with other hooks does not count.
class SharedServiceAccountRule : public Rule {
public:
  model::ModelParts reads() const override {
    return {model::ModelPart::PodSpecs, model::ModelPart::Accounts, model::ModelPart::Roles,
            model::ModelPart::Bindings};
  }
  void check(const AnalysisContext &Ctx, FindingSink &Out) const override {
    // Keyed by namespace and account; the vectors keep input order.
    std::map<std::pair<std::string, std::string>, std::vector<const model::Object *>> Sharing;
    for (const model::Object *W : Ctx.Idx.workloads())
      if (W->Pod->accountName() != "default" && tokenAvailable(Ctx, *W))
        Sharing[{W->Ref.Namespace, W->Pod->accountName()}].push_back(W);
    for (const auto &[Key, Workloads] : Sharing) {
      const auto &[Namespace, Account] = Key;
      if (Workloads.size() < 2 || !Ctx.rbac().isBound(Namespace, Account))
        continue;
      std::string Roles = rolesOf(Ctx, Namespace, Account);
      for (const model::Object *W : Workloads) {
        std::vector<const model::Object *> Sharing;
        for (const model::Object *Other : Workloads)
          if (Other != W && !(isHelmHook(*W) && isHelmHook(*Other)))
            Sharing.push_back(Other);
        if (Sharing.empty())
          continue;
        std::vector<std::string> Others;
        for (const model::Object *Other : Sharing)
          Others.push_back(describeObject(Other->Ref));
        FindingBuilder F = Out.report(
            *W, W->Pod->accountKey(),
            llvm::formatv("{0} shares ServiceAccount '{1}' and its token with {2}; each of them "
                          "holds what the account is granted ({3})",
                          describeObject(W->Ref), Account, listed(Others), Roles));
        for (const model::Object *Other : Sharing)
          if (Other->Pod->accountKey().Range.isValid())
            F.related(Other->Pod->accountKey().Range,
                      describeObject(Other->Ref) + " runs as the same account");
      }
    }
  }

private:
  static constexpr size_t MaxListed = 4;

  static std::string listed(const std::vector<std::string> &Items) {
    std::string Out;
    for (size_t I = 0; I < Items.size() && I < MaxListed; ++I)
      Out += (I ? ", " : "") + Items[I];
    if (Items.size() > MaxListed)
      Out += llvm::formatv(" and {0} more", Items.size() - MaxListed).str();
    return Out;
  }

  /// The roles bound to the account, e.g. `ClusterRole 'x', Role 'y' in namespace 'z'`.
  static std::string rolesOf(const AnalysisContext &Ctx, std::string_view Namespace,
                             std::string_view Account) {
    std::vector<std::string> Roles;
    for (const Grant *G : Ctx.rbac().grantsTo(Namespace, Account)) {
      std::string Role = G->Resolved->describe(/*WithOrigin=*/true);
      if (!llvm::is_contained(Roles, Role))
        Roles.push_back(std::move(Role));
    }
    return listed(Roles);
  }
};

} // namespace

std::unique_ptr<Rule> createSharedServiceAccountRule() {
  return std::make_unique<SharedServiceAccountRule>();
}

} // namespace saguard::analysis
