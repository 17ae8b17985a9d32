#include "saguard/fix/Fixes.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace saguard;
using analysis::FixKind;

namespace {

const char *const TwoPods = R"(apiVersion: v1
kind: Pod
metadata: {name: a}
spec:
  automountServiceAccountToken: true
  containers: []
---
apiVersion: v1
kind: Pod
metadata: {name: b}
spec:
  containers: []
)";

struct TempDir {
  std::filesystem::path Dir;
  explicit TempDir(const std::string &Name)
      : Dir(std::filesystem::path(testing::TempDir()) / ("saguard-fix-" + Name)) {
    std::filesystem::remove_all(Dir);
    std::filesystem::create_directories(Dir);
  }
  ~TempDir() {
    std::error_code EC;
    std::filesystem::remove_all(Dir, EC);
  }
  std::string write(const std::string &Name, const std::string &Text) const {
    std::string Path = (Dir / Name).string();
    std::ofstream(Path, std::ios::binary) << Text;
    return Path;
  }
};

std::string readAll(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  std::stringstream S;
  S << In.rdbuf();
  return S.str();
}

/// A finding of Rule with one fix in File.
analysis::Finding findingWith(FileId File, unsigned Line, unsigned Column, unsigned EndColumn,
                              std::string Replacement, FixKind Kind, std::string Rule = "SA001") {
  analysis::Finding F;
  F.RuleId = std::move(Rule);
  F.Message = "finding";
  F.Primary = {File, {Line, Column}, {Line, EndColumn}};
  F.Fixes.push_back({"fix it", F.Primary, std::move(Replacement), Kind});
  return F;
}

} // namespace

TEST(Fixes, PlanAppliesEveryFixOfAFileOnceAndDiffsIt) {
  TempDir T("plan");
  std::string Path = T.write("pods.yaml", TwoPods);
  FileTable Files;
  FileId Id = Files.intern(Path);
  std::vector<analysis::Finding> Findings = {
      findingWith(Id, 5, 3, 37, "false", FixKind::SetValue),
      // The same edit asked for twice is made once.
      findingWith(Id, 5, 3, 37, "false", FixKind::SetValue, "SA008"),
      findingWith(Id, 11, 1, 6, "automountServiceAccountToken: false", FixKind::AddKeyUnder)};
  llvm::Expected<fix::FixPlan> Plan = fix::planFixes(Findings, Files);
  ASSERT_TRUE(bool(Plan)) << llvm::toString(Plan.takeError());
  ASSERT_EQ(Plan->Changes.size(), 1u);
  EXPECT_TRUE(Plan->Unsafe.empty());
  const fix::FileChange &C = Plan->Changes[0];
  EXPECT_EQ(C.Before, TwoPods);
  EXPECT_EQ(C.Applied.size(), 2u);
  // Six kept lines between the edits: one hunk, as `diff -u` makes it.
  EXPECT_EQ(fix::unifiedDiff(C), "--- " + Path + "\n+++ " + Path + R"(
@@ -2,11 +2,12 @@
 kind: Pod
 metadata: {name: a}
 spec:
-  automountServiceAccountToken: true
+  automountServiceAccountToken: false
   containers: []
 ---
 apiVersion: v1
 kind: Pod
 metadata: {name: b}
 spec:
+  automountServiceAccountToken: false
   containers: []
)");
  // Planning changes nothing; writing does, and keeps the file's mode.
  EXPECT_EQ(readAll(Path), TwoPods);
  std::filesystem::permissions(Path, std::filesystem::perms(0640));
  ASSERT_FALSE(bool(fix::writeChanges(Plan->Changes)));
  EXPECT_EQ(readAll(Path), C.After);
  EXPECT_EQ(std::filesystem::status(Path).permissions(), std::filesystem::perms(0640));
}

TEST(Fixes, RefusesOverlappingFixesAndChangesNothing) {
  TempDir T("overlap");
  std::string Path = T.write("pods.yaml", TwoPods);
  FileTable Files;
  FileId Id = Files.intern(Path);
  std::vector<analysis::Finding> Findings = {
      findingWith(Id, 11, 1, 6, "automountServiceAccountToken: false", FixKind::AddKeyUnder),
      findingWith(Id, 11, 1, 6, "automountServiceAccountToken: true", FixKind::AddKeyUnder,
                  "SA013")};
  llvm::Expected<fix::FixPlan> Plan = fix::planFixes(Findings, Files);
  ASSERT_FALSE(bool(Plan));
  std::string Message = llvm::toString(Plan.takeError());
  EXPECT_NE(Message.find("two fixes overlap in '" + Path + "' at line 12"), std::string::npos)
      << Message;
  EXPECT_NE(Message.find("nothing changed"), std::string::npos);
  EXPECT_EQ(readAll(Path), TwoPods);
}

