//===- LoadHelpers.h - load YAML text in model tests ------------*- C++ -*-===//
#pragma once

#include "saguard/model/Loader.h"

#include <string>

namespace saguard::test {

/// Loads one document of Yaml (stream id 1, first line FirstLine) with default options.
inline model::LoadResult load(std::string Yaml, unsigned FirstLine = 1,
                              model::LoadOptions Options = {}) {
  model::LoadResult R;
  DocumentText Doc;
  Doc.Text = std::move(Yaml);
  Doc.Stream = 1;
  Doc.FirstLine = FirstLine;
  model::loadDocument(Doc, Options, R);
  return R;
}

} // namespace saguard::test
