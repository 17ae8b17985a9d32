#include "sarif/Baseline.h"

#include "sarif/Fingerprint.h"

#include <gtest/gtest.h>

using namespace sarif;

namespace {

Result result(std::string RuleId, std::string_view Key, std::string Message = "message") {
  Result R;
  R.RuleId = std::move(RuleId);
  R.Message = std::move(Message);
  R.Locations.push_back({.Physical = {"a.yaml", "%SRCROOT%", {1}}});
  if (!Key.empty())
    R.PartialFingerprints[std::string(PrimaryLocationLineHashKey)] = primaryLocationLineHash(Key);
  return R;
}

std::vector<BaselineState> states(const std::vector<Result> &Results) {
  std::vector<BaselineState> Out;
  for (const Result &R : Results)
    Out.push_back(R.Baseline);
  return Out;
}

} // namespace

TEST(Baseline, NewUnchangedUpdatedAndAbsent) {
  std::vector<Result> Previous = {result("SA001", "web"), result("SA002", "web", "old text"),
                                  result("SA003", "gone")};
  std::vector<Result> Current = {result("SA001", "web"), result("SA002", "web", "new text"),
                                 result("SA004", "fresh")};
  std::vector<Result> Absent = applyBaseline(Current, Previous);
  EXPECT_EQ(states(Current),
            (std::vector<BaselineState>{BaselineState::Unchanged, BaselineState::Updated,
                                        BaselineState::New}));
  ASSERT_EQ(Absent.size(), 1u);
  EXPECT_EQ(Absent[0].RuleId, "SA003");
  EXPECT_EQ(Absent[0].Baseline, BaselineState::Absent);
  EXPECT_EQ(Absent[0].Locations.size(), 1u); // kept, so it can be written back
}

TEST(Baseline, RuleIdIsPartOfTheMatch) {
  std::vector<Result> Current = {result("SA002", "web")};
  std::vector<Result> Absent = applyBaseline(Current, {result("SA001", "web")});
  EXPECT_EQ(Current[0].Baseline, BaselineState::New);
  EXPECT_EQ(Absent.size(), 1u);
}

TEST(Baseline, EachPreviousResultMatchesOnce) {
  std::vector<Result> Current = {result("SA001", "web"), result("SA001", "web")};
  std::vector<Result> Absent = applyBaseline(Current, {result("SA001", "web")});
  EXPECT_EQ(states(Current),
            (std::vector<BaselineState>{BaselineState::Unchanged, BaselineState::New}));
  EXPECT_TRUE(Absent.empty());
}

TEST(Baseline, ExactMatchesWinOverUpdates) {
  // The first current result only differs in message; it must not take the previous result
  // that the second one matches exactly.
  std::vector<Result> Current = {result("SA001", "web", "edited"), result("SA001", "web", "same")};
  std::vector<Result> Absent = applyBaseline(Current, {result("SA001", "web", "same")});
  EXPECT_EQ(states(Current),
            (std::vector<BaselineState>{BaselineState::New, BaselineState::Unchanged}));
  EXPECT_TRUE(Absent.empty());
}

TEST(Baseline, ResultsWithoutLineHashNeverMatch) {
  std::vector<Result> Current = {result("SA001", "")};
  std::vector<Result> Absent = applyBaseline(Current, {result("SA001", "")});
  EXPECT_EQ(Current[0].Baseline, BaselineState::New);
  ASSERT_EQ(Absent.size(), 1u);
}

TEST(Baseline, MessageKeyDecidesWhatCountsAsUnchanged) {
  // Names drawn at random differ between two renders; the key leaves them out.
  auto WithoutName = [](const Result &R) { return R.Message.substr(0, R.Message.find('\'')); };
  std::vector<Result> Current = {result("SA001", "web", "Pod runs as 'default' 'x-abcde'")};
  std::vector<Result> Absent = applyBaseline(
      Current, {result("SA001", "web", "Pod runs as 'default' 'x-fghij'")}, WithoutName);
  EXPECT_EQ(Current[0].Baseline, BaselineState::Unchanged);
  EXPECT_TRUE(Absent.empty());
  // Without the key, the text itself decides.
  Current = {result("SA001", "web", "Pod 'x-abcde'")};
  applyBaseline(Current, {result("SA001", "web", "Pod 'x-fghij'")});
  EXPECT_EQ(Current[0].Baseline, BaselineState::Updated);
}
