#include "saguard/render/Subprocess.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

using saguard::render::ProcessOptions;
using saguard::render::ProcessResult;
using saguard::render::runProcess;

namespace {

struct Outcome {
  ProcessResult Result;
  std::string Stdout;
  std::string Error; ///< set when runProcess failed
  std::error_code ErrorCode;
  double Seconds = 0;
};

Outcome run(std::vector<std::string> Argv, const ProcessOptions &Options = {}) {
  Outcome Out;
  auto Start = std::chrono::steady_clock::now();
  llvm::Expected<ProcessResult> R =
      runProcess(Argv, Options, [&](std::string_view Chunk) { Out.Stdout.append(Chunk); });
  Out.Seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - Start).count();
  if (R) {
    Out.Result = std::move(*R);
  } else {
    llvm::handleAllErrors(R.takeError(), [&](const llvm::ErrorInfoBase &E) {
      Out.Error = E.message();
      Out.ErrorCode = E.convertToErrorCode();
    });
  }
  return Out;
}

Outcome sh(const std::string &Script, const ProcessOptions &Options = {}) {
  return run({"/bin/sh", "-c", Script}, Options);
}

} // namespace

TEST(Subprocess, CapturesStdoutStderrAndExitCode) {
  Outcome R = sh("echo out; echo err >&2; exit 3");
  ASSERT_EQ(R.Error, "");
  EXPECT_EQ(R.Stdout, "out\n");
  EXPECT_EQ(R.Result.Stderr, "err\n");
  EXPECT_EQ(R.Result.ExitCode, 3);
  EXPECT_EQ(R.Result.Signal, 0);
  EXPECT_FALSE(R.Result.TimedOut);
  EXPECT_FALSE(R.Result.succeeded());
  EXPECT_TRUE(sh("true").Result.succeeded());
}

TEST(Subprocess, PassesArgumentsVerbatim) {
  Outcome R = run({"/usr/bin/printf", "%s\\n", "a b", "$HOME", "\"q\"", "'s'", "x;y|z", "*", "",
               "back\\slash"});
  ASSERT_EQ(R.Error, "");
  EXPECT_EQ(R.Stdout, "a b\n$HOME\n\"q\"\n's'\nx;y|z\n*\n\nback\\slash\n");
}

TEST(Subprocess, SearchesPath) {
  Outcome R = run({"printf", "%s", "found"});
  ASSERT_EQ(R.Error, "");
  EXPECT_EQ(R.Stdout, "found");
}

TEST(Subprocess, LargeOutputOnBothPipesDoesNotDeadlock) {
  const size_t Size = 5'000'000;
  // Both pipes at once, then each alone in the order that deadlocks a reader of only one pipe.
  for (const char *Script :
       {"head -c 5000000 /dev/zero | tr '\\0' e >&2 & head -c 5000000 /dev/zero | tr '\\0' o; "
        "wait",
        "head -c 5000000 /dev/zero | tr '\\0' e >&2; head -c 5000000 /dev/zero | tr '\\0' o"}) {
    ProcessOptions Options;
    Options.Timeout = std::chrono::seconds(60);
    Outcome R = sh(Script, Options);
    ASSERT_EQ(R.Error, "");
    EXPECT_TRUE(R.Result.succeeded()) << Script;
    EXPECT_EQ(R.Stdout.size(), Size) << Script;
    EXPECT_EQ(R.Stdout.find_first_not_of('o'), std::string::npos);
    EXPECT_EQ(R.Result.Stderr.size(), Options.MaxStderrBytes);
    EXPECT_EQ(R.Result.Stderr.find_first_not_of('e'), std::string::npos);
    EXPECT_TRUE(R.Result.StderrTruncated);
  }
}

TEST(Subprocess, KeepsTheTailOfStderr) {
  ProcessOptions Options;
  Options.MaxStderrBytes = 16;
  Outcome R = sh("i=0; while [ $i -lt 100 ]; do echo line$i >&2; i=$((i+1)); done; "
             "echo 'Error: the real cause' >&2; exit 1",
             Options);
  EXPECT_EQ(R.Result.Stderr, " the real cause\n"); // 16 bytes: the tail is where the error is
  EXPECT_TRUE(R.Result.StderrTruncated);
}

