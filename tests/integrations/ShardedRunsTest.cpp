// The sharded integrations for real: the GitHub matrix workflow (integrations/github/
// sharded-workflow.yml) and the Kubernetes Indexed Job with its merge Job
// (integrations/kubernetes/). Their commands are taken from the files themselves and run with
// the real binary on a copy of tests/team-repo, each shard as its matrix entry or pod would run
// it; the merged report must be the whole run's, byte for byte. The manifests are checked by
// `kubectl kustomize` and by a schema check of what a Job of them needs (kubectl's client-side
// dry run needs a server).
#include "TeamRepo.h"

#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLParser.h"

#include <map>
#include <regex>

using namespace saguard::test;

namespace {

/// One YAML document as JSON (scalars as strings), aliases expanded.
class YamlToJson {
public:
  json document(const std::string &Path) {
    std::string Text = readWholeFile(Path);
    llvm::SourceMgr SM;
    llvm::yaml::Stream Stream(Text, SM);
    auto Doc = Stream.begin();
    EXPECT_NE(Doc, Stream.end()) << Path;
    json Out = Doc == Stream.end() ? json() : convert(Doc->getRoot());
    EXPECT_FALSE(Stream.failed()) << Path;
    return Out;
  }

private:
  json convert(llvm::yaml::Node *N) {
    json Out;
    if (auto *S = llvm::dyn_cast_or_null<llvm::yaml::ScalarNode>(N)) {
      llvm::SmallString<64> Storage;
      Out = S->getValue(Storage).str();
    } else if (auto *B = llvm::dyn_cast_or_null<llvm::yaml::BlockScalarNode>(N)) {
      Out = B->getValue().str();
    } else if (auto *M = llvm::dyn_cast_or_null<llvm::yaml::MappingNode>(N)) {
      Out = json::object();
      for (llvm::yaml::KeyValueNode &KV : *M) {
        json Key = convert(KV.getKey()); // first: the parser reads forward only
        Out[Key.is_string() ? Key.get<std::string>() : Key.dump()] = convert(KV.getValue());
      }
    } else if (auto *Seq = llvm::dyn_cast_or_null<llvm::yaml::SequenceNode>(N)) {
      Out = json::array();
      for (llvm::yaml::Node &Item : *Seq)
        Out.push_back(convert(&Item));
    } else if (auto *A = llvm::dyn_cast_or_null<llvm::yaml::AliasNode>(N)) {
      Out = Anchors[A->getName().str()];
    }
    if (N && !N->getAnchor().empty())
      Anchors[N->getAnchor().str()] = Out;
    return Out;
  }

  std::map<std::string, json> Anchors;
};

std::string source(const std::string &Rel) { return std::string(SAGUARD_SOURCE_DIR) + "/" + Rel; }

/// Text with every `$(NAME)` replaced by Vars[NAME], as the kubelet expands a container's
/// command, args and env; a reference to an unknown name fails the test.
std::string expand(const std::string &Text, const std::map<std::string, std::string> &Vars) {
  static const std::regex Ref(R"(\$\(([A-Za-z_][A-Za-z0-9_]*)\))");
  std::string Out;
  auto Last = Text.cbegin();
  for (std::sregex_iterator It(Text.begin(), Text.end(), Ref), End; It != End; ++It) {
    Out.append(Last, Text.cbegin() + It->position());
    auto Var = Vars.find((*It)[1]);
    EXPECT_NE(Var, Vars.end()) << "unknown variable in " << Text;
    Out += Var == Vars.end() ? "" : Var->second;
    Last = Text.cbegin() + It->position() + It->length();
  }
  return Out.append(Last, Text.cend());
}

/// Path on the test's machine of a path inside a pod: the longest mount prefix that matches.
std::string onHost(const std::string &PodPath, const std::map<std::string, std::string> &Mounts) {
  std::string Best;
  for (const auto &[Pod, Host] : Mounts)
    if ((PodPath == Pod || PodPath.rfind(Pod + "/", 0) == 0) && Pod.size() > Best.size())
      Best = Pod;
  return Best.empty() ? PodPath : Mounts.at(Best) + PodPath.substr(Best.size());
}

class ShardedRuns : public TeamRepo {
protected:
  /// The reports of a pod, a runner's work space: outside the repository saguard analyses.
  ScratchDir Out{std::string("sharded-") +
                 testing::UnitTest::GetInstance()->current_test_info()->name()};
};

} // namespace

