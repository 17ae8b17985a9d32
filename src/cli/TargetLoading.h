//===- TargetLoading.h - render or read targets and load their documents -*- C++ -*-===//
#pragma once

#include "SourceMapping.h"

#include "saguard/cli/Driver.h"
#include "saguard/model/Loader.h"

#include <string>
#include <vector>

namespace saguard::fix {
class LoadedDocuments;
} // namespace saguard::fix

namespace saguard::cli {

/// What one target gave: its objects and problems, in stream order.
struct TargetResult {
  model::LoadResult Loaded;
  render::RenderTarget Rendered;
  /// Its chart or overlay tree, read from the start of the render until mapping.
  SourceReading Sources;
  /// Parts of a manifests folder left unread.
  std::vector<std::string> Warnings;
  /// Objects the target yielded, kept or not.
  size_t Objects = 0;
};

/// Renders or reads every target of Options on up to Options.Jobs threads and loads its
/// documents; results keep the targets' order. Loaded, when given, records what the documents
/// of manifest files loaded to (fix::resolveFixes).
std::vector<TargetResult> analyseAll(const RunOptions &Options, FileTable &Files,
                                     fix::LoadedDocuments *Loaded = nullptr);

} // namespace saguard::cli
