//===- Limits.h - GitHub code scanning upload limits ------------*- C++ -*-===//
#pragma once

#include "sarif/SarifLog.h"

#include <cstddef>
#include <string>
#include <vector>

namespace sarif {
namespace github {

// GitHub rejects the whole file when one of these is exceeded
// (github/docs data/reusables/code-scanning/sarif-limits.md).

/// Runs per uploaded file.
inline constexpr std::size_t MaxRuns = 20;
/// Results per run; only the 5,000 most severe are shown.
inline constexpr std::size_t MaxResultsPerRun = 25'000;
/// Rules per run.
inline constexpr std::size_t MaxRulesPerRun = 25'000;
/// `locations` per result; only the first is used.
inline constexpr std::size_t MaxLocationsPerResult = 1'000;
/// Thread-flow locations per result, over all its code flows.
inline constexpr std::size_t MaxThreadFlowLocationsPerResult = 10'000;
/// Tags per rule; 10 are shown.
inline constexpr std::size_t MaxTagsPerRule = 20;
/// Bytes per file after gzip compression.
inline constexpr std::size_t MaxGzippedBytes = 10 * 1024 * 1024;

} // namespace github

/// Returns one message per GitHub limit that Runs exceed. SerializedBytes is the size of the
/// uncompressed log: this library has no zlib, so it is an upper bound of the gzipped size and
/// only a log larger than github::MaxGzippedBytes uncompressed is reported, as one that may be
/// rejected.
std::vector<std::string> checkGithubLimits(const std::vector<Run> &Runs,
                                           std::size_t SerializedBytes);

/// Which of the results whose levels are Levels (in order) a run of at most Max keeps: all of
/// them in order when they fit, else the Max most severe, errors first and stable among equals.
std::vector<std::size_t> mostSevereResults(const std::vector<Level> &Levels, std::size_t Max);
/// The notification of a run that left Dropped less severe results out to stay within Max.
Notification truncationNotice(std::size_t Dropped, std::size_t Max);

/// Keeps the Max most severe results of R (by level; stable among equals, so the kept ones come
/// errors first) and adds a notification saying how many were left out. Returns that number.
std::size_t truncateResults(Run &R, std::size_t Max = github::MaxResultsPerRun);

} // namespace sarif
