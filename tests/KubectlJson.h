//===- KubectlJson.h - a YAML fixture's twin as kubectl writes JSON -*- C++ -*-===//
#pragma once

#include <optional>
#include <string>

namespace saguard::test {

/// The documents of a YAML stream as `kubectl get -o json` writes them: one document as a
/// pretty-printed object (four spaces, one key a line, keys in their YAML order), several as a
/// `kind: List` of items (a List among them contributes its items). Plain scalars take the types
/// Kubernetes' YAML reader gives them (YAML 1.1 booleans, integers); a null or empty value is left
/// out, as kubectl leaves out empty fields. None when the stream
/// holds what JSON has no twin for (anchors and aliases, merge keys, tags other than !!str) or
/// does not parse.
std::optional<std::string> kubectlJsonTwin(const std::string &Yaml);

} // namespace saguard::test
