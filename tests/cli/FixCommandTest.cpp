//===- FixCommandTest.cpp - SARIF fixes and `saguard fix`, end to end -----===//
#include "FixTestUtil.h"
#include "RunSaguard.h"
#include "SarifValidator.h"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "llvm/Support/Path.h"

using namespace saguard;
using namespace saguard::test;
using Json = nlohmann::json;

namespace {

/// One fixable case per rule that has a fix, in the shapes files take: a comment between a key
/// and its mapping, a compact sequence, a list item, a YAML 1.1 boolean.
const char *const Fixable = R"(# every fixable finding
apiVersion: v1
kind: ServiceAccount
metadata:
  name: default
  namespace: shop
automountServiceAccountToken: true   # SA003
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: idle, namespace: shop}
automountServiceAccountToken: false
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      # SA001: runs as default
      containers:
      - name: web
        image: nginx
---
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata: {name: override, namespace: shop}
  spec:
    serviceAccountName: idle
    automountServiceAccountToken: on
    containers: []
- apiVersion: v1
  kind: ServiceAccount
  metadata: {name: api, namespace: shop}
- apiVersion: v1
  kind: Pod
  metadata: {name: old, namespace: shop}
  spec:
    serviceAccount: api
    containers: []
)";

/// `Kind/namespace/name` of each (rule, object) a JSON report lists.
std::set<std::pair<std::string, std::string>> reported(const std::string &JsonReport) {
  std::set<std::pair<std::string, std::string>> Out;
  Json Report = Json::parse(JsonReport);
  for (const Json &F : Report["findings"])
    Out.insert({F["ruleId"].get<std::string>(), F["object"]["kind"].get<std::string>() + "/" +
                                                    F["object"]["name"].get<std::string>()});
  return Out;
}

} // namespace

TEST(FixCommand, SarifFixesApplyToTheFileAndSilenceTheirFindings) {
  requireSarifValidator();
  Scratch S("sarif-fixes");
  std::string Path = S / "app.yaml";
  writeFile(Path, Fixable);
  SaguardRun Sarif = runSaguard({"scan", "--format", "sarif", Path});
  ASSERT_EQ(Sarif.Exit, 1) << Sarif.Err;
  CommandOutcome Valid = validateSarif(Sarif.Out, "fixes.sarif");
  EXPECT_EQ(Valid.Status, 0) << Valid.Output;

  std::set<std::string> Fixed;
  Json Log = Json::parse(Sarif.Out);
  for (const Json &Result : Log["runs"][0]["results"]) {
    if (!Result.contains("fixes"))
      continue;
    std::string Rule = Result["ruleId"];
    std::string Object = Result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"];
    ASSERT_EQ(Result["fixes"].size(), 1u) << Rule;
    const Json &Change = Result["fixes"][0]["artifactChanges"][0];
    EXPECT_TRUE(
        llvm::StringRef(Change["artifactLocation"]["uri"].get<std::string>()).endswith("app.yaml"));
    ASSERT_EQ(Change["replacements"].size(), 1u);
    const Json &R = Change["replacements"][0];
    const Json &Region = R["deletedRegion"];
    unsigned StartLine = Region["startLine"], StartColumn = Region["startColumn"];
    unsigned EndLine = Region["endLine"], EndColumn = Region["endColumn"];
    std::string Inserted = R["insertedContent"]["text"];
    std::optional<std::string> After =
        replaceRegion(Fixable, StartLine, StartColumn, EndLine, EndColumn, Inserted);
    ASSERT_TRUE(After) << Rule;
    // What goes is a value or a key name, or nothing; what comes is one key, value or line.
    size_t Begin = byteOffsetOf(Fixable, StartLine, StartColumn);
    std::string Deleted =
        std::string(Fixable).substr(Begin, byteOffsetOf(Fixable, EndLine, EndColumn) - Begin);
    EXPECT_TRUE(Deleted == "" || Deleted == "true" || Deleted == "on" ||
                Deleted == "serviceAccount")
        << Rule << ": " << Deleted;
    EXPECT_LE(std::count(Inserted.begin(), Inserted.end(), '\n'), 1) << Rule;

    std::string FixedPath = S / ("fixed-" + Rule + ".yaml");
    writeFile(FixedPath, *After);
    SaguardRun Rescan = runSaguard({"scan", "--format", "json", "--fail-on", "none", FixedPath});
    ASSERT_EQ(Rescan.Exit, 0) << Rule << ": " << Rescan.Err;
    std::string Name = Object.substr(Object.rfind('/') + 1);
    std::string Kind = Object.substr(0, Object.find('/'));
    EXPECT_FALSE(reported(Rescan.Out).count({Rule, Kind + "/" + Name}))
        << Rule << " still on " << Object;
    Fixed.insert(Rule);
  }
  EXPECT_EQ(Fixed, (std::set<std::string>{"SA001", "SA002", "SA003", "SA008", "SA011"}));
}