TEST(Subprocess, TimeoutKillsTheProcessQuickly) {
  ProcessOptions Options;
  Options.Timeout = std::chrono::milliseconds(300);
  Outcome R = run({"sleep", "30"}, Options);
  ASSERT_EQ(R.Error, "");
  EXPECT_TRUE(R.Result.TimedOut);
  EXPECT_EQ(R.Result.Signal, SIGTERM);
  EXPECT_FALSE(R.Result.succeeded());
  EXPECT_LT(R.Seconds, 10.0);
}

TEST(Subprocess, TimeoutEscalatesToSigkill) {
  ProcessOptions Options;
  Options.Timeout = std::chrono::milliseconds(300);
  Options.KillGrace = std::chrono::milliseconds(300);
  // The shell and its sleep ignore SIGTERM; the whole process group still goes.
  Outcome R = sh("trap '' TERM; echo started; sleep 30; echo survived", Options);
  ASSERT_EQ(R.Error, "");
  EXPECT_TRUE(R.Result.TimedOut);
  EXPECT_EQ(R.Result.Signal, SIGKILL);
  EXPECT_EQ(R.Stdout, "started\n");
  EXPECT_LT(R.Seconds, 10.0);
}

TEST(Subprocess, DescendantHoldingThePipeDoesNotHang) {
  ProcessOptions Options;
  Options.KillGrace = std::chrono::milliseconds(300);
  Outcome R = sh("sleep 30 & echo done", Options);
  ASSERT_EQ(R.Error, "");
  EXPECT_EQ(R.Stdout, "done\n");
  EXPECT_EQ(R.Result.ExitCode, 0);
  EXPECT_FALSE(R.Result.TimedOut);
  EXPECT_LT(R.Seconds, 10.0);
}

TEST(Subprocess, ReapsAChildThatClosedItsPipesWhenItExits) {
  // With both pipes shut there is nothing left to read: the exit alone ends the wait.
  ProcessOptions Options;
  Options.KillGrace = std::chrono::milliseconds(300);
  Outcome R = sh("echo before; exec >&- 2>&-; sleep 0.5; exit 3", Options);
  ASSERT_EQ(R.Error, "");
  EXPECT_EQ(R.Stdout, "before\n");
  EXPECT_EQ(R.Result.ExitCode, 3);
  EXPECT_FALSE(R.Result.TimedOut);

  // The same with a time limit, which the wait must still keep.
  Options.Timeout = std::chrono::milliseconds(300);
  R = sh("exec >&- 2>&-; sleep 30", Options);
  ASSERT_EQ(R.Error, "");
  EXPECT_TRUE(R.Result.TimedOut);
  EXPECT_EQ(R.Result.Signal, SIGTERM);
  EXPECT_LT(R.Seconds, 10.0);
}

TEST(Subprocess, ReportsTheKillingSignal) {
  Outcome R = sh("kill -9 $$");
  ASSERT_EQ(R.Error, "");
  EXPECT_EQ(R.Result.Signal, SIGKILL);
  EXPECT_EQ(R.Result.ExitCode, -1);
}

TEST(Subprocess, MissingProgramIsAnErrorNamingIt) {
  Outcome R = run({"saguard-no-such-program", "x"});
  EXPECT_EQ(R.Error, "saguard-no-such-program: not found on PATH");
  EXPECT_EQ(R.ErrorCode, std::errc::no_such_file_or_directory);

  R = run({"/nonexistent/dir/helm"});
  EXPECT_EQ(R.Error, "/nonexistent/dir/helm: no such file");
  EXPECT_EQ(R.ErrorCode, std::errc::no_such_file_or_directory);

  R = run({});
  EXPECT_NE(R.Error, "");
}

