//===- RoleProposal.cpp - proposed roles as YAML --------------------------===//
#include "saguard/report/RoleProposal.h"

#include "ReportImpl.h"

#include "saguard/support/YamlQuote.h"

namespace saguard::report {
namespace {

void writeList(llvm::raw_ostream &OS, std::string_view Key, const std::vector<std::string> &List,
               bool First) {
  if (List.empty())
    return;
  OS << (First ? "- " : "  ") << Key << ": [";
  for (size_t I = 0; I < List.size(); ++I)
    OS << (I ? ", " : "") << singleQuoted(List[I]);
  OS << "]\n";
}

} // namespace

void writeRoleProposals(const std::vector<analysis::RoleProposal> &Proposals,
                        std::string_view Workload, llvm::raw_ostream &OS) {
  if (Proposals.empty()) {
    OS << "# saguard: no role bound to " << detail::oneLine(Workload)
       << "'s account has a dangerous rule or wildcard to take out\n";
    return;
  }
  for (const analysis::RoleProposal &P : Proposals) {
    OS << "---\n# saguard PROPOSAL, review before use: " << P.Kind << " '"
       << detail::oneLine(P.Name) << "' as " << detail::oneLine(Workload)
       << " would keep it without the dangerous rules (bound by " << detail::oneLine(P.BoundBy)
       << ")\n";
    for (const std::string &R : P.Removed)
      OS << "# removed: " << detail::oneLine(R) << "\n";
    for (const std::string &N : P.Narrowed)
      OS << "# narrowed: " << detail::oneLine(N) << "\n";
    OS << "apiVersion: rbac.authorization.k8s.io/v1\nkind: " << P.Kind
       << "\nmetadata:\n  name: " << singleQuoted(P.Name) << "\n";
    if (!P.Namespace.empty())
      OS << "  namespace: " << singleQuoted(P.Namespace) << "\n";
    if (P.Rules.empty()) {
      OS << "rules: []\n";
      continue;
    }
    OS << "rules:\n";
    for (const analysis::ProposedRule &R : P.Rules) {
      bool First = true;
      for (auto [Key, List] :
           {std::pair{"apiGroups", &R.ApiGroups}, std::pair{"resources", &R.Resources},
            std::pair{"resourceNames", &R.ResourceNames},
            std::pair{"nonResourceURLs", &R.NonResourceURLs}, std::pair{"verbs", &R.Verbs}}) {
        writeList(OS, Key, *List, First);
        First = First && List->empty();
      }
    }
  }
}

} // namespace saguard::report
