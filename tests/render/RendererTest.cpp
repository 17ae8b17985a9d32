#include "saguard/render/Renderer.h"

#include "saguard/model/Origin.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLParser.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include <fcntl.h>
#include <unistd.h>

using namespace saguard;
using namespace saguard::render;
namespace stdfs = std::filesystem;

namespace {

const std::string Corpus = std::string(SAGUARD_SHARED_DIR) + "/corpus";

/// The real helm and kubectl are expected on PATH (CI puts .tools/bin there); a checkout's own
/// .tools/bin is added for runs outside CI. Tests fail, not skip, when helm is missing.
const bool PathReady = [] {
  std::string Tools = std::string(SAGUARD_SOURCE_DIR) + "/.tools/bin";
  const char *Path = std::getenv("PATH");
  std::string NewPath = Tools + ":" + (Path ? Path : "/usr/bin:/bin");
  ::setenv("PATH", NewPath.c_str(), 1);
  return true;
}();

/// A temporary directory removed at the end of the test.
struct TempDir {
  stdfs::path Path;
  explicit TempDir(const std::string &Name = "saguard-render-test") {
    llvm::SmallString<128> P;
    EXPECT_FALSE(llvm::sys::fs::createUniqueDirectory(Name, P));
    Path = stdfs::canonical(std::string(P.str()));
  }
  ~TempDir() {
    std::error_code EC;
    stdfs::remove_all(Path, EC);
  }
  std::string str() const { return Path.string(); }
};

void writeFile(const stdfs::path &P, const std::string &Text, bool Executable = false) {
  stdfs::create_directories(P.parent_path());
  std::ofstream(P) << Text;
  if (Executable)
    stdfs::permissions(P, stdfs::perms::owner_all, stdfs::perm_options::add);
}

/// Sets an environment variable for the scope.
struct ScopedEnv {
  std::string Name;
  std::optional<std::string> Old;
  ScopedEnv(std::string N, const char *Value) : Name(std::move(N)) {
    if (const char *V = std::getenv(Name.c_str()))
      Old = V;
    if (Value)
      ::setenv(Name.c_str(), Value, 1);
    else
      ::unsetenv(Name.c_str());
  }
  ~ScopedEnv() {
    if (Old)
      ::setenv(Name.c_str(), Old->c_str(), 1);
    else
      ::unsetenv(Name.c_str());
  }
};

struct Rendered {
  std::vector<DocumentText> Docs;
  std::string Error;
  double Seconds = 0;
};

Rendered renderAll(const Renderer &R, const RenderOptions &Options = {}) {
  Rendered Out;
  FileTable Files;
  DocumentSplitter Splitter(Files.intern("<rendered>"),
                            [&](DocumentText D) { Out.Docs.push_back(std::move(D)); });
  auto Start = std::chrono::steady_clock::now();
  if (llvm::Error E = saguard::render::render(R, Splitter, Options))
    Out.Error = llvm::toString(std::move(E));
  Out.Seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - Start).count();
  return Out;
}

std::string scalar(llvm::yaml::Node *N) {
  if (auto *Block = llvm::dyn_cast_or_null<llvm::yaml::BlockScalarNode>(N))
    return Block->getValue().str(); // kustomize writes the origin annotation as `|`
  auto *S = llvm::dyn_cast_or_null<llvm::yaml::ScalarNode>(N);
  if (!S)
    return "";
  llvm::SmallString<64> Storage;
  return S->getValue(Storage).str();
}

/// kind, metadata.name and metadata.annotations of one rendered document (test helper, through
/// LLVM's YAML parser).
struct ObjectInfo {
  std::string Kind, Name;
  std::map<std::string, std::string> Annotations;
};

