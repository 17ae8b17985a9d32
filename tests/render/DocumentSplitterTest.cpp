#include "saguard/render/DocumentSplitter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using saguard::DocumentText;
using saguard::render::DocumentSplitter;

namespace {

struct Dropped {
  unsigned FirstLine;
  size_t Bytes;
  bool operator==(const Dropped &O) const { return FirstLine == O.FirstLine && Bytes == O.Bytes; }
};

struct Split {
  std::vector<DocumentText> Docs;
  std::vector<Dropped> Oversized;
};

/// Feeds Input cut at the given offsets (ascending) and finishes.
Split splitAt(std::string_view Input, const std::vector<size_t> &Cuts,
              size_t Limit = DocumentSplitter::DefaultMaxDocumentBytes) {
  Split Out;
  DocumentSplitter S(
      7, [&](DocumentText D) { Out.Docs.push_back(std::move(D)); },
      [&](unsigned Line, size_t Bytes) { Out.Oversized.push_back({Line, Bytes}); }, Limit);
  size_t Pos = 0;
  for (size_t Cut : Cuts) {
    S.feed(Input.substr(Pos, Cut - Pos));
    Pos = Cut;
  }
  S.feed(Input.substr(Pos));
  S.finish();
  return Out;
}

Split split(std::string_view Input, size_t Limit = DocumentSplitter::DefaultMaxDocumentBytes) {
  return splitAt(Input, {}, Limit);
}

void expectSame(const Split &A, const Split &B, const std::string &Where) {
  ASSERT_EQ(A.Docs.size(), B.Docs.size()) << Where;
  for (size_t I = 0; I < A.Docs.size(); ++I) {
    EXPECT_EQ(A.Docs[I].Text, B.Docs[I].Text) << Where << " doc " << I;
    EXPECT_EQ(A.Docs[I].FirstLine, B.Docs[I].FirstLine) << Where << " doc " << I;
    EXPECT_EQ(A.Docs[I].HelmSource, B.Docs[I].HelmSource) << Where << " doc " << I;
    EXPECT_EQ(A.Docs[I].Stream, B.Docs[I].Stream) << Where << " doc " << I;
  }
  EXPECT_EQ(A.Oversized, B.Oversized) << Where;
}

// Every feature of the splitter in one stream, for the chunking test.
const std::string Mixed = "\xEF\xBB\xBF# leading comment\n"                   // 1
                          "a: 1\r\n"                                          // 2
                          "---\r\n"                                           // 3
                          "# Source: chart/templates/sa.yaml\r\n"             // 4
                          "kind: ServiceAccount\r\n"                          // 5
                          "--- {b: 2}\n"                                      // 6
                          "---\n"                                             // 7
                          "\xEF\xBB\xBF"
                          "c: |\n"                                            // 8
                          "  ---\n"                                           // 9
                          "  ...\n"                                           // 10
                          "d: 4\n"                                            // 11
                          "...\n"                                             // 12
                          "# only a comment\n"                                // 13
                          "---\n"                                             // 14
                          "\n"                                                // 15
                          "---   \t\n"                                        // 16
                          "e: 5\n"                                            // 17
                          "\xEF\xBB\xBF--- !!map\n"                           // 18
                          "f: 6";                                             // 19

} // namespace

TEST(DocumentSplitter, SplitsMixedStream) {
  Split S = split(Mixed);
  ASSERT_EQ(S.Docs.size(), 6u);
  EXPECT_EQ(S.Docs[0].Text, "# leading comment\na: 1\r\n");
  EXPECT_EQ(S.Docs[0].FirstLine, 1u);
  EXPECT_EQ(S.Docs[0].Stream, 7u);
  EXPECT_EQ(S.Docs[1].Text, "# Source: chart/templates/sa.yaml\r\nkind: ServiceAccount\r\n");
  EXPECT_EQ(S.Docs[1].FirstLine, 4u);
  EXPECT_EQ(S.Docs[1].HelmSource, "chart/templates/sa.yaml");
  EXPECT_EQ(S.Docs[2].Text, "    {b: 2}\n");
  EXPECT_EQ(S.Docs[2].FirstLine, 6u);
  EXPECT_EQ(S.Docs[3].Text, "c: |\n  ---\n  ...\nd: 4\n");
  EXPECT_EQ(S.Docs[3].FirstLine, 8u);
  EXPECT_EQ(S.Docs[4].Text, "e: 5\n");
  EXPECT_EQ(S.Docs[4].FirstLine, 17u);
  EXPECT_EQ(S.Docs[5].Text, "    !!map\nf: 6");
  EXPECT_EQ(S.Docs[5].FirstLine, 18u);
}

