//===- Json.h - checked access to parsed SARIF (internal) -------*- C++ -*-===//
#pragma once

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <string>

namespace sarif {

/// Follows Keys through nested objects; nullptr when a key is missing or a value is no object.
const nlohmann::json *lookup(const nlohmann::json &J, std::initializer_list<const char *> Keys);

/// Returns why Log is not a SARIF 2.1.0 log with named tools, or "" when it is one.
std::string checkLogOutline(const nlohmann::json &Log);

/// Returns E's message without nlohmann's "[json.exception.<kind>.<id>] " prefix.
std::string describe(const nlohmann::json::exception &E);

/// Returns "runs[RunIndex].results[ResultIndex]", for error messages.
std::string resultPath(std::size_t RunIndex, std::size_t ResultIndex);

} // namespace sarif
