// JSON as Kubernetes tools write it: pretty-printed, one key a line, and `kind: List`.
#include "LoadHelpers.h"

#include <gtest/gtest.h>

using namespace saguard;
using saguard::test::load;

TEST(JsonInput, AScalarThatEndsAnObjectLoadsWithItsType) {
  // `kubectl get -o json`: the boolean is the last key, its object closes on the next line.
  auto R = load(R"({
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {
        "name": "web",
        "namespace": "shop"
    },
    "spec": {
        "containers": [
            {
                "name": "app",
                "ports": [
                    {
                        "containerPort": 8080
                    }
                ]
            }
        ],
        "serviceAccountName": "api",
        "automountServiceAccountToken": false
    }
}
)");
  ASSERT_TRUE(R.Errors.empty()) << R.Errors.front().Message;
  ASSERT_EQ(R.Objects.size(), 1u);
  const model::Object &Pod = R.Objects.front();
  ASSERT_TRUE(Pod.Pod);
  ASSERT_TRUE(Pod.Pod->AutomountServiceAccountToken.isSet());
  EXPECT_FALSE(*Pod.Pod->AutomountServiceAccountToken);
  EXPECT_EQ(Pod.Pod->AutomountServiceAccountToken.Range.Begin.Line, 20u);
  EXPECT_EQ(Pod.Pod->accountName(), "api");
}

TEST(JsonInput, AListOfKubectlGetAllNamespacesLoadsEveryItem) {
  auto R = load(R"({
    "apiVersion": "v1",
    "items": [
        {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": {
                "name": "api",
                "namespace": "shop"
            },
            "automountServiceAccountToken": true
        },
        {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": {
                "name": "default",
                "namespace": "shop"
            },
            "automountServiceAccountToken": null
        }
    ],
    "kind": "List",
    "metadata": {
        "resourceVersion": ""
    }
}
)");
  ASSERT_TRUE(R.Errors.empty()) << R.Errors.front().Message;
  ASSERT_EQ(R.Objects.size(), 2u);
  ASSERT_TRUE(R.Objects[0].Account);
  EXPECT_TRUE(*R.Objects[0].Account->AutomountServiceAccountToken);
  EXPECT_EQ(R.Objects[0].Account->AutomountServiceAccountToken.Range.Begin.Line, 11u);
  ASSERT_TRUE(R.Objects[1].Account);
  EXPECT_FALSE(R.Objects[1].Account->AutomountServiceAccountToken.isSet()) << "null is unset";
}

TEST(JsonInput, PlainScalarsInYamlFlowMappingsLoseOnlyTrailingSpace) {
  auto R = load("apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a b,\n  namespace: "
                "shop\n  }\nautomountServiceAccountToken: false\n");
  ASSERT_TRUE(R.Errors.empty()) << R.Errors.front().Message;
  ASSERT_EQ(R.Objects.size(), 1u);
  EXPECT_EQ(R.Objects[0].Ref.Name, "a b");
  EXPECT_EQ(R.Objects[0].Ref.Namespace, "shop");
}
