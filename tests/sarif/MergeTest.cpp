#include "sarif/Merge.h"

#include <gtest/gtest.h>

using namespace sarif;
using nlohmann::json;

namespace {

Result resultOf(std::string RuleId) {
  Result R;
  R.RuleId = RuleId;
  R.Message = "finding of " + RuleId;
  R.Locations.push_back({.Physical = {"a.yaml", "%SRCROOT%", {1}}});
  return R;
}

// A saguard run over one target, with the rules that fired, in the given order.
json runOf(std::string AutomationId, std::vector<std::string> RuleIds) {
  sarif::Run R;
  R.ToolName = "saguard";
  R.SemanticVersion = "0.1.0";
  R.AutomationId = std::move(AutomationId);
  R.SrcRoot = "/repo";
  for (const std::string &Id : RuleIds) {
    R.Rules.push_back({.Id = Id});
    R.Results.push_back(resultOf(Id));
  }
  return logJson({R});
}

} // namespace

TEST(Merge, SameToolAndCategoryAreCombined) {
  OrError<json> Merged =
      merge({runOf("saguard/web/", {"SA001", "SA003"}), runOf("saguard/web/", {"SA003", "SA002"})});
  ASSERT_TRUE(Merged) << Merged.Error;
  ASSERT_EQ((*Merged.Value)["runs"].size(), 1u);
  const json &Run = (*Merged.Value)["runs"][0];
  json Rules = Run["tool"]["driver"]["rules"];
  ASSERT_EQ(Rules.size(), 3u);
  EXPECT_EQ(Rules[2]["id"], "SA002");
  ASSERT_EQ(Run["results"].size(), 4u);
  for (const json &Result : Run["results"])
    EXPECT_EQ(Rules[Result["ruleIndex"].get<std::size_t>()]["id"], Result["ruleId"]) << Result;
  EXPECT_EQ(Run["results"][3]["ruleIndex"], 2); // SA002 was index 1 in its own run
  EXPECT_EQ(Run["invocations"].size(), 2u);
  EXPECT_EQ((*Merged.Value)["version"], "2.1.0");
}

TEST(Merge, DifferentCategoriesStayApart) {
  OrError<json> Merged =
      merge({runOf("saguard/web/", {"SA001"}), runOf("saguard/db/", {"SA001"}), runOf("", {})});
  ASSERT_TRUE(Merged) << Merged.Error;
  json Runs = (*Merged.Value)["runs"];
  ASSERT_EQ(Runs.size(), 3u);
  EXPECT_EQ(Runs[1]["automationDetails"]["id"], "saguard/db/");
  EXPECT_EQ(Runs[1]["results"][0]["ruleIndex"], 0);
}

TEST(Merge, DifferentToolVersionsStayApart) {
  json Newer = runOf("saguard/web/", {"SA001"});
  Newer["runs"][0]["tool"]["driver"]["semanticVersion"] = "0.2.0";
  OrError<json> Merged = merge({runOf("saguard/web/", {"SA001"}), Newer});
  ASSERT_TRUE(Merged) << Merged.Error;
  EXPECT_EQ((*Merged.Value)["runs"].size(), 2u);
}

TEST(Merge, ConflictingSourceRootsAreAnError) {
  json Other = runOf("saguard/web/", {"SA001"});
  Other["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] = "file:///elsewhere/";
  OrError<json> Merged = merge({runOf("saguard/web/", {"SA001"}), Other});
  ASSERT_FALSE(Merged);
  EXPECT_EQ(Merged.Error, "log #2, runs[0]: cannot combine with an earlier run of the same tool "
                          "and category: they resolve %SRCROOT% differently");
}

TEST(Merge, IndexedRunPropertiesAreRefused) {
  json Other = runOf("saguard/web/", {"SA001"});
  Other["runs"][0]["artifacts"] = json::array({{{"location", {{"uri", "a.yaml"}}}}});
  OrError<json> Merged = merge({runOf("saguard/web/", {"SA001"}), Other});
  ASSERT_FALSE(Merged);
  EXPECT_TRUE(Merged.Error.ends_with("'artifacts' is not supported")) << Merged.Error;
}

TEST(Merge, MalformedInputsAreErrors) {
  json Good = runOf("saguard/web/", {"SA001"});
  EXPECT_EQ(merge({Good, json::object()}).Error,
            "log #2: unsupported SARIF version (none); only 2.1.0 is read");

  json BadIndex = Good;
  BadIndex["runs"][0]["results"][0]["ruleIndex"] = 5;
  EXPECT_EQ(merge({Good, BadIndex}).Error,
            "log #2, runs[0].results[0]: rule index 5 is out of range");

  json NoRuleId = Good;
  NoRuleId["runs"][0]["tool"]["driver"]["rules"][0].erase("id");
  OrError<json> Merged = merge({Good, NoRuleId});
  ASSERT_FALSE(Merged);
  EXPECT_TRUE(Merged.Error.starts_with("log #2, runs[0]: malformed SARIF: ")) << Merged.Error;
}
