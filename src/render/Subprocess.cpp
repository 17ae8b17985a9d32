//===- Subprocess.cpp - run a program by argument vector ------------------===//
#include "saguard/render/Subprocess.h"

#include "saguard/support/Error.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace saguard::render {

namespace {

using Clock = std::chrono::steady_clock;

/// Closes a file descriptor when it goes out of scope.
class Fd {
public:
  Fd() = default;
  explicit Fd(int Raw) : Raw(Raw) {}
  Fd(const Fd &) = delete;
  Fd &operator=(const Fd &) = delete;
  ~Fd() { reset(); }

  int get() const { return Raw; }
  bool valid() const { return Raw >= 0; }
  void reset(int New = -1) {
    if (Raw >= 0)
      ::close(Raw);
    Raw = New;
  }
  int release() { return std::exchange(Raw, -1); }

private:
  int Raw = -1;
};

/// Kills and reaps the child if we leave early (an exception from the stdout callback), so no
/// renderer outlives a failed scan and no zombie is left behind.
class ChildGuard {
public:
  explicit ChildGuard(pid_t Pid) : Pid(Pid) {}
  ChildGuard(const ChildGuard &) = delete;
  ChildGuard &operator=(const ChildGuard &) = delete;
  ~ChildGuard() {
    if (Reaped)
      return;
    ::kill(-Pid, SIGKILL);
    int Status;
    while (::waitpid(Pid, &Status, 0) < 0 && errno == EINTR) {
    }
  }
  void markReaped() { Reaped = true; }

private:
  pid_t Pid;
  bool Reaped = false;
};

/// Makes a pipe whose ends are close-on-exec (so children spawned by other threads at the same
/// time do not inherit them and keep them open) and are not 0, 1 or 2 (so the child's dup2
/// onto its standard descriptors never lands on one of them).
std::error_code makePipe(Fd &Read, Fd &Write) {
  int Ends[2];
  if (::pipe2(Ends, O_CLOEXEC) != 0)
    return std::error_code(errno, std::generic_category());
  for (int &End : Ends) {
    if (End > 2)
      continue;
    int High = ::fcntl(End, F_DUPFD_CLOEXEC, 3);
    int Saved = errno;
    ::close(End);
    End = High;
    if (High < 0) {
      ::close(Ends[0] == High ? Ends[1] : Ends[0]);
      return std::error_code(Saved, std::generic_category());
    }
  }
  Read.reset(Ends[0]);
  Write.reset(Ends[1]);
  return {};
}

/// The parent's environment with Options.Env applied, as `NAME=value` strings.
std::vector<std::string> buildEnvironment(const ProcessOptions &Options) {
  std::vector<std::string> Env;
  for (char **E = environ; E && *E; ++E) {
    std::string_view Entry(*E);
    std::string_view Name = Entry.substr(0, Entry.find('='));
    bool Overridden = std::any_of(Options.Env.begin(), Options.Env.end(),
                                  [&](const auto &Change) { return Change.first == Name; });
    if (!Overridden)
      Env.emplace_back(Entry);
  }
  for (const auto &[Name, Value] : Options.Env)
    if (Value)
      Env.push_back(Name + "=" + *Value);
  return Env;
}

/// An error about starting Program, keeping errno as the error code.
llvm::Error spawnError(const std::string &Program, int Errno) {
  std::error_code EC(Errno, std::generic_category());
  if (Errno == ENOENT) {
    if (Program.find('/') == std::string::npos)
      return llvm::createStringError(EC, "%s: not found on PATH", Program.c_str());
    return llvm::createStringError(EC, "%s: no such file", Program.c_str());
  }
  if (Errno == EACCES)
    return llvm::createStringError(EC, "%s: permission denied", Program.c_str());
  return llvm::createStringError(EC, "%s: cannot be started: %s", Program.c_str(),
                                 std::strerror(Errno));
}

/// Appends Data to the kept stderr tail, dropping the start beyond the limit.
void appendStderr(ProcessResult &Result, std::string_view Data, size_t Limit, bool Final) {
  Result.Stderr.append(Data);
  // Trim only when twice over the limit, so appending stays linear.
  if (Result.Stderr.size() <= (Final ? Limit : 2 * Limit))
    return;
  size_t Drop = Result.Stderr.size() - Limit;
  // Do not start the kept tail inside a UTF-8 sequence.
  while (Drop < Result.Stderr.size() &&
         (static_cast<unsigned char>(Result.Stderr[Drop]) & 0xC0) == 0x80)
    ++Drop;
  Result.Stderr.erase(0, Drop);
  Result.StderrTruncated = true;
}

int millisUntil(Clock::time_point When, Clock::time_point Now) {
  if (When <= Now)
    return 0;
  auto Ms = std::chrono::ceil<std::chrono::milliseconds>(When - Now).count();
  return static_cast<int>(std::min<decltype(Ms)>(Ms, 1 << 30));
}

/// Bytes asked of the kernel for a renderer's stdout pipe (an unprivileged process may have up
/// to /proc/sys/fs/pipe-max-size, 1 MiB by default; a refusal keeps the 64 KiB default).
constexpr int LargePipeBytes = 1 << 20;

} // namespace

