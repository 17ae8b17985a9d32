// Every cost ratio of saguard, measured side by side in one run on this machine (shared machines
// are noisy: each row alternates the commands it compares and quotes medians of pair-by-pair
// ratios, never absolute times from different runs):
//   helm       saguard helm CHART against bare helm template CHART, every corpus chart
//   kustomize  saguard kustomize DIR against bare kubectl kustomize DIR, every corpus overlay
//   scan       saguard scan of generated streams against cat and a bare yaml::Stream walk
//   growth     saguard scan of a stream against one twice its size
//   startup    saguard scan of empty input against cat of it
//   jobs       a tree of 50 copies of corpus charts, --jobs 2 against --jobs 1, reports compared
//   micro      bench/micro's Google Benchmark of the mapper, index, RBAC, each rule and reporter
// The corpus renders come from bench/corpus-targets.tsv; helm and kubectl from PATH. With
// --before OTHER, every row also runs another saguard build in the same rounds, so a change is
// quoted as before and after ratios of one run.
#include "../common/Process.h"
#include "../scan/StreamGenerator.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

using namespace saguard::bench;

namespace {

struct CorpusTarget {
  std::string Kind; // helm or kustomize
  std::string Path; // under corpus/
  std::vector<std::string> Flags;
};

std::vector<CorpusTarget> readTargets(const std::string &File) {
  std::vector<CorpusTarget> Out;
  std::ifstream In(File);
  for (std::string Line; std::getline(In, Line);) {
    if (Line.empty() || Line[0] == '#')
      continue;
    std::istringstream Fields(Line);
    CorpusTarget T;
    std::getline(Fields, T.Kind, '\t');
    std::getline(Fields, T.Path, '\t');
    for (std::string Flag; Fields >> Flag;)
      T.Flags.push_back(Flag);
    Out.push_back(T);
  }
  return Out;
}

/// Another saguard build to run beside this one in every row; empty for none.
std::string Before;

/// Command with its program replaced by the --before build.
std::vector<std::string> withBefore(std::vector<std::string> Command) {
  Command[0] = Before;
  return Command;
}

/// The path under the renderer's folder of the corpus: `kyverno`, `argo-cd/cluster-install`.
std::string displayName(const std::string &Path) { return Path.substr(Path.find('/') + 1); }

/// Pair-by-pair ratios of one row per target; the median and the worst over the targets.
void summarize(const char *What, const std::vector<std::pair<std::string, double>> &Rows) {
  if (Rows.empty())
    return;
  std::vector<double> Ratios;
  auto Worst = Rows.front();
  for (const auto &R : Rows) {
    Ratios.push_back(R.second);
    if (R.second > Worst.second)
      Worst = R;
  }
  std::printf("%s: median %.2fx, worst %.2fx (%s), %zu targets\n\n", What, median(Ratios),
              Worst.second, Worst.first.c_str(), Rows.size());
}

void renderRows(const std::string &Saguard, const std::string &Corpus,
                const std::vector<CorpusTarget> &Targets, const std::string &Kind,
                unsigned Repeat) {
  std::printf("## saguard %s against bare %s (%u alternating runs, medians)\n\n", Kind.c_str(),
              Kind == "helm" ? "helm template" : "kubectl kustomize", Repeat);
  std::printf("| target | bare ms | saguard ms | ratio |%s peak RSS MiB (largest process of "
              "saguard's run) |\n",
              Before.empty() ? "" : " before |");
  std::printf("| --- | --- | --- | --- |%s --- |\n", Before.empty() ? "" : " --- |");
  std::vector<std::pair<std::string, double>> Rows, BeforeRows;
  for (const CorpusTarget &T : Targets) {
    if (T.Kind != Kind)
      continue;
    std::string Dir = Corpus + "/" + T.Path;
    std::vector<std::string> Bare, Ours;
    if (Kind == "helm") {
      Bare = {"helm", "template", "test", Dir};
      Ours = {Saguard, "helm", "test", Dir, "--format", "json", "-o", "/dev/null"};
    } else {
      Bare = {"kubectl", "kustomize", Dir};
      Ours = {Saguard, "kustomize", Dir, "--format", "json", "-o", "/dev/null"};
    }
    Bare.insert(Bare.end(), T.Flags.begin(), T.Flags.end());
    Ours.insert(Ours.end(), T.Flags.begin(), T.Flags.end());
    std::vector<std::vector<std::string>> Commands{Ours, Bare};
    if (!Before.empty())
      Commands.push_back(withBefore(Ours));
    Round R = runSideBySide(Commands, Repeat);
    if (R.Runs[0].Exit < 0 || R.Runs[0].Exit > 1 || R.Runs[1].Exit != 0) {
      std::printf("| %s | failed (exit %d, bare exit %d) | | | |\n", T.Path.c_str(),
                  R.Runs[0].Exit, R.Runs[1].Exit);
      continue;
    }
    double Ratio = R.ratio(0, 1);
    char BeforeCell[32] = "";
    if (!Before.empty()) {
      BeforeRows.emplace_back(displayName(T.Path), R.ratio(2, 1));
      std::snprintf(BeforeCell, sizeof BeforeCell, " %.2f |", BeforeRows.back().second);
    }
    std::printf("| %s | %.0f | %.0f | %.2f |%s %.1f |\n", displayName(T.Path).c_str(),
                R.Runs[1].medianSeconds() * 1000, R.Runs[0].medianSeconds() * 1000, Ratio,
                BeforeCell, R.Runs[0].MaxRssKiB / 1024.0);
    Rows.emplace_back(displayName(T.Path), Ratio);
  }
  std::printf("\n");
  summarize(("saguard " + Kind + " / bare").c_str(), Rows);
  summarize(("before: saguard " + Kind + " / bare").c_str(), BeforeRows);
}

/// A generated stream of Objects objects in a file; a child writes it, so this process never
/// holds it and the children's peak RSS stays theirs.
struct StreamFile {
  std::string Path;
  size_t Bytes = 0;
  explicit StreamFile(unsigned Objects)
      : Path("/tmp/saguard-ratios-" + std::to_string(getpid()) + "-" +
             std::to_string(Objects) + ".yaml") {
    if (pid_t Pid = fork(); Pid == 0) {
      std::ofstream(Path, std::ios::binary) << generateStream(Objects);
      _exit(0);
    } else {
      waitpid(Pid, nullptr, 0);
    }
    std::ifstream In(Path, std::ios::binary | std::ios::ate);
    Bytes = static_cast<size_t>(In.tellg());
  }
  ~StreamFile() { std::remove(Path.c_str()); }
  StreamFile(const StreamFile &) = delete;
  StreamFile &operator=(const StreamFile &) = delete;
};

/// `saguard scan FILE` with every rule and the JSON report, or with only Rule enabled.
std::vector<std::string> scanCommand(const std::string &Saguard, const std::string &File,
                                     const std::string &Rule) {
  std::vector<std::string> C{Saguard, "scan", File, "--format", "json", "-o", "/dev/null"};
  if (Rule != "all")
    C.insert(C.end(), {"--enable", Rule});
  return C;
}

void scanRows(const std::string &Saguard, const std::string &Walk,
              const std::vector<std::pair<unsigned, std::string>> &Sizes, unsigned Repeat) {
  std::printf("## saguard scan of generated streams against cat and a bare yaml::Stream walk "
              "(%u rounds)\n\n",
              Repeat);
  std::printf("| objects | MiB | rules | saguard s | MiB/s | objects/s | x cat | share of the "
              "bare walk | peak RSS MiB | RSS / input |%s\n",
              Before.empty() ? "" : " before: share | before: RSS / input |");
  std::printf("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |%s\n",
              Before.empty() ? "" : " --- | --- |");
  for (const auto &[Objects, Rule] : Sizes) {
    StreamFile S(Objects);
    double MiB = S.Bytes / 1048576.0;
    std::vector<std::vector<std::string>> Commands{
        scanCommand(Saguard, S.Path, Rule), {"cat", S.Path}, {Walk, S.Path}};
    if (!Before.empty())
      Commands.push_back(withBefore(Commands[0]));
    Round R = runSideBySide(Commands, Repeat);
    double Secs = R.Runs[0].medianSeconds();
    // The bare walk's time over saguard's, pair by pair: 1.0 would be free next to a parse.
    double Share = 1 / R.ratio(0, 2);
    std::printf("| %u | %.1f | %s | %.3f | %.1f | %.0f | %.0f | %.0f%% | %.1f | %.0f%% |",
                Objects, MiB, Rule.c_str(), Secs, MiB / Secs, Objects / Secs, R.ratio(0, 1),
                Share * 100, R.Runs[0].MaxRssKiB / 1024.0,
                100 * (R.Runs[0].MaxRssKiB / 1024.0) / MiB);
    if (!Before.empty())
      std::printf(" %.0f%% | %.0f%% |", 100 / R.ratio(3, 2),
                  100 * (R.Runs[3].MaxRssKiB / 1024.0) / MiB);
    std::printf("\n");
    if (R.Runs[0].Exit < 0 || R.Runs[0].Exit > 1)
      std::printf("(saguard exited %d)\n", R.Runs[0].Exit);
  }
  std::printf("\n");
}

void growthRows(const std::string &Saguard, const std::vector<unsigned> &Sizes,
                unsigned Repeat) {
  std::printf("## growth: saguard scan (every rule, json) of a stream against one half its "
              "size (%u rounds)\n\n",
              Repeat);
  std::printf("| objects | time / time of half |%s\n| --- | --- |%s\n",
              Before.empty() ? "" : " before |", Before.empty() ? "" : " --- |");
  for (unsigned N : Sizes) {
    StreamFile Half(N / 2), Full(N);
    std::vector<std::vector<std::string>> Commands{scanCommand(Saguard, Full.Path, "all"),
                                                   scanCommand(Saguard, Half.Path, "all")};
    if (!Before.empty())
      Commands.insert(Commands.end(), {withBefore(Commands[0]), withBefore(Commands[1])});
    Round R = runSideBySide(Commands, Repeat);
    std::printf("| %u -> %u | %.2f |", N / 2, N, R.ratio(0, 1));
    if (!Before.empty())
      std::printf(" %.2f |", R.ratio(2, 3));
    std::printf("\n");
  }
  std::printf("\n");
}

void startupRows(const std::string &Saguard, unsigned Repeat) {
  std::vector<std::vector<std::string>> Commands{{Saguard, "scan", "-"}, {"cat"}};
  if (!Before.empty())
    Commands.push_back(withBefore(Commands[0]));
  Round R = runSideBySide(Commands, Repeat);
  std::printf("## start-up: saguard scan of empty stdin (%u rounds)\n\nsaguard %.2f ms, cat "
              "%.2f ms, ratio %.2f, peak RSS %.1f MiB",
              Repeat, R.Runs[0].medianSeconds() * 1000, R.Runs[1].medianSeconds() * 1000,
              R.ratio(0, 1), R.Runs[0].MaxRssKiB / 1024.0);
  if (!Before.empty())
    std::printf("; before %.2f ms, ratio %.2f", R.Runs[2].medianSeconds() * 1000,
                R.ratio(2, 1));
  std::printf("\n\n");
}

std::string slurp(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  return {std::istreambuf_iterator<char>(In), {}};
}

/// What `helm template test Chart` writes to stdout.
std::string helmTemplate(const std::string &Chart) {
  std::string Out;
  if (FILE *P = popen(("helm template test '" + Chart + "' 2>/dev/null").c_str(), "r")) {
    char Buffer[65536];
    for (size_t N; (N = std::fread(Buffer, 1, sizeof Buffer, P)) > 0;)
      Out.append(Buffer, N);
    pclose(P);
  }
  return Out;
}

/// A folder of Count charts for the jobs row: copies of Charts in turn (`kyverno-1`,
/// `kyverno-2`, ...), as a platform team's tree of many charts; removed with the object.
struct ChartTree {
  std::string Root = "/tmp/saguard-ratios-tree-" + std::to_string(getpid());
  std::vector<std::string> Charts;
  ChartTree(const std::vector<std::string> &From, unsigned Count) {
    std::filesystem::create_directories(Root);
    for (unsigned I = 0; I < Count && !From.empty(); ++I) {
      const std::string &Chart = From[I % From.size()];
      std::string Copy = Root + "/" + std::filesystem::path(Chart).filename().string() + "-" +
                         std::to_string(I / From.size() + 1);
      std::filesystem::copy(Chart, Copy, std::filesystem::copy_options::recursive);
      Charts.push_back(Copy);
    }
  }
  ~ChartTree() { std::filesystem::remove_all(Root); }
  ChartTree(const ChartTree &) = delete;
  ChartTree &operator=(const ChartTree &) = delete;
};

void jobsRows(const std::string &Saguard, const std::string &Corpus,
              const std::vector<CorpusTarget> &Targets, unsigned Count, unsigned Repeat) {
  // Charts that need values of their own are left out: one run shares one set of flags. So are
  // charts that render differently every time (random names), whose reports could never be
  // byte-identical.
  std::vector<std::string> Charts, Random;
  for (const CorpusTarget &T : Targets)
    if (T.Kind == "helm" && T.Flags.empty()) {
      std::string Chart = Corpus + "/" + T.Path;
      (helmTemplate(Chart) == helmTemplate(Chart) ? Charts : Random).push_back(Chart);
    }
  ChartTree Tree(Charts, Count);
  auto Command = [&](const char *Jobs, const std::string &Out) {
    return std::vector<std::string>{Saguard, "--jobs", Jobs, "--format", "json",
                                    "-o",    Out,    Tree.Root};
  };
  // The renderers alone, one at a time and two at once: the floor helm's own CPU sets.
  std::string List = Tree.Root + ".list";
  {
    std::ofstream Out(List);
    for (const std::string &Chart : Tree.Charts)
      Out << Chart << "\n";
  }
  auto Bare = [](const char *Jobs) {
    return std::vector<std::string>{"xargs", "-n", "1", "-P", Jobs, "helm", "template",
                                    "--namespace", "default"};
  };
  std::string Out1 = Tree.Root + "-jobs1.json", Out2 = Tree.Root + "-jobs2.json";
  std::vector<std::vector<std::string>> Commands{Command("2", Out2), Command("1", Out1)};
  if (!Before.empty())
    Commands.insert(Commands.end(),
                    {withBefore(Command("2", "/dev/null")), withBefore(Command("1", "/dev/null"))});
  Round R = runSideBySide(Commands, Repeat);
  Round Helm = runSideBySide({Bare("2"), Bare("1")}, Repeat, List);
  bool Same = slurp(Out1) == slurp(Out2);
  std::printf("## many targets: a tree of %zu charts (copies of %zu corpus charts) in one run, "
              "--jobs 2 against --jobs 1 (%u rounds; %zu charts with random names left out)\n\n"
              "--jobs 1 %.2f s (CPU %.2f s), --jobs 2 %.2f s (CPU %.2f s), ratio %.2f, reports "
              "%s",
              Tree.Charts.size(), Charts.size(), Repeat, Random.size(),
              R.Runs[1].medianSeconds(), R.Runs[1].medianCpuSeconds(), R.Runs[0].medianSeconds(),
              R.Runs[0].medianCpuSeconds(), R.ratio(0, 1), Same ? "byte-identical" : "DIFFER");
  if (!Before.empty())
    std::printf("; before: --jobs 1 %.2f s, ratio %.2f", R.Runs[3].medianSeconds(),
                R.ratio(2, 3));
  std::printf("\n\nbare helm template of the same charts: one at a time %.2f s (CPU %.2f s), two "
              "at once %.2f s (CPU %.2f s), ratio %.2f\n\n",
              Helm.Runs[1].medianSeconds(), Helm.Runs[1].medianCpuSeconds(),
              Helm.Runs[0].medianSeconds(), Helm.Runs[0].medianCpuSeconds(), Helm.ratio(0, 1));
  std::remove(Out1.c_str());
  std::remove(Out2.c_str());
  std::remove(List.c_str());
}

} // namespace