ObjectInfo inspect(const std::string &Text) {
  ObjectInfo Info;
  llvm::SourceMgr SM;
  SM.setDiagHandler([](const llvm::SMDiagnostic &, void *) {});
  llvm::yaml::Stream S(Text, SM, false);
  for (llvm::yaml::Document &D : S) {
    auto *Root = llvm::dyn_cast_or_null<llvm::yaml::MappingNode>(D.getRoot());
    if (!Root)
      continue;
    for (llvm::yaml::KeyValueNode &KV : *Root) {
      std::string Key = scalar(KV.getKey());
      if (Key == "kind") {
        Info.Kind = scalar(KV.getValue());
      } else if (Key == "metadata") {
        auto *Meta = llvm::dyn_cast_or_null<llvm::yaml::MappingNode>(KV.getValue());
        if (!Meta)
          continue;
        for (llvm::yaml::KeyValueNode &M : *Meta) {
          std::string MKey = scalar(M.getKey());
          if (MKey == "name") {
            Info.Name = scalar(M.getValue());
          } else if (MKey == "annotations") {
            if (auto *A = llvm::dyn_cast_or_null<llvm::yaml::MappingNode>(M.getValue()))
              for (llvm::yaml::KeyValueNode &Ann : *A) {
                std::string AKey = scalar(Ann.getKey());
                Info.Annotations[AKey] = scalar(Ann.getValue());
              }
          }
        }
      }
    }
  }
  EXPECT_FALSE(S.failed()) << Text;
  return Info;
}

bool onPath(const char *Program) { return bool(llvm::sys::findProgramByName(Program)); }

} // namespace

//===----------------------------------------------------------------------===//
// detection
//===----------------------------------------------------------------------===//

TEST(Renderer, DetectsTargetKind) {
  TempDir T;
  writeFile(T.Path / "chart/Chart.yaml", "name: c\n");
  writeFile(T.Path / "kz1/kustomization.yaml", "resources: []\n");
  writeFile(T.Path / "kz2/kustomization.yml", "resources: []\n");
  writeFile(T.Path / "kz3/Kustomization", "resources: []\n");
  writeFile(T.Path / "plain/a.yaml", "kind: A\n");
  writeFile(T.Path / "file.yaml", "kind: A\n");
  writeFile(T.Path / "pkg.tgz", "not really gzip");
  EXPECT_EQ(detectTarget((T.Path / "chart").string()), TargetKind::Helm);
  EXPECT_EQ(detectTarget((T.Path / "pkg.tgz").string()), TargetKind::Helm);
  EXPECT_EQ(detectTarget((T.Path / "kz1").string()), TargetKind::Kustomize);
  EXPECT_EQ(detectTarget((T.Path / "kz2").string()), TargetKind::Kustomize);
  EXPECT_EQ(detectTarget((T.Path / "kz3").string()), TargetKind::Kustomize);
  EXPECT_EQ(detectTarget((T.Path / "plain").string()), TargetKind::Manifests);
  EXPECT_EQ(detectTarget((T.Path / "file.yaml").string()), TargetKind::Manifests);
  EXPECT_EQ(detectTarget((T.Path / "missing").string()), TargetKind::Manifests);
  EXPECT_EQ(detectTarget("-"), TargetKind::Manifests);
  EXPECT_EQ(detectTarget(Corpus + "/helm/metrics-server"), TargetKind::Helm);
  EXPECT_EQ(detectTarget(Corpus + "/kustomize/kustomize-ldap/overlays/production"),
            TargetKind::Kustomize);
}

//===----------------------------------------------------------------------===//
// helm
//===----------------------------------------------------------------------===//

TEST(HelmRenderer, BuildsArgumentVector) {
  ScopedEnv NoHelmBin("HELM_BIN", nullptr);
  HelmOptions O;
  O.Chart = "./chart";
  O.ExtraArgs = {"-f", "my values.yaml", "--set", "a=b"};
  llvm::Expected<RenderCommand> Cmd = HelmRenderer(O).command();
  ASSERT_TRUE(bool(Cmd)) << llvm::toString(Cmd.takeError());
  EXPECT_EQ(Cmd->Argv, (std::vector<std::string>{"helm", "template", "./chart", "-f",
                                                 "my values.yaml", "--set", "a=b"}));
  EXPECT_EQ(Cmd->Tool, "helm template");

  O.ReleaseName = "rel";
  O.Namespace = "shop";
  O.HelmBin = "/opt/helm";
  Cmd = HelmRenderer(O).command();
  ASSERT_TRUE(bool(Cmd)) << llvm::toString(Cmd.takeError());
  EXPECT_EQ(Cmd->Argv,
            (std::vector<std::string>{"/opt/helm", "template", "rel", "./chart", "--namespace",
                                      "shop", "-f", "my values.yaml", "--set", "a=b"}));

  ScopedEnv HelmBin("HELM_BIN", "/from/env/helm");
  O.HelmBin.clear();
  Cmd = HelmRenderer(O).command();
  ASSERT_TRUE(bool(Cmd)) << llvm::toString(Cmd.takeError());
  EXPECT_EQ(Cmd->Argv[0], "/from/env/helm");
}

