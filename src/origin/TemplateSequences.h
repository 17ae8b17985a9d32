//===- TemplateSequences.h - the items of a sequence in template text ---------------*- C++ -*-===//
#pragma once

#include "TemplateText.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace saguard::origin {

/// The items of the block sequence below the key on line KeyIndex (`rules:` then `- apiGroups:`
/// lines): [first, last) line indexes, template-only lines between items left out.
std::vector<std::pair<size_t, size_t>> sequenceItems(const TextFile &T, size_t KeyIndex);

/// The `.Values` keys that the template lines of the key on line KeyIndex read (the key's own
/// value and the template-only lines below it): what renders a list written as
/// `{{- toYaml .Values.rules | nindent 2 }}`.
std::vector<std::string> sequenceValuesRefs(const TextFile &T, size_t KeyIndex);

/// The literal scalars an item of a sequence writes, as (key path without list indexes, value):
/// `- apiGroups: [""]` gives ("apiGroups", ""). Values computed by actions are left out.
std::vector<std::pair<std::string, std::string>> itemLiterals(const TextFile &T,
                                                             std::pair<size_t, size_t> Item);

/// The first line of [Begin, End) whose key is Name.
std::optional<size_t> keyInLines(const TextFile &T, size_t Begin, size_t End, StringRef Name);

} // namespace saguard::origin
