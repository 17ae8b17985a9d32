//===- Interned.cpp - strings held once for the run -----------------------===//
#include "saguard/support/Interned.h"

#include <memory>
#include <mutex>
#include <unordered_map>

namespace saguard {

InternedString InternedString::intern(std::string_view Text) {
  if (Text.empty())
    return InternedString();
  // Each string is held once for the run; the map's keys view the strings it owns.
  static std::mutex Lock;
  static std::unordered_map<std::string_view, std::unique_ptr<std::string>> Strings;
  std::lock_guard<std::mutex> Guard(Lock);
  auto It = Strings.find(Text);
  if (It == Strings.end()) {
    auto Owned = std::make_unique<std::string>(Text);
    std::string_view Key = *Owned;
    It = Strings.emplace(Key, std::move(Owned)).first;
  }
  return InternedString(It->second.get());
}

const std::string &InternedString::str() const {
  static const std::string Empty;
  return Text ? *Text : Empty;
}

} // namespace saguard
