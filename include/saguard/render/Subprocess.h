//===- Subprocess.h - run a program by argument vector ----------*- C++ -*-===//
#pragma once

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace saguard::render {

/// How to run a program: where, with which environment, for how long.
struct ProcessOptions {
  /// Working directory of the child; empty means the parent's.
  std::string WorkingDir;
  /// Changes to the parent's environment: a value sets the variable, std::nullopt removes it.
  std::vector<std::pair<std::string, std::optional<std::string>>> Env;
  /// Time limit; zero means none. On expiry the process group gets SIGTERM, then SIGKILL.
  std::chrono::milliseconds Timeout{0};
  /// Time between SIGTERM and SIGKILL, and how long to wait for pipes held open by descendants.
  std::chrono::milliseconds KillGrace{2000};
  /// Most stderr bytes kept; the tail is kept, since that is where tools put the error.
  size_t MaxStderrBytes = 64 * 1024;
};

/// How a program ended.
struct ProcessResult {
  /// Exit status when it exited; -1 when a signal ended it.
  int ExitCode = -1;
  /// The signal that ended it, or 0.
  int Signal = 0;
  /// The time limit passed and the process group was killed.
  bool TimedOut = false;
  /// The tail of what it wrote to stderr.
  std::string Stderr;
  /// Stderr was longer than ProcessOptions::MaxStderrBytes and its start was dropped.
  bool StderrTruncated = false;

  /// True when it exited with status 0 within the time limit.
  bool succeeded() const { return !TimedOut && Signal == 0 && ExitCode == 0; }
};

/// A program startProcess started, whose output is read by collect. Dropped before collect, it
/// is killed (with its process group) and reaped: no renderer outlives an abandoned run.
class StartedProcess {
public:
  ~StartedProcess();
  StartedProcess(const StartedProcess &) = delete;
  StartedProcess &operator=(const StartedProcess &) = delete;

  /// Hands stdout to OnStdout chunk by chunk until the program ends and returns how it ended.
  /// Timeout (zero: none) counts from the start, not from this call. OnWait, if set, is called
  /// before collect sleeps whenever stdout was handed on since it last slept. Call it once.
  llvm::Expected<ProcessResult> collect(const std::function<void(std::string_view)> &OnStdout,
                                        std::chrono::milliseconds Timeout,
                                        const std::function<void()> &OnWait = {});

private:
  struct State;
  explicit StartedProcess(std::unique_ptr<State> S);
  friend llvm::Expected<std::unique_ptr<StartedProcess>>
  startProcess(llvm::ArrayRef<std::string> Argv, const ProcessOptions &Options);
  std::unique_ptr<State> S;
};

/// Starts Argv[0] as runProcess does and returns at once, the program running; its output waits
/// in the pipe (made as large as the system allows, so the program rarely blocks on it) until
/// collect reads it. Options.Timeout is not used: collect is given the limit.
llvm::Expected<std::unique_ptr<StartedProcess>> startProcess(llvm::ArrayRef<std::string> Argv,
                                                             const ProcessOptions &Options);

/// Runs Argv[0] (searched on PATH like execvp when it holds no `/`) with arguments Argv[1..]
/// passed verbatim, no shell. The child gets /dev/null as stdin and its own process group;
/// stdout goes to OnStdout chunk by chunk as it arrives, stderr is collected. Returns how the
/// program ended, or an error naming it when it cannot be started (`helm: not found on PATH`;
/// the error code is ENOENT then, so callers can tell "missing" from other failures). The time
/// limit counts the time OnStdout takes too.
llvm::Expected<ProcessResult> runProcess(llvm::ArrayRef<std::string> Argv,
                                         const ProcessOptions &Options,
                                         const std::function<void(std::string_view)> &OnStdout);

} // namespace saguard::render
