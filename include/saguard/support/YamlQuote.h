//===- YamlQuote.h - any text as a YAML scalar ------------------*- C++ -*-===//
#pragma once

#include <string>
#include <string_view>

namespace saguard {

/// Text as a YAML single-quoted scalar (`'it''s'`): whatever an input put in a name, the YAML
/// saguard writes reads it back unchanged.
inline std::string singleQuoted(std::string_view Text) {
  std::string Out = "'";
  for (char C : Text)
    Out += C == '\'' ? std::string("''") : std::string(1, C);
  return Out + "'";
}

} // namespace saguard