struct StartedProcess::State {
  explicit State(pid_t Pid) : Pid(Pid), Guard(Pid) {}
  std::string Program;
  ProcessOptions Options;
  pid_t Pid;
  Clock::time_point Started = Clock::now();
  // Declared after the guard, so closed before it kills and reaps the child.
  ChildGuard Guard;
  Fd OutRead, ErrRead, ExitFd;
};

llvm::Expected<std::unique_ptr<StartedProcess>> startProcess(llvm::ArrayRef<std::string> Argv,
                                                             const ProcessOptions &Options) {
  if (Argv.empty() || Argv[0].empty())
    return makeError("no program to run");
  const std::string &Program = Argv[0];

  // A relative path with a `/` would be looked up after the child's chdir: make it absolute.
  std::string ExecPath = Program;
  if (Program.find('/') != std::string::npos && !Options.WorkingDir.empty()) {
    llvm::SmallString<256> Abs(Program);
    if (std::error_code EC = llvm::sys::fs::make_absolute(Abs))
      return llvm::createStringError(EC, "%s: %s", Program.c_str(), EC.message().c_str());
    ExecPath = std::string(Abs.str());
  }
  // posix_spawn reports a failed chdir as the same ENOENT as a missing program: check first.
  if (!Options.WorkingDir.empty() && !llvm::sys::fs::is_directory(Options.WorkingDir))
    return llvm::createStringError(std::errc::not_a_directory,
                                   "cannot run %s: working directory '%s' does not exist",
                                   Program.c_str(), Options.WorkingDir.c_str());

  Fd OutRead, OutWrite, ErrRead, ErrWrite;
  if (std::error_code EC = makePipe(OutRead, OutWrite))
    return llvm::createStringError(EC, "cannot run %s: pipe: %s", Program.c_str(),
                                   EC.message().c_str());
  // Room for a whole render where the system allows it: a renderer writes its output at its
  // end, and one blocked on a full pipe cannot exit (nor free its core) until it is read.
  ::fcntl(OutRead.get(), F_SETPIPE_SZ, LargePipeBytes);
  if (std::error_code EC = makePipe(ErrRead, ErrWrite))
    return llvm::createStringError(EC, "cannot run %s: pipe: %s", Program.c_str(),
                                   EC.message().c_str());

  posix_spawn_file_actions_t Actions;
  posix_spawn_file_actions_init(&Actions);
  posix_spawn_file_actions_addopen(&Actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&Actions, OutWrite.get(), 1);
  posix_spawn_file_actions_adddup2(&Actions, ErrWrite.get(), 2);
  // Descriptors our own parent leaked to us (a CI runner's pipes) are none of the renderer's
  // business; a renderer holding one could keep that parent waiting.
  posix_spawn_file_actions_addclosefrom_np(&Actions, 3);
  if (!Options.WorkingDir.empty())
    posix_spawn_file_actions_addchdir_np(&Actions, Options.WorkingDir.c_str());

  posix_spawnattr_t Attr;
  posix_spawnattr_init(&Attr);
  // Own process group, so a timeout can kill the renderer and everything it started.
  posix_spawnattr_setpgroup(&Attr, 0);
  sigset_t Empty, Defaults;
  sigemptyset(&Empty);
  posix_spawnattr_setsigmask(&Attr, &Empty);
  // A parent that ignores SIGPIPE or SIGTERM must not pass that on to the renderer.
  sigemptyset(&Defaults);
  for (int Sig : {SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGCHLD})
    sigaddset(&Defaults, Sig);
  posix_spawnattr_setsigdefault(&Attr, &Defaults);
  posix_spawnattr_setflags(&Attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                      POSIX_SPAWN_SETSIGDEF);

  std::vector<char *> Args;
  for (const std::string &A : Argv)
    Args.push_back(const_cast<char *>(A.c_str()));
  Args.push_back(nullptr);
  std::vector<std::string> EnvStrings = buildEnvironment(Options);
  std::vector<char *> Envp;
  for (std::string &E : EnvStrings)
    Envp.push_back(E.data());
  Envp.push_back(nullptr);

  pid_t Pid = -1;
  int RC = posix_spawnp(&Pid, ExecPath.c_str(), &Actions, &Attr, Args.data(), Envp.data());
  posix_spawn_file_actions_destroy(&Actions);
  posix_spawnattr_destroy(&Attr);
  if (RC != 0)
    return spawnError(Program, RC);

  auto S = std::make_unique<StartedProcess::State>(Pid);
  S->Program = Program;
  S->Options = Options;
  S->OutRead.reset(OutRead.release());
  S->ErrRead.reset(ErrRead.release());
  OutWrite.reset();
  ErrWrite.reset();
  ::fcntl(S->OutRead.get(), F_SETFL, ::fcntl(S->OutRead.get(), F_GETFL) | O_NONBLOCK);
  ::fcntl(S->ErrRead.get(), F_SETFL, ::fcntl(S->ErrRead.get(), F_GETFL) | O_NONBLOCK);
  // A descriptor that becomes readable when the child exits: the loop then sleeps in poll until
  // the renderer writes or ends, and reaps it the moment it does, with no timed wake-ups.
  // Kernels before 5.3 (or a seccomp filter) refuse it; then the loop waits in waitpid.
  S->ExitFd.reset(static_cast<int>(::syscall(SYS_pidfd_open, Pid, 0)));
  return std::unique_ptr<StartedProcess>(new StartedProcess(std::move(S)));
}

