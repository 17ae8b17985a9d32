#include "sarif/Reader.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace sarif;
using nlohmann::json;

namespace {

Run sampleRun() {
  sarif::Run R;
  R.ToolName = "saguard";
  R.Rules.push_back({.Id = "SA001"});
  Result Res;
  Res.RuleId = "SA001";
  Res.Lvl = Level::Error;
  Res.Message = "pod 'web' mounts the API token";
  Res.Locations.push_back(
      {.Physical = {"./my chart/templates/pod.yaml", "%SRCROOT%", {4, 3, 4, 12}},
       .LogicalFullyQualifiedName = "Pod/shop/web",
       .LogicalKind = "object"});
  Res.PartialFingerprints["primaryLocationLineHash"] = "00000000000000ab:1";
  Res.Properties = {{"k8s.kind", "Pod"}};
  R.Results.push_back(Res);
  return R;
}

} // namespace

TEST(Reader, BrokenJsonIsAnErrorNotAnException) {
  OrError<json> Log = parseLog(R"({"version": "2.1.0", "runs": [)");
  ASSERT_FALSE(Log);
  EXPECT_TRUE(Log.Error.starts_with("invalid JSON: parse error at line 1")) << Log.Error;
}

TEST(Reader, OutlineIsChecked) {
  EXPECT_EQ(parseLog("[]").Error, "not a SARIF log: the top level is not an object");
  EXPECT_EQ(parseLog(R"({"version": "2.0.0", "runs": []})").Error,
            "unsupported SARIF version \"2.0.0\"; only 2.1.0 is read");
  EXPECT_EQ(parseLog(R"({"version": "2.1.0"})").Error,
            "not a SARIF log: 'runs' is missing or not an array");
  EXPECT_EQ(parseLog(R"({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]})").Error,
            "runs[0]: tool.driver.name is missing");
  EXPECT_TRUE(parseLog(R"({"version": "2.1.0", "runs": []})"));
}

TEST(Reader, MissingFileIsNamed) {
  OrError<json> Log = readLogFile("/nonexistent/base.sarif");
  ASSERT_FALSE(Log);
  EXPECT_EQ(Log.Error, "cannot open '/nonexistent/base.sarif': No such file or directory");
}

TEST(Reader, FileErrorsNameTheFile) {
  std::string Path = testing::TempDir() + "reader-broken.sarif";
  std::ofstream(Path) << "{not json";
  OrError<json> Log = readLogFile(Path);
  ASSERT_FALSE(Log);
  EXPECT_TRUE(Log.Error.starts_with("'" + Path + "': invalid JSON: ")) << Log.Error;
}

TEST(Reader, WrittenResultsReadBack) {
  OrError<json> Log = parseLog(writeLog({sampleRun()}));
  ASSERT_TRUE(Log) << Log.Error;
  OrError<std::vector<Result>> Results = readResults(*Log.Value);
  ASSERT_TRUE(Results) << Results.Error;
  ASSERT_EQ(Results.Value->size(), 1u);
  const Result &R = Results.Value->front();
  EXPECT_EQ(R.RuleId, "SA001");
  EXPECT_EQ(R.Lvl, Level::Error);
  EXPECT_EQ(R.Message, "pod 'web' mounts the API token");
  EXPECT_EQ(R.PartialFingerprints.at("primaryLocationLineHash"), "00000000000000ab:1");
  EXPECT_EQ(R.Properties["k8s.kind"], "Pod");
  const Location &L = R.Locations.at(0);
  EXPECT_EQ(L.Physical.Uri, "my chart/templates/pod.yaml"); // percent-decoded
  EXPECT_EQ(L.Physical.UriBaseId, "%SRCROOT%");
  EXPECT_EQ(L.Physical.Reg, (Region{4, 3, 4, 12}));
  EXPECT_EQ(L.LogicalFullyQualifiedName, "Pod/shop/web");
  // Writing a read result again gives the same JSON.
  sarif::Run Again = sampleRun();
  Again.Results = *Results.Value;
  EXPECT_EQ(toJson(Again), (*Log.Value)["runs"][0]);
}

TEST(Reader, MalformedResultsAreErrorsWithAPath) {
  json Log = json::parse(R"({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "t"}},
    "results": [{"ruleId": "A", "message": {"text": "ok"}},
                {"ruleId": 7, "message": {"text": "bad"}}]}]})");
  OrError<std::vector<Result>> Results = readResults(Log);
  ASSERT_FALSE(Results);
  EXPECT_TRUE(Results.Error.starts_with("runs[0].results[1]: type must be string"))
      << Results.Error;

  Log["runs"][0]["results"] = {{{"message", "not an object"}}};
  EXPECT_FALSE(readResults(Log));
  EXPECT_EQ(readResults(json::array()).Error, "not a SARIF log: the top level is not an object");
}
