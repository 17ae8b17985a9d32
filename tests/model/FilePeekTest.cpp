// What target discovery sees of a file before loading it.
#include "saguard/model/FilePeek.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

using namespace saguard::model;

namespace {

/// A file under the test temp dir with Text in it, removed at the end of the scope.
struct TempFile {
  std::string Path;
  TempFile(const std::string &Name, const std::string &Text)
      : Path(testing::TempDir() + "/saguard-peek-" + Name) {
    std::ofstream(Path) << Text;
  }
  ~TempFile() { std::remove(Path.c_str()); }
};

} // namespace

TEST(FilePeek, KubernetesObjectsAreThoseWithApiVersionAndKind) {
  EXPECT_TRUE(holdsKubernetesObjects(
      TempFile("pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n").Path));
  // The second document decides it; comments and a leading `---` change nothing.
  EXPECT_TRUE(holdsKubernetesObjects(
      TempFile("two.yaml", "# settings\n---\nname: x\n---\nkind: List\napiVersion: v1\n").Path));
  EXPECT_TRUE(holdsKubernetesObjects(
      TempFile("pod.json", "{\"apiVersion\": \"v1\", \"kind\": \"Pod\"}\n").Path));
  EXPECT_FALSE(holdsKubernetesObjects(
      TempFile("compose.yml", "services:\n  api:\n    image: a\n    kind: web\n").Path));
  EXPECT_FALSE(holdsKubernetesObjects(TempFile("values.yaml", "apiVersion: 2\n").Path));
  EXPECT_FALSE(holdsKubernetesObjects(TempFile("empty.yaml", "").Path));
  // Broken YAML that reads like a manifest is one, so its error is reported, not skipped.
  EXPECT_TRUE(holdsKubernetesObjects(
      TempFile("broken.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: [\n").Path));
  EXPECT_FALSE(holdsKubernetesObjects(TempFile("noise.yaml", "a: [\nb: }\n").Path));
}

TEST(FilePeek, TopLevelScalarsAndLists) {
  TopLevel Chart = readTopLevel(
      TempFile("Chart.yaml", "apiVersion: v2\nname: common\ntype: library\n").Path);
  EXPECT_EQ(Chart.Scalars["type"], "library");
  TopLevel K = readTopLevel(TempFile("kustomization.yaml",
                                     "kind: Component\nresources:\n  - ../base\n  - x.yaml\n"
                                     "components: [../c]\npatches:\n  - path: p.yaml\n")
                                .Path);
  EXPECT_EQ(K.Scalars["kind"], "Component");
  EXPECT_EQ(K.Lists["resources"], (std::vector<std::string>{"../base", "x.yaml"}));
  EXPECT_EQ(K.Lists["components"], (std::vector<std::string>{"../c"}));
  EXPECT_TRUE(K.Lists["patches"].empty()); // mappings are no scalars
  EXPECT_TRUE(readTopLevel("/nonexistent/Chart.yaml").Scalars.empty());
}
