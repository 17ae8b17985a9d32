//===- HelmFlags.h - every `helm template` flag, passed through -*- C++ -*-===//
#pragma once

#include "saguard/render/Renderer.h"

#include <CLI/CLI.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace saguard::cli {

/// The flags of `helm template` (helm 3.17's own list) on a saguard command, in both the
/// `--flag value` and `--flag=value` forms, gathered to be handed to helm.
class HelmPassThrough {
public:
  /// Adds the flags to Cmd. WithShort adds the one-letter forms (`-f`, `-s`, `-a`, `-l`,
  /// `-g`); WithVersion adds `--version` (the chart version; the auto command keeps
  /// `--version` for saguard's own).
  void addTo(CLI::App &Cmd, bool WithShort, bool WithVersion);
  /// Appends the gathered flags to Helm: values files and `--set` flags as the structured
  /// values the source map reads, the others as helm's arguments.
  void applyTo(render::HelmOptions &Helm) const;
  /// The values files given with -f/--values.
  const std::vector<std::string> &valuesFiles() const;

private:
  std::map<std::string, std::vector<std::string>> Values;
  std::map<std::string, bool> Flags;
};

/// An error when a -f value is a format name that names no file: `-f json` meant --format.
std::string valuesFileMistake(const std::vector<std::string> &ValuesFiles);

} // namespace saguard::cli
