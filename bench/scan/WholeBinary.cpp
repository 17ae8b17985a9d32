// The saguard binary on a manifest stream beside `cat` of the same file, run alternately in one
// process so both see the same machine load: median wall time, their ratio, and peak RSS against
// the input size (memory should hold the slim model, not the YAML text). The stream is
// generated (OBJECTS objects) or read from FILE (bench/scan/corpus-stream.sh writes one made of
// the corpus's real renders).
//   whole_binary SAGUARD [OBJECTS=10000 | FILE] [REPEAT=5]
#include "../common/Process.h"
#include "StreamGenerator.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

using saguard::bench::median;
using saguard::bench::Sample;

int main(int Argc, char **Argv) {
  if (Argc < 2) {
    std::fprintf(stderr, "usage: whole_binary SAGUARD [OBJECTS | FILE] [REPEAT]\n");
    return 2;
  }
  std::string Saguard = Argv[1];
  std::string Source = Argc > 2 ? Argv[2] : "10000";
  unsigned Repeat = Argc > 3 ? std::atoi(Argv[3]) : 5;
  bool Generated = Source.find_first_not_of("0123456789") == std::string::npos;
  std::string Input = Generated ? "/tmp/saguard-bench-" + std::to_string(getpid()) + ".yaml"
                                : Source;
  if (Generated) {
    // A child writes the stream, so this process's memory never grows by its size.
    pid_t Pid = fork();
    if (Pid == 0) {
      std::ofstream(Input, std::ios::binary)
          << saguard::bench::generateStream(std::atoi(Source.c_str()));
      _exit(0);
    }
    waitpid(Pid, nullptr, 0);
  }
  // Size and objects, read in chunks for the same reason.
  std::ifstream In(Input, std::ios::binary);
  std::string Chunk(1 << 16, '\0'), Carry;
  size_t Bytes = 0;
  unsigned Objects = 0;
  while (In.read(Chunk.data(), Chunk.size()) || In.gcount() > 0) {
    std::string Window = Carry + Chunk.substr(0, In.gcount());
    Bytes += In.gcount();
    for (size_t At = Window.find("\nkind:"); At != std::string::npos;
         At = Window.find("\nkind:", At + 1))
      ++Objects;
    Carry = Window.substr(Window.size() > 5 ? Window.size() - 5 : 0); // shorter than a match
  }
  double InputMiB = Bytes / 1048576.0;

  // Two saguard runs: every rule with the JSON report (what a user runs), and one rare rule
  // with no report to speak of (the model's own cost).
  const std::vector<std::string> Modes[] = {
      {Saguard, "scan", Input, "--format", "json", "-o", "/dev/null"},
      {Saguard, "scan", Input, "--enable", "SA009", "--format", "gcc", "-o", "/dev/null"}};
  const char *ModeNames[] = {"all rules, json", "model only (SA009)"};
  std::vector<double> Cat, Scan[2];
  long Rss[2] = {0, 0}, CatRss = 0;
  int Exit[2] = {-1, -1};
  for (unsigned I = 0; I < Repeat; ++I) {
    Sample C = saguard::bench::runProcess({"cat", Input});
    Cat.push_back(C.Seconds);
    CatRss = std::max(CatRss, C.MaxRssKiB);
    for (int M = 0; M < 2; ++M) {
      Sample S = saguard::bench::runProcess(Modes[M]);
      Scan[M].push_back(S.Seconds);
      Rss[M] = std::max(Rss[M], S.MaxRssKiB);
      Exit[M] = S.Exit;
    }
  }
  if (Generated)
    std::remove(Input.c_str());
  std::printf("input: %u objects, %.1f MiB (%s)\n", Objects, InputMiB,
              Generated ? "generated" : Input.c_str());
  std::printf("cat:     median %.3f s, peak RSS %.1f MiB\n", median(Cat), CatRss / 1024.0);
  for (int M = 0; M < 2; ++M)
    std::printf("saguard %-19s median %.3f s (%.1f MiB/s, %.0fx cat), peak RSS %.1f MiB "
                "(%.2f of the input), exit %d\n",
                ModeNames[M], median(Scan[M]), InputMiB / median(Scan[M]),
                median(Scan[M]) / median(Cat), Rss[M] / 1024.0, (Rss[M] / 1024.0) / InputMiB,
                Exit[M]);
  return (Exit[0] == 0 || Exit[0] == 1) && (Exit[1] == 0 || Exit[1] == 1) ? 0 : 1;
}
