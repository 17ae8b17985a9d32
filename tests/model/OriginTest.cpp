#include "saguard/model/Origin.h"

#include <gtest/gtest.h>

#include <string>

using namespace saguard::model;

TEST(Origin, ParsesPath) {
  auto O = parseOriginAnnotation("path: ../../x/deployment.yaml\n");
  ASSERT_TRUE(bool(O)) << llvm::toString(O.takeError());
  EXPECT_EQ(O->Path, "../../x/deployment.yaml");
  EXPECT_EQ(O->ConfiguredIn, "");
}

TEST(Origin, ParsesGenerator) {
  auto O = parseOriginAnnotation("configuredIn: ../base/kustomization.yaml\nconfiguredBy:\n"
                                 "  apiVersion: builtin\n  kind: ConfigMapGenerator\n");
  ASSERT_TRUE(bool(O)) << llvm::toString(O.takeError());
  EXPECT_EQ(O->Path, "");
  EXPECT_EQ(O->ConfiguredIn, "../base/kustomization.yaml");
  EXPECT_EQ(O->ConfiguredByApiVersion, "builtin");
  EXPECT_EQ(O->ConfiguredByKind, "ConfigMapGenerator");
}

TEST(Origin, ParsesRemoteAndIgnoresUnknownKeys) {
  auto O = parseOriginAnnotation(
      "path: examples/app.yaml\nrepo: https://github.com/org/repo\nref: v1.2\nfuture: [1, 2]\n"
      "\"quoted path\": 'x'\n");
  ASSERT_TRUE(bool(O)) << llvm::toString(O.takeError());
  EXPECT_EQ(O->Path, "examples/app.yaml");
  EXPECT_EQ(O->Repo, "https://github.com/org/repo");
  EXPECT_EQ(O->Ref, "v1.2");
}

TEST(Origin, RejectsBadValues) {
  for (const char *Bad :
       {"", "just a string", "- a\n- b\n", "path: [unclosed\n", "a: 1\n---\nb: 2\n"}) {
    auto O = parseOriginAnnotation(Bad);
    EXPECT_FALSE(bool(O)) << Bad;
    if (!O)
      llvm::consumeError(O.takeError()); // the failure itself is what is tested
  }
  auto Deep = parseOriginAnnotation("path: " + std::string(100000, '['));
  EXPECT_FALSE(bool(Deep));
  if (!Deep)
    llvm::consumeError(Deep.takeError()); // the failure itself is what is tested
}
