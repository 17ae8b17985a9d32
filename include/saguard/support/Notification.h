//===- Notification.h - located problems with the input ---------*- C++ -*-===//
#pragma once

#include "saguard/support/SourcePos.h"

#include <string>

namespace saguard {

/// A problem with the input that stops part of it from being analysed (a document that is not
/// YAML, a wrong type, a renderer that failed); it goes into the report and makes the run exit 2.
struct ToolNotification {
  std::string Message;
  /// Where the problem is; invalid when it concerns a whole target (a renderer that failed).
  SourceRange Range;
  /// The target (file, chart or overlay) being analysed, for reports over several targets.
  std::string Target;
  /// The `# Source:` template of the helm-rendered document the problem is in, if any.
  std::string HelmSource = {};
};

} // namespace saguard
