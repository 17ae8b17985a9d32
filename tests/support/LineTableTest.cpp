#include "saguard/support/LineTable.h"

#include <gtest/gtest.h>

using namespace saguard;

TEST(LineTable, LinesAreOffsetByTheDocumentsFirstLine) {
  LineTable T("a: 1\nb: 2\n", 10);
  EXPECT_EQ(T.position(0), (SourcePos{10, 1}));
  EXPECT_EQ(T.position(5), (SourcePos{11, 1}));
  EXPECT_EQ(T.position(8), (SourcePos{11, 4}));
}

TEST(LineTable, ColumnsCountCodePointsNotBytes) {
  // "é" is two bytes, "€" three: the column after them is 3, not 6.
  LineTable T("\xC3\xA9\xE2\x82\xAC: x", 1);
  EXPECT_EQ(T.position(5).Column, 3u);
}

TEST(LineTable, ByteOrderMarkDoesNotShiftColumns) {
  LineTable T("\xEF\xBB\xBF" "kind: Pod", 1);
  EXPECT_EQ(T.position(3), (SourcePos{1, 1}));
  EXPECT_EQ(T.position(9).Column, 7u);
}

TEST(LineTable, CrlfLineEndingsCountOneLine) {
  LineTable T("a: 1\r\nb: 2\r\n", 1);
  EXPECT_EQ(T.position(6), (SourcePos{2, 1}));
  EXPECT_EQ(T.lineCount(), 3u);
}
