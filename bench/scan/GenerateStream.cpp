// Writes the benchmark stream of N objects to stdout, for whole-binary runs of saguard; a
// second argument makes that many of its bindings group bindings to system:serviceaccounts.
#include "StreamGenerator.h"

#include <cstdio>
#include <cstdlib>

int main(int Argc, char **Argv) {
  unsigned N = Argc > 1 ? static_cast<unsigned>(std::strtoul(Argv[1], nullptr, 10)) : 10000;
  unsigned Groups = Argc > 2 ? static_cast<unsigned>(std::strtoul(Argv[2], nullptr, 10)) : 0;
  std::string S = saguard::bench::generateStream(N, Groups);
  std::fwrite(S.data(), 1, S.size(), stdout);
  return 0;
}
