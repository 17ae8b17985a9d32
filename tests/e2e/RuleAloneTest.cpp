//===- RuleAloneTest.cpp - one rule alone finds what it finds among all ---===//
//
// With --enable, the loader keeps only the parts of the model the enabled rules declare they
// read. Over every corpus render, each rule run alone must report exactly its findings of the
// run with every rule: a part a rule reads but does not declare would lose some.
//
//===----------------------------------------------------------------------===//
#include "E2eUtil.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

using namespace saguard::e2e;

namespace {

/// Every corpus item rendered once into one folder, with the renderers and flags the corpus
/// tests use (`--keep-render`).
const TempDir &corpusRenders() {
  static const TempDir *Kept = [] {
    auto *Dir = new TempDir();
    for (const CorpusEntry &I : corpusEntries()) {
      std::vector<std::string> Args = {I.Helm ? "helm" : "kustomize"};
      if (I.Helm)
        Args.push_back("test");
      Args.push_back("corpus/" + I.Path);
      Args.insert(Args.end(), I.Flags.begin(), I.Flags.end());
      Args.insert(Args.end(), {"--format", "json", "--fail-on", "none", "--keep-render",
                               Dir->path()});
      runSaguard(Args, SAGUARD_SHARED_DIR);
    }
    return Dir;
  }();
  return *Kept;
}

/// The findings of RuleId in a JSON report (suppressed ones included), as written.
std::multiset<std::string> findingsOf(const Json &Report, const std::string &RuleId) {
  std::multiset<std::string> Out;
  for (const Json &F : Report["findings"])
    if (RuleId.empty() || F.value("ruleId", "") == RuleId)
      Out.insert(F.dump());
  return Out;
}

void expectEachRuleAloneAsInTheWholeRun(const std::string &AutomountDefault) {
  const std::string Renders = corpusRenders().path();
  size_t Files = 0;
  for (const auto &Entry : std::filesystem::directory_iterator(Renders))
    Files += Entry.is_regular_file();
  ASSERT_GE(Files, corpusEntries().size() - 2) << "corpus items left unrendered";
  std::vector<std::string> Scan = {"scan", Renders, "--format", "json", "--fail-on", "none",
                                   "--cluster-automount-default", AutomountDefault};
  const RunResult &All = runSaguard(Scan, SAGUARD_SHARED_DIR);
  ASSERT_TRUE(All.Report.is_object()) << All.Stderr;
  const RunResult &Rules = runSaguard({"rules"}, SAGUARD_SHARED_DIR);
  std::set<std::string> Ids;
  for (size_t At = 0; At < Rules.Stdout.size(); At = Rules.Stdout.find('\n', At) + 1) {
    if (Rules.Stdout.compare(At, 2, "SA") == 0)
      Ids.insert(Rules.Stdout.substr(At, 5));
    if (Rules.Stdout.find('\n', At) == std::string::npos)
      break;
  }
  ASSERT_GE(Ids.size(), 13u) << Rules.Stdout;
  size_t RulesFound = 0;
  for (const std::string &Id : Ids) {
    std::vector<std::string> Alone = Scan;
    Alone.insert(Alone.end(), {"--enable", Id});
    const RunResult &One = runSaguard(Alone, SAGUARD_SHARED_DIR);
    ASSERT_TRUE(One.Report.is_object()) << One.Stderr;
    std::multiset<std::string> Expected = findingsOf(All.Report, Id);
    EXPECT_EQ(findingsOf(One.Report, ""), Expected) << Id << " alone finds otherwise";
    // Objects left unloaded still count as analysed.
    EXPECT_EQ(One.Report["targets"], All.Report["targets"]) << Id;
    RulesFound += !Expected.empty();
  }
  // The corpus must exercise most rules, or the comparison proves little.
  EXPECT_GE(RulesFound, 8u);
}

} // namespace

TEST(RuleAlone, FindsWhatItFindsAmongAllRulesOnEveryCorpusRender) {
  expectEachRuleAloneAsInTheWholeRun("true");
}

TEST(RuleAlone, FindsWhatItFindsAmongAllRulesWithTheAutomountDefaultOff) {
  expectEachRuleAloneAsInTheWholeRun("false");
}
