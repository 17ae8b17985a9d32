#include "saguard/model/PreScan.h"
#include "saguard/support/LineTable.h"

#include <gtest/gtest.h>

using namespace saguard;

namespace {

TEST(PreScan, FindsTheLineStartsALineTableFinds) {
  for (std::string Text : {"a: 1\nb: 2\n", "a: 1\r\nb: [x,\r\n  y]\r\n", "a: 1\rb: 2\n# c\n\n",
                           "a: |\n  x\n\n  y", "", "\n\n", "k: \"caf\xC3\xA9\"\n- x\n"}) {
    model::PreScanResult Scan = model::preScan(Text, model::LoadLimits{});
    ASSERT_FALSE(Scan.Error) << *Scan.Error;
    LineTable Found(Text, 3, Scan.LineStarts), Counted(Text, 3);
    EXPECT_EQ(Found.lineCount(), Counted.lineCount()) << Text;
    for (size_t I = 0; I <= Text.size(); ++I)
      EXPECT_EQ(Found.position(I), Counted.position(I)) << Text << " at " << I;
  }
}

} // namespace