TEST(HelmRenderer, HelmIsInstalled) {
  // The renderer tests below need the real helm; say so plainly when it is missing.
  ASSERT_TRUE(onPath("helm")) << "helm (v3) is not on PATH nor in " SAGUARD_SOURCE_DIR
                                 "/.tools/bin";
}

TEST(HelmRenderer, RendersCorpusChartWithSourceComments) {
  ScopedEnv NoHelmBin("HELM_BIN", nullptr);
  HelmOptions O;
  O.Chart = Corpus + "/helm/metrics-server";
  O.Namespace = "monitoring";
  HelmRenderer R(O);
  EXPECT_EQ(R.target().Kind, TargetKind::Helm);
  EXPECT_EQ(R.target().Path, O.Chart);
  Rendered Out = renderAll(R);
  ASSERT_EQ(Out.Error, "");
  ASSERT_GE(Out.Docs.size(), 5u);
  std::set<std::string> Kinds;
  unsigned LastLine = 0;
  for (const DocumentText &D : Out.Docs) {
    EXPECT_EQ(D.HelmSource.rfind("metrics-server/templates/", 0), 0u) << D.HelmSource;
    // helm writes `---` then `# Source:`: the document starts at the comment.
    EXPECT_EQ(D.Text.rfind("# Source: ", 0), 0u);
    EXPECT_GT(D.FirstLine, LastLine);
    LastLine = D.FirstLine;
    Kinds.insert(inspect(D.Text).Kind);
  }
  EXPECT_TRUE(Kinds.count("Deployment"));
  EXPECT_TRUE(Kinds.count("ServiceAccount"));
  EXPECT_TRUE(Kinds.count("ClusterRoleBinding"));
  bool SawNamespace = false;
  for (const DocumentText &D : Out.Docs)
    SawNamespace |= D.Text.find("namespace: monitoring") != std::string::npos;
  EXPECT_TRUE(SawNamespace);
}

TEST(HelmRenderer, PassesFlagsThrough) {
  ScopedEnv NoHelmBin("HELM_BIN", nullptr);
  HelmOptions O;
  O.Chart = Corpus + "/helm/metrics-server";
  O.ReleaseName = "my-release";
  O.ExtraArgs = {"--set", "serviceAccount.name=custom-sa", "-s", "templates/serviceaccount.yaml"};
  Rendered Out = renderAll(HelmRenderer(O));
  ASSERT_EQ(Out.Error, "");
  ASSERT_EQ(Out.Docs.size(), 1u);
  EXPECT_EQ(Out.Docs[0].HelmSource, "metrics-server/templates/serviceaccount.yaml");
  ObjectInfo Info = inspect(Out.Docs[0].Text);
  EXPECT_EQ(Info.Kind, "ServiceAccount");
  EXPECT_EQ(Info.Name, "custom-sa");
  EXPECT_NE(Out.Docs[0].Text.find("my-release"), std::string::npos);
}

TEST(HelmRenderer, RendersChartInPathWithSpaces) {
  ScopedEnv NoHelmBin("HELM_BIN", nullptr);
  TempDir T;
  stdfs::path Chart = T.Path / "my chart $x";
  stdfs::copy(Corpus + "/helm/metrics-server", Chart, stdfs::copy_options::recursive);
  HelmOptions O;
  O.Chart = Chart.string();
  O.ExtraArgs = {"-f", (Chart / "values.yaml").string()};
  Rendered Out = renderAll(HelmRenderer(O));
  ASSERT_EQ(Out.Error, "");
  EXPECT_GE(Out.Docs.size(), 5u);
}

