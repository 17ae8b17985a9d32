//===- ProofTest.cpp - fix proofs that reuse the run's loads --------------===//
//
// resolveFixes compares an edited document with what the run loaded from it. These tests load
// files as the run does (split, loadDocument, recorded) and check that the proof gives the
// answer of loading the document again, also where reusing the wrong record would change it.
//
//===----------------------------------------------------------------------===//
#include "saguard/fix/Fixes.h"
#include "saguard/fix/LoadedDocuments.h"
#include "saguard/model/Loader.h"
#include "saguard/render/DocumentSplitter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

using namespace saguard;
using analysis::FixKind;

namespace {

/// A List with two Pods to fix and an item without apiVersion (an error the unedited document
/// has already), then a Pod in flow style (no fix is certain) and a Pod to fix.
const char *const Mixed = R"(apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata:
    name: first
  spec:
    containers: []
- apiVersion: v1
  kind: Pod
  metadata:
    name: second
  spec:
    automountServiceAccountToken: true
    containers: []
- kind: Pod
  metadata:
    name: no-api-version
---
{apiVersion: v1, kind: Pod, metadata: {name: flow}, spec: {containers: []}}
---
apiVersion: v1
kind: Pod
metadata:
  name: third
spec:
  containers: []
)";

/// One Pod; "aaa" and "bbb" give texts of the same size and other objects.
std::string onePod(const std::string &Name) {
  return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + Name +
         "\nspec:\n  automountServiceAccountToken: true\n  containers: []\n";
}

class Proof : public testing::Test {
protected:
  std::filesystem::path Dir;
  FileTable Files;

