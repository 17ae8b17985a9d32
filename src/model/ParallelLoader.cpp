//===- ParallelLoader.cpp - load a stream's documents on several threads --===//
#include "saguard/model/ParallelLoader.h"

#include <system_error>

namespace saguard::model {

ParallelLoader::ParallelLoader(LoadOptions Options, LoadResult &Out, unsigned Threads)
    : Options(std::move(Options)), Out(Out), Threads(std::max(1u, Threads)) {}

ParallelLoader::~ParallelLoader() { finish(); }

void ParallelLoader::append(LoadResult &Result) {
  for (Object &O : Result.Objects)
    Out.Objects.push_back(std::move(O));
  std::move(Result.Errors.begin(), Result.Errors.end(), std::back_inserter(Out.Errors));
  Out.Skipped += Result.Skipped;
}

void ParallelLoader::appendFinished(std::unique_lock<std::mutex> &Lock) {
  while (!Slots.empty() && Slots.front().Done) {
    LoadResult Result = std::move(Slots.front().Result);
    Slots.pop_front();
    --FirstWaiting; // the front was claimed, so it was before the first waiting one
    Lock.unlock();
    append(Result);
    Lock.lock();
  }
}

void ParallelLoader::loadNext(std::unique_lock<std::mutex> &Lock) {
  Slot &S = Slots[FirstWaiting];
  // Errors of the reader are born done: the next waiting slot is the next one not done.
  do
    ++FirstWaiting;
  while (FirstWaiting < Slots.size() && Slots[FirstWaiting].Done);
  WaitingBytes -= S.Bytes;
  Lock.unlock();
  // S stays in place: slots are only added at the back and removed from the front once done.
  for (DocumentText &Doc : S.Docs) {
    loadDocument(Doc, Options, S.Result);
    Doc = DocumentText();
  }
  Lock.lock();
  S.Done = true;
  if (ReaderBlocked)
    Loaded.notify_one();
}

void ParallelLoader::work() {
  std::unique_lock<std::mutex> Lock(Mutex);
  while (true) {
    if (FirstWaiting < Slots.size()) {
      loadNext(Lock);
      continue;
    }
    if (Stopping)
      return;
    ++IdleWorkers;
    Waiting.wait(Lock);
    --IdleWorkers;
  }
}

void ParallelLoader::waitForLoad(std::unique_lock<std::mutex> &Lock) {
  if (FirstWaiting < Slots.size()) {
    loadNext(Lock); // rather than idle, the reader loads the oldest waiting batch itself
  } else {
    ReaderBlocked = true;
    Loaded.wait(Lock);
    ReaderBlocked = false;
  }
  appendFinished(Lock);
}

void ParallelLoader::load(DocumentText Doc) {
  if (Threads == 1)
    return loadDocument(Doc, Options, Out);
  Batch.Bytes += Doc.Text.size();
  Batch.Docs.push_back(std::move(Doc));
  if (Batch.Bytes >= BatchBytes)
    pushBatch();
}

void ParallelLoader::handOver() {
  if (Threads > 1 && !Batch.Docs.empty())
    pushBatch(/*StartThreads=*/true);
}

void ParallelLoader::pushBatch(bool StartThreads) {
  std::unique_lock<std::mutex> Lock(Mutex);
  appendFinished(Lock);
  // Only text waits: the results of batches loaded behind a slow one are kept anyway, so the
  // reader never sleeps while a thread it waits for is not scheduled.
  while (WaitingBytes > 0 && WaitingBytes + Batch.Bytes > MaxQueuedBytes)
    waitForLoad(Lock);
  WaitingBytes += Batch.Bytes;
  Slots.push_back(std::move(Batch));
  Batch = Slot();
  if (!Started && (Slots.size() > 1 || StartThreads)) {
    Started = true;
    // A thread that cannot start leaves its share to the others and to this one.
    try {
      for (unsigned I = 1; I < Threads; ++I)
        Workers.emplace_back([this] { work(); });
    } catch (const std::system_error &) {
    }
  } else if (IdleWorkers > 0) {
    Waiting.notify_one();
  }
}

void ParallelLoader::addError(ToolNotification Error) {
  if (!Batch.Docs.empty())
    pushBatch();
  std::unique_lock<std::mutex> Lock(Mutex);
  appendFinished(Lock);
  if (Slots.empty()) {
    Out.Errors.push_back(std::move(Error));
    return;
  }
  Slot S;
  S.Result.Errors.push_back(std::move(Error));
  S.Done = true;
  if (FirstWaiting == Slots.size())
    ++FirstWaiting;
  Slots.push_back(std::move(S));
}

void ParallelLoader::finish() {
  if (!Batch.Docs.empty())
    pushBatch();
  std::unique_lock<std::mutex> Lock(Mutex);
  appendFinished(Lock);
  while (!Slots.empty())
    waitForLoad(Lock);
  Stopping = true;
  Lock.unlock();
  Waiting.notify_all();
  for (std::thread &T : Workers)
    T.join();
  Workers.clear();
  Started = Stopping = false;
}

} // namespace saguard::model
