#include "ChartArchive.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace saguard::origin;
namespace stdfs = std::filesystem;

namespace {

/// A folder with a chart's files, packed by the system tar in each of its formats.
class ChartArchive : public ::testing::Test {
protected:
  void SetUp() override {
    llvm::SmallString<128> P;
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("saguard-archive", P));
    Root = P.str().str();
    write("worker/Chart.yaml", "name: worker\n");
    write("worker/templates/" + LongName, "kind: ServiceAccount\n");
  }
  void TearDown() override { stdfs::remove_all(Root); }
  void write(const std::string &Rel, const std::string &Text) {
    stdfs::create_directories((stdfs::path(Root) / Rel).parent_path());
    std::ofstream(stdfs::path(Root) / Rel) << Text;
  }
  /// Packs worker/ with `tar --format=Format` into an archive and returns its path.
  std::string pack(const std::string &Format) {
    std::string Out = Root + "/worker-" + Format + ".tgz";
    std::string Cmd = "tar -C '" + Root + "' --format=" + Format + " -czf '" + Out + "' worker";
    EXPECT_EQ(std::system(Cmd.c_str()), 0) << Cmd;
    return Out;
  }
  std::string Root;
  // Longer than the 100 bytes of a ustar name field.
  const std::string LongName = std::string(120, 'a') + ".yaml";
};

TEST_F(ChartArchive, ReadsMembersOfEveryTarFormat) {
  // GNU tar writes a long name as an `L` record, PAX as a `path=` record of an `x` header.
  for (const char *Format : {"gnu", "pax"}) {
    auto Members = readChartArchive(pack(Format));
    ASSERT_TRUE(Members) << Format;
    EXPECT_EQ((*Members)["worker/Chart.yaml"], "name: worker\n") << Format;
    EXPECT_EQ((*Members)["worker/templates/" + LongName], "kind: ServiceAccount\n") << Format;
  }
  // ustar splits a long path into prefix and name.
  stdfs::remove_all(Root + "/worker/templates");
  std::string Deep = "templates/" + std::string(90, 'd') + "/" + std::string(60, 'e') + ".yaml";
  write("worker/" + Deep, "x: 1\n");
  auto Members = readChartArchive(pack("ustar"));
  ASSERT_TRUE(Members);
  EXPECT_EQ((*Members)["worker/" + Deep], "x: 1\n");
}

TEST_F(ChartArchive, RefusesWhatIsNoGzippedTar) {
  std::string Good = pack("gnu");
  std::ifstream In(Good, std::ios::binary);
  std::stringstream Bytes;
  Bytes << In.rdbuf();
  std::string All = Bytes.str();
  EXPECT_TRUE(readChartArchiveBytes(All));
  EXPECT_FALSE(readChartArchiveBytes(All.substr(0, All.size() / 2))) << "truncated";
  EXPECT_FALSE(readChartArchiveBytes("name: worker\n")) << "not gzip";
  EXPECT_FALSE(readChartArchive(Root + "/missing.tgz"));
}

} // namespace