TEST(Subprocess, RunsInWorkingDirectory) {
  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("saguard-cwd test", Dir));
  llvm::SmallString<128> Real;
  ASSERT_FALSE(llvm::sys::fs::real_path(Dir, Real));
  ProcessOptions Options;
  Options.WorkingDir = std::string(Dir.str());
  Outcome R = run({"/bin/sh", "-c", "pwd -P"}, Options);
  ASSERT_EQ(R.Error, "");
  EXPECT_EQ(R.Stdout, std::string(Real.str()) + "\n");

  Options.WorkingDir = std::string(Dir.str()) + "/missing";
  R = run({"/bin/pwd"}, Options);
  EXPECT_NE(R.Error.find("working directory"), std::string::npos) << R.Error;
  EXPECT_NE(R.ErrorCode, std::errc::no_such_file_or_directory);
  llvm::sys::fs::remove_directories(Dir);
}

TEST(Subprocess, AppliesEnvironmentChanges) {
  ::setenv("SAGUARD_TEST_REMOVED", "still here", 1);
  ProcessOptions Options;
  Options.Env = {{"SAGUARD_TEST_SET", "a b $c"}, {"SAGUARD_TEST_REMOVED", std::nullopt}};
  Outcome R = sh("echo \"$SAGUARD_TEST_SET|${SAGUARD_TEST_REMOVED-unset}|${PATH:+has-path}\"",
             Options);
  ::unsetenv("SAGUARD_TEST_REMOVED");
  ASSERT_EQ(R.Error, "");
  EXPECT_EQ(R.Stdout, "a b $c|unset|has-path\n");
}

TEST(Subprocess, StdinIsEmpty) {
  ProcessOptions Options;
  Options.Timeout = std::chrono::seconds(10);
  Outcome R = run({"cat"}, Options);
  ASSERT_EQ(R.Error, "");
  EXPECT_TRUE(R.Result.succeeded());
  EXPECT_EQ(R.Stdout, "");
}

TEST(Subprocess, StreamsStdoutWhileRunning) {
  // The first chunk arrives long before the process ends.
  std::optional<double> FirstChunkAt;
  auto Start = std::chrono::steady_clock::now();
  ProcessOptions Options;
  Options.Timeout = std::chrono::seconds(20);
  llvm::Expected<ProcessResult> R =
      runProcess({"/bin/sh", "-c", "echo first; sleep 1; echo second"}, Options,
                 [&](std::string_view) {
                   if (!FirstChunkAt)
                     FirstChunkAt = std::chrono::duration<double>(
                                        std::chrono::steady_clock::now() - Start)
                                        .count();
                 });
  ASSERT_TRUE(bool(R)) << llvm::toString(R.takeError());
  double Total =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - Start).count();
  ASSERT_TRUE(FirstChunkAt.has_value());
  EXPECT_LT(*FirstChunkAt, Total - 0.5);
}

TEST(Subprocess, ChildInheritsNoOtherPipes) {
  // Renders run in parallel (--jobs): a pipe leaked into another run's child would keep that
  // run waiting until the other child exits. Each child must see only its own stdout and
  // stderr pipes, also while other threads spawn, and none of the descriptors we inherited.
  auto PipesOfChild = [] {
    Outcome R = run({"ls", "-l", "/proc/self/fd"});
    size_t N = 0;
    for (size_t P = R.Stdout.find("pipe:"); P != std::string::npos;
         P = R.Stdout.find("pipe:", P + 1))
      ++N;
    EXPECT_EQ(N, 2u) << R.Stdout;
    return N;
  };
  std::vector<std::thread> Threads;
  for (int T = 0; T < 4; ++T)
    Threads.emplace_back([&] {
      for (int I = 0; I < 15; ++I)
        PipesOfChild();
    });
  for (std::thread &Th : Threads)
    Th.join();
}

