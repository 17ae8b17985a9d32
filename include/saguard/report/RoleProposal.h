//===- RoleProposal.h - proposed roles as YAML ------------------*- C++ -*-===//
#pragma once

#include "saguard/analysis/RoleProposal.h"

#include "llvm/Support/raw_ostream.h"

#include <string_view>

namespace saguard::report {

/// Proposals as YAML documents a user can start from, each headed by comments that mark it as a
/// proposal for Workload and say what was removed or narrowed and why; a comment alone when
/// there is nothing to propose.
void writeRoleProposals(const std::vector<analysis::RoleProposal> &Proposals,
                        std::string_view Workload, llvm::raw_ostream &OS);

} // namespace saguard::report