int main(int Argc, char **Argv) {
  CLI::App App{"saguard's cost ratios, measured side by side"};
  std::string Saguard = SAGUARD_BINARY, Walk = YAML_WALK_BINARY, Micro = MICRO_BINARY;
  std::string Corpus = SAGUARD_CORPUS_DIR, TargetsFile = CORPUS_TARGETS_FILE;
  std::vector<std::string> Sections{"helm",    "kustomize", "scan", "growth",
                                    "startup", "jobs",      "micro"};
  std::vector<std::string> ScanSizes{"1000:all", "10000:all", "20000:all", "100000:SA009"};
  std::vector<unsigned> GrowthSizes{5000, 10000, 20000};
  unsigned Repeat = 5, ScanRepeat = 3, StartupRepeat = 21, JobsCharts = 50;
  App.add_option("--saguard", Saguard, "the saguard binary");
  App.add_option("--yaml-walk", Walk, "the bare yaml::Stream walk binary");
  App.add_option("--micro", Micro, "the bench_micro binary");
  App.add_option("--before", Before,
                 "another saguard build (say, of the base branch) to run in the same rounds");
  App.add_option("--corpus", Corpus, "the corpus folder");
  App.add_option("--targets", TargetsFile, "corpus renders, as bench/corpus-targets.tsv");
  App.add_option("--sections", Sections, "which rows to measure (comma-separated)")
      ->delimiter(',')
      ->check(CLI::IsMember({"helm", "kustomize", "scan", "growth", "startup", "jobs", "micro"}));
  App.add_option("--scan-sizes", ScanSizes, "OBJECTS:RULE pairs (RULE all for every rule)")
      ->delimiter(',');
  App.add_option("--growth-sizes", GrowthSizes, "stream sizes, each against half of it")
      ->delimiter(',');
  App.add_option("--jobs-charts", JobsCharts, "charts in the tree of the jobs row");
  App.add_option("--repeat", Repeat, "rounds of render and jobs rows");
  App.add_option("--scan-repeat", ScanRepeat, "rounds of scan and growth rows");
  App.add_option("--startup-repeat", StartupRepeat, "rounds of the start-up row");
  CLI11_PARSE(App, Argc, Argv);

  std::set<std::string> Want(Sections.begin(), Sections.end());
  std::vector<CorpusTarget> Targets = readTargets(TargetsFile);
  std::printf("# saguard ratios: %s\n\n", Saguard.c_str());
  if (Want.count("helm"))
    renderRows(Saguard, Corpus, Targets, "helm", Repeat);
  if (Want.count("kustomize"))
    renderRows(Saguard, Corpus, Targets, "kustomize", Repeat);
  if (Want.count("scan")) {
    std::vector<std::pair<unsigned, std::string>> Sizes;
    for (const std::string &S : ScanSizes) {
      size_t Colon = S.find(':');
      Sizes.emplace_back(std::stoul(S.substr(0, Colon)),
                         Colon == std::string::npos ? "all" : S.substr(Colon + 1));
    }
    scanRows(Saguard, Walk, Sizes, ScanRepeat);
  }
  if (Want.count("growth"))
    growthRows(Saguard, GrowthSizes, ScanRepeat);
  if (Want.count("startup"))
    startupRows(Saguard, StartupRepeat);
  if (Want.count("jobs"))
    jobsRows(Saguard, Corpus, Targets, JobsCharts, Repeat);
  if (Want.count("micro")) {
    std::printf("## micro-benchmarks (bench/micro)\n\n```\n");
    std::fflush(stdout);
    int Status = std::system(("'" + Micro + "' --benchmark_color=false").c_str());
    std::printf("```\n%s", Status == 0 ? "" : "(bench_micro failed)\n");
  }
  return 0;
}
