//===- Fingerprint.cpp - stable result fingerprints -----------------------===//
#include "sarif/Fingerprint.h"

#include <cstdint>

namespace sarif {

std::string stableHash(std::string_view Text) {
  std::uint64_t Hash = 0xcbf29ce484222325ULL; // FNV-1a 64 offset basis
  for (char C : Text) {
    Hash ^= static_cast<unsigned char>(C);
    Hash *= 0x100000001b3ULL; // FNV-1a 64 prime
  }
  constexpr std::string_view Hex = "0123456789abcdef";
  std::string Out(16, '0');
  for (int I = 15; I >= 0; --I, Hash >>= 4)
    Out[I] = Hex[Hash & 0xF];
  return Out;
}

std::string primaryLocationLineHash(std::string_view SemanticKey) {
  // GitHub's ":<n>" counts equal line hashes within a file; a semantic key is unique, so 1.
  return stableHash(SemanticKey) + ":1";
}

} // namespace sarif