TEST(FixCommand, TextAndGccShowTheFix) {
  Scratch S("hints");
  std::string Path = S / "app.yaml";
  writeFile(Path, Fixable);
  SaguardRun Text = runSaguard({"scan", "--enable", "SA011", Path});
  EXPECT_NE(Text.Out.find("    fix: rename the field to serviceAccountName: write "
                          "'serviceAccountName' at " +
                          Path + ":42"),
            std::string::npos)
      << Text.Out;
  SaguardRun Gcc = runSaguard({"scan", "--format", "gcc", "--enable", "SA001", Path});
  EXPECT_NE(Gcc.Out.find(Path +
                         ":21:1: note: fix: do not mount the token in this pod: insert "
                         "'automountServiceAccountToken: false' at " +
                         Path + ":21 [SA001]"),
            std::string::npos)
      << Gcc.Out;
}

TEST(FixCommand, DryRunPrintsADiffAndChangesNothingThenFixWrites) {
  Scratch S("dry-run");
  std::string Path = S / "app.yaml";
  writeFile(Path, Fixable);
  SaguardRun Dry = runSaguard({"fix", "--dry-run", Path});
  EXPECT_EQ(Dry.Exit, 0) << Dry.Err;
  EXPECT_EQ(readFile(Path), Fixable);
  EXPECT_EQ(Dry.Out.rfind("--- " + Path + "\n+++ " + Path + "\n@@ ", 0), 0u) << Dry.Out;
  EXPECT_NE(Dry.Out.find("-    serviceAccount: api\n+    automountServiceAccountToken: false\n"
                         "+    serviceAccountName: api\n"),
            std::string::npos)
      << Dry.Out;
  EXPECT_NE(Dry.Err.find("would fix " + Path), std::string::npos);

  SaguardRun Fix = runSaguard({"fix", Path});
  EXPECT_EQ(Fix.Exit, 0) << Fix.Err;
  // What --dry-run showed is what was written: patch the original with the diff to compare.
  std::string Written = readFile(Path);
  EXPECT_NE(Written, Fixable);
  writeFile(S / "orig.yaml", Fixable);
  writeFile(S / "dry.diff", Dry.Out);
  CommandOutcome Patched =
      runCommand("patch -s -o " + shellQuote(S / "patched.yaml") + " " +
                 shellQuote(S / "orig.yaml") + " < " + shellQuote(S / "dry.diff"));
  ASSERT_EQ(Patched.Status, 0) << Patched.Output;
  EXPECT_EQ(readFile(S / "patched.yaml"), Written);

  SaguardRun Rescan = runSaguard({"scan", "--format", "json", "--fail-on", "none", Path});
  for (const auto &[Rule, Object] : reported(Rescan.Out))
    EXPECT_TRUE(Rule != "SA001" && Rule != "SA002" && Rule != "SA003" && Rule != "SA008" &&
                Rule != "SA011")
        << Rule << " on " << Object;
  SaguardRun Again = runSaguard({"fix", Path});
  EXPECT_EQ(Again.Exit, 0);
  EXPECT_NE(Again.Err.find("nothing to fix"), std::string::npos) << Again.Err;
  EXPECT_EQ(readFile(Path), Written);
}

TEST(FixCommand, ListsWhatItCannotFixSafelyAndExitsOne) {
  Scratch S("unsafe");
  std::string Path = S / "flow.yaml";
  std::string Flow = "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: []}\n";
  writeFile(Path, Flow);
  SaguardRun Fix = runSaguard({"fix", Path});
  EXPECT_EQ(Fix.Exit, 1);
  EXPECT_NE(Fix.Err.find("not fixed (no safe edit): " + Path + ":4:"), std::string::npos)
      << Fix.Err;
  EXPECT_EQ(readFile(Path), Flow);
}

TEST(FixCommand, ScanOffersTheSameFixesInEveryFileWithTheRunsNamespace) {
  // The proof compares each edited document with what the run loaded: objects without a
  // namespace got --namespace's, and each file's documents are its own.
  Scratch S("namespaced-fixes");
  std::string Named = S / "named.yaml", Unnamed = S / "unnamed.yaml";
  writeFile(Named, Fixable);
  std::string Text = Fixable;
  for (llvm::StringRef Cut : {", namespace: shop", "  namespace: shop\n"})
    for (size_t At; (At = Text.find(Cut.str())) != std::string::npos;)
      Text.erase(At, Cut.size());
  writeFile(Unnamed, Text);
  SaguardRun Run = runSaguard({"scan", "--format", "json", "--namespace", "shop", "--together",
                               Named, Unnamed});
  ASSERT_EQ(Run.Exit, 1) << Run.Err;
  std::map<std::string, size_t> FixesIn;
  Json Report = Json::parse(Run.Out);
  for (const Json &F : Report["findings"])
    for (const Json &Fix : F["fixes"])
      ++FixesIn[llvm::sys::path::filename(Fix["file"].get<std::string>()).str()];
  EXPECT_EQ(FixesIn["named.yaml"], 5u);
  EXPECT_EQ(FixesIn["unnamed.yaml"], 5u);
}