TEST(HelmRenderer, FailureKeepsStderrInMessage) {
  TempDir T;
  writeFile(T.Path / "fake-helm",
            "#!/bin/sh\n"
            "echo '---'\n"
            "echo 'kind: Partial'\n"
            "echo 'Error: execution error at (c/templates/a.yaml:6:8): foo is required' >&2\n"
            "echo 'Use --debug flag to render out invalid YAML' >&2\n"
            "exit 1\n",
            /*Executable=*/true);
  HelmOptions O;
  O.Chart = "chart";
  O.HelmBin = (T.Path / "fake-helm").string();
  Rendered Out = renderAll(HelmRenderer(O));
  EXPECT_EQ(Out.Error, "helm template failed (exit 1): Error: execution error at "
                       "(c/templates/a.yaml:6:8): foo is required\n"
                       "Use --debug flag to render out invalid YAML");
  EXPECT_TRUE(Out.Docs.empty()) << "a failed render's unfinished document is dropped";
}

TEST(HelmRenderer, TimeoutKillsRenderer) {
  TempDir T;
  writeFile(T.Path / "slow-helm", "#!/bin/sh\necho '---'\nsleep 30\n", /*Executable=*/true);
  ScopedEnv HelmBin("HELM_BIN", (T.Path / "slow-helm").c_str());
  HelmOptions O;
  O.Chart = "chart";
  RenderOptions Options;
  Options.Timeout = std::chrono::milliseconds(300);
  Rendered Out = renderAll(HelmRenderer(O), Options);
  EXPECT_EQ(Out.Error, "helm template timed out after 0.3 s");
  EXPECT_LT(Out.Seconds, 10.0);
}

TEST(HelmRenderer, MissingHelmIsReported) {
  HelmOptions O;
  O.Chart = "chart";
  {
    ScopedEnv HelmBin("HELM_BIN", "/nonexistent/helm");
    Rendered Out = renderAll(HelmRenderer(O));
    EXPECT_EQ(Out.Error, "helm not found at '/nonexistent/helm' (from HELM_BIN): install helm 3 "
                         "or set HELM_BIN");
  }
  {
    TempDir Empty;
    ScopedEnv NoHelmBin("HELM_BIN", nullptr);
    ScopedEnv Path("PATH", Empty.str().c_str());
    Rendered Out = renderAll(HelmRenderer(O));
    EXPECT_EQ(Out.Error, "helm not found: install helm 3 or set HELM_BIN");
  }
}

//===----------------------------------------------------------------------===//
// kustomize
//===----------------------------------------------------------------------===//

namespace {

/// Renders Dir with origin annotations and checks that every object's origin resolves to an
/// existing file; returns the resolved paths by kind.
std::map<std::string, std::string> renderWithOrigins(const std::string &Dir,
                                                     const std::string &Bin = "") {
  std::map<std::string, std::string> ByKind;
  KustomizeOptions O;
  O.Dir = Dir;
  O.KustomizeBin = Bin;
  llvm::Expected<std::unique_ptr<KustomizeRenderer>> R = KustomizeRenderer::create(O);
  if (!R) {
    ADD_FAILURE() << llvm::toString(R.takeError());
    return ByKind;
  }
  std::string Wrapper = (*R)->wrapperDir();
  EXPECT_TRUE(stdfs::exists(Wrapper + "/kustomization.yaml"));
  EXPECT_EQ((*R)->target().OriginBase, Wrapper);
  Rendered Out = renderAll(**R);
  EXPECT_EQ(Out.Error, "");
  EXPECT_FALSE(Out.Docs.empty());
  for (const DocumentText &D : Out.Docs) {
    ObjectInfo Info = inspect(D.Text);
    auto It = Info.Annotations.find(std::string(model::OriginAnnotationKey));
    if (It == Info.Annotations.end()) {
      ADD_FAILURE() << "no origin annotation on " << Info.Kind << " " << Info.Name;
      continue;
    }
    llvm::Expected<model::KustomizeOrigin> Origin = model::parseOriginAnnotation(It->second);
    if (!Origin) {
      ADD_FAILURE() << llvm::toString(Origin.takeError());
      continue;
    }
    std::string Raw = Origin->Path.empty() ? Origin->ConfiguredIn : Origin->Path;
    std::string Resolved = resolveOriginPath((*R)->target(), Raw);
    EXPECT_TRUE(stdfs::is_regular_file(Resolved))
        << Info.Kind << " " << Info.Name << ": " << Raw << " -> " << Resolved;
    ByKind[Info.Kind] = Resolved;
  }
  R->reset();
  EXPECT_FALSE(stdfs::exists(Wrapper)) << "the wrapper directory is removed";
  return ByKind;
}

} // namespace

