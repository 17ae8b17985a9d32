//===- LegacyTokenSecretRule.cpp - SA009 ----------------------------------===//
#include "saguard/analysis/Rule.h"

#include "llvm/Support/FormatVariadic.h"

#include <map>
#include <string>
#include <utility>

namespace saguard::analysis {
namespace {

constexpr const char *TokenSecretType = "kubernetes.io/service-account-token";
/// The annotation through which the token controller ties a token Secret to its account.
constexpr const char *AccountAnnotation = "kubernetes.io/service-account.name";

/// SA009: a long-lived token Secret, and every ServiceAccount that lists one in `secrets:`.
class LegacyTokenSecretRule : public Rule {
public:
  model::ModelParts reads() const override {
    return {model::ModelPart::Accounts, model::ModelPart::TokenSecrets};
  }
  void check(const AnalysisContext &Ctx, FindingSink &Out) const override {
    // Keyed by (namespace, name), so each account entry is one lookup.
    std::map<std::pair<std::string, std::string>, const model::Object *> TokenSecrets;
    for (const model::Object &O : Ctx.Idx.objects()) {
      if (!O.Secret || O.Secret->Type.valueOr("") != TokenSecretType)
        continue;
      TokenSecrets.emplace(std::make_pair(O.Ref.Namespace, O.Ref.Name), &O);
      FindingBuilder B = Out.report(
          O, O.Secret->Type,
          llvm::formatv("{0} holds a long-lived ServiceAccount token that never expires (type "
                        "{1})",
                        describeObject(O.Ref), TokenSecretType));
      std::string Owner = O.annotation(AccountAnnotation);
      if (const model::Object *Account = Ctx.Idx.serviceAccount(O.Ref.Namespace, Owner))
        B.related(Account->Range,
                  llvm::formatv("the token belongs to ServiceAccount '{0}'", Owner));
    }
    for (const model::Object &O : Ctx.Idx.objects()) {
      if (!O.Account)
        continue;
      for (const Located<std::string> &Secret : O.Account->Secrets) {
        auto It = TokenSecrets.find({O.Ref.Namespace, *Secret});
        if (It == TokenSecrets.end())
          continue;
        Out.report(O, Secret,
                   llvm::formatv("{0} lists the long-lived token Secret '{1}' in secrets",
                                 describeObject(O.Ref), *Secret))
            .related(It->second->Secret->Type.Range,
                     llvm::formatv("Secret '{0}' is of type {1}", *Secret, TokenSecretType));
      }
    }
  }
};

} // namespace

std::unique_ptr<Rule> createLegacyTokenSecretRule() {
  return std::make_unique<LegacyTokenSecretRule>();
}

} // namespace saguard::analysis