TEST(DocumentSplitter, ChunkBoundariesDoNotMatter) {
  Split Whole = split(Mixed);
  for (size_t Cut = 0; Cut <= Mixed.size(); ++Cut)
    expectSame(Whole, splitAt(Mixed, {Cut}), "cut at " + std::to_string(Cut));
  for (size_t A = 0; A <= Mixed.size(); A += 3)
    for (size_t B = A; B <= Mixed.size(); B += 5)
      expectSame(Whole, splitAt(Mixed, {A, B}),
                 "cuts at " + std::to_string(A) + "," + std::to_string(B));
  std::vector<size_t> EveryByte;
  for (size_t I = 1; I < Mixed.size(); ++I)
    EveryByte.push_back(I);
  expectSame(Whole, splitAt(Mixed, EveryByte), "byte by byte");
}

TEST(DocumentSplitter, RunsOfContentLinesSplitAsLineByLine) {
  // Whole chunks take runs of content lines at once; fed byte by byte, every line is looked at
  // on its own. Each line below starts a run, ends one, or must stop it.
  const std::string Runs = "# Source: a.yaml\n"        // 1
                           "kind: A\n"                 // 2
                           "# a comment after content\n"
                           "%not a directive\n"
                           "  }\n"                     // 5: indented, no JSON close
                           "x: \xEF\xBB\xBF\n"           // 6: a BOM inside content stays
                           "\xEF\xBB\xBF---\n"           // 7
                           "{\n"                       // 8
                           "  \"a\": 1\n"
                           "}\n"                       // 10
                           "# between\n"
                           "\n"
                           "{\"b\": 2}\n"                // 13: a JSON value after one
                           "  - x\n"
                           "]\n"                       // 15
                           "...\n"                     // 16
                           "y: 1\n"
                           "z: 2";
  Split Whole = split(Runs);
  ASSERT_EQ(Whole.Docs.size(), 4u);
  EXPECT_EQ(Whole.Docs[0].Text, "# Source: a.yaml\nkind: A\n# a comment after content\n"
                                "%not a directive\n  }\nx: \xEF\xBB\xBF\n");
  EXPECT_EQ(Whole.Docs[1].FirstLine, 8u);
  EXPECT_EQ(Whole.Docs[2].FirstLine, 13u);
  EXPECT_EQ(Whole.Docs[3].Text, "y: 1\nz: 2");
  EXPECT_EQ(Whole.Docs[3].FirstLine, 17u);
  std::vector<size_t> EveryByte;
  for (size_t I = 1; I < Runs.size(); ++I)
    EveryByte.push_back(I);
  expectSame(Whole, splitAt(Runs, EveryByte), "byte by byte");
  for (size_t Cut = 0; Cut <= Runs.size(); ++Cut)
    expectSame(Whole, splitAt(Runs, {Cut}), "cut at " + std::to_string(Cut));
  // A run stops where the document passes the limit.
  for (size_t Limit : {20, 40, 60, 75})
    expectSame(split(Runs, Limit), splitAt(Runs, EveryByte, Limit),
               "limit " + std::to_string(Limit));
}

TEST(DocumentSplitter, FirstDocumentNeedsNoMarker) {
  Split S = split("apiVersion: v1\nkind: Pod\n---\nkind: B\n");
  ASSERT_EQ(S.Docs.size(), 2u);
  EXPECT_EQ(S.Docs[0].Text, "apiVersion: v1\nkind: Pod\n");
  EXPECT_EQ(S.Docs[0].FirstLine, 1u);
  EXPECT_EQ(S.Docs[1].Text, "kind: B\n");
  EXPECT_EQ(S.Docs[1].FirstLine, 4u);
}

