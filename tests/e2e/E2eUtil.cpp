//===- E2eUtil.cpp - run the saguard binary and check its report ----------===//
#include "E2eUtil.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace saguard::e2e {
namespace stdfs = std::filesystem;

namespace {

/// Puts the repository's helm and kubectl first on PATH, as CI does, once.
void usePinnedTools() {
  static bool Done = [] {
    std::string Path = std::string(SAGUARD_SOURCE_DIR) + "/.tools/bin";
    if (const char *Old = std::getenv("PATH"))
      Path += std::string(":") + Old;
    setenv("PATH", Path.c_str(), 1);
    return true;
  }();
  (void)Done;
}

std::string slurp(const std::string &File) {
  std::ifstream In(File, std::ios::binary);
  std::stringstream S;
  S << In.rdbuf();
  return S.str();
}

} // namespace

std::string corpusDir() { return std::string(SAGUARD_SHARED_DIR) + "/corpus"; }

RunResult runProgram(const std::vector<std::string> &Argv, const std::string &Cwd,
                     const Env &Extra) {
  usePinnedTools();
  RunResult R;
  char OutName[] = "/tmp/saguard-e2e-out-XXXXXX";
  char ErrName[] = "/tmp/saguard-e2e-err-XXXXXX";
  int Out = mkstemp(OutName), Err = mkstemp(ErrName);
  if (Out < 0 || Err < 0) {
    ADD_FAILURE() << "mkstemp: " << std::strerror(errno);
    return R;
  }
  pid_t Pid = fork();
  if (Pid == 0) {
    // Child: only async-signal-safe work and exec (no gtest, no allocation worth naming).
    dup2(Out, 1);
    dup2(Err, 2);
    if (chdir(Cwd.c_str()) != 0)
      _exit(126);
    for (const auto &[Name, Value] : Extra) {
      if (Value.empty())
        unsetenv(Name.c_str());
      else
        setenv(Name.c_str(), Value.c_str(), 1);
    }
    std::vector<char *> Args;
    for (const std::string &A : Argv)
      Args.push_back(const_cast<char *>(A.c_str()));
    Args.push_back(nullptr);
    execvp(Args[0], Args.data());
    _exit(127);
  }
  int Status = 0;
  if (Pid < 0 || waitpid(Pid, &Status, 0) < 0)
    ADD_FAILURE() << "cannot run " << Argv[0] << ": " << std::strerror(errno);
  else
    R.Exit = WIFEXITED(Status) ? WEXITSTATUS(Status) : 128 + WTERMSIG(Status);
  close(Out);
  close(Err);
  R.Stdout = slurp(OutName);
  R.Stderr = slurp(ErrName);
  unlink(OutName);
  unlink(ErrName);
  R.Report = Json::parse(R.Stdout, nullptr, /*allow_exceptions=*/false);
  if (R.Report.is_discarded())
    R.Report = Json();
  return R;
}

const RunResult &runSaguard(const std::vector<std::string> &Args, const std::string &Cwd,
                            const Env &Extra) {
  static std::map<std::string, RunResult> Cache;
  std::string Key = Cwd;
  for (const std::string &A : Args)
    Key += '\0' + A;
  for (const auto &[Name, Value] : Extra)
    Key += '\1' + Name + '=' + Value;
  auto It = Cache.find(Key);
  if (It != Cache.end())
    return It->second;
  std::vector<std::string> Argv = {SAGUARD_BIN};
  Argv.insert(Argv.end(), Args.begin(), Args.end());
  return Cache.emplace(Key, runProgram(Argv, Cwd, Extra)).first->second;
}

TempDir::TempDir() {
  char Name[] = "/tmp/saguard-e2e-XXXXXX";
  if (!mkdtemp(Name))
    ADD_FAILURE() << "mkdtemp: " << std::strerror(errno);
  Root = Name;
}

TempDir::~TempDir() {
  std::error_code EC;
  stdfs::remove_all(Root, EC);
}

std::string TempDir::write(const std::string &Rel, const std::string &Text) const {
  stdfs::path P = stdfs::path(Root) / Rel;
  stdfs::create_directories(P.parent_path());
  std::ofstream(P, std::ios::binary) << Text;
  return P.string();
}

std::vector<std::string> readLines(const std::string &File) {
  std::vector<std::string> Lines;
  std::ifstream In(File);
  for (std::string L; std::getline(In, L);)
    Lines.push_back(L);
  return Lines;
}

namespace {

std::string resolve(const std::string &File, const std::string &Cwd) {
  stdfs::path P(File);
  return (P.is_absolute() ? P : stdfs::path(Cwd) / P).lexically_normal().string();
}

bool startsWith(const std::string &S, const std::string &Prefix) {
  return S.compare(0, Prefix.size(), Prefix) == 0;
}

std::string trimmed(const std::string &S) {
  size_t B = S.find_first_not_of(" \t");
  return B == std::string::npos ? "" : S.substr(B);
}

/// The last key of a path such as `spec.template.spec.serviceAccountName` or `subjects.0`
/// (list indexes dropped), and whether the path ends in a list entry.
std::pair<std::string, bool> lastKey(const std::string &KeyPath) {
  std::string Key, Seg;
  bool Entry = false;
  auto Flush = [&] {
    if (Seg.empty())
      return;
    bool Index = Seg.find_first_not_of("0123456789") == std::string::npos;
    Entry = Index;
    if (!Index)
      Key = Seg;
    Seg.clear();
  };
  for (char C : KeyPath) {
    if (C == '.')
      Flush();
    else
      Seg += C;
  }
  Flush();
  return {Key, Entry};
}

} // namespace

