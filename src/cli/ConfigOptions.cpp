//===- ConfigOptions.cpp - .saguard.yaml under the command line; --shard --===//
#include "Commands.h"

#include "saguard/model/Config.h"
#include "saguard/rules/RuleRegistry.h"
#include "saguard/support/Error.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <cstdlib>
#include <numeric>

namespace saguard::cli {
namespace {

bool given(const CommonFlags &Flags, const char *Option) {
  return Flags.Cmd && Flags.Cmd->count(Option) > 0;
}

/// The rule a config entry names, or an error at the entry.
llvm::Expected<std::string> ruleId(const model::Config &C, const model::ConfigString &Name) {
  if (const analysis::RuleInfo *Rule = findRuleAnyCase(Name.Value))
    return std::string(Rule->Id);
  return makeError("%s", model::configMessage(
                             C, Name.Pos, "unknown rule '" + Name.Value + "' (see `saguard rules`)")
                             .c_str());
}

llvm::Error addPatterns(const model::Config &C, const std::vector<model::ConfigString> &From,
                        std::vector<model::NameGlob> &To) {
  for (const model::ConfigString &P : From) {
    llvm::Expected<model::NameGlob> G = model::NameGlob::create(P.Value);
    if (!G) // parseConfig checked them; keep the position should that ever change
      return makeError("%s", model::configMessage(C, P.Pos, llvm::toString(G.takeError())).c_str());
    To.push_back(std::move(*G));
  }
  return llvm::Error::success();
}

/// Where to start looking for the config file: the first target, or the current directory.
std::string searchStart(const RunOptions &Run) {
  for (const Target &T : Run.Targets)
    if (T.Path != "-")
      return T.Path;
  return ".";
}

std::string normalisedPath(llvm::StringRef Path) {
  llvm::SmallString<256> P(Path);
  llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/true, llvm::sys::path::Style::posix);
  std::string S = std::string(P.str());
  std::replace(S.begin(), S.end(), '\\', '/');
  while (S.size() > 1 && S.back() == '/')
    S.pop_back();
  return S;
}

} // namespace

llvm::Expected<std::optional<model::Config>> readRunConfig(const CommonFlags &Flags,
                                                           llvm::StringRef Start) {
  std::string Path = Flags.ConfigPath;
  if (Path.empty()) {
    std::optional<std::string> Found = model::findConfigFile(Start);
    if (!Found)
      return std::nullopt;
    Path = *Found;
  }
  llvm::Expected<model::Config> Read = model::readConfigFile(Path);
  if (!Read)
    return Read.takeError();
  return std::move(*Read);
}

