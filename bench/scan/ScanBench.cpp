// Throughput of saguard's pipeline beside its floors, measured side by side in one run
// (these machines are shared, so compare ratios, not absolute numbers):
//   Split        - cut the stream into documents (the cat-like floor of our own code)
//   PreScan      - split + the loader's pre-scan of every document (bytes, lines, nesting)
//   ParseOnly    - split + llvm::yaml::Stream walk of every node (a plain parse)
//   StrictParse  - split + StrictInput of every document: the same parse, the tree the
//                  mapping reads and the strict checks, nothing mapped
//   LoadModel    - split + per-document loading into the slim model, with the heap each kept
//                  object costs
//   LoadAnalyse  - all of the above + index + every rule
#include "NodeWalk.h"
#include "StreamGenerator.h"

#include "saguard/analysis/Analyzer.h"
#include "saguard/model/Loader.h"
#include "saguard/model/PreScan.h"
#include "saguard/model/StrictInput.h"
#include "saguard/render/DocumentSplitter.h"
#include "saguard/rules/RuleRegistry.h"

#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLParser.h"

#include <benchmark/benchmark.h>

#include <algorithm>

#include <malloc.h>

using namespace saguard;

namespace {

const std::string &stream() {
  static const std::string S = bench::generateStream(10000);
  return S;
}

template <typename Fn> void splitInto(Fn &&Sink) {
  render::DocumentSplitter Splitter(1, std::forward<Fn>(Sink));
  const std::string &S = stream();
  for (size_t I = 0; I < S.size(); I += 65536)
    Splitter.feed(std::string_view(S).substr(I, 65536));
  Splitter.finish();
}

void BM_Split(benchmark::State &State) {
  for (auto _ : State) {
    size_t Docs = 0;
    splitInto([&](DocumentText) { ++Docs; });
    benchmark::DoNotOptimize(Docs);
  }
  State.SetBytesProcessed(State.iterations() * stream().size());
}

void BM_PreScan(benchmark::State &State) {
  for (auto _ : State) {
    size_t Content = 0;
    splitInto([&](DocumentText Doc) {
      Content += model::preScan(Doc.Text, model::LoadLimits{}).HasContent;
    });
    benchmark::DoNotOptimize(Content);
  }
  State.SetBytesProcessed(State.iterations() * stream().size());
}

void BM_ParseOnly(benchmark::State &State) {
  for (auto _ : State) {
    size_t Nodes = 0;
    splitInto([&](DocumentText Doc) {
      llvm::SourceMgr SM;
      llvm::yaml::Stream S(Doc.Text, SM);
      for (llvm::yaml::Document &D : S)
        bench::walkNodes(D.getRoot(), Nodes);
    });
    benchmark::DoNotOptimize(Nodes);
  }
  State.SetBytesProcessed(State.iterations() * stream().size());
}

void BM_StrictParse(benchmark::State &State) {
  for (auto _ : State) {
    size_t Errors = 0;
    splitInto([&](DocumentText Doc) {
      model::StrictInput In(Doc.Text, nullptr, model::LoadLimits{}.MaxDepth);
      Errors += In.checkEnd().has_value();
    });
    benchmark::DoNotOptimize(Errors);
  }
  State.SetBytesProcessed(State.iterations() * stream().size());
}

/// Bytes of heap in use (glibc's count, so the kept model is measured, not a guess).
size_t heapInUse() {
  struct mallinfo2 M = mallinfo2();
  return M.uordblks + M.hblkhd;
}

void BM_LoadModel(benchmark::State &State) {
  double PerObject = 0;
  for (auto _ : State) {
    size_t Before = heapInUse();
    model::LoadResult R;
    splitInto([&](DocumentText Doc) { model::loadDocument(Doc, {}, R); });
    benchmark::DoNotOptimize(R.Objects.size());
    PerObject = double(heapInUse() - Before) / double(std::max<size_t>(R.Objects.size(), 1));
  }
  State.SetBytesProcessed(State.iterations() * stream().size());
  // What each object the loader keeps costs in memory, with its share of the container.
  State.counters["heap_per_kept_object"] = PerObject;
}

void BM_LoadAnalyse(benchmark::State &State) {
  size_t Findings = 0;
  for (auto _ : State) {
    model::LoadResult R;
    splitInto([&](DocumentText Doc) { model::loadDocument(Doc, {}, R); });
    analysis::Index Idx;
    for (model::Object &O : R.Objects)
      Idx.add(std::move(O));
    Idx.finalize();
    Findings = analysis::analyze(Idx, {}, {}, analysis::allRules()).size();
    benchmark::DoNotOptimize(Findings);
  }
  State.SetBytesProcessed(State.iterations() * stream().size());
  State.counters["findings"] = static_cast<double>(Findings);
}

} // namespace

BENCHMARK(BM_Split)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PreScan)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseOnly)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StrictParse)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LoadModel)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LoadAnalyse)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