std::string lineAt(const Json &Location, const std::string &Cwd) {
  if (!Location.contains("file") || !Location["file"].is_string() || !Location["line"].is_number())
    return "";
  std::vector<std::string> Lines = readLines(resolve(Location["file"], Cwd));
  unsigned Line = Location["line"];
  return Line >= 1 && Line <= Lines.size() ? Lines[Line - 1] : "";
}

void checkLocations(const Json &Report, const std::string &Cwd, const std::string &Root) {
  ASSERT_TRUE(Report.is_object()) << "no JSON report";
  std::string RootDir = stdfs::weakly_canonical(Root).string() + "/";
  for (const Json &F : Report["findings"]) {
    std::string What = F.value("ruleId", "") + " on " + F["object"].value("kind", "") + "/" +
                       F["object"].value("name", "");
    const Json &Loc = F["location"];
    ASSERT_TRUE(Loc["file"].is_string()) << What << " has no file";
    std::string File = resolve(Loc["file"], Cwd);
    EXPECT_TRUE(stdfs::is_regular_file(File)) << What << ": " << File << " is no file";
    EXPECT_TRUE(startsWith(stdfs::weakly_canonical(File).string(), RootDir))
        << What << ": " << File << " is outside " << RootDir;
    std::vector<std::string> Lines = readLines(File);
    unsigned Line = Loc["line"];
    ASSERT_TRUE(Line >= 1 && Line <= Lines.size()) << What << ": line " << Line << " of " << File;
    std::string Text = trimmed(Lines[Line - 1]);
    auto [Key, Entry] = lastKey(F.value("keyPath", ""));
    // The deciding key of the finding, or one a rule decides by on another object (SA002 points
    // at the account's automount, SA001 at the pod `spec:` when no account is named), or the
    // entry of a list (a subject), or the object's own first line.
    bool Holds = (!Key.empty() && Text.find(Key + ":") != std::string::npos) ||
                 Text.find("automountServiceAccountToken:") != std::string::npos ||
                 startsWith(Text, "spec:") || (Entry && startsWith(Text, "- ")) ||
                 startsWith(Text, "apiVersion:") || startsWith(Text, "kind:");
    EXPECT_TRUE(Holds) << What << " (" << F.value("keyPath", "") << ") -> " << File << ":" << Line
                       << ": " << Text;
    for (const Json &R : F["related"]) {
      if (!R["file"].is_string())
        continue;
      std::string RFile = R["file"];
      if (RFile.size() > 8 && RFile.compare(RFile.size() - 8, 8, " output)") == 0)
        continue; // the rendered stream, kept on purpose as a further location
      std::string RPath = resolve(RFile, Cwd);
      EXPECT_TRUE(stdfs::is_regular_file(RPath)) << What << " related: " << RPath;
      unsigned RLine = R["line"];
      EXPECT_TRUE(RLine >= 1 && RLine <= readLines(RPath).size())
          << What << " related: " << RPath << ":" << RLine;
    }
  }
}

std::vector<Json> findingsOf(const Json &Report, const std::string &RuleId, const std::string &Kind,
                             const std::string &Name) {
  std::vector<Json> Out;
  if (!Report.is_object())
    return Out;
  for (const Json &F : Report["findings"])
    if (F.value("ruleId", "") == RuleId && F["object"].value("kind", "") == Kind &&
        startsWith(F["object"].value("name", ""), Name))
      Out.push_back(F);
  return Out;
}

std::vector<Json> relatedWith(const Json &Finding, const std::string &Text) {
  std::vector<Json> Out;
  for (const Json &R : Finding["related"])
    if (R.value("message", "").find(Text) != std::string::npos)
      Out.push_back(R);
  return Out;
}

void PrintTo(const CorpusEntry &I, std::ostream *OS) { *OS << I.Path; }

std::vector<CorpusEntry> corpusEntries() {
  std::vector<CorpusEntry> Items;
  for (const char *Chart :
       {"alertmanager", "argo-rollouts",    "cert-manager",   "descheduler",
        "dex",          "external-dns",     "fluent-bit",     "grafana",
        "headlamp",     "ingress-nginx",    "jenkins",        "kube-state-metrics",
        "kyverno",      "metrics-server",   "podinfo",        "prometheus-node-exporter",
        "reloader",     "rollout-operator", "sealed-secrets", "velero"}) {
    CorpusEntry I{std::string("helm_") + Chart,
           true,
           std::string("helm/") + Chart,
           std::string("helm/") + Chart,
           {}};
    if (I.Path == "helm/external-dns")
      I.Flags = {"--set", "policy=sync"}; // a required value (MANIFEST)
    Items.push_back(I);
  }
  for (auto [Tree, Overlay] : std::vector<std::pair<const char *, const char *>>{
           {"argo-cd", "cluster-install"},
           {"argo-workflows", "quick-start/base"},
           {"microservices-demo", ""},
           {"metrics-server", "overlays/release"},
           {"podinfo", "overlays/production"},
           {"descheduler", "cronjob"},
           {"kubebuilder-project-v4", "default"},
           {"kubeflow-profiles", "overlays/kubeflow"},
           {"kustomize-ldap", "overlays/production"},
           {"kustomize-multibases", ""}}) {
    std::string Root = std::string("kustomize/") + Tree;
    std::string Name = "kustomize_" + std::string(Tree);
    for (char &C : Name)
      if (C == '-')
        C = '_';
    Items.push_back({Name, false, *Overlay ? Root + "/" + Overlay : Root, Root, {}});
  }
  return Items;
}

} // namespace saguard::e2e