TEST(KustomizeRenderer, CorpusOverlayOriginsResolveToRealFiles) {
  std::string Base = Corpus + "/kustomize/kustomize-ldap";
  std::map<std::string, std::string> ByKind = renderWithOrigins(Base + "/overlays/production");
  EXPECT_EQ(stdfs::canonical(ByKind["Deployment"]), stdfs::canonical(Base + "/base/deployment.yaml"));
  EXPECT_EQ(stdfs::canonical(ByKind["Service"]), stdfs::canonical(Base + "/base/service.yaml"));
  EXPECT_EQ(stdfs::canonical(ByKind["ConfigMap"]),
            stdfs::canonical(Base + "/base/kustomization.yaml"));
}

TEST(KustomizeRenderer, WorksWithKubectlKustomize) {
  ASSERT_TRUE(onPath("kubectl"));
  std::map<std::string, std::string> ByKind = renderWithOrigins(
      Corpus + "/kustomize/kustomize-ldap/overlays/production", "kubectl");
  EXPECT_EQ(ByKind.size(), 3u);
}

TEST(KustomizeRenderer, OverlayInPathWithSpaces) {
  TempDir T;
  stdfs::path Copy = T.Path / "my overlay $x \"q\" #1";
  stdfs::copy(Corpus + "/kustomize/kustomize-ldap", Copy, stdfs::copy_options::recursive);
  std::map<std::string, std::string> ByKind =
      renderWithOrigins((Copy / "overlays/production").string());
  EXPECT_EQ(stdfs::canonical(ByKind["Deployment"]),
            stdfs::canonical(Copy / "base/deployment.yaml"));
}

TEST(KustomizeRenderer, RelativeOriginsBecomeRelativeToCwd) {
  TempDir T;
  writeFile(T.Path / "app/base/sa.yaml",
            "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n");
  writeFile(T.Path / "app/base/kustomization.yaml", "resources: [sa.yaml]\n");
  writeFile(T.Path / "app/prod/kustomization.yaml", "resources: [../base]\nnamePrefix: prod-\n");
  llvm::SmallString<256> OldCwd;
  ASSERT_FALSE(llvm::sys::fs::current_path(OldCwd));
  ASSERT_FALSE(llvm::sys::fs::set_current_path(T.str()));
  std::map<std::string, std::string> ByKind = renderWithOrigins("app/prod");
  ASSERT_FALSE(llvm::sys::fs::set_current_path(OldCwd));
  EXPECT_EQ(ByKind["ServiceAccount"], "app/base/sa.yaml");
}

TEST(KustomizeRenderer, WithoutOriginAnnotationsBuildsDirectly) {
  KustomizeOptions O;
  O.Dir = Corpus + "/kustomize/kustomize-ldap/overlays/production";
  O.OriginAnnotations = false;
  auto R = KustomizeRenderer::create(O);
  ASSERT_TRUE(bool(R)) << llvm::toString(R.takeError());
  EXPECT_EQ((*R)->wrapperDir(), "");
  Rendered Out = renderAll(**R);
  ASSERT_EQ(Out.Error, "");
  ASSERT_EQ(Out.Docs.size(), 3u);
  for (const DocumentText &D : Out.Docs)
    EXPECT_EQ(D.Text.find("config.kubernetes.io/origin"), std::string::npos);
}