TEST(DocumentSplitter, IndentedOrGluedMarkersDoNotSplit) {
  Split S = split("data:\n  script: |\n    ---\n    echo hi\n  ---x: 1\n---x: 2\n----\n"
                  "..x\n ---\n");
  ASSERT_EQ(S.Docs.size(), 1u);
  EXPECT_EQ(S.Docs[0].FirstLine, 1u);
}

TEST(DocumentSplitter, MarkerLinesAreTheLinesItCutsAt) {
  // What edits a stream document by document relies on the two agreeing, CRLF lines included.
  for (std::string Line : {"---", "--- ", "---\t", "--- {c: 3}", "---\r", "...", "... ", "...\r",
                           "----", "--", " ---", "---x", "..", "....", "..x", "# ---", "a: ---",
                           ""}) {
    bool Cut = split("a: 1\n" + Line + "\nb: 2\n").Docs.size() > 1;
    EXPECT_EQ(saguard::render::isDocumentMarkerLine(Line), Cut) << "'" << Line << "'";
  }
}

TEST(DocumentSplitter, InlineContentAfterMarkerKeepsColumns) {
  Split S = split("--- {a: 1}\n---\t[x]\n--- |\n  text\n");
  ASSERT_EQ(S.Docs.size(), 3u);
  EXPECT_EQ(S.Docs[0].Text, "    {a: 1}\n");
  EXPECT_EQ(S.Docs[0].FirstLine, 1u);
  EXPECT_EQ(S.Docs[1].Text, "   \t[x]\n");
  EXPECT_EQ(S.Docs[1].FirstLine, 2u);
  EXPECT_EQ(S.Docs[2].Text, "    |\n  text\n");
  EXPECT_EQ(S.Docs[2].FirstLine, 3u);
}

TEST(DocumentSplitter, MarkerWithOnlyACommentOpensEmptyLine) {
  Split S = split("a: 1\n--- # next\nb: 2\n");
  ASSERT_EQ(S.Docs.size(), 2u);
  EXPECT_EQ(S.Docs[1].Text, "    # next\nb: 2\n");
  EXPECT_EQ(S.Docs[1].FirstLine, 2u);
}

TEST(DocumentSplitter, StripsBoms) {
  // At the stream start, after a marker, and before a marker (concatenated files).
  Split S = split("\xEF\xBB\xBF"
                  "a: 1\n---\n\xEF\xBB\xBF"
                  "b: 2\n\xEF\xBB\xBF---\n\xEF\xBB\xBF# c\n"
                  "c: 3\n");
  ASSERT_EQ(S.Docs.size(), 3u);
  EXPECT_EQ(S.Docs[0].Text, "a: 1\n");
  EXPECT_EQ(S.Docs[1].Text, "b: 2\n");
  EXPECT_EQ(S.Docs[1].FirstLine, 3u);
  EXPECT_EQ(S.Docs[2].Text, "# c\nc: 3\n");
  EXPECT_EQ(S.Docs[2].FirstLine, 5u);
}

TEST(DocumentSplitter, KeepsBomInsideContent) {
  Split S = split("a: 1\n\xEF\xBB\xBF"
                  "b: 2\n");
  ASSERT_EQ(S.Docs.size(), 1u);
  EXPECT_EQ(S.Docs[0].Text, "a: 1\n\xEF\xBB\xBF"
                            "b: 2\n");
}

TEST(DocumentSplitter, HandlesCrlf) {
  Split S = split("a: 1\r\n---\r\nb: 2\r\n...\r\nc: 3\r\n");
  ASSERT_EQ(S.Docs.size(), 3u);
  EXPECT_EQ(S.Docs[0].Text, "a: 1\r\n");
  EXPECT_EQ(S.Docs[1].Text, "b: 2\r\n");
  EXPECT_EQ(S.Docs[1].FirstLine, 3u);
  EXPECT_EQ(S.Docs[2].Text, "c: 3\r\n");
  EXPECT_EQ(S.Docs[2].FirstLine, 5u);
}

