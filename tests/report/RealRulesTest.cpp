// The SARIF rule table built from the real rules and help pages (docs/rules/SAxxx.md).
#include "ReportTestUtil.h"
#include "SarifValidator.h"

#include "saguard/report/SarifReport.h"
#include "saguard/rules/RuleRegistry.h"

#include <nlohmann/json.hpp>

using namespace saguard;
using namespace saguard::report;
using namespace saguard::report::test;
using namespace saguard::test;
using nlohmann::json;

TEST(RealRules, EveryRuleHasGithubsRequiredTexts) {
  ASSERT_FALSE(analysis::allRules().empty());
  for (const analysis::RuleInfo &Rule : analysis::allRules()) {
    sarif::ReportingDescriptor D = ruleDescriptor(Rule);
    EXPECT_FALSE(D.ShortDescription.empty()) << Rule.Id;
    EXPECT_FALSE(D.FullDescription.empty()) << Rule.Id << ": help page without a `## What`";
    EXPECT_LE(D.FullDescription.size(), 1024u) << Rule.Id;
    EXPECT_EQ(D.FullDescription.find('`'), std::string::npos) << Rule.Id;
    EXPECT_EQ(D.HelpMarkdown, std::string(Rule.Help)) << Rule.Id;
    EXPECT_FALSE(D.HelpText.empty()) << Rule.Id;
  }
}

TEST(RealRules, RuleIndexFollowsTheTable) {
  Fixture X;
  X.Data.Rules = analysis::allRules();
  const analysis::RuleInfo &Last = analysis::allRules().back();
  Finding &F = X.add(std::string(Last.Id), Last.DefaultLevel, "Deployment", "shop", "web",
                     Fixture::range(X.Deployment, 3, 1, 4), "m");
  F.RuleName = std::string(Last.Name);
  json Run = json::parse(render("sarif", X.Data))["runs"][0];
  ASSERT_EQ(Run["tool"]["driver"]["rules"].size(), analysis::allRules().size());
  EXPECT_EQ(Run["results"][0]["ruleIndex"], analysis::allRules().size() - 1);
}

TEST(RealRules, ReportWithEveryRuleIsValidForGithub) {
  requireSarifValidator();
  Fixture X = Fixture::typical();
  X.Data.Rules = analysis::allRules();
  X.Data.Findings.clear();
  unsigned Line = 1;
  for (const analysis::RuleInfo &Rule : analysis::allRules())
    X.add(std::string(Rule.Id), Rule.DefaultLevel, "Deployment", "shop", "web",
          Fixture::range(X.Deployment, Line++, 1, 4), "finding of " + std::string(Rule.Name));
  CommandOutcome Result = validateSarif(render("sarif", X.Data), "saguard-report-allrules.sarif");
  EXPECT_EQ(Result.Status, 0) << Result.Output;
}