TEST(KustomizeRenderer, FailureKeepsStderr) {
  TempDir T;
  writeFile(T.Path / "kustomization.yaml", "resources: [missing.yaml]\n");
  auto R = KustomizeRenderer::create({T.str(), "", true, {}});
  ASSERT_TRUE(bool(R)) << llvm::toString(R.takeError());
  Rendered Out = renderAll(**R);
  EXPECT_TRUE(Out.Error.rfind("kustomize build failed (exit 1): ", 0) == 0 ||
              Out.Error.rfind("kubectl kustomize failed (exit 1): ", 0) == 0)
      << Out.Error;
  EXPECT_NE(Out.Error.find("missing.yaml"), std::string::npos) << Out.Error;
}

TEST(KustomizeRenderer, RejectsNonKustomizationDir) {
  TempDir T;
  auto R = KustomizeRenderer::create({T.str(), "", true, {}});
  ASSERT_FALSE(bool(R));
  EXPECT_NE(llvm::toString(R.takeError()).find("kustomization"), std::string::npos);
}

TEST(KustomizeRenderer, MissingBinaryIsReported) {
  KustomizeOptions O;
  O.Dir = Corpus + "/kustomize/kustomize-ldap/overlays/production";
  O.KustomizeBin = "/nonexistent/kustomize";
  auto R = KustomizeRenderer::create(O);
  ASSERT_TRUE(bool(R)) << llvm::toString(R.takeError());
  EXPECT_EQ(renderAll(**R).Error,
            "kustomize not found at '/nonexistent/kustomize': install it or fix --kustomize-bin");

  O.KustomizeBin.clear();
  auto R2 = KustomizeRenderer::create(O);
  ASSERT_TRUE(bool(R2)) << llvm::toString(R2.takeError());
  TempDir Empty;
  ScopedEnv Path("PATH", Empty.str().c_str());
  EXPECT_EQ(renderAll(**R2).Error,
            "kustomize not found: install kustomize or kubectl, or pass --kustomize-bin");
}

TEST(KustomizeRenderer, PrefersKustomizeThenKubectl) {
  TempDir T;
  writeFile(T.Path / "kustomization.yaml", "resources: []\n");
  writeFile(T.Path / "bin/kubectl", "#!/bin/sh\n", true);
  auto R = KustomizeRenderer::create({T.str(), "", false, {"--enable-helm"}});
  ASSERT_TRUE(bool(R)) << llvm::toString(R.takeError());
  {
    ScopedEnv Path("PATH", (T.Path / "bin").c_str());
    auto Cmd = (*R)->command();
    ASSERT_TRUE(bool(Cmd)) << llvm::toString(Cmd.takeError());
    EXPECT_EQ(Cmd->Argv,
              (std::vector<std::string>{"kubectl", "kustomize", T.str(), "--enable-helm"}));
  }
  writeFile(T.Path / "bin/kustomize", "#!/bin/sh\n", true);
  {
    ScopedEnv Path("PATH", (T.Path / "bin").c_str());
    auto Cmd = (*R)->command();
    ASSERT_TRUE(bool(Cmd)) << llvm::toString(Cmd.takeError());
    EXPECT_EQ(Cmd->Argv,
              (std::vector<std::string>{"kustomize", "build", T.str(), "--enable-helm"}));
    EXPECT_EQ(Cmd->Tool, "kustomize build");
  }
}

//===----------------------------------------------------------------------===//
// origin annotations
//===----------------------------------------------------------------------===//

TEST(Origin, ResolvesPaths) {
  RenderTarget T;
  T.Kind = TargetKind::Kustomize;
  T.OriginBase = "/tmp/saguard-kustomize-abc";
  EXPECT_EQ(resolveOriginPath(T, "../../srv/app/base/./deployment.yaml"),
            "/srv/app/base/deployment.yaml");
  EXPECT_EQ(resolveOriginPath(T, "/abs/path.yaml"), "/abs/path.yaml");

  llvm::SmallString<256> Cwd;
  ASSERT_FALSE(llvm::sys::fs::current_path(Cwd));
  llvm::SmallString<256> RealCwd;
  ASSERT_FALSE(llvm::sys::fs::real_path(Cwd, RealCwd));
  T.OriginBase = std::string(RealCwd.str()) + "/wrap";
  EXPECT_EQ(resolveOriginPath(T, "../a/b.yaml"), "a/b.yaml");

  RenderTarget Helm;
  EXPECT_EQ(resolveOriginPath(Helm, "x/y.yaml"), "x/y.yaml");
}

