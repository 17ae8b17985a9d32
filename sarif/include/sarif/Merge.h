//===- Merge.h - merging SARIF logs -----------------------------*- C++ -*-===//
#pragma once

#include "sarif/Reader.h"

#include <nlohmann/json.hpp>

#include <vector>

namespace sarif {

/// Merges parsed logs into one whose runs are those of Logs, in order. Runs that GitHub would take
/// for the same analysis (equal tool.driver name, fullName, version, semanticVersion and guid,
/// and equal automationDetails.id) are combined into the first of them, since code scanning
/// rejects a file with two such runs: results, invocations and originalUriBaseIds are
/// concatenated, rules are united by id (the first definition wins) and every ruleIndex is
/// renumbered. Errors name the input as "log #N" (1-based).
OrError<nlohmann::json> merge(const std::vector<nlohmann::json> &Logs);

} // namespace sarif
