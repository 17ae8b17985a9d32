//===- Process.h - time whole processes, side by side -----------*- C++ -*-===//
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

namespace saguard::bench {

/// One finished run of a command.
struct Sample {
  double Seconds = 0;
  /// User plus system CPU of the process and of the children it waited for (renderers).
  double CpuSeconds = 0;
  long MaxRssKiB = 0;
  int Exit = -1;
};

/// Runs Argv (found on PATH) with stdin from StdinPath and stdout and stderr to /dev/null;
/// returns its wall time, its CPU time, its peak RSS as the kernel accounts it, and its exit
/// status (-1 when it could not start or died of a signal). At exec, Linux folds the parent's
/// memory high-water mark into the child's ru_maxrss, so callers keep large inputs out of their
/// own memory.
inline Sample runProcess(const std::vector<std::string> &Argv,
                         const std::string &StdinPath = "/dev/null") {
  posix_spawn_file_actions_t Actions;
  posix_spawn_file_actions_init(&Actions);
  posix_spawn_file_actions_addopen(&Actions, 0, StdinPath.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&Actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&Actions, 2, "/dev/null", O_WRONLY, 0);
  std::vector<char *> Args;
  for (const std::string &A : Argv)
    Args.push_back(const_cast<char *>(A.c_str()));
  Args.push_back(nullptr);
  auto Start = std::chrono::steady_clock::now();
  pid_t Pid = 0;
  Sample S;
  if (posix_spawnp(&Pid, Args[0], &Actions, nullptr, Args.data(), environ) == 0) {
    int Status = 0;
    rusage Usage{};
    wait4(Pid, &Status, 0, &Usage);
    S.MaxRssKiB = Usage.ru_maxrss;
    auto Secs = [](const timeval &T) { return T.tv_sec + T.tv_usec / 1e6; };
    S.CpuSeconds = Secs(Usage.ru_utime) + Secs(Usage.ru_stime);
    S.Exit = WIFEXITED(Status) ? WEXITSTATUS(Status) : -1;
  }
  S.Seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - Start).count();
  posix_spawn_file_actions_destroy(&Actions);
  return S;
}

/// The middle value (the upper one of an even count); 0 for none.
inline double median(std::vector<double> V) {
  if (V.empty())
    return 0;
  std::sort(V.begin(), V.end());
  return V[V.size() / 2];
}

/// Several runs of one command: its median wall time and the largest peak RSS.
struct Timing {
  std::vector<double> Seconds, CpuSeconds;
  long MaxRssKiB = 0;
  int Exit = -1;
  double medianSeconds() const { return median(Seconds); }
  double medianCpuSeconds() const { return median(CpuSeconds); }
  void add(const Sample &S) {
    Seconds.push_back(S.Seconds);
    CpuSeconds.push_back(S.CpuSeconds);
    MaxRssKiB = std::max(MaxRssKiB, S.MaxRssKiB);
    Exit = S.Exit;
  }
};

/// Commands run in turn, Repeat rounds after one unmeasured warm-up round, the order rotating
/// each round so drift on a shared machine hits all alike. Ratios are taken pair by pair
/// (Runs[I].Seconds[R] / Runs[J].Seconds[R]), then their median.
struct Round {
  std::vector<Timing> Runs;
  double ratio(size_t I, size_t J) const {
    std::vector<double> R;
    for (size_t K = 0; K < Runs[I].Seconds.size(); ++K)
      if (Runs[J].Seconds[K] > 0)
        R.push_back(Runs[I].Seconds[K] / Runs[J].Seconds[K]);
    return median(R);
  }
};

inline Round runSideBySide(const std::vector<std::vector<std::string>> &Commands,
                           unsigned Repeat, const std::string &StdinPath = "/dev/null") {
  Round Out;
  Out.Runs.resize(Commands.size());
  for (const auto &C : Commands)
    runProcess(C, StdinPath);
  for (unsigned R = 0; R < Repeat; ++R)
    for (size_t K = 0; K < Commands.size(); ++K) {
      size_t I = (K + R) % Commands.size();
      Out.Runs[I].add(runProcess(Commands[I], StdinPath));
    }
  return Out;
}

} // namespace saguard::bench