//===----------------------------------------------------------------------===//
// manifests
//===----------------------------------------------------------------------===//

namespace {

struct Read {
  std::vector<DocumentText> Docs;
  std::vector<std::string> Paths; ///< the stream path of each document
  std::string Error;
};

Read readAll(const std::string &Path, const ManifestReadOptions &Options = {}) {
  Read Out;
  FileTable Files;
  llvm::Error E = readManifests(
      Path, Files,
      [&](DocumentText D) {
        Out.Paths.push_back(Files.path(D.Stream));
        Out.Docs.push_back(std::move(D));
      },
      Options);
  if (E)
    Out.Error = llvm::toString(std::move(E));
  return Out;
}

} // namespace

TEST(Manifests, ReadsFile) {
  TempDir T;
  std::string File = (T.Path / "app.yaml").string();
  writeFile(File, "kind: A\n---\n# nothing\n---\nkind: B\n");
  Read Out = readAll(File);
  ASSERT_EQ(Out.Error, "");
  ASSERT_EQ(Out.Docs.size(), 2u);
  EXPECT_EQ(Out.Paths[0], File);
  EXPECT_EQ(Out.Docs[1].FirstLine, 5u);
}

TEST(Manifests, ReadsDirectoryRecursivelyInSortedOrder) {
  TempDir T;
  writeFile(T.Path / "b.yaml", "kind: B\n");
  writeFile(T.Path / "a.yml", "kind: A\n");
  writeFile(T.Path / "c/d.json", "{\"kind\": \"D\"}\n");
  writeFile(T.Path / "c/e.YAML", "kind: E\n");
  writeFile(T.Path / "notes.txt", "kind: Ignored\n");
  writeFile(T.Path / ".hidden.yaml", "kind: Ignored\n");
  writeFile(T.Path / ".git/x.yaml", "kind: Ignored\n");
  stdfs::create_directory_symlink(T.Path, T.Path / "c/loop"); // a cycle is visited once
  Read Out = readAll(T.str());
  ASSERT_EQ(Out.Error, "");
  std::vector<std::string> Rel;
  for (const std::string &P : Out.Paths)
    Rel.push_back(stdfs::path(P).lexically_relative(T.Path).string());
  EXPECT_EQ(Rel, (std::vector<std::string>{"a.yml", "b.yaml", "c/d.json", "c/e.YAML"}));
}

TEST(Manifests, UnreadableFileIsNamedAndOthersAreStillRead) {
  TempDir T;
  writeFile(T.Path / "a.yaml", "kind: A\n");
  stdfs::create_symlink("bad.yaml", T.Path / "bad.yaml"); // ELOOP on open
  writeFile(T.Path / "c.yaml", "kind: C\n");
  Read Out = readAll(T.str());
  EXPECT_EQ(Out.Docs.size(), 2u);
  EXPECT_NE(Out.Error.find((T.Path / "bad.yaml").string()), std::string::npos) << Out.Error;

  Out = readAll((T.Path / "missing.yaml").string());
  EXPECT_NE(Out.Error.find("missing.yaml"), std::string::npos);
  EXPECT_NE(Out.Error.find("No such file"), std::string::npos) << Out.Error;
}

TEST(Manifests, ReportsOversizedDocuments) {
  TempDir T;
  std::string File = (T.Path / "big.yaml").string();
  writeFile(File, "kind: A\n---\ndata: " + std::string(300000, 'x') + "\n---\nkind: C\n");
  ManifestReadOptions Options;
  Options.MaxDocumentBytes = 100000;
  Read Out = readAll(File, Options);
  EXPECT_EQ(Out.Docs.size(), 2u);
  EXPECT_EQ(Out.Error, File + ":3: document of 300007 bytes is larger than the limit of 100000 "
                              "bytes; skipped");

  std::vector<std::pair<unsigned, size_t>> Seen;
  Options.OnOversized = [&](FileId, unsigned Line, size_t Bytes) {
    Seen.emplace_back(Line, Bytes);
  };
  Out = readAll(File, Options);
  EXPECT_EQ(Out.Error, "");
  EXPECT_EQ(Seen, (std::vector<std::pair<unsigned, size_t>>{{3, 300007}}));
}

