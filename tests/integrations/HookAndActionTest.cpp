// The pre-commit hook through the real `pre-commit`, and the GitHub Action's run step with its
// default inputs, on tests/team-repo: what a team gets on day one.
#include "TeamRepo.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLParser.h"

#include <functional>
#include <map>

using namespace saguard::test;

namespace {

/// The scalar values of a mapping by key (a yaml::Stream mapping can be read only once).
std::map<std::string, std::string>
scalarsOf(llvm::yaml::MappingNode &Map,
          const std::function<void(llvm::StringRef, llvm::yaml::Node &)> &Other = {}) {
  std::map<std::string, std::string> Out;
  for (llvm::yaml::KeyValueNode &KV : Map) {
    llvm::SmallString<32> KeyStorage, ValueStorage;
    auto *K = llvm::dyn_cast<llvm::yaml::ScalarNode>(KV.getKey());
    if (!K)
      continue;
    std::string Key = K->getValue(KeyStorage).str();
    llvm::yaml::Node *V = KV.getValue();
    if (auto *S = llvm::dyn_cast<llvm::yaml::ScalarNode>(V))
      Out[Key] = S->getValue(ValueStorage).str();
    else if (auto *B = llvm::dyn_cast<llvm::yaml::BlockScalarNode>(V))
      Out[Key] = B->getValue().str();
    else if (Other)
      Other(Key, *V); // now: the stream moves on past it with the next key
    else
      V->skip();
  }
  return Out;
}

/// The `run` script of action.yml's step with `id: run`, and the default of every input.
struct ActionStep {
  std::string Script;
  std::map<std::string, std::string> Defaults;
};

ActionStep readActionStep(const std::string &Text) {
  ActionStep Out;
  llvm::SourceMgr SM;
  llvm::yaml::Stream Stream(Text, SM);
  auto *Root = llvm::dyn_cast<llvm::yaml::MappingNode>(Stream.begin()->getRoot());
  if (!Root)
    return Out;
  for (llvm::yaml::KeyValueNode &KV : *Root) {
    llvm::SmallString<32> KeyStorage;
    llvm::StringRef Key = llvm::cast<llvm::yaml::ScalarNode>(KV.getKey())->getValue(KeyStorage);
    if (Key == "inputs") {
      for (llvm::yaml::KeyValueNode &Input : *llvm::cast<llvm::yaml::MappingNode>(KV.getValue())) {
        llvm::SmallString<32> NameStorage;
        std::string Name =
            llvm::cast<llvm::yaml::ScalarNode>(Input.getKey())->getValue(NameStorage).str();
        std::map<std::string, std::string> Fields =
            scalarsOf(*llvm::cast<llvm::yaml::MappingNode>(Input.getValue()));
        Out.Defaults[Name] = Fields["default"];
      }
    } else if (Key == "runs") {
      scalarsOf(*llvm::cast<llvm::yaml::MappingNode>(KV.getValue()),
                [&](llvm::StringRef Name, llvm::yaml::Node &Steps) {
                  if (Name != "steps")
                    return Steps.skip();
                  for (llvm::yaml::Node &Step : *llvm::cast<llvm::yaml::SequenceNode>(&Steps)) {
                    std::map<std::string, std::string> Fields =
                        scalarsOf(llvm::cast<llvm::yaml::MappingNode>(Step));
                    if (Fields["id"] == "run")
                      Out.Script = Fields["run"];
                  }
                });
    } else {
      KV.getValue()->skip();
    }
  }
  return Out;
}

} // namespace

TEST_F(TeamRepo, ActionRunStepWithDefaultInputsAnalysesTheWholeRepository) {
  ActionStep Step = readActionStep(
      readWholeFile(std::string(SAGUARD_SOURCE_DIR) + "/integrations/github/action.yml"));
  ASSERT_FALSE(Step.Script.empty());
  std::string Output = Root / "github-output";
  EnvChanges StepEnv = Env;
  StepEnv.insert(StepEnv.end(), {{"PATHS", Step.Defaults["paths"]},
                                 {"ARGS", Step.Defaults["args"]},
                                 {"SARIF", Step.Defaults["sarif-file"]},
                                 {"FAIL_ON", Step.Defaults["fail-on"]},
                                 {"CATEGORY", Step.Defaults["category"]},
                                 {"GITHUB_OUTPUT", Output}});
  Outcome O = run({"bash", "-c", Step.Script}, StepEnv, Root.str());
  EXPECT_EQ(O.Exit, 0) << O.Out << O.Err;
  std::string Outputs = readWholeFile(Output);
  // Findings (exit 1) but no input error (2): the step after it fails the job on purpose.
  EXPECT_NE(Outputs.find("exit-code=1\n"), std::string::npos) << Outputs << O.Err;
  json Log = parseJson(readWholeFile(Root / Step.Defaults["sarif-file"]));
  EXPECT_EQ(Log.at("runs").size(), 5u);
  EXPECT_EQ(O.Out.find("::error"), std::string::npos) << O.Out;
}

TEST_F(TeamRepo, PreCommitHookRunsGreenThroughRealPreCommit) {
  std::string PreCommit = requireTool("pre-commit");
  std::string Git = requireTool("git");
  ASSERT_FALSE(PreCommit.empty() || Git.empty());
  // A team that lets CI fail on findings and keeps commits flowing.
  std::ofstream(Root / ".saguard.yaml") << "failOn: none\n";
  stdfs::remove_all(Root / ".git");
  EnvChanges GitEnv = Env;
  GitEnv.insert(GitEnv.end(), {{"GIT_AUTHOR_NAME", "t"},
                               {"GIT_AUTHOR_EMAIL", "t@example.com"},
                               {"GIT_COMMITTER_NAME", "t"},
                               {"GIT_COMMITTER_EMAIL", "t@example.com"},
                               {"PRE_COMMIT_HOME", Root / ".pre-commit-cache"},
                               {"HOME", Root.str()}});
  ASSERT_EQ(run({Git, "init", "-q", "."}, GitEnv, Root.str()).Exit, 0);
  ASSERT_EQ(run({Git, "add", "-A"}, GitEnv, Root.str()).Exit, 0);
  // try-repo takes the hook from this checkout, uncommitted changes included.
  Outcome O = run({PreCommit, "try-repo", SAGUARD_SOURCE_DIR, "saguard", "--all-files",
                   "--verbose"},
                  GitEnv, Root.str());
  EXPECT_EQ(O.Exit, 0) << O.Out << O.Err;
  EXPECT_NE(O.Out.find("Passed"), std::string::npos) << O.Out;
  // The findings are still shown, as the editor-friendly gcc lines.
  EXPECT_NE(O.Out.find("charts/api/charts/worker/templates/deployment.yaml:13:5: error:"),
            std::string::npos)
      << O.Out;
  EXPECT_EQ(O.Out.find("input error"), std::string::npos) << O.Out;
}
