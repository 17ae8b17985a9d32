//===- MergeReports.h - joining SARIF reports of several runs ---*- C++ -*-===//
#pragma once

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace saguard::report {

/// Reads the SARIF logs at Paths and returns them merged into one, serialised (`saguard merge`):
/// runs of one tool and `automationDetails.id` (all `--shard` runs) are combined into one run,
/// as GitHub code scanning requires (sarif::merge). Errors name the file.
llvm::Expected<std::string> mergeSarifFiles(const std::vector<std::string> &Paths);

} // namespace saguard::report