TEST(Manifests, ReadsStdin) {
  TempDir T;
  std::string File = (T.Path / "in.yaml").string();
  writeFile(File, "kind: A\n---\nkind: B\n");
  int Saved = ::dup(0);
  int In = ::open(File.c_str(), O_RDONLY);
  ASSERT_GE(In, 0);
  ::dup2(In, 0);
  ::close(In);
  Read Out = readAll("-");
  ::dup2(Saved, 0);
  ::close(Saved);
  ASSERT_EQ(Out.Error, "");
  ASSERT_EQ(Out.Docs.size(), 2u);
  EXPECT_EQ(Out.Paths[0], "<stdin>");
}

namespace {

/// Reads a pipe through readManifests (named Path, or stdin for "-") while a writer sends one
/// document and waits until it arrived before sending the next: a reader that held the stream
/// whole would see nothing before the end. Returns the documents, in the order they arrived,
/// each marked with whether the writer had sent the rest by then.
std::vector<std::string> readWhileWritten(const std::string &Path, int ReadEnd, int WriteEnd) {
  std::mutex Lock;
  std::condition_variable Arrived;
  bool FirstSeen = false, RestSent = false;
  std::thread Writer([&] {
    std::string First = "kind: A\nmetadata: {name: first}\n---\n";
    EXPECT_EQ(::write(WriteEnd, First.data(), First.size()), ssize_t(First.size()));
    {
      std::unique_lock<std::mutex> Guard(Lock);
      // Bounded, so a reader that waits for the end fails the test instead of hanging it.
      Arrived.wait_for(Guard, std::chrono::seconds(30), [&] { return FirstSeen; });
      RestSent = true;
    }
    std::string Rest = "kind: B\n";
    EXPECT_EQ(::write(WriteEnd, Rest.data(), Rest.size()), ssize_t(Rest.size()));
    ::close(WriteEnd);
  });
  std::vector<std::string> Seen;
  FileTable Files;
  llvm::Error E = readManifests(Path, Files, [&](DocumentText D) {
    std::lock_guard<std::mutex> Guard(Lock);
    Seen.push_back(D.Text.substr(0, D.Text.find('\n')) + (RestSent ? " after" : " before"));
    FirstSeen = true;
    Arrived.notify_all();
  });
  Writer.join();
  ::close(ReadEnd);
  EXPECT_FALSE(E) << llvm::toString(std::move(E));
  return Seen;
}

} // namespace

TEST(Manifests, HandsOnEachDocumentOfAFileBeforeTheStreamEnds) {
  int Ends[2];
  ASSERT_EQ(::pipe(Ends), 0);
  EXPECT_EQ(readWhileWritten("/dev/fd/" + std::to_string(Ends[0]), Ends[0], Ends[1]),
            (std::vector<std::string>{"kind: A before", "kind: B after"}));
}

TEST(Manifests, HandsOnEachDocumentOfStdinBeforeTheStreamEnds) {
  int Ends[2];
  ASSERT_EQ(::pipe(Ends), 0);
  int Saved = ::dup(0);
  ::dup2(Ends[0], 0);
  std::vector<std::string> Seen = readWhileWritten("-", Ends[0], Ends[1]);
  ::dup2(Saved, 0);
  ::close(Saved);
  EXPECT_EQ(Seen, (std::vector<std::string>{"kind: A before", "kind: B after"}));
}

TEST(Manifests, NormalisesWalkedPaths) {
  TempDir T;
  writeFile(T.Path / "sub/a.yaml", "kind: A\n");
  Read Out = readAll(T.str() + "/./sub/");
  ASSERT_EQ(Out.Error, "");
  ASSERT_EQ(Out.Paths.size(), 1u);
  EXPECT_EQ(Out.Paths[0], (T.Path / "sub/a.yaml").string());
}
