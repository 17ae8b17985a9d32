//===- PodKinds.h - one pod spec in every Pod-bearing kind ------*- C++ -*-===//
#pragma once

#include <string>
#include <string_view>

namespace saguard::test {

/// A YAML stream with one object per Pod-bearing kind saguard reads (Pod, Deployment, StatefulSet,
/// DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, PodTemplate and an Argo Rollout),
/// all in Namespace, each named after its kind in lower case, each with PodSpecBody as its pod
/// spec. PodSpecBody holds unindented, newline-terminated lines; `# EXPECT:` marks carry over, so
/// a mark in the body expects one finding per kind. A `containers:` line is appended, since a
/// custom resource's template counts as a pod spec only with one.
inline std::string inEveryPodBearingKind(std::string_view PodSpecBody,
                                         std::string_view Namespace = "shop") {
  struct Shape {
    std::string_view ApiVersion, Kind, Name;
    std::string_view Path; ///< keys down to the pod spec, one per line, already indented
    unsigned Indent;       ///< indent of the pod spec's keys
  };
  static constexpr std::string_view Template = "spec:\n  template:\n    spec:\n";
  static constexpr Shape Shapes[] = {
      {"v1", "Pod", "pod", "spec:\n", 2},
      {"apps/v1", "Deployment", "deployment", Template, 6},
      {"apps/v1", "StatefulSet", "statefulset", Template, 6},
      {"apps/v1", "DaemonSet", "daemonset", Template, 6},
      {"apps/v1", "ReplicaSet", "replicaset", Template, 6},
      {"v1", "ReplicationController", "replicationcontroller", Template, 6},
      {"batch/v1", "Job", "job", Template, 6},
      {"batch/v1", "CronJob", "cronjob",
       "spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n", 10},
      {"v1", "PodTemplate", "podtemplate", "template:\n  spec:\n", 4},
      {"argoproj.io/v1alpha1", "Rollout", "rollout", Template, 6},
  };
  std::string Body(PodSpecBody);
  if (!Body.empty() && Body.back() != '\n')
    Body += '\n';
  Body += "containers: [{name: app, image: nginx}]\n";
  std::string Out;
  for (const Shape &S : Shapes) {
    if (!Out.empty())
      Out += "---\n";
    Out += "apiVersion: " + std::string(S.ApiVersion) + "\nkind: " + std::string(S.Kind) +
           "\nmetadata: {name: " + std::string(S.Name) + ", namespace: " + std::string(Namespace) +
           "}\n" + std::string(S.Path);
    size_t Begin = 0;
    while (Begin < Body.size()) {
      size_t End = Body.find('\n', Begin);
      Out += std::string(S.Indent, ' ') + Body.substr(Begin, End - Begin + 1);
      Begin = End + 1;
    }
  }
  return Out;
}

} // namespace saguard::test
