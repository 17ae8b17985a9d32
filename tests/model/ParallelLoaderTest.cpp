#include "saguard/model/ParallelLoader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

using namespace saguard;

namespace {

/// A stream's documents of every sort the loader tells apart: objects kept and skipped, a
/// List, and documents with errors of the pre-scan, the parser and the mapping.
std::vector<DocumentText> mixedDocuments(unsigned Count) {
  std::vector<DocumentText> Docs;
  unsigned Line = 1;
  for (unsigned I = 0; I < Count; ++I) {
    std::string N = std::to_string(I);
    std::string Text;
    switch (I % 7) {
    case 0:
      Text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p" + N +
             ", namespace: a}\nspec:\n  containers: [{name: c, image: nginx}]\n";
      break;
    case 1:
      Text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c" + N + "}\ndata: {a: b}\n";
      break;
    case 2:
      Text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ServiceAccount\n"
             "  metadata: {name: s" + N + "}\n- {apiVersion: v1, kind: Pod, metadata: {name: q" +
             N + "}, spec: {containers: []}}\n";
      break;
    case 3:
      Text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed" + N + "\n";
      break;
    case 4:
      Text = "apiVersion: v1\nkind: Pod\nmetadata: {name: d" + N + "}\nmetadata: {name: e}\n";
      break;
    case 5:
      Text = "apiVersion: v1\nkind: Pod\nmetadata: {name: \x01" + N + "}\n";
      break;
    case 6:
      Text = "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a" + N +
             "}\nautomountServiceAccountToken: maybe\n";
      break;
    }
    DocumentText Doc;
    Doc.Stream = 1;
    Doc.FirstLine = Line;
    Doc.HelmSource = "chart/templates/t" + std::to_string(I % 3) + ".yaml";
    Line += static_cast<unsigned>(std::count(Text.begin(), Text.end(), '\n')) + 1;
    Doc.Text = std::move(Text);
    Docs.push_back(std::move(Doc));
  }
  return Docs;
}

/// Every document in turn on this thread, with a reading error after every tenth.
model::LoadResult loadOneByOne(const std::vector<DocumentText> &Docs,
                               const model::LoadOptions &Options, bool ReadErrors = true) {
  model::LoadResult Out;
  for (size_t I = 0; I < Docs.size(); ++I) {
    model::loadDocument(Docs[I], Options, Out);
    if (ReadErrors && I % 10 == 9)
      Out.Errors.push_back({"read error " + std::to_string(I), {}, "t"});
  }
  return Out;
}

model::LoadResult loadInParallel(const std::vector<DocumentText> &Docs,
                                 const model::LoadOptions &Options, unsigned Threads) {
  model::LoadResult Out;
  model::ParallelLoader Loader(Options, Out, Threads);
  for (size_t I = 0; I < Docs.size(); ++I) {
    Loader.load(Docs[I]);
    if (I % 10 == 9)
      Loader.addError({"read error " + std::to_string(I), {}, "t"});
  }
  Loader.finish();
  return Out;
}

/// The objects and errors of R in order, each as one line with its positions.
std::vector<std::string> describe(const model::LoadResult &R) {
  std::vector<std::string> Lines;
  auto At = [](const SourceRange &Range) {
    return std::to_string(Range.File) + ":" + std::to_string(Range.Begin.Line) + ":" +
           std::to_string(Range.Begin.Column) + "-" + std::to_string(Range.End.Line) + ":" +
           std::to_string(Range.End.Column);
  };
  for (const model::Object &O : R.Objects)
    Lines.push_back("object " + O.Ref.qualifiedName() + " " + At(O.Range) + " doc " +
                    std::to_string(O.DocumentFirstLine) + " " + std::string(O.HelmSource.str()));
  for (const ToolNotification &E : R.Errors)
    Lines.push_back("error " + E.Message + " " + At(E.Range) + " " + E.Target + " " +
                    E.HelmSource);
  Lines.push_back("skipped " + std::to_string(R.Skipped));
  return Lines;
}

size_t threadCount() {
  size_t N = 0;
  for ([[maybe_unused]] const auto &Entry : std::filesystem::directory_iterator("/proc/self/task"))
    ++N;
  return N;
}

TEST(ParallelLoader, GivesTheResultOfLoadingOneByOneWhateverTheThreadCount) {
  std::vector<DocumentText> Docs = mixedDocuments(3000);
  model::LoadOptions Options;
  Options.Target = InternedString::intern("t");
  std::vector<std::string> Serial = describe(loadOneByOne(Docs, Options));
  ASSERT_GT(Serial.size(), 2500u);
  for (unsigned Threads : {1u, 2u, 3u, 8u})
    EXPECT_EQ(describe(loadInParallel(Docs, Options, Threads)), Serial) << Threads << " threads";
}

TEST(ParallelLoader, DocumentsLargerThanTheQueueKeepTheirOrder) {
  // Each document alone fills the queue's bytes: the reader loads or waits before each one.
  std::vector<DocumentText> Docs;
  for (unsigned I = 0; I < 6; ++I) {
    DocumentText Doc;
    Doc.Stream = 1;
    Doc.FirstLine = I * 3 + 1;
    Doc.Text = "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: s" + std::to_string(I) +
               "}\n# " + std::string(model::ParallelLoader::MaxQueuedBytes, 'x') + "\n";
    Docs.push_back(std::move(Doc));
  }
  model::LoadOptions Options;
  EXPECT_EQ(describe(loadInParallel(Docs, Options, 2)), describe(loadOneByOne(Docs, Options)));
}

