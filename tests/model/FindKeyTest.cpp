#include "saguard/model/ModelYAML.h"

#include <gtest/gtest.h>

using saguard::model::findKeyBefore;

// A copy: comparing against StringRef::npos by reference would odr-use LLVM 14's out-of-line
// definition and clash at link time with the inline one C++17 makes.
static constexpr size_t NoKey = llvm::StringRef::npos;

static size_t keyOf(llvm::StringRef Text, llvm::StringRef Value) {
  return findKeyBefore(Text, Text.find(Value));
}

TEST(FindKeyBefore, SameLine) {
  llvm::StringRef T = "spec:\n  name: web\n";
  EXPECT_EQ(keyOf(T, "web"), T.find("name"));
}

TEST(FindKeyBefore, MappingValueOnTheNextLines) {
  llvm::StringRef T = "metadata: {}\nspec:\n  containers: []\n";
  EXPECT_EQ(keyOf(T, "containers"), T.find("spec"));
}

TEST(FindKeyBefore, SkipsCommentsAndBlankLinesAndTrailingComments) {
  llvm::StringRef T = "spec: # the pod\n\n  # comment\n  containers: []\n";
  EXPECT_EQ(keyOf(T, "containers"), T.find("spec"));
}

TEST(FindKeyBefore, SequenceEntryMarkersAreNotKeys) {
  llvm::StringRef T = "items:\n- kind: Pod\n  spec:\n    containers: []\n";
  EXPECT_EQ(keyOf(T, "containers"), T.find("spec"));
  llvm::StringRef Seq = "verbs:\n- get\n";
  EXPECT_EQ(keyOf(Seq, "get"), NoKey);
  llvm::StringRef Entry = "subjects:\n- kind: User\n";
  EXPECT_EQ(keyOf(Entry, "User"), Entry.find("kind"));
}

TEST(FindKeyBefore, FlowAndQuotedKeys) {
  llvm::StringRef T = "metadata: {name: a, namespace: b}\n";
  EXPECT_EQ(keyOf(T, "b}"), T.find("namespace"));
  llvm::StringRef Q = "\"spec\": {\"x\": 1}\n";
  EXPECT_EQ(keyOf(Q, "{"), 0u);
}

TEST(FindKeyBefore, FlowCollectionValues) {
  llvm::StringRef T = "spec: {containers: []}\n";
  EXPECT_EQ(keyOf(T, "containers"), 0u);
  llvm::StringRef Nested = "a: {b: {c: 1}}\n";
  EXPECT_EQ(keyOf(Nested, "c"), Nested.find("b"));
  // Items of a flow sequence keep their own position: they are no key's value.
  llvm::StringRef Verbs = "verbs: [get, list]\n";
  EXPECT_EQ(keyOf(Verbs, "get"), NoKey);
  llvm::StringRef InList = "b: [ {c: 1}]\n";
  EXPECT_EQ(keyOf(InList, "c"), NoKey);
  llvm::StringRef Item = "- {name: a}\n";
  EXPECT_EQ(keyOf(Item, "name"), NoKey);
}

TEST(FindKeyBefore, NothingBeforeTheFirstKey) {
  EXPECT_EQ(findKeyBefore("kind: Pod\n", 0), NoKey);
}
