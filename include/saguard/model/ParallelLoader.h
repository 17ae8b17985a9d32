//===- ParallelLoader.h - load a stream's documents on several threads -*- C++ -*-===//
//
// The thread that reads a stream (a file, stdin, a renderer's stdout) cuts it into documents;
// parsing and mapping them is most of a scan's time, and each document loads on its own. So
// documents are loaded by worker threads while the reader goes on, and their objects and errors
// are appended in stream order: the result is the one loading them one by one gives.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "saguard/model/Loader.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace saguard::model {

/// Loads the documents handed to it, in up to Threads threads (the caller's one of them), into
/// one LoadResult in the order they were handed over. With one thread each document is loaded
/// at once, on the caller's thread. Documents travel in batches of about BatchBytes, so threads
/// meet once per batch, not once per document. Memory stays bounded: once MaxQueuedBytes of
/// text wait, the caller loads the oldest waiting batch itself instead of reading on. Threads
/// start with the second batch, or when the caller is to wait for input (handOver), so a small
/// stream read at once starts none.
class ParallelLoader {
public:
  static constexpr size_t BatchBytes = 32 << 10;
  /// Text of the batches waiting, at most (a larger document still goes in when none waits).
  static constexpr size_t MaxQueuedBytes = 256 << 10;

  /// Loads into Out, which must outlive this loader and is complete once finish() returned.
  ParallelLoader(LoadOptions Options, LoadResult &Out, unsigned Threads);
  /// Finishes: every document handed over is loaded and every thread ended.
  ~ParallelLoader();
  ParallelLoader(const ParallelLoader &) = delete;
  ParallelLoader &operator=(const ParallelLoader &) = delete;

  /// Loads Doc, after the documents handed over before it.
  void load(DocumentText Doc);
  /// The caller is about to wait for more of the stream (a renderer that has not ended): the
  /// documents it holds go to the threads now, started if they were not, rather than wait in
  /// an unfilled batch while nothing else runs. helm writes its whole output and then takes
  /// milliseconds to exit: the documents load meanwhile.
  void handOver();
  /// Appends an error found while reading the stream (a document over the size limit, a read
  /// that failed) after the results of the documents handed over before it.
  void addError(ToolNotification Error);
  /// Waits for every document handed over (loading the waiting ones on this thread), appends
  /// what is left to Out and ends the threads. Further documents are loaded again.
  void finish();

private:
  /// A batch of documents (or a reading error), from hand-over until its result is appended.
  struct Slot {
    std::vector<DocumentText> Docs;
    size_t Bytes = 0;
    LoadResult Result;
    bool Done = false;
  };

  /// Hands the batch being filled over to the threads; they start with the second batch, or
  /// with this one when StartThreads says so.
  void pushBatch(bool StartThreads = false);
  void append(LoadResult &Result);
  /// Appends the results of the finished batches at the front, in order. Lock held.
  void appendFinished(std::unique_lock<std::mutex> &Lock);
  /// Claims the oldest waiting batch and loads it, the lock released meanwhile. Lock held.
  void loadNext(std::unique_lock<std::mutex> &Lock);
  /// On the reader's thread: loads a waiting batch, or waits until a thread loaded one; then
  /// appends what is finished. Lock held.
  void waitForLoad(std::unique_lock<std::mutex> &Lock);
  void work();

  const LoadOptions Options;
  LoadResult &Out;
  const unsigned Threads;
  Slot Batch; ///< being filled by the reader, outside the lock

  std::mutex Mutex;
  std::condition_variable Waiting; ///< a batch waits, or the loader finishes
  std::condition_variable Loaded;  ///< a batch was loaded
  /// Batches handed over and not yet appended, oldest first; growing it at the back keeps the
  /// slots a thread is loading in place.
  std::deque<Slot> Slots;
  size_t FirstWaiting = 0; ///< index in Slots of the oldest batch no thread has claimed
  size_t WaitingBytes = 0; ///< text of the unclaimed batches
  /// Who sleeps: a wake-up costs a system call, so it is made only for a sleeper.
  unsigned IdleWorkers = 0;
  bool ReaderBlocked = false;
  bool Started = false; ///< the workers were started (with the second batch, or a handOver)
  bool Stopping = false;
  std::vector<std::thread> Workers;
};

} // namespace saguard::model