TEST(Fixes, RefusesAFileReachedUnderTwoPaths) {
  TempDir T("twopaths");
  std::string Path = T.write("pods.yaml", TwoPods);
  std::string Link = (T.Dir / "link.yaml").string();
  std::filesystem::create_symlink(Path, Link);
  FileTable Files;
  std::vector<analysis::Finding> Findings = {
      findingWith(Files.intern(Path), 5, 3, 37, "false", FixKind::SetValue),
      findingWith(Files.intern(Link), 11, 1, 6, "automountServiceAccountToken: false",
                  FixKind::AddKeyUnder)};
  llvm::Expected<fix::FixPlan> Plan = fix::planFixes(Findings, Files);
  ASSERT_FALSE(bool(Plan));
  EXPECT_NE(llvm::toString(Plan.takeError()).find("ambiguous"), std::string::npos);
}

TEST(Fixes, RefusesToWriteWhenAFileChangedSinceItWasRead) {
  TempDir T("changed");
  std::string First = T.write("a.yaml", TwoPods);
  std::string Second = T.write("b.yaml", TwoPods);
  FileTable Files;
  std::vector<analysis::Finding> Findings = {
      findingWith(Files.intern(First), 5, 3, 37, "false", FixKind::SetValue),
      findingWith(Files.intern(Second), 5, 3, 37, "false", FixKind::SetValue)};
  llvm::Expected<fix::FixPlan> Plan = fix::planFixes(Findings, Files);
  ASSERT_TRUE(bool(Plan)) << llvm::toString(Plan.takeError());
  ASSERT_EQ(Plan->Changes.size(), 2u);
  std::string Edited = std::string(TwoPods) + "# edited meanwhile\n";
  T.write("b.yaml", Edited);
  llvm::Error E = fix::writeChanges(Plan->Changes);
  ASSERT_TRUE(bool(E));
  EXPECT_NE(llvm::toString(std::move(E)).find("'" + Second + "' changed since it was read"),
            std::string::npos);
  // Neither file was written: not the unchanged one either.
  EXPECT_EQ(readAll(First), TwoPods);
  EXPECT_EQ(readAll(Second), Edited);
}

TEST(Fixes, ListsFixesItCannotMakeSafely) {
  TempDir T("unsafe");
  std::string Flow = "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: []}\n";
  std::string Path = T.write("flow.yaml", Flow);
  FileTable Files;
  std::vector<analysis::Finding> Findings = {findingWith(
      Files.intern(Path), 4, 1, 5, "automountServiceAccountToken: false", FixKind::AddKeyUnder)};
  llvm::Expected<fix::FixPlan> Plan = fix::planFixes(Findings, Files);
  ASSERT_TRUE(bool(Plan));
  EXPECT_TRUE(Plan->Changes.empty());
  ASSERT_EQ(Plan->Unsafe.size(), 1u);
  EXPECT_EQ(Plan->Unsafe[0], Path + ":4: finding [SA001]");
}

TEST(Fixes, DiffMarksAMissingLastLineEnd) {
  fix::FileChange C{"x.yaml", "a: 1\nb: true", "a: 1\nb: false", {}};
  EXPECT_EQ(fix::unifiedDiff(C), "--- x.yaml\n+++ x.yaml\n@@ -1,2 +1,2 @@\n a: 1\n"
                                 "-b: true\n\\ No newline at end of file\n"
                                 "+b: false\n\\ No newline at end of file\n");
}

TEST(Fixes, AppendsAtTheEndOfAMappingInAListItem) {
  std::string Yaml = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: "
                     "ServiceAccount\n  metadata:\n    name: default\n  # trailing\n"
                     "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c}\n";
  analysis::Fix F{
      "opt out", {1, {4, 3}, {4, 3}}, "automountServiceAccountToken: false", FixKind::AppendKey};
  std::optional<analysis::Fix> R = fix::resolveFix(F, Yaml);
  ASSERT_TRUE(R);
  EXPECT_EQ(R->Range.Begin, (SourcePos{8, 13}));
  EXPECT_EQ(R->Replacement, "\n  automountServiceAccountToken: false");
}

