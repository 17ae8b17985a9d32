#include "ReportTestUtil.h"

#include "llvm/Support/FileSystem.h"

#include <filesystem>
#include <fstream>

using namespace saguard;
using namespace saguard::report;
using namespace saguard::report::test;
namespace fs = std::filesystem;

TEST(Report, CreatesEveryListedFormat) {
  ASSERT_EQ(formatNames().size(), 5u);
  for (std::string_view Name : formatNames()) {
    auto R = createReporter(Name);
    ASSERT_TRUE(static_cast<bool>(R)) << Name << ": " << llvm::toString(R.takeError());
    EXPECT_NE(R->get(), nullptr);
  }
}

TEST(Report, UnknownFormatIsAnErrorNamingTheFormats) {
  auto R = createReporter("xml");
  ASSERT_FALSE(static_cast<bool>(R));
  std::string Message = llvm::toString(R.takeError());
  EXPECT_NE(Message.find("'xml'"), std::string::npos) << Message;
  EXPECT_NE(Message.find("text, json, sarif, gcc or github"), std::string::npos) << Message;
}

TEST(Report, WorstUnsuppressedIgnoresSuppressedFindings) {
  Fixture X = Fixture::typical();
  EXPECT_EQ(worstUnsuppressed(X.Data.Findings), Level::Error);

  std::vector<Finding> OnlySuppressed = {X.Data.Findings.back()};
  ASSERT_TRUE(OnlySuppressed[0].Suppressed);
  EXPECT_EQ(worstUnsuppressed(OnlySuppressed), std::nullopt);
  EXPECT_FALSE(hasFindingsAtOrAbove(OnlySuppressed, Level::Note));
  EXPECT_EQ(worstUnsuppressed({}), std::nullopt);
}

TEST(Report, FailOnComparesWithTheWorstFinding) {
  Fixture X;
  X.add("SA007", Level::Warning, "Role", "shop", "r", Fixture::range(X.Rbac, 1, 1, 2), "w");
  const std::vector<Finding> &Findings = X.Data.Findings;
  EXPECT_TRUE(hasFindingsAtOrAbove(Findings, Level::Note));
  EXPECT_TRUE(hasFindingsAtOrAbove(Findings, Level::Warning));
  EXPECT_FALSE(hasFindingsAtOrAbove(Findings, Level::Error));
  EXPECT_FALSE(hasFindingsAtOrAbove(Findings, std::nullopt)); // --fail-on none
  EXPECT_FALSE(hasFindingsAtOrAbove({}, Level::Note));
}

TEST(Report, DisplayPathIsRelativeToTheRootWhenUnderIt) {
  EXPECT_EQ(displayPath("/repo/charts/web/a.yaml", "/repo"), "charts/web/a.yaml");
  EXPECT_EQ(displayPath("/repo/./charts//web/../web/a.yaml", "/repo/"), "charts/web/a.yaml");
  EXPECT_EQ(displayPath("/repo/a.yaml", "/repo/sub/.."), "a.yaml");
  // Component-wise: /repository is not under /repo.
  EXPECT_EQ(displayPath("/repository/a.yaml", "/repo"), "/repository/a.yaml");
  EXPECT_EQ(displayPath("/other/./x/../a.yaml", "/repo"), "/other/a.yaml");
  EXPECT_EQ(displayPath("/a.yaml", "/"), "a.yaml");
}

TEST(Report, DisplayPathTakesRelativePathsFromTheCurrentDirectory) {
  std::string Cwd = fs::current_path().lexically_normal().string();
  EXPECT_EQ(displayPath("./charts/../charts/web.yaml", ""), "charts/web.yaml");
  EXPECT_EQ(displayPath("charts/web.yaml", Cwd), "charts/web.yaml");
  EXPECT_EQ(displayPath("charts/web.yaml", "."), "charts/web.yaml");
  std::string Outside = displayPath("charts/web.yaml", "/nonexistent-root");
  EXPECT_EQ(Outside, (fs::path(Cwd) / "charts/web.yaml").string());
  EXPECT_NE(displayPath("../up.yaml", "").rfind("/", 0), std::string::npos) << "absolute";
}

