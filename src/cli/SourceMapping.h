//===- SourceMapping.h - findings from rendered streams to the user's files -*- C++ -*-===//
#pragma once

#include "saguard/analysis/Finding.h"
#include "saguard/analysis/Index.h"
#include "saguard/cli/Driver.h"

#include "saguard/support/Notification.h"

#include "llvm/ADT/ArrayRef.h"

#include <functional>
#include <string>
#include <vector>

namespace saguard::cli {

/// Points every range of Findings that lies in a rendered stream at the template, values or
/// overlay file it came from, adds the notes that go with it (values keys, patches,
/// the rendered position), and sorts the findings by path, line, column and rule so the output
/// does not depend on the order render threads interned files. RenderedOf(I) is what rendering
/// Options.Targets[I] gave. A chart's render error that names a template position (helm's
/// `template: web/templates/x.yaml:12:20: ...`) is put at that template line.
void mapFindingsToSources(const RunOptions &Options,
                          const std::function<const render::RenderTarget &(size_t)> &RenderedOf,
                          const analysis::Index &Idx, FileTable &Files,
                          std::vector<analysis::Finding> &Findings,
                          llvm::MutableArrayRef<ToolNotification> Errors = {});

/// The keys that `--set`-family flags (render::HelmOptions::Sets) set: `--set a.b=1,c=2` sets
/// a.b and c.
std::vector<std::string> helmSetKeys(const std::vector<std::pair<std::string, std::string>> &Sets);

} // namespace saguard::cli