StartedProcess::StartedProcess(std::unique_ptr<State> S) : S(std::move(S)) {}
StartedProcess::~StartedProcess() = default;

llvm::Expected<ProcessResult>
StartedProcess::collect(const std::function<void(std::string_view)> &OnStdout,
                        std::chrono::milliseconds Timeout, const std::function<void()> &OnWait) {
  const std::string &Program = S->Program;
  const ProcessOptions &Options = S->Options;
  const pid_t Pid = S->Pid;
  Fd &OutRead = S->OutRead, &ErrRead = S->ErrRead, &ExitFd = S->ExitFd;
  ChildGuard &Guard = S->Guard;

  ProcessResult Result;
  enum class Phase { Running, Terminated, Killed } State = Phase::Running;
  Clock::time_point Now = Clock::now();
  std::optional<Clock::time_point> Deadline;
  if (Timeout.count() > 0)
    Deadline = S->Started + Timeout;
  // Once the child exited, descendants may still hold the pipes; wait only so long for them.
  std::optional<Clock::time_point> DrainDeadline;
  bool Exited = false;
  int Status = 0;
  std::vector<char> Buffer(64 * 1024);
  bool Handed = false; ///< stdout was handed on since OnWait was last called

  auto Drain = [&](Fd &F, bool IsStdout) {
    while (true) {
      ssize_t N = ::read(F.get(), Buffer.data(), Buffer.size());
      if (N > 0) {
        std::string_view Data(Buffer.data(), static_cast<size_t>(N));
        if (!IsStdout)
          appendStderr(Result, Data, Options.MaxStderrBytes, /*Final=*/false);
        else if (OnStdout) {
          OnStdout(Data);
          Handed = true;
        }
        // One read per wake-up keeps both pipes moving when both are busy.
        return;
      }
      if (N < 0 && errno == EINTR)
        continue;
      if (N < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return;
      F.reset(); // end of file, or an error that will not go away
      return;
    }
  };
  auto Reaped = [&](int Flags) {
    pid_t W;
    while ((W = ::waitpid(Pid, &Status, Flags)) < 0 && errno == EINTR) {
    }
    // ECHILD: someone else reaped it (SIGCHLD ignored); it is gone all the same.
    if (W != Pid && !(W < 0 && errno == ECHILD))
      return false;
    Exited = true;
    Guard.markReaped();
    ExitFd.reset();
    DrainDeadline = Clock::now() + Options.KillGrace;
    return true;
  };

  while (OutRead.valid() || ErrRead.valid() || !Exited) {
    // Without an exit descriptor, a child that closed its pipes is waited for in waitpid
    // (which a time limit cannot interrupt, so with one it is polled for now and then).
    if (!Exited && !ExitFd.valid() && !OutRead.valid() && !ErrRead.valid() && !Deadline) {
      Reaped(0);
      continue;
    }
    pollfd Fds[3];
    nfds_t Count = 0;
    if (OutRead.valid())
      Fds[Count++] = {OutRead.get(), POLLIN, 0};
    if (ErrRead.valid())
      Fds[Count++] = {ErrRead.get(), POLLIN, 0};
    if (ExitFd.valid())
      Fds[Count++] = {ExitFd.get(), POLLIN, 0};

    int Wait = -1;
    if (!Exited && !ExitFd.valid())
      Wait = OutRead.valid() || ErrRead.valid() ? 250 : 5;
    auto Until = [&](Clock::time_point When) {
      int Ms = millisUntil(When, Now);
      Wait = Wait < 0 ? Ms : std::min(Wait, Ms);
    };
    if (Deadline)
      Until(*Deadline);
    if (DrainDeadline)
      Until(*DrainDeadline);

    if (Handed && OnWait && Wait != 0) {
      OnWait();
      Handed = false;
    }
    int Ready = ::poll(Fds, Count, Wait);
    if (Ready < 0 && errno != EINTR)
      return llvm::createStringError(std::error_code(errno, std::generic_category()),
                                     "%s: poll: %s", Program.c_str(), std::strerror(errno));
    bool ExitReady = false;
    if (Ready > 0) {
      for (nfds_t I = 0; I < Count; ++I) {
        if (!(Fds[I].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)))
          continue;
        if (OutRead.valid() && Fds[I].fd == OutRead.get())
          Drain(OutRead, /*IsStdout=*/true);
        else if (ErrRead.valid() && Fds[I].fd == ErrRead.get())
          Drain(ErrRead, /*IsStdout=*/false);
        else if (ExitFd.valid() && Fds[I].fd == ExitFd.get())
          ExitReady = true;
      }
    }

    if (!Exited && (ExitReady || !ExitFd.valid()))
      Reaped(WNOHANG);
    Now = Clock::now();
    if (DrainDeadline && Now >= *DrainDeadline && (OutRead.valid() || ErrRead.valid())) {
      ::kill(-Pid, SIGKILL); // descendants left in the child's group
      break;
    }
    if (Deadline && !Exited && Now >= *Deadline) {
      if (State == Phase::Running) {
        Result.TimedOut = true;
        ::kill(-Pid, SIGTERM);
        State = Phase::Terminated;
        Deadline = Now + Options.KillGrace;
      } else if (State == Phase::Terminated) {
        ::kill(-Pid, SIGKILL);
        State = Phase::Killed;
        Deadline = Now + Options.KillGrace;
      } else {
        break; // SIGKILL was sent a grace period ago; stop reading, reap below
      }
    }
  }

  OutRead.reset();
  ErrRead.reset();
  if (!Exited) {
    ::kill(-Pid, SIGKILL);
    while (::waitpid(Pid, &Status, 0) < 0 && errno == EINTR) {
    }
    Guard.markReaped();
  }
  appendStderr(Result, {}, Options.MaxStderrBytes, /*Final=*/true);

  if (WIFEXITED(Status)) {
    Result.ExitCode = WEXITSTATUS(Status);
  } else if (WIFSIGNALED(Status)) {
    Result.Signal = WTERMSIG(Status);
  }
  return Result;
}

llvm::Expected<ProcessResult> runProcess(llvm::ArrayRef<std::string> Argv,
                                         const ProcessOptions &Options,
                                         const std::function<void(std::string_view)> &OnStdout) {
  llvm::Expected<std::unique_ptr<StartedProcess>> Started = startProcess(Argv, Options);
  if (!Started)
    return Started.takeError();
  return (*Started)->collect(OnStdout, Options.Timeout);
}

} // namespace saguard::render
