#include "sarif/Fingerprint.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

using namespace sarif;

TEST(Fingerprint, StableHashIsFnv1a64) {
  // Published FNV-1a 64 test vectors: a change of algorithm would orphan every stored alert.
  EXPECT_EQ(stableHash(""), "cbf29ce484222325");
  EXPECT_EQ(stableHash("a"), "af63dc4c8601ec8c");
  EXPECT_EQ(stableHash("foobar"), "85944171f73967e8");
}

TEST(Fingerprint, HashIsZeroPaddedHex) {
  for (std::string_view Key : {"", "x", "SA001|Pod/shop/web|spec"})
    EXPECT_TRUE(std::regex_match(stableHash(Key), std::regex("[0-9a-f]{16}"))) << Key;
}

TEST(Fingerprint, LineHashHasGithubShape) {
  std::string Hash = primaryLocationLineHash("SA001|Deployment/shop/web|spec.template.spec");
  EXPECT_TRUE(std::regex_match(Hash, std::regex("[0-9a-f]{16}:1"))) << Hash;
  EXPECT_EQ(Hash, primaryLocationLineHash("SA001|Deployment/shop/web|spec.template.spec"));
}

TEST(Fingerprint, DistinctKeysGiveDistinctHashes) {
  std::set<std::string> Hashes;
  for (std::string_view Key :
       {"SA001|Pod/a/web|spec", "SA001|Pod/b/web|spec", "SA002|Pod/a/web|spec",
        "SA001|Pod/a/web|spec.containers", "SA001|Pod/a/web|spe"})
    Hashes.insert(primaryLocationLineHash(Key));
  EXPECT_EQ(Hashes.size(), 5u);
}