TEST(ParallelLoader, ErrorsOfTheReaderStayBetweenTheirDocuments) {
  std::vector<DocumentText> Docs = mixedDocuments(7);
  model::LoadResult Out;
  model::ParallelLoader Loader({}, Out, 2);
  Loader.addError({"before any document", {}, "t"});
  Loader.load(Docs[3]); // a parse error
  Loader.addError({"between", {}, "t"});
  Loader.load(Docs[4]); // a repeated key
  Loader.addError({"after", {}, "t"});
  Loader.finish();
  ASSERT_EQ(Out.Errors.size(), 5u);
  EXPECT_EQ(Out.Errors[0].Message, "before any document");
  EXPECT_EQ(Out.Errors[1].Range.Begin.Line, Docs[3].FirstLine + 3);
  EXPECT_EQ(Out.Errors[2].Message, "between");
  EXPECT_NE(Out.Errors[3].Message.find("duplicate key"), std::string::npos) << Out.Errors[3].Message;
  EXPECT_EQ(Out.Errors[4].Message, "after");
}

/// Hands Docs to a loader of Threads threads that is then dropped without finish(), as when a
/// renderer fails half-way; returns how many threads it had started. It must leave none, and
/// its result must be complete.
size_t threadsStartedLoading(const std::vector<DocumentText> &Docs, unsigned Threads) {
  size_t Before = threadCount();
  size_t Started = 0;
  model::LoadResult Out;
  {
    model::ParallelLoader Loader({}, Out, Threads);
    for (const DocumentText &Doc : Docs)
      Loader.load(Doc);
    Started = threadCount() - Before;
  }
  EXPECT_EQ(threadCount(), Before) << "threads left behind";
  EXPECT_EQ(describe(Out), describe(loadOneByOne(Docs, {}, /*ReadErrors=*/false)));
  return Started;
}

TEST(ParallelLoader, ASmallStreamStartsNoThread) {
  EXPECT_EQ(threadsStartedLoading(mixedDocuments(50), 4), 0u);
}

TEST(ParallelLoader, LeavesNoThreadWhenDroppedUnfinished) {
  EXPECT_EQ(threadsStartedLoading(mixedDocuments(3000), 3), 2u);
}

TEST(ParallelLoader, HandedOverDocumentsLoadWhileTheReaderWaits) {
  // Far less than a batch: without the hand-over they would wait for finish().
  std::vector<DocumentText> Docs = mixedDocuments(3);
  std::mutex M;
  std::condition_variable Changed;
  size_t Loaded = 0;
  model::LoadOptions Options;
  Options.OnDocument = [&](const model::DocumentLoaded &) {
    std::lock_guard<std::mutex> Lock(M);
    ++Loaded;
    Changed.notify_all();
  };
  model::LoadResult Out;
  model::ParallelLoader Loader(Options, Out, 2);
  for (const DocumentText &Doc : Docs)
    Loader.load(Doc);
  Loader.handOver();
  {
    std::unique_lock<std::mutex> Lock(M);
    // A bound on a broken loader, not a measure: a working one is done in microseconds.
    EXPECT_TRUE(Changed.wait_for(Lock, std::chrono::seconds(60),
                                 [&] { return Loaded == Docs.size(); }))
        << Loaded << " of " << Docs.size() << " documents loaded before finish()";
  }
  Loader.finish();
  EXPECT_EQ(describe(Out), describe(loadOneByOne(Docs, {}, /*ReadErrors=*/false)));
}

TEST(ParallelLoader, HandOversKeepTheStreamOrder) {
  std::vector<DocumentText> Docs = mixedDocuments(500);
  model::LoadOptions Options;
  std::vector<std::string> Serial = describe(loadOneByOne(Docs, Options, /*ReadErrors=*/false));
  for (unsigned Threads : {1u, 2u, 3u}) {
    model::LoadResult Out;
    model::ParallelLoader Loader(Options, Out, Threads);
    for (size_t I = 0; I < Docs.size(); ++I) {
      Loader.load(Docs[I]);
      if (I % 7 == 0 || I % 11 == 0)
        Loader.handOver();
    }
    Loader.finish();
    EXPECT_EQ(describe(Out), Serial) << Threads << " threads";
  }
}

TEST(ParallelLoader, LoadsAgainAfterFinishing) {
  std::vector<DocumentText> Docs = mixedDocuments(1000);
  model::LoadResult Out;
  model::ParallelLoader Loader({}, Out, 2);
  for (int Round = 0; Round < 2; ++Round) {
    for (const DocumentText &Doc : Docs)
      Loader.load(Doc);
    Loader.finish();
  }
  std::vector<DocumentText> Twice = Docs;
  Twice.insert(Twice.end(), Docs.begin(), Docs.end());
  EXPECT_EQ(describe(Out), describe(loadOneByOne(Twice, {}, /*ReadErrors=*/false)));
}

} // namespace
