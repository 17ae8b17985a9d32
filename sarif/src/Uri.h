//===- Uri.h - file paths to SARIF artifact URIs (internal) -----*- C++ -*-===//
#pragma once

#include <string>
#include <string_view>

namespace sarif {

/// True when S starts with `scheme://`, i.e. is a URI rather than a path.
bool hasScheme(std::string_view S);

/// Turns a PhysicalLocation::Uri into the `artifactLocation.uri` to write: URIs unchanged,
/// absolute paths as `file://` URIs, relative paths normalised ("./a//b" -> "a/b"); paths are
/// percent-encoded. An empty result means there is no file.
std::string artifactUri(std::string_view PathOrUri);

/// Returns the `file://` URI of an absolute directory, with the trailing slash SARIF requires.
std::string directoryUri(std::string_view AbsoluteDir);

/// Undoes the percent-encoding of artifactUri for relative URIs, so a read result writes back
/// unchanged; URIs with a scheme are returned as they are.
std::string uriToPath(std::string_view Uri);

} // namespace sarif
