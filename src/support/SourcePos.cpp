#include "saguard/support/SourcePos.h"

namespace saguard {

FileId FileTable::intern(std::string_view Path) {
  std::lock_guard<std::mutex> Lock(Mutex);
  auto It = Ids.find(Path);
  if (It != Ids.end())
    return It->second;
  Paths.emplace_back(Path);
  FileId Id = static_cast<FileId>(Paths.size() - 1);
  Ids.emplace(Paths.back(), Id);
  return Id;
}

FileId FileTable::internRendered(std::string_view Name) {
  FileId Id = intern(Name);
  std::lock_guard<std::mutex> Lock(Mutex);
  Rendered.insert(Id);
  return Id;
}

bool FileTable::isRendered(FileId Id) const {
  std::lock_guard<std::mutex> Lock(Mutex);
  return Rendered.count(Id) > 0;
}

const std::string &FileTable::path(FileId Id) const {
  std::lock_guard<std::mutex> Lock(Mutex);
  return Paths.at(Id);
}

} // namespace saguard
