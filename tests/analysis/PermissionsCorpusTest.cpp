// The permissions graph on the shared corpus, rendered with the real helm and kubectl: the nodes
// and edges of one chart, and `dot -Tsvg` accepting the graph of every corpus item.
#include "PermissionsFixture.h"

#include "saguard/render/Subprocess.h"
#include "saguard/report/Permissions.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

using namespace saguard;
using namespace saguard::analysis;

namespace {

const std::string SharedDir = SAGUARD_SHARED_DIR;

/// The repository's pinned tool (.tools/bin), else the one on PATH.
std::string tool(const std::string &Name) {
  std::string Pinned = std::string(SAGUARD_SOURCE_DIR) + "/.tools/bin/" + Name;
  return llvm::sys::fs::can_execute(Pinned) ? Pinned : Name;
}

/// One render command of corpus/MANIFEST.md, with `shared/` resolved.
struct CorpusItem {
  std::string Name;
  std::vector<std::string> Argv;
};

std::vector<CorpusItem> corpusItems() {
  std::ifstream In(SharedDir + "/corpus/MANIFEST.md");
  std::stringstream Text;
  Text << In.rdbuf();
  std::string Manifest = Text.str();
  std::vector<CorpusItem> Items;
  const std::regex Command("`((helm template test)|(kubectl kustomize)) shared/([^` ]+)([^`]*)`");
  for (auto It = std::sregex_iterator(Manifest.begin(), Manifest.end(), Command);
       It != std::sregex_iterator(); ++It) {
    const std::smatch &M = *It;
    CorpusItem Item;
    Item.Name = M[4];
    std::string Path = SharedDir + "/" + M[4].str();
    if (M[2].matched)
      Item.Argv = {tool("helm"), "template", "test", Path};
    else
      Item.Argv = {tool("kubectl"), "kustomize", Path};
    std::istringstream Extra(M[5]);
    for (std::string Arg; Extra >> Arg;)
      Item.Argv.push_back(Arg);
    Items.push_back(std::move(Item));
  }
  return Items;
}

/// The rendered YAML of Argv, or nullopt (with the reason in Why) when it cannot run.
std::optional<std::string> renderItem(const std::vector<std::string> &Argv, std::string &Why) {
  std::string Out;
  render::ProcessOptions Options;
  Options.Timeout = std::chrono::seconds(120);
  auto Result = render::runProcess(Argv, Options, [&](std::string_view Chunk) { Out += Chunk; });
  if (!Result) {
    Why = llvm::toString(Result.takeError());
    return std::nullopt;
  }
  if (!Result->succeeded()) {
    Why = Argv[0] + " failed: " + Result->Stderr;
    return std::nullopt;
  }
  return Out;
}

} // namespace

TEST(PermissionsCorpus, VeleroGraphShowsTheClusterAdminPath) {
  std::string Why;
  std::optional<std::string> Yaml =
      renderItem({tool("helm"), "template", "test", SharedDir + "/corpus/helm/velero"}, Why);
  if (!Yaml)
    GTEST_SKIP() << "cannot render the velero chart: " << Why;
  test::PermissionsOf R(*Yaml);
  test::GraphLines Lines(buildPermissionGraph(R.Workloads));
  EXPECT_EQ(Lines.Nodes, (std::vector<std::string>{
                             "workload:Deployment/default/velero !",
                             "account:default/test-velero-server !",
                             "binding:ClusterRoleBinding/test-velero-server !",
                             "role:ClusterRole//cluster-admin (outside) !",
                             "binding:RoleBinding/default/test-velero-server !",
                             "role:Role/default/test-velero-server !",
                             "workload:Job/default/test-velero-upgrade-crds",
                             "account:default/test-velero-server-upgrade-crds",
                             "binding:ClusterRoleBinding/test-velero-upgrade-crds",
                             "role:ClusterRole//test-velero-upgrade-crds",
                         }));
  EXPECT_EQ(Lines.Edges,
            (std::vector<std::string>{
                "workload:Deployment/default/velero -> account:default/test-velero-server "
                "[token] !",
                "account:default/test-velero-server -> "
                "binding:ClusterRoleBinding/test-velero-server [] !",
                "binding:ClusterRoleBinding/test-velero-server -> "
                "role:ClusterRole//cluster-admin [cluster-wide] !",
                "account:default/test-velero-server -> "
                "binding:RoleBinding/default/test-velero-server [] !",
                "binding:RoleBinding/default/test-velero-server -> "
                "role:Role/default/test-velero-server [in namespace default] !",
                "workload:Job/default/test-velero-upgrade-crds -> "
                "account:default/test-velero-server-upgrade-crds [token]",
                "account:default/test-velero-server-upgrade-crds -> "
                "binding:ClusterRoleBinding/test-velero-upgrade-crds []",
                "binding:ClusterRoleBinding/test-velero-upgrade-crds -> "
                "role:ClusterRole//test-velero-upgrade-crds [cluster-wide]",
            }));
}

TEST(PermissionsCorpus, GraphvizDrawsEveryCorpusItem) {
  if (!llvm::sys::findProgramByName("dot"))
    GTEST_SKIP() << "Graphviz `dot` is not installed (scripts/setup.sh installs it)";
  std::vector<CorpusItem> Items = corpusItems();
  ASSERT_GE(Items.size(), 30u) << "MANIFEST.md lists 30 render commands";
  llvm::SmallString<128> DotFile;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("permissions", "dot", DotFile));
  for (const CorpusItem &Item : Items) {
    SCOPED_TRACE(Item.Name);
    std::string Why;
    std::optional<std::string> Yaml = renderItem(Item.Argv, Why);
    if (!Yaml)
      GTEST_SKIP() << "cannot render " << Item.Name << ": " << Why;
    // Documents the loader rejects are left out: the graph is drawn from what loads, as the
    // tool draws it.
    report::PermissionsData Data;
    test::PermissionsOf R(*Yaml, {}, &Data.Errors);
    Data.Workloads = R.Workloads;
    {
      std::error_code EC;
      llvm::raw_fd_ostream OS(DotFile, EC);
      ASSERT_FALSE(EC) << EC.message();
      ASSERT_FALSE(static_cast<bool>(report::writePermissions(Data, "dot", OS)));
    }
    auto Result = render::runProcess({"dot", "-Tsvg", "-o", "/dev/null", std::string(DotFile)}, {},
                                     [](std::string_view) {});
    ASSERT_TRUE(static_cast<bool>(Result)) << llvm::toString(Result.takeError());
    EXPECT_TRUE(Result->succeeded()) << Result->Stderr;
  }
  llvm::sys::fs::remove(DotFile);
}
