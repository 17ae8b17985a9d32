//===- Config.h - the .saguard.yaml configuration file ----------*- C++ -*-===//
//
// A project's settings: rules to disable or enable, level overrides, accounts and
// objects to ignore, the cluster automount default, and renderer settings. Read through LLVM
// YAML I/O like the manifests, but strictly: an unknown key or a value of the wrong shape is an
// error that names the file, line and column. Rule ids are checked by the caller, which knows
// the rule table.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "saguard/support/SourcePos.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace saguard::model {

/// A scalar of the config file and where it was written (for error messages).
struct ConfigString {
  std::string Value;
  SourcePos Pos;
};

/// A glob over `/`-separated names: `*` and `?` match within one segment, a `**` segment
/// matches any number of segments (`kube-system/*`, `Deployment/shop/*`, `**/legacy-*`).
class NameGlob {
public:
  /// Checks Pattern (no empty segments; `**` only as a whole segment).
  static llvm::Expected<NameGlob> create(llvm::StringRef Pattern);
  /// True when Name matches the whole pattern.
  bool match(llvm::StringRef Name) const;
  /// The pattern as written.
  const std::string &pattern() const { return Pattern; }

private:
  std::string Pattern;
  std::vector<std::string> Segments;
};

/// `ignore:` patterns of the config file.
struct IgnoreConfig {
  /// `namespace/name` of ServiceAccounts: findings about the Pods that run as one, and about
  /// the account itself, are dropped.
  std::vector<ConfigString> Accounts;
  /// `Kind/namespace/name` (`Kind/name` for cluster-scoped objects): their findings are dropped.
  std::vector<ConfigString> Objects;
};

/// The contents of a `.saguard.yaml`.
struct Config {
  /// The file it was read from, as given (error messages, relative paths).
  std::string Path;
  /// `disable:` rule ids or names.
  std::vector<ConfigString> Disable;
  /// `enable:` rule ids or names; when not empty, only these run.
  std::vector<ConfigString> Enable;
  /// `levels:` rule id or name, then `error`, `warning` or `note`.
  std::vector<std::pair<ConfigString, ConfigString>> Levels;
  IgnoreConfig Ignore;
  /// `clusterAutomountDefault:`.
  std::optional<bool> ClusterAutomountDefault;
  /// `failOn:` `error`, `warning`, `note` or `none`.
  std::optional<ConfigString> FailOn;
  /// `helm.bin:` the helm program (when HELM_BIN is not set).
  std::string HelmBin;
  /// `helm.valuesFiles:` values files for every chart, before those on the command line;
  /// relative ones are resolved against the config file's directory.
  std::vector<std::string> HelmValuesFiles;
  /// `helm.valuesSets:` globs, relative to a chart, of values files (`ci/*-values.yaml`) that
  /// each render the chart once more, as a target of its own.
  std::vector<ConfigString> HelmValuesSets;
  /// `exclude:` globs of paths (relative to a folder walked) left out of target discovery.
  std::vector<ConfigString> Exclude;
  /// `together:` analyse all targets of a run as one set, as if deployed into one cluster.
  std::optional<bool> Together;
  /// `kustomize.bin:` the kustomize or kubectl program.
  std::string KustomizeBin;
  /// `renderTimeout:` seconds a renderer may run.
  std::optional<double> RenderTimeout;
};

/// The names a config file may have, in the order they are looked for.
inline constexpr llvm::StringLiteral ConfigFileNames[] = {".saguard.yaml", ".saguard.yml"};

/// Parses Text, the contents of the config file at Path. Errors read
/// `<Path>:<line>:<column>: <message>` (unknown key, wrong type, bad level or pattern).
llvm::Expected<Config> parseConfig(llvm::StringRef Text, llvm::StringRef Path);

/// Reads and parses the config file at Path.
llvm::Expected<Config> readConfigFile(llvm::StringRef Path);

/// The first `.saguard.yaml` or `.saguard.yml` in Start's directory (Start itself when it is a
/// directory) or one of its parents, or nullopt. A relative Start is taken from the current
/// directory.
std::optional<std::string> findConfigFile(llvm::StringRef Start);

/// `<Config.Path>:<line>:<column>: <Message>` for an error about a value of the file.
std::string configMessage(const Config &C, SourcePos Pos, llvm::StringRef Message);

} // namespace saguard::model