  void SetUp() override {
    Dir = std::filesystem::path(testing::TempDir()) /
          ("saguard-proof-" + std::string(testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::create_directories(Dir);
  }
  void TearDown() override {
    std::error_code EC;
    std::filesystem::remove_all(Dir, EC);
  }

  FileId write(const std::string &Name, const std::string &Text) {
    std::string Path = (Dir / Name).string();
    std::ofstream(Path, std::ios::binary) << Text;
    return Files.intern(Path);
  }

  /// Loads Text as the run loads the stream Id, recording its documents in Loaded.
  static void load(const std::string &Text, FileId Id, fix::LoadedDocuments &Loaded,
                   model::LoadOptions Load = {}) {
    Load.OnDocument = Loaded.recorder(Load.DefaultNamespace);
    model::LoadResult Out;
    render::DocumentSplitter Splitter(
        Id, [&](DocumentText Doc) { model::loadDocument(Doc, Load, Out); });
    Splitter.feed(Text);
    Splitter.finish();
  }
};

analysis::Finding findingWith(FileId File, unsigned Line, unsigned Column, unsigned EndColumn,
                              std::string Replacement, FixKind Kind) {
  analysis::Finding F;
  F.RuleId = "SA001";
  F.Primary = {File, {Line, Column}, {Line, EndColumn}};
  F.Fixes.push_back({"fix it", F.Primary, std::move(Replacement), Kind});
  return F;
}

const std::string AddKey = "automountServiceAccountToken: false";

/// The fixes of Mixed, in a file Id: two in the List, one in flow style, one after it.
std::vector<analysis::Finding> mixedFindings(FileId Id) {
  return {findingWith(Id, 8, 3, 8, AddKey, FixKind::AddKeyUnder),
          findingWith(Id, 15, 5, 39, "false", FixKind::SetValue),
          findingWith(Id, 21, 52, 56, AddKey, FixKind::AddKeyUnder),
          findingWith(Id, 27, 1, 6, AddKey, FixKind::AddKeyUnder)};
}

/// How many fixes resolveFixes keeps of one that sets `automountServiceAccountToken: true`, at
/// Line of File indented by Indent, to false.
size_t keepsSetValue(FileId File, unsigned Line, unsigned Indent, const FileTable &Files,
                     const fix::LoadedDocuments *Loaded) {
  std::vector<analysis::Finding> Findings = {
      findingWith(File, Line, Indent + 1, Indent + 35, "false", FixKind::SetValue)};
  fix::resolveFixes(Findings, Files, Loaded);
  return Findings[0].Fixes.size();
}

/// How many fixes each finding kept, and where each starts.
std::vector<std::pair<size_t, unsigned>> kept(const std::vector<analysis::Finding> &Findings) {
  std::vector<std::pair<size_t, unsigned>> Out;
  for (const analysis::Finding &F : Findings)
    Out.push_back({F.Fixes.size(), F.Fixes.empty() ? 0 : F.Fixes[0].Range.Begin.Line});
  return Out;
}

} // namespace

TEST_F(Proof, ReusedLoadsGiveTheFixesOfLoadingAgainInEveryFile) {
  // Two files with the same lines and other objects: each fix must meet its own file's record.
  FileId A = write("a.yaml", Mixed);
  std::string OtherText = Mixed;
  OtherText.replace(OtherText.find("first"), 5, "FIRST");
  FileId B = write("b.yaml", OtherText);
  fix::LoadedDocuments Loaded;
  load(Mixed, A, Loaded);
  load(OtherText, B, Loaded);

  std::vector<analysis::Finding> Findings = mixedFindings(A), OfB = mixedFindings(B);
  Findings.insert(Findings.end(), OfB.begin(), OfB.end());
  std::vector<analysis::Finding> Fresh = Findings;
  fix::resolveFixes(Findings, Files, &Loaded, 2);
  fix::resolveFixes(Fresh, Files);

  // The List keeps both fixes though its unedited load has an error; flow style gets none.
  std::vector<std::pair<size_t, unsigned>> Expected = {{1, 9}, {1, 15}, {0, 0}, {1, 28}};
  Expected.insert(Expected.end(), Expected.begin(), Expected.end());
  EXPECT_EQ(kept(Findings), Expected);
  EXPECT_EQ(kept(Fresh), Expected);
  for (size_t I = 0; I < Findings.size(); ++I)
    if (!Findings[I].Fixes.empty()) {
      EXPECT_EQ(Findings[I].Fixes[0].Replacement, Fresh[I].Fixes[0].Replacement);
    }
}

TEST_F(Proof, RecordsTheErrorsAndEveryObjectOfAListDocument) {
  FileId A = write("a.yaml", Mixed);
  fix::LoadedDocuments Loaded;
  load(Mixed, A, Loaded);
  std::optional<fix::LoadedDocuments::Document> List = Loaded.find(A, 1);
  ASSERT_TRUE(List);
  EXPECT_EQ(List->Errors, 1u);
  std::string Refs;
  fix::appendRefs({"v1", "Pod", "default", "first"}, Refs);
  fix::appendRefs({"v1", "Pod", "default", "second"}, Refs);
  EXPECT_EQ(List->Refs, Refs);
  EXPECT_EQ(List->TextBytes, std::string(Mixed).find("---"));
  // The third document's text starts after its `---`.
  ASSERT_TRUE(Loaded.find(A, 23));
  EXPECT_FALSE(Loaded.find(A, 22));
}

TEST_F(Proof, AFixIsCheckedAgainstTheRecordNotTheTextAgain) {
  // The run loaded "aaa" for the document that now reads "bbb" (same size): the edited
  // document gives other objects than the run analysed, so no fix is certain.
  FileId Id = write("pod.yaml", onePod("bbb"));
  fix::LoadedDocuments Loaded;
  load(onePod("aaa"), Id, Loaded);
  EXPECT_EQ(keepsSetValue(Id, 6, 2, Files, &Loaded), 0u);
  EXPECT_EQ(keepsSetValue(Id, 6, 2, Files, nullptr), 1u);
}

TEST_F(Proof, ADocumentOfAnotherSizeThanTheRecordIsLoadedAgain) {
  FileId Id = write("pod.yaml", onePod("bbb"));
  fix::LoadedDocuments Loaded;
  load(onePod("aaaa"), Id, Loaded);
  EXPECT_EQ(keepsSetValue(Id, 6, 2, Files, &Loaded), 1u);
}

TEST_F(Proof, TheEditedDocumentGetsTheRunsNamespace) {
  FileId Id = write("pod.yaml", onePod("web"));
  fix::LoadedDocuments Loaded;
  model::LoadOptions Load;
  Load.DefaultNamespace = "shop";
  load(onePod("web"), Id, Loaded, Load);
  ASSERT_TRUE(Loaded.find(Id, 1));
  EXPECT_EQ(Loaded.find(Id, 1)->DefaultNamespace, "shop");
  EXPECT_EQ(keepsSetValue(Id, 6, 2, Files, &Loaded), 1u);
}

TEST_F(Proof, DocumentsThatDroppedAnObjectAreLoadedAgain) {
  // No rule reads a ConfigMap: the List's one is dropped, and a record would miss it.
  std::string Text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n"
                     "  metadata:\n    name: settings\n" +
                     std::string("- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: web\n"
                                 "  spec:\n    automountServiceAccountToken: true\n"
                                 "    containers: []\n");
  FileId Id = write("list.yaml", Text);
  fix::LoadedDocuments Loaded;
  load(Text, Id, Loaded);
  EXPECT_FALSE(Loaded.find(Id, 1));
  EXPECT_EQ(keepsSetValue(Id, 13, 4, Files, &Loaded), 1u);
}

TEST_F(Proof, AFileReadTwiceWithOtherRecordsIsLoadedAgain) {
  FileId Id = write("pod.yaml", onePod("bbb"));
  fix::LoadedDocuments Loaded;
  load(onePod("bbb"), Id, Loaded);
  load(onePod("aaa"), Id, Loaded);
  EXPECT_FALSE(Loaded.find(Id, 1));
  load(onePod("bbb"), Id + 1, Loaded);
  load(onePod("bbb"), Id + 1, Loaded);
  EXPECT_TRUE(Loaded.find(Id + 1, 1));
}

TEST_F(Proof, AFileReadInPiecesGivesTheFixesOfItsWholeText) {
  // Over 64 KB, so lines and documents straddle the pieces the file is read in; CRLF line ends,
  // a `...` end marker, and no line end after the last line.
  std::string Text;
  std::vector<analysis::Finding> Findings;
  unsigned Line = 1;
  FileId Id = Files.intern((Dir / "many.yaml").string());
  for (int I = 0; I < 600; ++I) {
    std::string Pod = onePod("pod-" + std::to_string(I));
    if (I % 3 == 0)
      Pod += "...\n";
    Findings.push_back(findingWith(Id, Line + 5, 3, 37, "false", FixKind::SetValue));
    Findings.push_back(findingWith(Id, Line + 4, 1, 6, AddKey, FixKind::AddKeyUnder));
    Line += static_cast<unsigned>(std::count(Pod.begin(), Pod.end(), '\n')) + 1;
    Text += Pod + "---\n";
  }
  Text.resize(Text.size() - std::string("\n---\n").size()); // no line end at the end
  std::string Crlf;
  for (char C : Text)
    Crlf += C == '\n' ? std::string("\r\n") : std::string(1, C);
  ASSERT_GT(Crlf.size(), 70'000u);
  ASSERT_EQ(write("many.yaml", Crlf), Id);

  std::vector<analysis::Finding> Streamed = Findings, OnThreeThreads = Findings;
  fix::resolveFixes(Streamed, Files);
  fix::resolveFixes(OnThreeThreads, Files, nullptr, 3);
  size_t Kept = 0;
  for (size_t I = 0; I < Findings.size(); ++I) {
    std::optional<analysis::Fix> Whole = fix::resolveFix(Findings[I].Fixes[0], Crlf);
    ASSERT_EQ(Streamed[I].Fixes.size(), Whole ? 1u : 0u) << I;
    ASSERT_EQ(OnThreeThreads[I].Fixes.size(), Whole ? 1u : 0u) << I;
    if (Whole) {
      for (const auto *Got : {&Streamed[I].Fixes[0], &OnThreeThreads[I].Fixes[0]}) {
        EXPECT_EQ(Got->Range, Whole->Range) << I;
        EXPECT_EQ(Got->Replacement, Whole->Replacement) << I;
      }
      ++Kept;
    }
  }
  // Each Pod has the key already: its SetValue is made, its AddKeyUnder (a duplicate key) not.
  EXPECT_EQ(Kept, Findings.size() / 2);
}

TEST_F(Proof, DocumentsWithoutAPodSpecAreLoadedAgain) {
  // Runs without pod rules (one rule on a huge stream) keep no record; a ServiceAccount's fix
  // still gets its proof.
  std::string Text = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n"
                     "automountServiceAccountToken: true\n";
  FileId Id = write("account.yaml", Text);
  fix::LoadedDocuments Loaded;
  load(Text, Id, Loaded);
  EXPECT_FALSE(Loaded.find(Id, 1));
  EXPECT_EQ(keepsSetValue(Id, 5, 0, Files, &Loaded), 1u);
}
