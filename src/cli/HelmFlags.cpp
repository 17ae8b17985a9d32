//===- HelmFlags.cpp - every `helm template` flag, passed through ---------===//
#include "HelmFlags.h"

#include "saguard/report/Report.h"

#include "llvm/Support/FileSystem.h"

namespace saguard::cli {
namespace {

/// `helm template --help` of helm 3.17, flags that take a value. `--namespace` and
/// `--release-name` are saguard's own too and handled by the commands.
constexpr const char *ValueFlags[][2] = {
    {"-f", "--values"},      {"", "--set"},           {"", "--set-string"},
    {"", "--set-file"},      {"", "--set-json"},      {"", "--set-literal"},
    {"-a", "--api-versions"}, {"-s", "--show-only"},  {"", "--kube-version"},
    {"", "--version"},       {"", "--repo"},          {"", "--ca-file"},
    {"", "--cert-file"},     {"", "--key-file"},      {"", "--keyring"},
    {"", "--username"},      {"", "--password"},      {"", "--description"},
    {"", "--name-template"}, {"", "--output-dir"},    {"", "--post-renderer"},
    {"", "--post-renderer-args"}, {"", "--timeout"},  {"-l", "--labels"},
    {"", "--burst-limit"},   {"", "--kube-apiserver"}, {"", "--kube-as-group"},
    {"", "--kube-as-user"},  {"", "--kube-ca-file"},  {"", "--kube-context"},
    {"", "--kube-tls-server-name"}, {"", "--kube-token"}, {"", "--kubeconfig"},
    {"", "--qps"},           {"", "--registry-config"}, {"", "--repository-cache"},
    {"", "--repository-config"}};

/// Flags without a value (`--dry-run[=mode]` passes through as an extra).
constexpr const char *BoolFlags[][2] = {
    {"", "--atomic"},          {"", "--create-namespace"}, {"", "--dependency-update"},
    {"", "--devel"},           {"", "--disable-openapi-validation"}, {"", "--enable-dns"},
    {"", "--force"},           {"-g", "--generate-name"},  {"", "--hide-notes"},
    {"", "--include-crds"},    {"", "--insecure-skip-tls-verify"}, {"", "--is-upgrade"},
    {"", "--no-hooks"},        {"", "--pass-credentials"}, {"", "--plain-http"},
    {"", "--render-subchart-notes"}, {"", "--replace"},   {"", "--skip-crds"},
    {"", "--skip-schema-validation"}, {"", "--skip-tests"}, {"", "--take-ownership"},
    {"", "--validate"},        {"", "--verify"},           {"", "--wait"},
    {"", "--wait-for-jobs"},   {"", "--debug"},            {"", "--kube-insecure-skip-tls-verify"}};

std::string names(const char *const (&Flag)[2], bool WithShort) {
  std::string N = Flag[1];
  if (WithShort && *Flag[0])
    N = std::string(Flag[0]) + "," + N;
  return N;
}

} // namespace

void HelmPassThrough::addTo(CLI::App &Cmd, bool WithShort, bool WithVersion) {
  for (const auto &Flag : ValueFlags) {
    if (!WithVersion && std::string(Flag[1]) == "--version")
      continue;
    Cmd.add_option(names(Flag, WithShort), Values[Flag[1]],
                   std::string("helm template ") + Flag[1])
        ->group("helm template flags")
        ->allow_extra_args(false)
        ->take_all();
  }
  for (const auto &Flag : BoolFlags)
    Cmd.add_flag(names(Flag, WithShort), Flags[Flag[1]], std::string("helm template ") + Flag[1])
        ->group("helm template flags");
}

void HelmPassThrough::applyTo(render::HelmOptions &Helm) const {
  const std::vector<std::string> &Files = valuesFiles();
  Helm.ValuesFiles.insert(Helm.ValuesFiles.end(), Files.begin(), Files.end());
  for (const auto &[Name, List] : Values) {
    if (Name == "--values")
      continue;
    bool Set = llvm::StringRef(Name).startswith("--set");
    for (const std::string &V : List)
      if (Set)
        Helm.Sets.push_back({Name, V});
      else
        Helm.ExtraArgs.push_back(Name + "=" + V);
  }
  for (const auto &[Name, On] : Flags)
    if (On)
      Helm.ExtraArgs.push_back(Name);
}

const std::vector<std::string> &HelmPassThrough::valuesFiles() const {
  static const std::vector<std::string> None;
  auto It = Values.find("--values");
  return It == Values.end() ? None : It->second;
}

std::string valuesFileMistake(const std::vector<std::string> &ValuesFiles) {
  for (const std::string &V : ValuesFiles)
    for (std::string_view Format : report::formatNames())
      if (V == Format && !llvm::sys::fs::exists(V))
        return "-f is helm's values file here; did you mean --format " + V + "?";
  return "";
}

} // namespace saguard::cli
