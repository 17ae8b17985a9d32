//===- CorpusTest.cpp - saguard on every chart and overlay of the corpus --===//
//
// Each corpus item is rendered by the real binary with the MANIFEST's command (release name
// `test`), once per test program. Every finding must point at a file of the item, at a line
// that holds what it names; the findings the items really contain are asserted by name.
//
//===----------------------------------------------------------------------===//
#include "E2eUtil.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <map>
#include <set>

using namespace saguard::e2e;

namespace {

std::string corpusPath(const CorpusEntry &I) { return "corpus/" + I.Path; }

/// `saguard helm test CHART [flags]` or `saguard kustomize DIR`, run in the shared directory.
const RunResult &runItem(const CorpusEntry &I) {
  std::vector<std::string> Args;
  if (I.Helm)
    Args = {"helm", "test", corpusPath(I)};
  else
    Args = {"kustomize", corpusPath(I)};
  Args.insert(Args.end(), I.Flags.begin(), I.Flags.end());
  Args.insert(Args.end(), {"--format", "json"});
  return runSaguard(Args, SAGUARD_SHARED_DIR);
}

/// The rule ids this saguard has (others are still being written: no assertions about them).
bool hasRule(const std::string &Id) {
  static std::set<std::string> Ids = [] {
    std::set<std::string> Out;
    const RunResult &R = runSaguard({"rules"}, SAGUARD_SHARED_DIR);
    for (size_t At = R.Stdout.find("SA"); At != std::string::npos; At = R.Stdout.find("SA", At + 1))
      if (At == 0 || R.Stdout[At - 1] == '\n')
        Out.insert(R.Stdout.substr(At, 5));
    return Out;
  }();
  return Ids.count(Id) != 0;
}

bool endsWith(const std::string &S, const std::string &Suffix) {
  return S.size() >= Suffix.size() &&
         S.compare(S.size() - Suffix.size(), Suffix.size(), Suffix) == 0;
}

std::string fileOf(const Json &F) { return F["location"].value("file", ""); }

/// Expects exactly one finding of RuleId on Kind/Name (a name prefix) pointing at a file that
/// ends in FileSuffix, at a line containing LineHolds; returns it (null when absent).
Json expectFinding(const Json &Report, const std::string &RuleId, const std::string &Kind,
                   const std::string &Name, const std::string &FileSuffix,
                   const std::string &LineHolds) {
  std::vector<Json> Found = findingsOf(Report, RuleId, Kind, Name);
  EXPECT_EQ(Found.size(), 1u) << RuleId << " on " << Kind << "/" << Name;
  if (Found.empty())
    return Json();
  EXPECT_TRUE(endsWith(fileOf(Found[0]), FileSuffix))
      << RuleId << " on " << Kind << "/" << Name << " -> " << fileOf(Found[0]);
  EXPECT_NE(lineAt(Found[0]["location"], SAGUARD_SHARED_DIR).find(LineHolds), std::string::npos)
      << RuleId << " on " << Kind << "/" << Name << " -> line "
      << Found[0]["location"].value("line", 0) << ": "
      << lineAt(Found[0]["location"], SAGUARD_SHARED_DIR);
  return Found[0];
}

/// The findings each item really contains (learned from its render; see MANIFEST notes).
const std::map<std::string, std::function<void(const Json &)>> &expectations() {
  static const std::map<std::string, std::function<void(const Json &)>> E = {
      {"helm_podinfo",
       [](const Json &R) {
         // No ServiceAccount is rendered: the Deployment and the three helm test Pods run as
         // `default` and mount its token.
         expectFinding(R, "SA001", "Deployment", "test-podinfo", "templates/deployment.yaml",
                       "spec:");
         std::vector<Json> Tests = findingsOf(R, "SA001", "Pod", "test-podinfo-");
         EXPECT_EQ(Tests.size(), 3u);
         for (const Json &F : Tests)
           EXPECT_NE(fileOf(F).find("/templates/tests/"), std::string::npos) << fileOf(F);
       }},
      {"helm_prometheus-node-exporter",
       [](const Json &R) {
         // SA and Pod both opt out of automount.
         EXPECT_TRUE(findingsOf(R, "SA001", "DaemonSet", "").empty());
         EXPECT_TRUE(findingsOf(R, "SA002", "DaemonSet", "").empty());
       }},
      {"helm_grafana",
       [](const Json &R) {
         // The pod spec comes from `_pod.tpl` (included with nindent): the key is found there.
         Json F = expectFinding(R, "SA008", "Deployment", "test-grafana", "templates/_pod.tpl",
                                "automountServiceAccountToken:");
         if (F.is_null())
           return;
         std::vector<Json> Values = relatedWith(F, "value automountServiceAccountToken");
         ASSERT_EQ(Values.size(), 1u);
         EXPECT_TRUE(endsWith(Values[0].value("file", ""), "helm/grafana/values.yaml"));
         EXPECT_NE(lineAt(Values[0], SAGUARD_SHARED_DIR).find("automountServiceAccountToken:"),
                   std::string::npos);
         std::vector<Json> Account = relatedWith(F, "ServiceAccount 'test-grafana'");
         ASSERT_EQ(Account.size(), 1u);
         EXPECT_TRUE(endsWith(Account[0].value("file", ""), "templates/serviceaccount.yaml"));
         EXPECT_EQ(relatedWith(F, "rendered at line").size(), 1u);
       }},
      {"helm_fluent-bit",
       [](const Json &R) {
         expectFinding(R, "SA001", "Pod", "test-fluent-bit-test-connection",
                       "templates/tests/test-connection.yaml", "spec:");
       }},
      {"helm_kyverno",
       [](const Json &R) {
         // Hooks: a post-upgrade Job turns automount back on for its own account.
         expectFinding(R, "SA008", "Job", "test-kyverno-migrate-resources",
                       "templates/hooks/post-upgrade-migrate-resources.yaml",
                       "automountServiceAccountToken:");
         // helm test Pods on the default account, automount from values.
         Json F = expectFinding(R, "SA001", "Pod", "test-kyverno-admission-controller-metrics",
                                "templates/tests/admission-controller-metrics.yaml",
                                "automountServiceAccountToken:");
         if (!F.is_null()) {
           EXPECT_EQ(relatedWith(F, "value test.automountServiceAccountToken").size(), 1u);
         }
       }},
      {"helm_headlamp",
       [](const Json &R) {
         if (hasRule("SA012"))
           expectFinding(R, "SA012", "ClusterRoleBinding", "test-headlamp-admin",
                         "templates/clusterrolebinding.yaml", "kind: ServiceAccount");
       }},
      {"kustomize_argo_workflows",
       [](const Json &R) {
         expectFinding(R, "SA009", "Secret", "default.service-account-token",
                       "quick-start/base/default.service-account-token-secret.yaml",
                       "type: kubernetes.io/service-account-token");
       }},
      {"kustomize_microservices_demo",
       [](const Json &R) {
         // redis-cart lives in cartservice.yaml and names no account.
         expectFinding(R, "SA001", "Deployment", "redis-cart", "base/cartservice.yaml", "spec:");
         expectFinding(R, "SA002", "Deployment", "adservice", "base/adservice.yaml",
                       "serviceAccountName: adservice");
       }},
      {"kustomize_podinfo",
       [](const Json &R) {
         // Bases and a namespace transformer: the object is in `production`, the line in the base.
         Json F = expectFinding(R, "SA002", "CronJob", "backup-daily",
                                "bases/database/cronjob-backup-daily.yaml",
                                "serviceAccountName: database");
         if (!F.is_null()) {
           EXPECT_EQ(F["object"].value("namespace", ""), "production");
         }
       }},
      {"kustomize_kustomize_ldap",
       [](const Json &R) {
         // namePrefix + a patch: the Deployment's own file is the base.
         expectFinding(R, "SA001", "Deployment", "production-ldap", "base/deployment.yaml",
                       "spec:");
       }},
      {"kustomize_kustomize_multibases",
       [](const Json &R) { EXPECT_EQ(findingsOf(R, "SA001", "Pod", "cluster-a-").size(), 3u); }},
      {"kustomize_kubeflow_profiles",
       [](const Json &R) {
         if (!hasRule("SA005"))
           return;
         // The overlay's patchesStrategicMerge sets serviceAccountName, which the base writes
         // otherwise: the patch is where the value comes from, the base a related location.
         std::vector<Json> Found = findingsOf(R, "SA005", "Deployment", "profiles-deployment");
         ASSERT_FALSE(Found.empty());
         for (const Json &F : Found) {
           EXPECT_TRUE(endsWith(fileOf(F), "overlays/kubeflow/patches/kfam.yaml"));
           EXPECT_NE(lineAt(F["location"], SAGUARD_SHARED_DIR).find("serviceAccountName:"),
                     std::string::npos);
           EXPECT_EQ(F["object"].value("namespace", ""), "kubeflow");
           std::vector<Json> Base = relatedWith(F, "the resource the patch applies to");
           ASSERT_EQ(Base.size(), 1u);
           EXPECT_TRUE(
               endsWith(Base[0].value("file", ""), "kubeflow-profiles/manager/manager.yaml"));
           EXPECT_NE(lineAt(Base[0], SAGUARD_SHARED_DIR).find("serviceAccountName:"),
                     std::string::npos);
         }
       }},
  };
  return E;
}

class CorpusItem : public ::testing::TestWithParam<CorpusEntry> {};

TEST_P(CorpusItem, FindingsPointAtTheItemsFiles) {
  const CorpusEntry &I = GetParam();
  const RunResult &R = runItem(I);
  EXPECT_TRUE(R.Exit == 0 || R.Exit == 1)
      << "exit " << R.Exit
      << "; errors: " << (R.Report.is_object() ? R.Report["errors"].dump() : R.Stderr);
  ASSERT_TRUE(R.Report.is_object()) << R.Stdout << R.Stderr;
  EXPECT_TRUE(R.Report["errors"].empty()) << R.Report["errors"].dump();
  checkLocations(R.Report, SAGUARD_SHARED_DIR, corpusDir() + "/" + I.Root);
  auto It = expectations().find(I.Name);
  if (It != expectations().end())
    It->second(R.Report);
}

INSTANTIATE_TEST_SUITE_P(Corpus, CorpusItem, ::testing::ValuesIn(corpusEntries()),
                         [](const auto &Info) {
                           std::string N = Info.param.Name;
                           for (char &C : N)
                             if (C == '-')
                               C = '_';
                           return N;
                         });

TEST(Corpus, AutoDetectsChartsAndOverlays) {
  // `saguard PATH...`: several targets in one run, rendered concurrently, one report.
  std::vector<std::string> Args = {"--format", "json", "--jobs", "2"};
  std::vector<CorpusEntry> Items;
  for (const CorpusEntry &I : corpusEntries())
    if (I.Flags.empty() && (I.Name == "helm_descheduler" || I.Name == "helm_metrics-server" ||
                            I.Name == "helm_dex" || !I.Helm)) {
      Items.push_back(I);
      Args.push_back(corpusPath(I));
    }
  const RunResult &R = runSaguard(Args, SAGUARD_SHARED_DIR);
  EXPECT_TRUE(R.Exit == 0 || R.Exit == 1) << R.Report.dump().substr(0, 2000);
  ASSERT_TRUE(R.Report.is_object());
  // Each finding keeps its target (JSON `target`), one of the paths given.
  std::set<std::string> Given, Targets;
  for (const CorpusEntry &I : Items)
    Given.insert(corpusPath(I));
  for (const Json &F : R.Report["findings"])
    Targets.insert(F.value("target", ""));
  for (const std::string &T : Targets)
    EXPECT_TRUE(Given.count(T)) << T;
  EXPECT_GE(Targets.size(), 8u);
  checkLocations(R.Report, SAGUARD_SHARED_DIR, corpusDir());
}

TEST(Corpus, JobsDoNotChangeTheReport) {
  std::vector<std::string> Targets = {
      "corpus/kustomize/microservices-demo", "corpus/helm/descheduler",
      "corpus/kustomize/kustomize-multibases", "corpus/kustomize/metrics-server/overlays/release"};
  std::vector<std::string> One = {"--format", "json", "--jobs", "1"};
  std::vector<std::string> Two = {"--format", "json", "--jobs", "4"};
  One.insert(One.end(), Targets.begin(), Targets.end());
  Two.insert(Two.end(), Targets.rbegin(), Targets.rend());
  const RunResult &A = runSaguard(One, SAGUARD_SHARED_DIR);
  const RunResult &B = runSaguard(Two, SAGUARD_SHARED_DIR);
  ASSERT_TRUE(A.Report.is_object() && B.Report.is_object());
  EXPECT_FALSE(A.Report["findings"].empty());
  EXPECT_EQ(A.Report["findings"], B.Report["findings"])
      << "findings are sorted by file, line, column and rule whatever the render order";
}

TEST(Corpus, SubchartsAndIncludeCrds) {
  // kyverno and rollout-operator carry local subcharts (charts/crds); velero has crds/.
  for (const char *Chart : {"rollout-operator", "velero", "kyverno"}) {
    std::string Path = std::string("corpus/helm/") + Chart;
    const RunResult &R = runSaguard({"helm", "test", Path, "--include-crds", "--format", "json"},
                                    SAGUARD_SHARED_DIR);
    EXPECT_TRUE(R.Exit == 0 || R.Exit == 1) << Chart << ": " << R.Stdout.substr(0, 2000);
    ASSERT_TRUE(R.Report.is_object()) << Chart;
    EXPECT_TRUE(R.Report["errors"].empty()) << Chart << ": " << R.Report["errors"].dump();
    checkLocations(R.Report, SAGUARD_SHARED_DIR, corpusDir() + "/helm/" + Chart);
  }
}

} // namespace