TEST_F(ShardedRuns, KubernetesManifestsBuildAndHoldWhatTheJobsNeed) {
  std::string Kubectl = requireTool("kubectl");
  Outcome Built = run({Kubectl, "kustomize", source("integrations/kubernetes")});
  ASSERT_EQ(Built.Exit, 0) << Built.Err;
  for (const char *Object : {"kind: PersistentVolumeClaim", "name: saguard-shards",
                             "name: saguard-merge"})
    EXPECT_NE(Built.Out.find(Object), std::string::npos) << Object;

  YamlToJson Yaml;
  json Claim = Yaml.document(source("integrations/kubernetes/reports-volume.yaml"));
  EXPECT_EQ(Claim["spec"]["accessModes"], json::array({"ReadWriteMany"})); // pods on many nodes
  for (const char *File : {"shard-job.yaml", "merge-job.yaml"}) {
    SCOPED_TRACE(File);
    json Job = Yaml.document(source(std::string("integrations/kubernetes/") + File));
    EXPECT_EQ(Job["apiVersion"], "batch/v1");
    EXPECT_EQ(Job["kind"], "Job");
    const json &Pod = Job["spec"]["template"]["spec"];
    EXPECT_EQ(Pod["restartPolicy"], "Never");
    std::set<std::string> Volumes;
    for (const json &V : Pod["volumes"]) {
      Volumes.insert(V["name"].get<std::string>());
      if (V.contains("persistentVolumeClaim")) {
        EXPECT_EQ(V["persistentVolumeClaim"]["claimName"], Claim["metadata"]["name"]);
      }
    }
    for (const char *List : {"initContainers", "containers"})
      for (const json &C : Pod.value(List, json::array())) {
        EXPECT_TRUE(C["image"].is_string() && C["name"].is_string()) << C.dump();
        for (const json &M : C["volumeMounts"])
          EXPECT_TRUE(Volumes.count(M["name"].get<std::string>())) << M.dump();
      }
    // The image of the release this source makes.
    EXPECT_EQ(Pod["containers"][0]["image"],
              std::string("ghcr.io/saguard/saguard:v") + SAGUARD_VERSION);
  }
}

TEST_F(ShardedRuns, IndexedJobShardsMergedAreTheWholeRun) {
  YamlToJson Yaml;
  json Shards = Yaml.document(source("integrations/kubernetes/shard-job.yaml"));
  json Merge = Yaml.document(source("integrations/kubernetes/merge-job.yaml"));
  ASSERT_EQ(Shards["spec"]["completionMode"], "Indexed");
  int N = std::stoi(Shards["spec"]["completions"].get<std::string>());
  ASSERT_GT(N, 1);
  EXPECT_EQ(Shards["spec"]["parallelism"], Shards["spec"]["completions"]);
  const json &Container = Shards["spec"]["template"]["spec"]["containers"][0];

  std::string Helm = requireTool("helm");
  std::map<std::string, std::string> Mounts = {{"/src/repo", Root.str()},
                                               {"/reports", Out.str()},
                                               {"/tmp", Out / "tmp"},
                                               {"/tools/helm", Helm}};
  stdfs::create_directories(Out / "tmp");
  // saguard as the pod runs it: JOB_COMPLETION_INDEX as the Job controller sets it, the
  // container's env, its args with `$(...)` expanded, in its working directory.
  auto RunPod = [&](int Index, int Count) {
    std::map<std::string, std::string> Vars = {{"JOB_COMPLETION_INDEX", std::to_string(Index)}};
    EnvChanges PodEnv = Env;
    for (const json &E : Container["env"]) {
      std::string Value = E["value"].get<std::string>();
      if (E["name"] == "SHARDS") {
        EXPECT_EQ(Value, std::to_string(N)) << "SHARDS must equal completions";
        Value = std::to_string(Count);
      }
      Vars[E["name"].get<std::string>()] = Value;
      PodEnv.emplace_back(E["name"].get<std::string>(), onHost(expand(Value, Vars), Mounts));
    }
    std::vector<std::string> Args;
    for (const json &A : Container["args"])
      Args.push_back(onHost(expand(A.get<std::string>(), Vars), Mounts));
    Args.insert(Args.begin(), SAGUARD_BIN);
    return run(Args, PodEnv, onHost(Container["workingDir"].get<std::string>(), Mounts));
  };

  // The whole repository in one pod: index 0 of 1.
  Outcome Whole = RunPod(0, 1);
  ASSERT_EQ(Whole.Exit, 0) << Whole.Err;
  stdfs::rename(Out / "shard-0.sarif", Out / "whole.sarif");
  std::set<std::string> Written;
  for (int K = 0; K < N; ++K) {
    Outcome Pod = RunPod(K, N);
    EXPECT_EQ(Pod.Exit, 0) << "pod " << K << ": " << Pod.Err;
    Written.insert("/reports/shard-" + std::to_string(K) + ".sarif");
  }

  // The merge Job waits for exactly the reports the pods write, then merges them.
  const json &MergePod = Merge["spec"]["template"]["spec"];
  std::string Wait = MergePod["initContainers"][0]["command"].back().get<std::string>();
  for (const std::string &File : Written)
    EXPECT_NE(Wait.find(File), std::string::npos) << File;
  std::vector<std::string> Args = {SAGUARD_BIN};
  std::set<std::string> Merged;
  for (const json &A : MergePod["containers"][0]["args"]) {
    std::string Arg = A.get<std::string>();
    if (Arg.rfind("/reports/shard-", 0) == 0)
      Merged.insert(Arg);
    Args.push_back(onHost(Arg, Mounts));
  }
  EXPECT_EQ(Merged, Written);
  ASSERT_EQ(Args.at(1), "merge");
  ASSERT_EQ(Args.end()[-1], Out / "saguard.sarif");
  Outcome MergeRun = run(Args, Env, Out.str());
  ASSERT_EQ(MergeRun.Exit, 0) << MergeRun.Err;
  std::string WholeText = readWholeFile(Out / "whole.sarif");
  EXPECT_GT(parseJson(WholeText).at("runs").size(), 1u);
  EXPECT_TRUE(readWholeFile(Out / "saguard.sarif") == WholeText) << "merged shards differ";
}