llvm::Error applyConfigFile(CommonFlags &Flags) {
  if (!Flags.Cmd)
    return llvm::Error::success(); // a command without the common options (permissions)
  RunOptions &Run = Flags.Run;
  llvm::Expected<std::optional<model::Config>> Read = readRunConfig(Flags, searchStart(Run));
  if (!Read)
    return Read.takeError();
  if (!*Read)
    return llvm::Error::success();
  const model::Config &C = **Read;
  Run.ConfigFile = C.Path;

  // Rules: an --enable on the command line replaces the file's list, and takes the rules it
  // names back from the file's `disable`; --disable adds to it.
  std::vector<std::string> CommandLineEnabled;
  for (const std::string &Name : Flags.Enable)
    if (const analysis::RuleInfo *Rule = findRuleAnyCase(Name))
      CommandLineEnabled.emplace_back(Rule->Id);
  if (Flags.Enable.empty())
    for (const model::ConfigString &Name : C.Enable) {
      llvm::Expected<std::string> Id = ruleId(C, Name);
      if (!Id)
        return Id.takeError();
      Flags.Enable.push_back(*Id);
    }
  for (const model::ConfigString &Name : C.Disable) {
    llvm::Expected<std::string> Id = ruleId(C, Name);
    if (!Id)
      return Id.takeError();
    if (std::find(CommandLineEnabled.begin(), CommandLineEnabled.end(), *Id) ==
        CommandLineEnabled.end())
      Flags.Disable.push_back(*Id);
  }
  for (const auto &[Name, Level] : C.Levels) {
    llvm::Expected<std::string> Id = ruleId(C, Name);
    if (!Id)
      return Id.takeError();
    Run.Policy.Levels[*Id] = *analysis::parseLevel(Level.Value);
  }
  if (llvm::Error E = addPatterns(C, C.Ignore.Accounts, Run.Policy.IgnoreAccounts))
    return E;
  if (llvm::Error E = addPatterns(C, C.Ignore.Objects, Run.Policy.IgnoreObjects))
    return E;

  if (C.ClusterAutomountDefault && !given(Flags, "--cluster-automount-default"))
    Flags.ClusterAutomountDefault = *C.ClusterAutomountDefault ? "true" : "false";
  if (C.FailOn && !given(Flags, "--fail-on"))
    Flags.FailOn = C.FailOn->Value;
  if (C.Together && !given(Flags, "--together"))
    Run.Together = *C.Together;
  if (C.RenderTimeout && !given(Flags, "--render-timeout"))
    Flags.RenderTimeoutSeconds = *C.RenderTimeout;

  // Renderers: the command line's --kustomize-bin and the environment's HELM_BIN (set by helm
  // for its plugins: the helm the user runs) win over the file.
  const char *HelmBinEnv = std::getenv("HELM_BIN");
  bool HelmFromEnv = HelmBinEnv && *HelmBinEnv;
  for (Target &T : Run.Targets) {
    if (T.Kind == render::TargetKind::Helm) {
      if (T.Helm.HelmBin.empty() && !HelmFromEnv)
        T.Helm.HelmBin = C.HelmBin;
      // Before the command line's -f files, which helm lets override them.
      T.Helm.ValuesFiles.insert(T.Helm.ValuesFiles.begin(), C.HelmValuesFiles.begin(),
                                C.HelmValuesFiles.end());
    } else if (T.Kind == render::TargetKind::Kustomize && T.Kustomize.KustomizeBin.empty()) {
      T.Kustomize.KustomizeBin = C.KustomizeBin;
    }
  }
  return llvm::Error::success();
}

llvm::Error applyShard(CommonFlags &Flags) {
  if (Flags.Shard.empty() && Flags.ShardIndex.empty())
    return llvm::Error::success();
  bool FromZero = Flags.Shard.empty();
  const std::string &Text = FromZero ? Flags.ShardIndex : Flags.Shard;
  auto [IText, NText] = llvm::StringRef(Text).split('/');
  unsigned I = 0, N = 0;
  bool Parsed = !IText.trim().getAsInteger(10, I) && !NText.trim().getAsInteger(10, N);
  if (FromZero && Parsed)
    ++I;
  if (!Parsed || N == 0 || I == 0 || I > N)
    return FromZero ? makeError("--shard-index expects K/N with 0 <= K < N (such as 1/4), not "
                                "'%s'",
                                Text.c_str())
                    : makeError("--shard expects I/N with 1 <= I <= N (such as 2/4), not '%s'",
                                Text.c_str());
  std::vector<Target> &Targets = Flags.Run.Targets;
  // Rank by the normalised path, so every machine of a matrix cuts the same slices whatever
  // order the shell expanded a glob in; a target goes to slice (rank mod N) + 1.
  std::vector<std::size_t> Order(Targets.size());
  std::iota(Order.begin(), Order.end(), 0);
  std::vector<std::string> Keys;
  for (const Target &T : Targets)
    Keys.push_back(normalisedPath(T.Path));
  std::stable_sort(Order.begin(), Order.end(),
                   [&](std::size_t A, std::size_t B) { return Keys[A] < Keys[B]; });
  std::vector<bool> Keep(Targets.size(), false);
  for (std::size_t Rank = 0; Rank < Order.size(); ++Rank)
    Keep[Order[Rank]] = Rank % N == I - 1;
  std::vector<Target> Slice;
  for (std::size_t K = 0; K < Targets.size(); ++K)
    if (Keep[K])
      Slice.push_back(std::move(Targets[K]));
  Targets = std::move(Slice);
  return llvm::Error::success();
}

} // namespace saguard::cli