TEST(Subprocess, KilledAtTheTimeLimitLeavesNoZombie) {
  ProcessOptions Options;
  Options.Timeout = std::chrono::milliseconds(300);
  Outcome R = sh("echo $$; exec sleep 60", Options);
  ASSERT_TRUE(R.Error.empty()) << R.Error;
  EXPECT_TRUE(R.Result.TimedOut);
  pid_t Child = std::stoi(R.Stdout);
  // Reaped: no longer our child, and no process with its id is left.
  int Status = 0;
  EXPECT_EQ(::waitpid(Child, &Status, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
  EXPECT_EQ(::kill(Child, 0), -1);
}

namespace {

/// Waits (at most about ten seconds) for Path to exist.
bool appears(const std::string &Path) {
  for (int I = 0; I < 1000 && !llvm::sys::fs::exists(Path); ++I)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return llvm::sys::fs::exists(Path);
}

std::string scratchFile(const std::string &Name) {
  std::string Path = testing::TempDir() + "saguard-subprocess-" + Name;
  llvm::sys::fs::remove(Path);
  return Path;
}

} // namespace

TEST(Subprocess, StartedProgramRunsBeforeItsOutputIsCollected) {
  std::string Done = scratchFile("started-done");
  // 512 KiB before the marker: more than a default pipe holds, so the program only gets to the
  // marker with nobody reading if its stdout pipe was made larger.
  auto Started = saguard::render::startProcess(
      {"/bin/sh", "-c", "head -c 524288 /dev/zero; touch '" + Done + "'; echo tail"}, {});
  ASSERT_TRUE(static_cast<bool>(Started)) << llvm::toString(Started.takeError());
  EXPECT_TRUE(appears(Done));
  std::string Stdout;
  auto R = (*Started)->collect([&](std::string_view Chunk) { Stdout.append(Chunk); },
                               std::chrono::milliseconds(0));
  ASSERT_TRUE(static_cast<bool>(R)) << llvm::toString(R.takeError());
  EXPECT_TRUE(R->succeeded());
  EXPECT_EQ(Stdout.size(), 524288u + 5);
  EXPECT_EQ(Stdout.substr(Stdout.size() - 5), "tail\n");
  llvm::sys::fs::remove(Done);
}

TEST(Subprocess, CollectSaysWhenItWaitsAfterOutput) {
  // The program goes on only once told that its first line was handed on and collect waits:
  // a collect that did not say so would run into the time limit.
  std::string Go = scratchFile("wait-go");
  auto Started = saguard::render::startProcess(
      {"/bin/sh", "-c",
       "echo first; while [ ! -e '" + Go + "' ]; do sleep 0.01; done; echo second"},
      {});
  ASSERT_TRUE(static_cast<bool>(Started)) << llvm::toString(Started.takeError());
  std::string Stdout;
  std::vector<std::string> SeenAtWait;
  auto R = (*Started)->collect([&](std::string_view Chunk) { Stdout.append(Chunk); },
                               std::chrono::seconds(60), [&] {
                                 SeenAtWait.push_back(Stdout);
                                 std::ofstream(Go).put('\n');
                               });
  ASSERT_TRUE(static_cast<bool>(R)) << llvm::toString(R.takeError());
  EXPECT_FALSE(R->TimedOut);
  EXPECT_EQ(Stdout, "first\nsecond\n");
  ASSERT_FALSE(SeenAtWait.empty());
  EXPECT_EQ(SeenAtWait.front(), "first\n");
  // Only after output: never twice for the same output.
  for (size_t I = 1; I < SeenAtWait.size(); ++I)
    EXPECT_NE(SeenAtWait[I], SeenAtWait[I - 1]);
  llvm::sys::fs::remove(Go);
}

TEST(Subprocess, StartedProgramDroppedUncollectedIsKilledAndReaped) {
  std::string PidFile = scratchFile("dropped-pid");
  auto Started = saguard::render::startProcess(
      {"/bin/sh", "-c", "echo $$ > '" + PidFile + ".part'; mv '" + PidFile + ".part' '" +
                            PidFile + "'; exec sleep 60"},
      {});
  ASSERT_TRUE(static_cast<bool>(Started)) << llvm::toString(Started.takeError());
  ASSERT_TRUE(appears(PidFile));
  std::ifstream In(PidFile);
  pid_t Child = 0;
  In >> Child;
  ASSERT_GT(Child, 0);
  EXPECT_EQ(::kill(Child, 0), 0);
  Started->reset();
  int Status = 0;
  EXPECT_EQ(::waitpid(Child, &Status, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
  EXPECT_EQ(::kill(Child, 0), -1);
  llvm::sys::fs::remove(PidFile);
}