TEST_F(ShardedRuns, WorkflowMatrixShardsMergedAreTheWholeRun) {
  YamlToJson Yaml;
  json Workflow = Yaml.document(source("integrations/github/sharded-workflow.yml"));
  const json &ShardJob = Workflow["jobs"]["shard"];
  const json &Matrix = ShardJob["strategy"]["matrix"]["shard"];
  int N = static_cast<int>(Matrix.size());
  ASSERT_GT(N, 1);
  auto StepRunning = [](const json &Job, const std::string &Text) {
    for (const json &Step : Job["steps"])
      if (Step.contains("run") && Step["run"].get<std::string>().find(Text) != std::string::npos)
        return Step;
    ADD_FAILURE() << "no step runs " << Text;
    return json::object();
  };
  json Analyse = StepRunning(ShardJob, "--shard");
  json MergeStep = StepRunning(Workflow["jobs"]["merge"], "saguard merge");
  EXPECT_EQ(Workflow["jobs"]["merge"]["needs"], "shard");

  // A step's script as its runner runs it: bash, the step's env with the expressions it uses
  // evaluated, saguard on PATH (where the set-up step puts it).
  auto RunStep = [&](const json &Step, const std::string &Dir, const std::string &Shard,
                     int Count) {
    EnvChanges StepEnv = Env;
    json Vars = Step.value("env", json::object());
    for (const auto &[Name, Value] : Vars.items()) {
      std::string V = Value.get<std::string>();
      if (V == "${{ matrix.shard }}")
        V = Shard;
      else if (V == "${{ strategy.job-total }}")
        V = std::to_string(Count);
      EXPECT_EQ(V.find("${{"), std::string::npos) << V;
      StepEnv.emplace_back(Name, V);
    }
    std::string Script = Step["run"].get<std::string>();
    EXPECT_EQ(Script.find("${{"), std::string::npos) << "expressions belong in env: " << Script;
    return run({"bash", "-e", "-c", Script}, StepEnv, Dir);
  };

  // The whole repository in one job: shard 1 of 1.
  Outcome Whole = RunStep(Analyse, Root.str(), "1", 1);
  ASSERT_EQ(Whole.Exit, 0) << Whole.Err;
  stdfs::rename(Root / "shard-1.sarif", Out / "whole.sarif");
  // Each matrix entry; download-artifact with merge-multiple puts their reports side by side.
  for (const json &Entry : Matrix) {
    std::string Shard = Entry.get<std::string>();
    Outcome Job = RunStep(Analyse, Root.str(), Shard, N);
    EXPECT_EQ(Job.Exit, 0) << "shard " << Shard << ": " << Job.Err;
    stdfs::rename(Root / ("shard-" + Shard + ".sarif"), Out / ("shard-" + Shard + ".sarif"));
  }
  Outcome Merged = RunStep(MergeStep, Out.str(), "", N);
  ASSERT_EQ(Merged.Exit, 0) << Merged.Err;
  std::string WholeText = readWholeFile(Out / "whole.sarif");
  EXPECT_GT(parseJson(WholeText).at("runs").size(), 1u);
  EXPECT_TRUE(readWholeFile(Out / "saguard.sarif") == WholeText) << "merged shards differ";
}
