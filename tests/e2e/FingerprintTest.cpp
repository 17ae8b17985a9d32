//===- FingerprintTest.cpp - fingerprints that survive re-renders --------===//
//
// A chart that names objects with randAlphaNum, randAlpha, uuidv4, now/date or a content hash
// renders new names every time. Rendered twice with the same values, the second run against
// the first's SARIF as baseline must find every result unchanged and none absent, or GitHub
// would close and reopen the alerts on every push; two objects one `range` line renders stay
// two results.
//
//===----------------------------------------------------------------------===//
#include "E2eUtil.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

using namespace saguard::e2e;

namespace {

/// Each result's object name and fingerprint, from a SARIF log.
std::vector<std::pair<std::string, std::string>> namesAndPrints(const Json &Sarif) {
  std::vector<std::pair<std::string, std::string>> Out;
  for (const Json &Run : Sarif.at("runs"))
    for (const Json &R : Run.at("results"))
      Out.emplace_back(R.at("properties").at("kubernetes").value("name", ""),
                       R.at("partialFingerprints").value("primaryLocationLineHash", ""));
  return Out;
}

/// Renders Chart (run from Cwd) twice: the first SARIF becomes the second run's baseline.
/// Returns the first run's results and the second's JSON report.
std::pair<Json, Json> renderTwice(const std::string &Chart, const std::string &Cwd) {
  TempDir Out;
  RunResult First = runProgram(
      {SAGUARD_BIN, "helm", "test", Chart, "--format", "sarif", "--fail-on", "none"}, Cwd);
  EXPECT_EQ(First.Exit, 0) << First.Stderr;
  std::string Base = Out.write("base.sarif", First.Stdout);
  RunResult Second = runProgram({SAGUARD_BIN, "helm", "test", Chart, "--format", "json",
                                 "--fail-on", "none", "--baseline", Base},
                                Cwd);
  EXPECT_EQ(Second.Exit, 0) << Second.Stderr;
  return {First.Report, Second.Report};
}

/// Every finding of Report unchanged, none absent, and at least one object renamed between
/// the renders (else the test would prove nothing).
void expectUnchanged(const Json &FirstSarif, const Json &Second) {
  ASSERT_TRUE(FirstSarif.is_object());
  ASSERT_TRUE(Second.is_object());
  ASSERT_FALSE(Second["findings"].empty());
  for (const Json &F : Second["findings"])
    EXPECT_EQ(F.value("baselineState", ""), "unchanged")
        << F["object"].dump() << " " << F.value("keyPath", "");
  EXPECT_EQ(Second["summary"].value("absent", 0), 0) << Second["absent"].dump(2);
  std::set<std::string> Before, After;
  for (const auto &[Name, Print] : namesAndPrints(FirstSarif))
    Before.insert(Name);
  for (const Json &F : Second["findings"])
    After.insert(F["object"].value("name", ""));
  EXPECT_NE(Before, After) << "no name changed between the renders";
}

} // namespace

TEST(Fingerprints, PodinfoRenderedTwiceIsUnchangedAgainstItsOwnBaseline) {
  // Its helm test Pods are named `...-test-{{ randAlphaNum 5 | lower }}`.
  auto [First, Second] = renderTwice(corpusDir() + "/helm/podinfo", SAGUARD_SOURCE_DIR);
  expectUnchanged(First, Second);
}

TEST(Fingerprints, EveryFunctionThatDrawsNamesKeepsItsFindingsUnchanged) {
  const std::string Chart = "tests/e2e/fixtures/drawn-names";
  auto [First, Second] = renderTwice(Chart, SAGUARD_SOURCE_DIR);
  expectUnchanged(First, Second);

  // Each drawn object has its finding (SA001: it mounts the default account's token), and the
  // two Pods the `range` renders from one line are two results with two fingerprints.
  std::map<std::string, std::set<std::string>> PrintsByPrefix;
  for (const auto &[Name, Print] : namesAndPrints(First))
    for (const char *Prefix : {"test-alnum-", "test-alpha-", "test-uuid-", "test-date-",
                               "test-hash-", "test-copy-", "test-literal"})
      if (Name.rfind(Prefix, 0) == 0)
        PrintsByPrefix[Prefix].insert(Print);
  for (const char *Prefix :
       {"test-alnum-", "test-alpha-", "test-uuid-", "test-date-", "test-hash-", "test-literal"})
    EXPECT_EQ(PrintsByPrefix[Prefix].size(), 1u) << Prefix;
  EXPECT_EQ(PrintsByPrefix["test-copy-"].size(), 2u);
  std::set<std::string> All;
  size_t Results = 0;
  for (const auto &[Name, Print] : namesAndPrints(First)) {
    All.insert(Print);
    ++Results;
  }
  EXPECT_EQ(All.size(), Results) << "two results share a fingerprint";
}
