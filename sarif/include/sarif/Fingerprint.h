//===- Fingerprint.h - stable result fingerprints ---------------*- C++ -*-===//
#pragma once

#include <string>
#include <string_view>

namespace sarif {

/// The only `partialFingerprints` key GitHub reads.
inline constexpr std::string_view PrimaryLocationLineHashKey = "primaryLocationLineHash";

/// Returns the 64-bit FNV-1a hash of Text as 16 lower-case hex digits. The algorithm is fixed
/// forever: fingerprints are stored in users' alert histories and baselines.
std::string stableHash(std::string_view Text);

/// Returns `<stableHash(SemanticKey)>:1`, the shape of GitHub's own line hashes. Built from a
/// semantic key (rule, object, key path) instead of file text, it survives line moves and keeps
/// apart objects rendered from the same template line.
std::string primaryLocationLineHash(std::string_view SemanticKey);

} // namespace sarif