TEST(DocumentSplitter, LoneCarriageReturnsEndLines) {
  // A CR at a chunk's end waits for the next chunk: CRLF stays CRLF across the cut.
  for (std::vector<size_t> Cuts : {std::vector<size_t>{}, {5}, {4}, {14}}) {
    Split S = splitAt("a: 1\r---\rb: 2\r\nc: 3\r", Cuts);
    ASSERT_EQ(S.Docs.size(), 2u);
    EXPECT_EQ(S.Docs[0].Text, "a: 1\n");
    EXPECT_EQ(S.Docs[1].Text, "b: 2\r\nc: 3\n");
    EXPECT_EQ(S.Docs[1].FirstLine, 3u);
  }
}

TEST(DocumentSplitter, DetectsHelmSource) {
  Split S = split("---\n# Source: parent/templates/sa.yaml\napiVersion: v1\n"
                  "---\n# Source: parent/charts/sub/templates/x y.yaml  \r\nkind: A\n"
                  "---\n# other comment\n# Source: late/comment.yaml\nkind: B\n"
                  "---\nkind: C\n# Source: after/content.yaml\n"
                  "---\n  # Source: indented.yaml\nkind: D\n");
  ASSERT_EQ(S.Docs.size(), 5u);
  EXPECT_EQ(S.Docs[0].HelmSource, "parent/templates/sa.yaml");
  EXPECT_EQ(S.Docs[0].FirstLine, 2u);
  EXPECT_EQ(S.Docs[1].HelmSource, "parent/charts/sub/templates/x y.yaml");
  EXPECT_EQ(S.Docs[2].HelmSource, "late/comment.yaml");
  EXPECT_EQ(S.Docs[3].HelmSource, "");
  EXPECT_EQ(S.Docs[4].HelmSource, "");
}

TEST(DocumentSplitter, SkipsEmptyAndCommentOnlyDocuments) {
  Split S = split("# just a comment\n"           // 1
                  "---\n"                         // 2
                  "# Source: chart/templates/empty.yaml\n" // 3
                  "---\n"                         // 4
                  "\n"                            // 5
                  "   \t\n"                       // 6
                  "---\n"                         // 7
                  "---\n"                         // 8
                  "kind: A\n"                     // 9
                  "---\n"                         // 10
                  "# trailing\n");                // 11
  ASSERT_EQ(S.Docs.size(), 1u);
  EXPECT_EQ(S.Docs[0].Text, "kind: A\n");
  EXPECT_EQ(S.Docs[0].FirstLine, 9u);
  EXPECT_TRUE(split("").Docs.empty());
  EXPECT_TRUE(split("\n\n# x\n---\n...\n").Docs.empty());
}

TEST(DocumentSplitter, DirectivesAreNotContent) {
  Split S = split("a: 1\n...\n%YAML 1.2\n---\nb: 2\n");
  ASSERT_EQ(S.Docs.size(), 2u);
  EXPECT_EQ(S.Docs[1].Text, "b: 2\n");
  EXPECT_EQ(S.Docs[1].FirstLine, 5u);
}

TEST(DocumentSplitter, EndMarkerEndsDocument) {
  Split S = split("a: 1\n... # end\nb: 2\n...\n...\nc: 3\n");
  ASSERT_EQ(S.Docs.size(), 3u);
  EXPECT_EQ(S.Docs[0].Text, "a: 1\n");
  EXPECT_EQ(S.Docs[1].Text, "b: 2\n");
  EXPECT_EQ(S.Docs[1].FirstLine, 3u);
  EXPECT_EQ(S.Docs[2].Text, "c: 3\n");
  EXPECT_EQ(S.Docs[2].FirstLine, 6u);
}

TEST(DocumentSplitter, LastLineWithoutNewline) {
  Split S = splitAt("a: 1\n---\nb: 2", {11});
  ASSERT_EQ(S.Docs.size(), 2u);
  EXPECT_EQ(S.Docs[1].Text, "b: 2");
  EXPECT_EQ(S.Docs[1].FirstLine, 3u);
}

