#include "LoadHelpers.h"

#include "saguard/model/InertKinds.h"

#include <gtest/gtest.h>

using namespace saguard;
using saguard::model::isInertDocument;
using saguard::test::load;

namespace {

/// A CRD whose schema YAML I/O could not map as an object: a key written twice, which the
/// strict shape check reports as an error whenever the document is parsed.
const char *const UnparseableCrd = R"(# Source: chart/crds/widgets.yaml
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  versions:
    - name: v1
      schema:
        openAPIV3Schema:
          type: object
          type: object
)";

} // namespace

TEST(InertKinds, CrdBodyIsCountedButNeverParsed) {
  auto R = load(UnparseableCrd);
  EXPECT_TRUE(R.Errors.empty()) << R.Errors[0].Message;
  EXPECT_TRUE(R.Objects.empty());
  EXPECT_EQ(R.Skipped, 1u);
}

TEST(InertKinds, AliasesOfASkippedDocumentAreNeverExpanded) {
  std::string Bomb = "apiVersion: v1\nkind: ConfigMap\na: &a [x, x, x, x, x, x, x, x]\n";
  for (char C = 'b', Prev = 'a'; C <= 'j'; Prev = C++)
    Bomb += std::string(1, C) + ": &" + C + " [*" + Prev + ", *" + Prev + ", *" + Prev + "]\n";
  auto R = load(Bomb);
  EXPECT_TRUE(R.Errors.empty()) << R.Errors[0].Message;
  EXPECT_EQ(R.Skipped, 1u);
  // Bytes no parser should see are still refused, whatever the kind.
  auto Bad = load("apiVersion: v1\nkind: ConfigMap\ndata: {a: \"\xff\"}\n");
  EXPECT_EQ(Bad.Errors.size(), 1u);
}

TEST(InertKinds, KeepingUnreadKindsParsesThemAsBefore) {
  model::LoadOptions KeepAll;
  KeepAll.KeepUnreadKinds = true;
  auto R = load(UnparseableCrd, 1, KeepAll);
  ASSERT_EQ(R.Errors.size(), 1u); // the duplicate key: the document was parsed
  EXPECT_EQ(R.Skipped, 0u);
}

TEST(InertKinds, BuiltInKindsOfTheirOwnGroupOnly) {
  EXPECT_TRUE(isInertDocument("apiVersion: v1\nkind: ConfigMap\ndata: {a: b}\n"));
  EXPECT_TRUE(isInertDocument("kind: Service # the front door\napiVersion: \"v1\"\n"));
  EXPECT_TRUE(isInertDocument("apiVersion: networking.k8s.io/v1\nkind: 'NetworkPolicy'\r\n"));
  // Knative's Service and any custom resource may carry a pod template.
  EXPECT_FALSE(isInertDocument("apiVersion: serving.knative.dev/v1\nkind: Service\n"));
  EXPECT_FALSE(isInertDocument("apiVersion: argoproj.io/v1alpha1\nkind: Rollout\n"));
  EXPECT_FALSE(isInertDocument("apiVersion: example.com/v1\nkind: CustomResourceDefinition\n"));
  // What rules read, and workloads.
  for (const char *Kind : {"Pod", "Secret", "ServiceAccount", "Role", "ClusterRoleBinding",
                           "Deployment", "CronJob", "List", "ConfigMapList"})
    EXPECT_FALSE(isInertDocument(std::string("apiVersion: v1\nkind: ") + Kind + "\n")) << Kind;
}

TEST(InertKinds, AnythingAQuickLookCouldMisreadIsParsed) {
  const char *Parsed[] = {
      // the real kind may be elsewhere: written twice, behind a merge key, quoted, complex
      "apiVersion: v1\nkind: ConfigMap\nkind: Deployment\n",
      "apiVersion: v1\nkind: ConfigMap\n<<: *workload\n",
      "apiVersion: v1\nkind: ConfigMap\n\"kind\": Deployment\n",
      "apiVersion: v1\nkind: ConfigMap\n? kind\n: Deployment\n",
      "apiVersion: v1\n&a kind: ConfigMap\n",
      "apiVersion: v1\nkind: !!str ConfigMap\n",
      "apiVersion: v1\nkind: *k\n",
      // a root that is no block mapping at column 0
      "{apiVersion: v1, kind: ConfigMap}\n",
      "  apiVersion: v1\n  kind: ConfigMap\n",
      "- apiVersion: v1\n  kind: ConfigMap\n",
      // values that may run on over lines at column 0, and lines the parser breaks elsewhere
      "apiVersion: v1\ndata: \"a\nkind: ConfigMap\nzz: b\"\n",
      "apiVersion: v1\ndata: {a: b,\nkind: ConfigMap}\nkind: ConfigMap\n",
      "apiVersion: v1\nkind: ConfigMap\rkind: Deployment\n",
      // missing or unreadable identity
      "kind: ConfigMap\n",
      "apiVersion: v1\nkind:\n  ConfigMap\n",
      "",
  };
  for (const char *Text : Parsed)
    EXPECT_FALSE(isInertDocument(Text)) << Text;
}

TEST(InertKinds, IndentedLinesAndCommentsBelongToTheRootsKeys) {
  EXPECT_TRUE(isInertDocument("# Source: c/templates/cm.yaml\n\n  # note\napiVersion: v1\n"
                              "kind: ConfigMap\ndata:\n  kind: Deployment\n  script: |\n"
                              "    kind: Pod\n"));
}
