//===- Located.cpp - interned key paths -----------------------------------===//
#include "saguard/support/Located.h"

#include <memory>
#include <mutex>
#include <unordered_map>

namespace saguard {

KeyPath KeyPath::intern(std::string_view Text) {
  if (Text.empty())
    return KeyPath();
  // Each path is held once for the run; the map's keys view the strings it owns.
  static std::mutex Lock;
  static std::unordered_map<std::string_view, std::unique_ptr<std::string>> Paths;
  std::lock_guard<std::mutex> Guard(Lock);
  auto It = Paths.find(Text);
  if (It == Paths.end()) {
    auto Owned = std::make_unique<std::string>(Text);
    std::string_view Key = *Owned;
    It = Paths.emplace(Key, std::move(Owned)).first;
  }
  return KeyPath(It->second.get());
}

} // namespace saguard