TEST(Report, DisplayPathKeepsStreamNamesAndUris) {
  EXPECT_EQ(displayPath("<stdin>", "/repo"), "<stdin>");
  EXPECT_EQ(displayPath("https://example.com/a.yaml", "/repo"), "https://example.com/a.yaml");
  EXPECT_EQ(displayPath("", "/repo"), "");
}

TEST(Report, DisplayPathSeesThroughSymlinkedRoots) {
  fs::path Base = fs::path(testing::TempDir()) / "saguard-report-symlink";
  fs::remove_all(Base);
  fs::create_directories(Base / "real" / "charts");
  std::ofstream(Base / "real" / "charts" / "a.yaml") << "kind: Pod\n";
  fs::create_directory_symlink(Base / "real", Base / "link");
  EXPECT_EQ(displayPath((Base / "link" / "charts" / "a.yaml").string(), (Base / "real").string()),
            "charts/a.yaml");
  fs::remove_all(Base);
}

TEST(Report, SemanticKeyIgnoresLinesAndSeparatesObjects) {
  Fixture X;
  Finding A = X.add("SA001", Level::Error, "Deployment", "shop", "web",
                    Fixture::range(X.Deployment, 12, 7, 19), "m");
  Finding B = A;
  B.Primary.Begin.Line = B.Primary.End.Line = 99;
  EXPECT_EQ(semanticKey(A, Root), semanticKey(B, Root));
  B.Object.Name = "web-2";
  EXPECT_NE(semanticKey(A, Root), semanticKey(B, Root));
  // The target counts as printed, so a checkout elsewhere keeps its keys.
  Finding C = A;
  C.Target = "/elsewhere/charts/web";
  EXPECT_EQ(semanticKey(A, Root), semanticKey(C, "/elsewhere"));
}

TEST(Report, SemanticKeyUsesTheStableNameAndTheSourceTemplate) {
  Fixture X;
  Finding A = X.add("SA001", Level::Error, "Pod", "shop", "web-test-x7k2a",
                    Fixture::range(X.Deployment, 12, 7, 19), "m");
  A.Source = "web/templates/tests/test.yaml";
  A.StableName = "#1";
  // Another render draws another name: the same finding.
  Finding B = A;
  B.Object.Name = "web-test-q9z3m";
  EXPECT_EQ(semanticKey(A, Root), semanticKey(B, Root));
  // The second Pod of that template, or the first of another template, is another finding.
  Finding C = A;
  C.StableName = "#2";
  EXPECT_NE(semanticKey(A, Root), semanticKey(C, Root));
  Finding D = A;
  D.Source = "web/templates/tests/other.yaml";
  EXPECT_NE(semanticKey(A, Root), semanticKey(D, Root));
  // apiVersion is no part of it: moving a CronJob to batch/v1 keeps its alerts.
  Finding E = A;
  E.Object.ApiVersion = "v2";
  EXPECT_EQ(semanticKey(A, Root), semanticKey(E, Root));
}

TEST(Report, PrintableEscapesControlsAndDefusesWorkflowCommands) {
  EXPECT_EQ(printable("plain\ttext: ok"), "plain\ttext: ok");
  EXPECT_EQ(printable("evil\x1b[31mRED\r\n::error x"), "evil\\x1b[31mRED\\x0d\\x0a::error x");
  EXPECT_EQ(printable("::error file=x::forged"), "\\x3a:error file=x::forged");
  EXPECT_EQ(printable("  ##[error]forged"), "  \\x23#[error]forged");
  EXPECT_EQ(printable("a\xC2\x85"
                      "b\xE2\x80\xA8"
                      "c\x7f\xC3\xA9"),
            "a\\u{0085}b\\u{2028}c\\x7f\xC3\xA9");
}
