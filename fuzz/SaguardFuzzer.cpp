//===- SaguardFuzzer.cpp - libFuzzer target: bytes to every report ---------===//
//
// Feeds arbitrary bytes through what a hostile manifest reaches: the document splitter (in
// chunks cut where the input says), the pre-scan, alias resolver and YAML I/O mapper, the index,
// every rule, and a report format the input picks; and through the config file parser. Any crash, hang,
// sanitizer report or leak is a finding.
//
//===----------------------------------------------------------------------===//
#include "saguard/analysis/Analyzer.h"
#include "saguard/analysis/Index.h"
#include "saguard/model/Config.h"
#include "saguard/model/Loader.h"
#include "saguard/render/DocumentSplitter.h"
#include "saguard/report/Report.h"
#include "saguard/rules/RuleRegistry.h"

#include "llvm/Support/raw_ostream.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

using namespace saguard;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  std::string_view Input(reinterpret_cast<const char *>(Data), Size);
  // Small limits, so the fuzzer reaches them with small inputs.
  model::LoadOptions Load;
  Load.KeepUnreadKinds = Size % 2 == 0;
  Load.Limits.MaxDepth = 64;
  Load.Limits.MaxScalarBytes = 4096;
  Load.Limits.MaxDocumentBytes = 1 << 16;
  Load.Limits.MaxAliasExpansionNodes = 10'000;

  FileTable Files;
  FileId Stream = Files.intern("fuzz.yaml");
  model::LoadResult Loaded;
  render::DocumentSplitter Splitter(
      Stream, [&](DocumentText Doc) { model::loadDocument(Doc, Load, Loaded); },
      [&](unsigned FirstLine, size_t) {
        Loaded.Errors.push_back({"oversized", {Stream, {FirstLine, 1}, {FirstLine, 1}}, "fuzz"});
      },
      Load.Limits.MaxDocumentBytes);
  // Chunk boundaries fall where the first byte says: lines and CRLF pairs cut anywhere.
  size_t Chunk = Size ? 1 + Data[0] % 64 : 1;
  for (size_t At = 0; At < Size; At += Chunk)
    Splitter.feed(Input.substr(At, Chunk));
  Splitter.finish();

  analysis::Index Idx;
  for (model::Object &Obj : Loaded.Objects)
    Idx.add(std::move(Obj));
  Idx.finalize();
  report::ReportData Report;
  Report.Findings =
      analysis::analyze(Idx, analysis::AnalysisOptions{}, analysis::RuleSelection{},
                        analysis::allRules());
  Report.Errors = std::move(Loaded.Errors);
  Report.Files = &Files;
  Report.Rules = analysis::allRules();
  Report.Targets = {"fuzz.yaml"};
  Report.SrcRoot = "/";
  Report.ToolVersion = "0.0.0";
  // One format per input, chosen by its last byte: writing all five (SARIF carries the whole
  // rule table with its help pages) would cost most of each run.
  std::span<const std::string_view> Formats = report::formatNames();
  auto Reporter = report::createReporter(Formats[Size ? Data[Size - 1] % Formats.size() : 0]);
  if (!Reporter)
    llvm::consumeError(Reporter.takeError()); // every listed format exists
  else {
    llvm::raw_null_ostream Out;
    (*Reporter)->write(Report, Out);
  }

  if (llvm::Expected<model::Config> Config =
          model::parseConfig(llvm::StringRef(Input.data(), Input.size()), ".saguard.yaml");
      !Config)
    llvm::consumeError(Config.takeError()); // a bad config is an expected outcome
  return 0;
}
