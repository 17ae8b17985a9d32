// The saguard binary on a generated stream beside `cat` of the same file, run alternately in one
// process so both see the same machine load: median wall time, their ratio, and peak RSS against
// the input size (SPEC §10: memory holds the slim model, not the YAML text).
//   whole_binary SAGUARD [OBJECTS=10000] [REPEAT=5]
#include "StreamGenerator.h"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace {

struct Sample {
  double Seconds = 0;
  long MaxRssKiB = 0;
  int Exit = -1;
};

/// Runs Argv with stdout and stderr to /dev/null; wall time and the child's peak RSS.
Sample run(const std::vector<std::string> &Argv) {
  auto Start = std::chrono::steady_clock::now();
  pid_t Pid = fork();
  if (Pid == 0) {
    FILE *Null = std::fopen("/dev/null", "w");
    dup2(fileno(Null), 1);
    dup2(fileno(Null), 2);
    std::vector<char *> Args;
    for (const std::string &A : Argv)
      Args.push_back(const_cast<char *>(A.c_str()));
    Args.push_back(nullptr);
    execvp(Args[0], Args.data());
    _exit(127);
  }
  int Status = 0;
  rusage Usage{};
  wait4(Pid, &Status, 0, &Usage);
  Sample S;
  S.Seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - Start).count();
  S.MaxRssKiB = Usage.ru_maxrss;
  S.Exit = WIFEXITED(Status) ? WEXITSTATUS(Status) : -1;
  return S;
}

double median(std::vector<double> V) {
  std::sort(V.begin(), V.end());
  return V[V.size() / 2];
}

} // namespace

int main(int Argc, char **Argv) {
  if (Argc < 2) {
    std::fprintf(stderr, "usage: whole_binary SAGUARD [OBJECTS] [REPEAT]\n");
    return 2;
  }
  std::string Saguard = Argv[1];
  unsigned Objects = Argc > 2 ? std::atoi(Argv[2]) : 10000;
  unsigned Repeat = Argc > 3 ? std::atoi(Argv[3]) : 5;
  std::string Input = "/tmp/saguard-bench-" + std::to_string(getpid()) + ".yaml";
  std::string Text = saguard::bench::generateStream(Objects);
  std::ofstream(Input, std::ios::binary) << Text;

  std::vector<double> Cat, Scan;
  long ScanRss = 0, CatRss = 0;
  int ScanExit = -1;
  for (unsigned I = 0; I < Repeat; ++I) {
    Sample C = run({"cat", Input});
    Sample S = run({Saguard, "scan", Input, "--format", "json", "-o", "/dev/null"});
    Cat.push_back(C.Seconds);
    Scan.push_back(S.Seconds);
    CatRss = std::max(CatRss, C.MaxRssKiB);
    ScanRss = std::max(ScanRss, S.MaxRssKiB);
    ScanExit = S.Exit;
  }
  std::remove(Input.c_str());
  double InputMiB = Text.size() / 1048576.0;
  std::printf("input: %u objects, %.1f MiB\n", Objects, InputMiB);
  std::printf("cat:     median %.3f s, peak RSS %.1f MiB\n", median(Cat), CatRss / 1024.0);
  std::printf("saguard: median %.3f s (%.1f MiB/s), peak RSS %.1f MiB, exit %d\n", median(Scan),
              InputMiB / median(Scan), ScanRss / 1024.0, ScanExit);
  std::printf("ratio saguard/cat time: %.1f; peak RSS / input size: %.2f\n",
              median(Scan) / median(Cat), (ScanRss / 1024.0) / InputMiB);
  return ScanExit == 0 || ScanExit == 1 ? 0 : 1;
}