TEST(Fixes, KustomizePatchesSetTheFieldsOfRenderedFixesPerObject) {
  auto Rendered = [](std::string Rule, std::string Kind, std::string Name, FixKind How,
                     std::string Replacement, std::string KeyPath) {
    analysis::Finding F;
    F.RuleId = std::move(Rule);
    F.Message = "finding on " + Name;
    F.Object = {"apps/v1", std::move(Kind), "prod", std::move(Name)};
    F.Fixes.push_back({"fix", {}, std::move(Replacement), How, std::move(KeyPath), true});
    return F;
  };
  std::vector<analysis::Finding> Findings = {
      Rendered("SA001", "Deployment", "it's", FixKind::AddKeyUnder,
               "automountServiceAccountToken: false",
               "spec.template.spec.automountServiceAccountToken"),
      Rendered("SA011", "Deployment", "old", FixKind::RenameKey, "serviceAccountName",
               "spec.template.spec.serviceAccount"),
      // A fix in a file the user edits is saguard fix's business, not a patch's.
      findingWith(1, 5, 3, 37, "false", FixKind::SetValue)};
  fix::PatchSet Patches = fix::kustomizePatches(Findings);
  ASSERT_EQ(Patches.Files.size(), 1u);
  EXPECT_EQ(Patches.Files[0].FileName, "deployment-prod-it's.yaml");
  EXPECT_EQ(Patches.Files[0].Text, R"(# saguard: fixes for Deployment/prod/it's
apiVersion: 'apps/v1'
kind: 'Deployment'
metadata:
  name: 'it''s'
spec:
  template:
    spec:
      automountServiceAccountToken: false
)");
  ASSERT_EQ(Patches.NotPatched.size(), 1u);
  EXPECT_EQ(Patches.NotPatched[0], "finding on old [SA011]");
  EXPECT_EQ(fix::kustomizationSnippet(Patches, "fixes/"),
            "# saguard: add these entries to the overlay's kustomization.yaml\npatches:\n"
            "- path: 'fixes/deployment-prod-it''s.yaml'\n  target:\n    kind: 'Deployment'\n"
            "    name: 'it''s'\n");
}

TEST(Fixes, DiffOfAFileWithManyEditsHasOneAddedLineEach) {
  // Thousands of documents, each edited: the diff follows the file, edit by edit.
  std::string Before, After;
  constexpr int Docs = 5000;
  for (int I = 0; I < Docs; ++I) {
    std::string Head = "---\nkind: Pod\nmetadata: {name: p" + std::to_string(I) + "}\nspec:\n";
    Before += Head + "  containers: []\n";
    After += Head + "  automountServiceAccountToken: false\n  containers: []\n";
  }
  std::string Diff = fix::unifiedDiff({"many.yaml", Before, After, {}});
  size_t Added = 0, Removed = 0;
  for (llvm::StringRef Line : llvm::split(Diff, '\n')) {
    Added += Line.startswith("+ ");
    Removed += Line.startswith("-") && !Line.startswith("---");
  }
  EXPECT_EQ(Added, size_t(Docs));
  EXPECT_EQ(Removed, 0u);
}

TEST(Fixes, ValuesOverrideSetsTheOneKeyBehindTheDecidingLine) {
  TempDir T("values");
  std::string Template = T.write("sa.yaml", "kind: ServiceAccount\n"
                                            "automountServiceAccountToken: "
                                            "{{ .Values.sa.automount }}\n"
                                            "# {{ .Values.other }}\n");
  FileTable Files;
  FileId Id = Files.intern(Template);
  auto Rendered = [&](unsigned Line, std::vector<analysis::Note> Notes) {
    analysis::Finding F = findingWith(Id, Line, 1, 2, "false", FixKind::SetValue, "SA003");
    F.Fixes[0].InRender = true;
    F.Related = std::move(Notes);
    return F;
  };
  std::vector<analysis::Finding> Findings = {
      Rendered(2, {{{}, "value sa.automount in values.yaml"}}),
      // A line that does not set the field from the key: no knob.
      Rendered(3, {{{}, "value other in values.yaml"}}),
      // A key --set overrides: a values file cannot change it.
      Rendered(2, {{{}, "value sa.automount in values.yaml (overridden by --set)"}})};
  fix::ValuesOverride V = fix::chartValuesOverride(Findings, Files);
  EXPECT_EQ(V.Yaml, "sa:\n  automount: false\n");
  EXPECT_EQ(V.Keys, (std::vector<std::string>{"sa.automount: false"}));
  EXPECT_EQ(V.Fixed, (std::vector<std::string>{"sa.automount: finding [SA003]"}));
  EXPECT_EQ(V.NeedsTemplateChange,
            (std::vector<std::string>{Template + ":3: finding [SA003]",
                                      Template + ":2: finding [SA003]"}));
}
