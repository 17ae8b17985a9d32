// The floor of any YAML I/O tool: one llvm::yaml::Stream over a whole file, every node of every
// document visited, nothing mapped or kept. bench/ratios runs it beside `saguard scan` of the
// same bytes.
//   yaml_walk FILE
#include "NodeWalk.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <cstdio>

int main(int Argc, char **Argv) {
  if (Argc != 2) {
    std::fprintf(stderr, "usage: yaml_walk FILE\n");
    return 2;
  }
  auto Buffer = llvm::MemoryBuffer::getFile(Argv[1]);
  if (!Buffer) {
    std::fprintf(stderr, "yaml_walk: cannot read %s: %s\n", Argv[1],
                 Buffer.getError().message().c_str());
    return 2;
  }
  llvm::SourceMgr SM;
  llvm::yaml::Stream S((*Buffer)->getBuffer(), SM);
  size_t Nodes = 0, Documents = 0;
  for (llvm::yaml::Document &D : S) {
    saguard::bench::walkNodes(D.getRoot(), Nodes);
    ++Documents;
  }
  std::printf("%zu documents, %zu nodes\n", Documents, Nodes);
  return S.failed() ? 1 : 0;
}
