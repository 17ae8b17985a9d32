//===- Reader.h - reading SARIF logs back -----------------------*- C++ -*-===//
#pragma once

#include "sarif/SarifLog.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sarif {

/// A value or the message saying why there is none. This library stays free of LLVM, and no
/// exception leaves it: JSON errors are caught at its edge and become this Error.
template <typename T> struct OrError {
  std::optional<T> Value;
  std::string Error;

  /// True when Value is set.
  explicit operator bool() const { return Value.has_value(); }
};

/// Parses Text as a SARIF 2.1.0 log and checks its outline (`version`, `runs[].tool.driver.name`).
OrError<nlohmann::json> parseLog(std::string_view Text);

/// Reads and parses the SARIF log in the file at Path; errors name the file.
OrError<nlohmann::json> readLogFile(const std::string &Path);

/// Returns the results of every run of Log with what a baseline needs:
/// rule id, level, message, locations, partial fingerprints and properties.
OrError<std::vector<Result>> readResults(const nlohmann::json &Log);

} // namespace sarif
