// Google Benchmark of each stage on its own, over one generated stream (bench/scan's generator,
// with a ClusterRoleBinding to every account per 50 apps, so RBAC has paths to resolve):
//   MapDocuments     documents (already cut) mapped into the slim model
//   Index            the model's objects indexed
//   RbacGraph        bindings and roles resolved, then every account's grants asked for
//   Rule/<id>        one rule over the index (each rule of Rules.def)
//   Reporter/<name>  the findings of every rule written in one format (each format)
// Times are per pass over the whole stream; compare them within one run, not across machines.
#include "../scan/StreamGenerator.h"

#include "saguard/analysis/Analyzer.h"
#include "saguard/analysis/Index.h"
#include "saguard/analysis/Rbac.h"
#include "saguard/model/Loader.h"
#include "saguard/render/DocumentSplitter.h"
#include "saguard/report/Report.h"
#include "saguard/rules/RuleRegistry.h"

#include "llvm/Support/raw_ostream.h"

#include <benchmark/benchmark.h>

using namespace saguard;

namespace {

constexpr unsigned Objects = 6000;

const std::vector<DocumentText> &documents() {
  static const std::vector<DocumentText> Docs = [] {
    std::vector<DocumentText> Out;
    render::DocumentSplitter Splitter(1, [&](DocumentText Doc) { Out.push_back(std::move(Doc)); });
    Splitter.feed(bench::generateStream(Objects, Objects / 300));
    Splitter.finish();
    return Out;
  }();
  return Docs;
}

model::LoadResult load() {
  model::LoadResult R;
  for (const DocumentText &Doc : documents())
    model::loadDocument(Doc, {}, R);
  return R;
}

/// The stream's index, built once and kept for the benchmarks that only read it.
const analysis::Index &index() {
  static const analysis::Index Idx = [] {
    analysis::Index I;
    for (model::Object &O : load().Objects)
      I.add(std::move(O));
    I.finalize();
    return I;
  }();
  return Idx;
}

void BM_MapDocuments(benchmark::State &State) {
  size_t Bytes = 0;
  for (const DocumentText &Doc : documents())
    Bytes += Doc.Text.size();
  for (auto _ : State)
    benchmark::DoNotOptimize(load().Objects.size());
  State.SetBytesProcessed(State.iterations() * Bytes);
  State.SetItemsProcessed(State.iterations() * documents().size());
}

void BM_Index(benchmark::State &State) {
  for (auto _ : State) {
    State.PauseTiming();
    model::LoadResult R = load();
    State.ResumeTiming();
    analysis::Index Idx;
    for (model::Object &O : R.Objects)
      Idx.add(std::move(O));
    Idx.finalize();
    benchmark::DoNotOptimize(Idx.objects().size());
  }
  State.SetItemsProcessed(State.iterations() * Objects);
}

void BM_RbacGraph(benchmark::State &State) {
  const analysis::Index &Idx = index();
  for (auto _ : State) {
    analysis::RbacGraph Graph(Idx);
    size_t Grants = 0;
    for (const model::Object &O : Idx.objects())
      if (O.Account)
        Grants += Graph.grantsTo(O.Ref.Namespace, O.Ref.Name).size();
    benchmark::DoNotOptimize(Grants);
  }
}

void ruleBenchmark(benchmark::State &State, std::string Id) {
  analysis::RuleSelection Only;
  Only.Enabled.insert(Id);
  size_t Findings = 0;
  for (auto _ : State)
    Findings = analysis::analyze(index(), {}, Only, analysis::allRules()).size();
  State.counters["findings"] = static_cast<double>(Findings);
}

void reporterBenchmark(benchmark::State &State, std::string Format) {
  static FileTable Files;
  static const report::ReportData Data = [] {
    report::ReportData D;
    Files.intern("stream.yaml");
    D.Files = &Files;
    D.Findings = analysis::analyze(index(), {}, {}, analysis::allRules());
    D.Rules = analysis::allRules();
    D.Targets = {"stream.yaml"};
    D.ToolVersion = "0.0.0";
    return D;
  }();
  auto Reporter = report::createReporter(Format);
  if (!Reporter) {
    State.SkipWithError(llvm::toString(Reporter.takeError()).c_str());
    return;
  }
  for (auto _ : State) {
    llvm::raw_null_ostream Null;
    (*Reporter)->write(Data, Null);
  }
  State.counters["findings"] = static_cast<double>(Data.Findings.size());
}

} // namespace

BENCHMARK(BM_MapDocuments)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Index)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RbacGraph)->Unit(benchmark::kMillisecond);

int main(int Argc, char **Argv) {
  for (const analysis::RuleInfo &Rule : analysis::allRules())
    benchmark::RegisterBenchmark(("Rule/" + std::string(Rule.Id)).c_str(), ruleBenchmark,
                                 std::string(Rule.Id))
        ->Unit(benchmark::kMillisecond);
  for (std::string_view Format : report::formatNames())
    benchmark::RegisterBenchmark(("Reporter/" + std::string(Format)).c_str(), reporterBenchmark,
                                 std::string(Format))
        ->Unit(benchmark::kMillisecond);
  benchmark::Initialize(&Argc, Argv);
  if (benchmark::ReportUnrecognizedArguments(Argc, Argv))
    return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