TEST(DocumentSplitter, ReportsOversizedDocuments) {
  std::string Big = "big:\n";
  for (int I = 0; I < 50; ++I)
    Big += "  - item\n"; // 5 + 450 bytes, 51 lines
  std::string Input = "a: 1\n---\n" + Big + "---\nb: 2\n";
  Split S = split(Input, /*Limit=*/100);
  ASSERT_EQ(S.Docs.size(), 2u);
  EXPECT_EQ(S.Docs[0].Text, "a: 1\n");
  EXPECT_EQ(S.Docs[1].Text, "b: 2\n");
  EXPECT_EQ(S.Docs[1].FirstLine, 3u + 51u + 1u);
  ASSERT_EQ(S.Oversized.size(), 1u);
  EXPECT_EQ(S.Oversized[0], (Dropped{3, Big.size()}));
  // Same result for every chunking.
  for (size_t Cut = 0; Cut <= Input.size(); Cut += 7)
    expectSame(S, splitAt(Input, {Cut, std::min(Input.size(), Cut + 3)}, 100),
               "cut at " + std::to_string(Cut));
}

TEST(DocumentSplitter, OversizedSingleLineIsNotBuffered) {
  // One 1 MiB line (a minified JSON document) fed in 4 KiB chunks, with a limit of 64 KiB.
  std::string Line = "--- {\"data\": \"" + std::string(1 << 20, 'x') + "\"}\n";
  std::string Input = "a: 1\n" + Line + "b: 2\n---\nc: 3\n";
  std::vector<size_t> Cuts;
  for (size_t I = 4096; I < Input.size(); I += 4096)
    Cuts.push_back(I);
  Split S = splitAt(Input, Cuts, /*Limit=*/64 << 10);
  ASSERT_EQ(S.Docs.size(), 2u);
  EXPECT_EQ(S.Docs[0].Text, "a: 1\n");
  EXPECT_EQ(S.Docs[1].Text, "c: 3\n");
  EXPECT_EQ(S.Docs[1].FirstLine, 5u);
  ASSERT_EQ(S.Oversized.size(), 1u);
  EXPECT_EQ(S.Oversized[0], (Dropped{2, Line.size() + 5}));
}

TEST(DocumentSplitter, FinishResetsForANewStream) {
  std::vector<DocumentText> Docs;
  DocumentSplitter S(3, [&](DocumentText D) { Docs.push_back(std::move(D)); });
  S.feed("a: 1\n---\nb: 2\n");
  S.finish();
  S.feed("c: 3\n");
  S.finish();
  ASSERT_EQ(Docs.size(), 3u);
  EXPECT_EQ(Docs[2].FirstLine, 1u);
}

TEST(DocumentSplitter, ResetDropsPartialDocument) {
  std::vector<DocumentText> Docs;
  DocumentSplitter S(3, [&](DocumentText D) { Docs.push_back(std::move(D)); });
  S.feed("a: 1\n---\nb: 2\nc: [un");
  S.reset();
  S.finish();
  ASSERT_EQ(Docs.size(), 1u);
  EXPECT_EQ(Docs[0].Text, "a: 1\n");
}

TEST(DocumentSplitter, SplitsConcatenatedJsonValues) {
  // As `kubectl annotate --local -f stream.yaml -o json` writes several objects.
  Split S = splitAt("{\n    \"kind\": \"ServiceAccount\",\n    \"automountServiceAccountToken\": "
                    "false\n}\n{\n    \"kind\": \"Pod\"\n}\n[\n]\n",
                    {});
  ASSERT_EQ(S.Docs.size(), 3u);
  EXPECT_EQ(S.Docs[0].FirstLine, 1u);
  EXPECT_EQ(S.Docs[1].FirstLine, 5u);
  EXPECT_EQ(S.Docs[1].Text, "{\n    \"kind\": \"Pod\"\n}\n");
  EXPECT_EQ(S.Docs[2].FirstLine, 8u);
}

TEST(DocumentSplitter, AFlowMappingInYamlIsNotCut) {
  Split S = splitAt("a: {b: 1,\n}\nc: [1,\n]\n", {});
  ASSERT_EQ(S.Docs.size(), 1u);
}
