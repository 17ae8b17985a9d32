#include "sarif/Limits.h"

#include <gtest/gtest.h>

using namespace sarif;

namespace {

Result resultAt(Level L, std::string Message = "m") {
  Result R;
  R.RuleId = "SA001";
  R.Lvl = L;
  R.Message = std::move(Message);
  R.Locations.push_back({.Physical = {"a.yaml", "%SRCROOT%", {1}}});
  return R;
}

Run smallRun() {
  sarif::Run R;
  R.ToolName = "saguard";
  R.Rules.push_back({.Id = "SA001"});
  R.Results.push_back(resultAt(Level::Error));
  return R;
}

} // namespace

TEST(Limits, SmallLogIsWithinLimits) { EXPECT_TRUE(checkGithubLimits({smallRun()}, 1000).empty()); }

TEST(Limits, EachExceededLimitIsReported) {
  sarif::Run R = smallRun();
  R.AutomationId = "saguard/web/";
  R.Results.resize(github::MaxResultsPerRun + 1, resultAt(Level::Note));
  R.Rules[0].Tags.assign(github::MaxTagsPerRule + 1, "tag");
  R.Results[0].Locations.resize(github::MaxLocationsPerResult + 1);
  R.Results[1].CodeFlows.assign(2, ThreadFlow(github::MaxThreadFlowLocationsPerResult / 2 + 1));
  std::vector<std::string> Problems = checkGithubLimits({R}, github::MaxGzippedBytes + 1);
  ASSERT_EQ(Problems.size(), 5u);
  EXPECT_TRUE(Problems[0].starts_with("the log is 10485761 bytes before compression"))
      << Problems[0];
  EXPECT_EQ(Problems[1],
            "run 0 (saguard, saguard/web/) has 25001 results; GitHub rejects more than 25000");
  EXPECT_EQ(Problems[2],
            "run 0 (saguard, saguard/web/): rule SA001 has 21 tags; GitHub rejects more than 20");
  EXPECT_EQ(Problems[3], "run 0 (saguard, saguard/web/): result 0 (SA001) has 1001 locations; "
                         "GitHub rejects more than 1000");
  EXPECT_EQ(Problems[4], "run 0 (saguard, saguard/web/): result 1 (SA001) has 10002 thread-flow "
                         "locations; GitHub rejects more than 10000");
}

TEST(Limits, TooManyRunsAreReported) {
  std::vector<std::string> Problems =
      checkGithubLimits(std::vector<sarif::Run>(github::MaxRuns + 1, smallRun()), 0);
  ASSERT_EQ(Problems.size(), 1u);
  EXPECT_EQ(Problems[0], "the log has 21 runs; GitHub rejects more than 20");
}

TEST(Limits, TruncationKeepsTheMostSevere) {
  sarif::Run R = smallRun();
  R.Results = {resultAt(Level::Note, "n1"), resultAt(Level::Error, "e1"),
               resultAt(Level::Warning, "w1"), resultAt(Level::Error, "e2"),
               resultAt(Level::None, "x")};
  EXPECT_EQ(truncateResults(R, 3), 2u);
  std::vector<std::string> Kept;
  for (const Result &Res : R.Results)
    Kept.push_back(Res.Message);
  EXPECT_EQ(Kept, (std::vector<std::string>{"e1", "e2", "w1"}));
  ASSERT_EQ(R.Notifications.size(), 1u);
  EXPECT_EQ(R.Notifications[0].Message,
            "2 less severe results left out to keep the run within 3 results");
}

TEST(Limits, MostSevereResultsAreChosenFromTheLevelsAlone) {
  using L = Level;
  EXPECT_EQ(mostSevereResults({L::Note, L::Error, L::Warning, L::Error}, 3),
            (std::vector<std::size_t>{1, 3, 2}));
  EXPECT_EQ(mostSevereResults({L::Note, L::Error}, 2), (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(truncationNotice(2, 3).Message,
            "2 less severe results left out to keep the run within 3 results");
}

TEST(Limits, TruncationUnderTheCapChangesNothing) {
  sarif::Run R = smallRun();
  R.Results.push_back(resultAt(Level::Note));
  EXPECT_EQ(truncateResults(R), 0u);
  EXPECT_EQ(R.Results.size(), 2u);
  EXPECT_TRUE(R.Notifications.empty());
}
