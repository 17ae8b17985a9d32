//===- Index.h - the analysed set, indexed for the rules --------*- C++ -*-===//
#pragma once

#include "saguard/model/Object.h"

#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <unordered_map>
#include <vector>

namespace saguard::analysis {

/// All objects of a run, with lookups the rules need. Built once, read by every rule.
class Index {
public:
  /// Takes ownership of Obj; references to stored objects stay valid.
  void add(model::Object Obj);
  /// Counts objects loaded but not kept (no rule reads their kind).
  void countSkipped(size_t N) { Skipped += N; }
  /// Objects analysed: those kept plus those skipped.
  size_t analysedCount() const { return Objects.size() + Skipped; }
  /// Call after the last add(): builds the lookup tables.
  void finalize();

  const std::deque<model::Object> &objects() const { return Objects; }
  /// Objects with a pod spec, in input order.
  const std::vector<const model::Object *> &workloads() const { return Workloads; }
  /// ServiceAccount object Name in Namespace, or null.
  const model::Object *serviceAccount(std::string_view Namespace, std::string_view Name) const;
  /// Role (Namespace non-empty) or ClusterRole (Namespace empty) of that name, or null.
  const model::Object *role(std::string_view Namespace, std::string_view Name) const;
  const std::vector<const model::Object *> &roles() const { return Roles; }
  const std::vector<const model::Object *> &bindings() const { return Bindings; }

private:
  /// Namespace and name, viewing the strings of a stored object (no copy per object).
  using NameKey = std::pair<std::string_view, std::string_view>;
  struct NameKeyHash {
    size_t operator()(const NameKey &K) const noexcept {
      return std::hash<std::string_view>()(K.first) * 31 + std::hash<std::string_view>()(K.second);
    }
  };

  std::deque<model::Object> Objects;
  size_t Skipped = 0;
  std::vector<const model::Object *> Workloads, Roles, Bindings;
  std::unordered_map<NameKey, const model::Object *, NameKeyHash> AccountsByKey, RolesByKey;
};

} // namespace saguard::analysis
