//===- ChartArchive.h - the files of a packaged chart (`charts/x.tgz`) --------------*- C++ -*-===//
#pragma once

#include <map>
#include <optional>
#include <string>

namespace saguard::origin {

/// The regular files of a gzip-compressed tar archive as `helm package` writes it, by member
/// name (`worker/templates/sa.yaml`); nullopt when it is no such archive or is larger than a
/// chart can be.
std::optional<std::map<std::string, std::string>> readChartArchive(const std::string &Path);

/// The same, from the archive's bytes.
std::optional<std::map<std::string, std::string>> readChartArchiveBytes(const std::string &Bytes);

} // namespace saguard::origin
