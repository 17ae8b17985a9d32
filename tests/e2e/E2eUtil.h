//===- E2eUtil.h - run the saguard binary and check its report --*- C++ -*-===//
#pragma once

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace saguard::e2e {

using Json = nlohmann::json;

/// What one run of the saguard binary gave.
struct RunResult {
  int Exit = -1;
  std::string Stdout, Stderr;
  /// Stdout parsed as JSON (null when it is not JSON).
  Json Report;
};

/// Environment changes for a run (a value of "" unsets the variable).
using Env = std::vector<std::pair<std::string, std::string>>;

/// Runs saguard with Args in directory Cwd, with `.tools/bin` first on PATH. Results are cached
/// by command line, so each corpus item renders once per test program.
const RunResult &runSaguard(const std::vector<std::string> &Args, const std::string &Cwd,
                            const Env &Extra = {});

/// Runs a program (no shell) in Cwd and returns its exit status and output.
RunResult runProgram(const std::vector<std::string> &Argv, const std::string &Cwd,
                     const Env &Extra = {});

/// The shared corpus directory.
std::string corpusDir();

/// A chart or overlay of the corpus (paths below corpus/).
struct CorpusEntry {
  std::string Name;
  bool Helm;
  std::string Path;
  /// The directory every location must lie in: the chart, or the kustomize tree with its bases.
  std::string Root;
  std::vector<std::string> Flags;
};

/// How gtest names an entry in failure messages (instead of its bytes).
void PrintTo(const CorpusEntry &I, std::ostream *OS);

/// The 20 charts and 10 overlays of the corpus, with the flags each renders with.
std::vector<CorpusEntry> corpusEntries();


/// A temporary directory removed at the end of its scope.
class TempDir {
public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;
  /// Writes Text to Rel below the directory (creating parents); returns the full path.
  std::string write(const std::string &Rel, const std::string &Text) const;
  const std::string &path() const { return Root; }

private:
  std::string Root;
};

/// Lines of a file (empty when it cannot be read).
std::vector<std::string> readLines(const std::string &File);

/// Checks where every finding of a report made in Cwd points: its file exists below Root (the
/// chart, or the kustomize tree with its bases), its line is inside the file and holds the
/// deciding key or the object's first line; related locations name real files too (the
/// rendered stream excepted).
void checkLocations(const Json &Report, const std::string &Cwd, const std::string &Root);

/// The findings of Report with RuleId on an object of Kind whose name starts with Name.
std::vector<Json> findingsOf(const Json &Report, const std::string &RuleId, const std::string &Kind,
                             const std::string &Name);

/// The text of the line a location (a JSON object with file and line) points at, in Cwd.
std::string lineAt(const Json &Location, const std::string &Cwd);

/// The related locations of Finding whose message contains Text.
std::vector<Json> relatedWith(const Json &Finding, const std::string &Text);

} // namespace saguard::e2e
