//===- Baseline.h - comparing results with a previous log -------*- C++ -*-===//
#pragma once

#include "sarif/SarifLog.h"

#include <functional>
#include <string>
#include <vector>

namespace sarif {

/// What of a result's message counts when telling Unchanged from Updated.
using MessageKey = std::function<std::string(const Result &)>;

/// Sets the BaselineState of each Current result against Previous (e.g. from readResults).
/// Results match on ruleId and partialFingerprints.primaryLocationLineHash; a match is Unchanged
/// when the messages are equal (as Key reads them: the text itself when none is given) and
/// Updated otherwise, and a result with no match is New. Each previous result matches at most
/// once, and results without a line hash never match.
///
/// Returns the Previous results that matched nothing, marked Absent, for the caller to append.
/// GitHub ignores baselineState, so absent results must not be uploaded there: it would show
/// them as open alerts.
std::vector<Result> applyBaseline(std::vector<Result> &Current, std::vector<Result> Previous,
                                  const MessageKey &Key = {});

} // namespace sarif
