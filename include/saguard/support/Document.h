//===- Document.h - one YAML document cut from an input stream --*- C++ -*-===//
#pragma once

#include "saguard/support/SourcePos.h"

#include <string>

namespace saguard {

/// One YAML document of a stream, as the splitter hands it to the loader.
struct DocumentText {
  /// The document's text, without the `---` line that opened it.
  std::string Text;
  /// The stream (a file, stdin, or a renderer's output) the document was cut from.
  FileId Stream = 0;
  /// 1-based line of Text's first line in the stream.
  unsigned FirstLine = 1;
  /// The value of a `# Source: <path>` comment that helm writes at the top, if any.
  std::string HelmSource;
};

} // namespace saguard