TEST(Corpus, SameInputGivesTheSameBytesWhateverTheJobCount) {
  const std::string C = corpusDir();
  for (const char *Format : {"sarif", "json", "text", "gcc", "github"}) {
    std::vector<std::string> Args = {SAGUARD_BIN,
                                     C + "/helm/cert-manager",
                                     C + "/helm/metrics-server",
                                     C + "/kustomize/argo-cd",
                                     std::string(SAGUARD_SOURCE_DIR) + "/tests/cli/fixtures",
                                     "--format",
                                     Format};
    auto WithJobs = [&](const char *Jobs) {
      std::vector<std::string> A = Args;
      A.insert(A.end(), {"--jobs", Jobs});
      return runProgram(A, SAGUARD_SOURCE_DIR);
    };
    // Several jobs start the targets with the most input first, in another order than one.
    RunResult One = WithJobs("1"), Two = WithJobs("2"), Three = WithJobs("3");
    EXPECT_FALSE(One.Stdout.empty()) << Format;
    EXPECT_EQ(One.Exit, Three.Exit) << Format;
    EXPECT_TRUE(One.Stdout == Two.Stdout && One.Stdout == Three.Stdout)
        << Format << ": the report differs between runs or job counts";
  }
}

TEST(Corpus, OneTargetLoadedOnSeveralThreadsGivesTheSameBytes) {
  // A lone target loads its documents on every job while the renderer writes.
  const std::string C = corpusDir();
  using Args = std::vector<std::string>;
  for (const auto &[Target, Format] :
       {std::pair<Args, const char *>{{"helm", "test", C + "/helm/kyverno", "--include-crds"},
                                      "sarif"},
        std::pair<Args, const char *>{{"helm", "test", C + "/helm/cert-manager"}, "text"},
        std::pair<Args, const char *>{{"kustomize", C + "/kustomize/argo-cd/cluster-install"},
                                      "json"}}) {
    auto WithJobs = [&, &Target = Target, Format = Format](const char *Jobs) {
      Args A = {SAGUARD_BIN};
      A.insert(A.end(), Target.begin(), Target.end());
      A.insert(A.end(), {"--format", Format, "--jobs", Jobs});
      return runProgram(A, SAGUARD_SOURCE_DIR);
    };
    RunResult One = WithJobs("1"), Two = WithJobs("2");
    EXPECT_FALSE(One.Stdout.empty()) << Target[2];
    EXPECT_EQ(One.Exit, Two.Exit) << Target[2];
    EXPECT_TRUE(One.Stdout == Two.Stdout) << Target[2] << " " << Format << ": the report differs";
  }
}
