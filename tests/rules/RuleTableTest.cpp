// Parity of the rule table: Rules.def <-> docs/rules <-> tests/rules <-> the generated index.
#include "saguard/analysis/Analyzer.h"
#include "saguard/rules/RuleRegistry.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace saguard;

namespace {

const std::filesystem::path SourceDir = SAGUARD_SOURCE_DIR;

/// The headings every help page has.
/// "When it stays quiet" tells a user who expected a finding why there is none.
const char *const RequiredHeadings[] = {"## What",
                                        "## Why",
                                        "## When it stays quiet",
                                        "## Fix",
                                        "### Plain YAML",
                                        "### Helm chart",
                                        "### Kustomize overlay",
                                        "## Suppress"};

std::vector<std::string> lines(std::string_view Text) {
  std::vector<std::string> Out;
  std::istringstream In{std::string(Text)};
  for (std::string Line; std::getline(In, Line);) {
    if (!Line.empty() && Line.back() == '\r')
      Line.pop_back();
    Out.push_back(Line);
  }
  return Out;
}

bool hasLine(const std::vector<std::string> &Lines, const std::string &Wanted) {
  return std::find(Lines.begin(), Lines.end(), Wanted) != Lines.end();
}

std::string tableCell(std::string_view Text) {
  std::string Out;
  for (char C : Text) {
    if (C == '|')
      Out += '\\';
    Out += C;
  }
  return Out;
}

/// Ids of the files in Dir whose names match Pattern (its first group is the id).
std::set<std::string> idsOnDisk(const std::filesystem::path &Dir, const std::regex &Pattern) {
  std::set<std::string> Ids;
  for (const auto &Entry : std::filesystem::directory_iterator(Dir)) {
    std::smatch M;
    std::string Name = Entry.path().filename().string();
    if (std::regex_match(Name, M, Pattern))
      Ids.insert(M[1]);
  }
  return Ids;
}

std::set<std::string> idsInTable() {
  std::set<std::string> Ids;
  for (const analysis::RuleInfo &R : analysis::allRules())
    Ids.insert(std::string(R.Id));
  return Ids;
}

} // namespace

TEST(RuleTable, IdsAndNamesAreWellFormedUniqueAndSorted) {
  auto Rules = analysis::allRules();
  ASSERT_FALSE(Rules.empty());
  const std::regex IdForm("SA[0-9]{3}"), Kebab("[a-z0-9]+(-[a-z0-9]+)*");
  std::set<std::string_view> Names;
  for (size_t I = 0; I < Rules.size(); ++I) {
    const analysis::RuleInfo &R = Rules[I];
    SCOPED_TRACE(std::string(R.Id));
    EXPECT_TRUE(std::regex_match(std::string(R.Id), IdForm));
    EXPECT_TRUE(std::regex_match(std::string(R.Name), Kebab)) << R.Name << " is not kebab-case";
    EXPECT_TRUE(Names.insert(R.Name).second) << "duplicate name " << R.Name;
    EXPECT_FALSE(R.Summary.empty());
    EXPECT_NE(R.Create, nullptr);
    if (I > 0) {
      EXPECT_LT(Rules[I - 1].Id, R.Id) << "ids are duplicated or out of order";
    }
  }
}

TEST(RuleTable, EveryRuleHasACompleteHelpPage) {
  for (const analysis::RuleInfo &R : analysis::allRules()) {
    SCOPED_TRACE(std::string(R.Id));
    ASSERT_FALSE(R.Help.empty()) << "docs/rules/" << R.Id << ".md is missing";
    std::vector<std::string> Page = lines(R.Help);
    ASSERT_FALSE(Page.empty());
    EXPECT_EQ(Page[0], "# " + std::string(R.Id) + " " + std::string(R.Name));
    std::string Level = "**Level:** " + std::string(analysis::levelName(R.DefaultLevel));
    EXPECT_TRUE(std::any_of(Page.begin(), Page.end(),
                            [&](const std::string &L) { return L.rfind(Level, 0) == 0; }))
        << "no line starting with '" << Level << "'";
    for (const char *Heading : RequiredHeadings)
      EXPECT_TRUE(hasLine(Page, Heading)) << "no '" << Heading << "' heading";
  }
}

TEST(RuleTable, EveryRuleHasATestFile) {
  for (const analysis::RuleInfo &R : analysis::allRules())
    EXPECT_TRUE(
        std::filesystem::exists(SourceDir / "tests/rules" / (std::string(R.Id) + "_test.cpp")))
        << "tests/rules/" << R.Id << "_test.cpp is missing";
}

TEST(RuleTable, NoPageOrTestWithoutARow) {
  std::set<std::string> Rows = idsInTable();
  for (const std::string &Id : idsOnDisk(SourceDir / "docs/rules", std::regex("(SA.*)\\.md")))
    EXPECT_TRUE(Rows.count(Id)) << "docs/rules/" << Id << ".md has no row in Rules.def";
  for (const std::string &Id :
       idsOnDisk(SourceDir / "tests/rules", std::regex("(SA.*)_test\\.cpp")))
    EXPECT_TRUE(Rows.count(Id)) << "tests/rules/" << Id << "_test.cpp has no row in Rules.def";
}

TEST(RuleTable, GeneratedIndexIsUpToDate) {
  std::ifstream In(SourceDir / "docs/rules/README.md");
  ASSERT_TRUE(In) << "docs/rules/README.md is missing; run scripts/new_rule.py --index";
  std::stringstream Text;
  Text << In.rdbuf();
  std::vector<std::string> Rows;
  bool MentionsGenerator = false;
  for (const std::string &Line : lines(Text.str())) {
    if (Line.rfind("| [", 0) == 0)
      Rows.push_back(Line);
    MentionsGenerator |= Line.find("scripts/new_rule.py --index") != std::string::npos;
  }
  EXPECT_TRUE(MentionsGenerator);
  // The same rows as render_index() in scripts/new_rule.py.
  std::vector<std::string> Expected;
  for (const analysis::RuleInfo &R : analysis::allRules()) {
    std::string Id(R.Id);
    Expected.push_back("| [" + Id + "](" + Id + ".md) | " + tableCell(R.Name) + " | " +
                       std::string(analysis::levelName(R.DefaultLevel)) + " | " +
                       tableCell(R.Summary) + " |");
  }
  EXPECT_EQ(Rows, Expected) << "docs/rules/README.md is stale; run scripts/new_rule.py --index";
}

TEST(RuleTable, EveryRuleHasOneSecuritySeverityOnGitHubsScale) {
  std::map<std::string, int> Rows;
  for (const analysis::RuleSeverity &S : analysis::securitySeverityTable())
    ++Rows[std::string(S.Id)];
  std::set<std::string> Rules = idsInTable();
  for (const auto &[Id, Count] : Rows) {
    EXPECT_TRUE(Rules.count(Id)) << "SecuritySeverity.def has a row for " << Id
                                 << ", which Rules.def lacks";
    EXPECT_EQ(Count, 1) << Id << " has " << Count << " rows in SecuritySeverity.def";
  }
  for (const analysis::RuleInfo &R : analysis::allRules()) {
    SCOPED_TRACE(std::string(R.Id));
    EXPECT_TRUE(Rows.count(std::string(R.Id))) << "no row in src/rules/SecuritySeverity.def";
    EXPECT_GT(R.SecuritySeverity, 0.0);
    EXPECT_LE(R.SecuritySeverity, 10.0);
    // The default level and the score agree: notes are low, errors at least high.
    if (R.DefaultLevel == analysis::Level::Note) {
      EXPECT_LT(R.SecuritySeverity, 4.0);
    }
    if (R.DefaultLevel == analysis::Level::Error) {
      EXPECT_GE(R.SecuritySeverity, 7.0);
    }
  }
}

TEST(RuleTable, EveryRuleDeclaresThePartsItReads) {
  for (const analysis::RuleInfo &R : analysis::allRules())
    EXPECT_NE(R.Create()->reads(), model::ModelParts()) << R.Id << " declares no part it reads";
  auto Only = [](std::string Id) {
    analysis::RuleSelection S;
    S.Enabled.insert(std::move(Id));
    return analysis::partsRead(S, analysis::allRules());
  };
  // `--enable SA009` keeps token Secrets and ServiceAccounts only.
  EXPECT_EQ(Only("SA009"),
            (model::ModelParts{model::ModelPart::Accounts, model::ModelPart::TokenSecrets}));
  // A Pod's findings are suppressed through its account, so pod specs bring the accounts.
  EXPECT_EQ(Only("SA011"),
            (model::ModelParts{model::ModelPart::PodSpecs, model::ModelPart::Accounts}));
  EXPECT_EQ(analysis::partsRead({}, analysis::allRules()), model::ModelParts::all());
  analysis::RuleSelection None;
  for (const analysis::RuleInfo &R : analysis::allRules())
    None.Disabled.insert(std::string(R.Id));
  EXPECT_EQ(analysis::partsRead(None, analysis::allRules()), model::ModelParts());
}
