// The Helm and kubectl plugins, installed and run by the real helm and kubectl.
#include "IntegrationUtil.h"
#include "SarifValidator.h"

#include <fstream>
#include <map>

using namespace saguard::test;
using nlohmann::json;

namespace {

const std::string Velero = SAGUARD_SHARED_DIR "/corpus/helm/velero";

/// A helm that sees only the temporary plugin, data, config and cache folders of Dir, finds the
/// saguard under test first on PATH, and no cluster.
EnvChanges helmEnv(const ScratchDir &Dir, const std::string &Helm) {
  std::string HelmDir = std::filesystem::path(Helm).parent_path().string();
  return {{"PATH", std::string(SAGUARD_BIN_DIR) + ":" + HelmDir + ":/usr/bin:/bin"},
          {"HELM_PLUGINS", Dir / "plugins"},
          {"HELM_DATA_HOME", Dir / "data"},
          {"HELM_CONFIG_HOME", Dir / "config"},
          {"HELM_CACHE_HOME", Dir / "cache"},
          {"KUBECONFIG", Dir / "no-kubeconfig"},
          {"HELM_BIN", std::nullopt},
          {"HELM_NAMESPACE", std::nullopt},
          {"HELM_KUBECONTEXT", std::nullopt},
          {"SAGUARD_BIN", std::nullopt}};
}

void installPlugin(const std::string &Helm, const EnvChanges &Env, const std::string &Source) {
  Outcome Install = run({Helm, "plugin", "install", Source}, Env);
  ASSERT_EQ(Install.Exit, 0) << Install.Out << Install.Err;
  // The install hook found the binary under test.
  EXPECT_NE(Install.Out.find("saguard plugin: using " SAGUARD_BIN_DIR), std::string::npos)
      << Install.Out;
  EXPECT_NE(Install.Out.find("Installed plugin: saguard"), std::string::npos) << Install.Out;
  Outcome List = run({Helm, "plugin", "list"}, Env);
  EXPECT_EQ(List.Exit, 0) << List.Err;
  EXPECT_NE(List.Out.find("saguard"), std::string::npos) << List.Out;
}

} // namespace

TEST(HelmPlugin, PrintsTheSameFindingsAsSaguardHelm) {
  std::string Helm = requireTool("helm");
  ASSERT_FALSE(Helm.empty());
  ScratchDir Dir("helm-plugin");
  std::filesystem::create_directories(Dir / "plugins");
  EnvChanges Env = helmEnv(Dir, Helm);
  ASSERT_NO_FATAL_FAILURE(installPlugin(Helm, Env, SAGUARD_SOURCE_DIR "/integrations/helm"));
  std::ofstream(Dir / "values.yaml") << "serviceAccount:\n  server:\n    name: backup-sa\n";

  // helm takes -n out of a plugin's arguments (into HELM_NAMESPACE); the plugin puts it back.
  Outcome ViaHelm = run({Helm, "saguard", Velero, "-f", Dir / "values.yaml", "--set",
                         "rbac.clusterAdministrator=false", "-n", "backup", "--format", "json"},
                        Env);
  Outcome Direct =
      run({SAGUARD_BIN, "helm", Velero, "-f", Dir / "values.yaml", "--set",
           "rbac.clusterAdministrator=false", "--namespace", "backup", "--format", "json"},
          {{"PATH", std::string(SAGUARD_BIN_DIR) + ":" +
                        std::filesystem::path(Helm).parent_path().string() + ":/usr/bin:/bin"},
           {"HELM_BIN", std::nullopt}});
  EXPECT_EQ(ViaHelm.Exit, Direct.Exit) << ViaHelm.Err << Direct.Err;
  EXPECT_EQ(Direct.Exit, 1) << Direct.Err;
  json A = parseJson(ViaHelm.Out), B = parseJson(Direct.Out);
  ASSERT_FALSE(A.is_discarded() || B.is_discarded());
  std::multiset<FindingKey> Keys = findingKeys(A);
  EXPECT_EQ(Keys, findingKeys(B));
  ASSERT_GE(Keys.size(), 2u);
  for (const FindingKey &K : Keys) {
    // -f, --set and -n all reached helm template.
    EXPECT_NE(std::get<0>(K), "SA012") << "--set rbac.clusterAdministrator=false was lost";
    EXPECT_NE(std::get<3>(K).find("/backup/"), std::string::npos) << std::get<3>(K);
  }
  bool NamesTheValuesAccount = false;
  for (const FindingKey &K : Keys)
    NamesTheValuesAccount |= std::get<2>(K).find("'backup-sa'") != std::string::npos;
  EXPECT_TRUE(NamesTheValuesAccount) << "-f values.yaml was lost";

  // The --flag=value forms say the same.
  Outcome Joined = run({Helm, "saguard", Velero, "--values=" + Dir / "values.yaml",
                        "--set=rbac.clusterAdministrator=false", "-n", "backup", "--format",
                        "json"},
                       Env);
  EXPECT_EQ(Joined.Exit, 1) << Joined.Err;
  EXPECT_EQ(findingKeys(parseJson(Joined.Out)), Keys);

  // And at the template lines saguard helm finds: a rule entry, a key in a template helm prints
  // in another order, keys of helper files rendered by `template` after a key and by `include
  // ... | indent 4`.
  const std::string Charts = SAGUARD_SOURCE_DIR "/tests/e2e/fixtures/charts/";
  // Rule, object name -> where the finding is: the file below Charts, line and column.
  std::map<std::pair<std::string, std::string>, std::string> Where;
  for (const char *Chart : {"reordered", "helper-pod"}) {
    Outcome Out = run({Helm, "saguard", "test", Charts + Chart, "--format", "json"}, Env);
    EXPECT_EQ(Out.Exit, 1) << Out.Err;
    json Report = parseJson(Out.Out);
    ASSERT_FALSE(Report.is_discarded()) << Out.Out << Out.Err;
    for (const json &F : Report.at("findings")) {
      std::string File = F["location"].value("file", "");
      size_t At = File.find(Chart);
      Where[{F.value("ruleId", ""), F["object"].value("name", "")}] =
          (At == std::string::npos ? File : File.substr(At)) + ":" +
          std::to_string(F["location"].value("line", 0)) + ":" +
          std::to_string(F["location"].value("column", 0));
    }
  }
  EXPECT_EQ((Where[{"SA007", "test-reordered-writer"}]), "reordered/templates/rbac.yaml:55:5");
  EXPECT_EQ((Where[{"SA005", "test-reordered"}]), "reordered/templates/rbac.yaml:41:7");
  EXPECT_EQ((Where[{"SA001", "test-web"}]), "helper-pod/templates/_podtemplate.tpl:6:7");
  EXPECT_EQ((Where[{"SA001", "test-job"}]), "helper-pod/templates/_podtemplate.tpl:14:3");
}

TEST(HelmPlugin, HelpSarifAndRules) {
  std::string Helm = requireTool("helm");
  ASSERT_FALSE(Helm.empty());
  ScratchDir Dir("helm-plugin-help");
  std::filesystem::create_directories(Dir / "plugins");
  EnvChanges Env = helmEnv(Dir, Helm);
  ASSERT_NO_FATAL_FAILURE(installPlugin(Helm, Env, SAGUARD_SOURCE_DIR "/integrations/helm"));

  Outcome Help = run({Helm, "saguard", "--help"}, Env);
  EXPECT_EQ(Help.Exit, 0) << Help.Err;
  Outcome Own = run({SAGUARD_BIN, "helm", "--help"});
  EXPECT_NE(Help.Out.find("[NAME] CHART"), std::string::npos) << Help.Out;
  EXPECT_NE(Help.Out.find("--values"), std::string::npos) << Help.Out;
  // The same text, but for the program name in the usage line.
  EXPECT_EQ(Help.Out.substr(Help.Out.find("Positionals:")),
            Own.Out.substr(Own.Out.find("Positionals:")));

  Outcome Rules = run({Helm, "saguard", "rules", "SA005"}, Env);
  EXPECT_EQ(Rules.Exit, 0) << Rules.Err;
  EXPECT_NE(Rules.Out.find("SA005"), std::string::npos);

  requireSarifValidator();
  Outcome Sarif = run({Helm, "saguard", Velero, "--format", "sarif", "-o", Dir / "out.sarif"}, Env);
  EXPECT_EQ(Sarif.Exit, 1) << Sarif.Err;
  std::ifstream In(Dir / "out.sarif");
  std::string Text((std::istreambuf_iterator<char>(In)), std::istreambuf_iterator<char>());
  CommandOutcome Valid = validateSarif(Text, "helm-plugin.sarif");
  EXPECT_EQ(Valid.Status, 0) << Valid.Output;
  json Log = parseJson(Text);
  EXPECT_FALSE(Log.at("runs").at(0).at("results").empty());
}

TEST(HelmPlugin, InstallsFromTheRepositoryRoot) {
  std::string Helm = requireTool("helm");
  ASSERT_FALSE(Helm.empty());
  ScratchDir Dir("helm-plugin-root");
  std::filesystem::create_directories(Dir / "plugins");
  EnvChanges Env = helmEnv(Dir, Helm);
  ASSERT_NO_FATAL_FAILURE(installPlugin(Helm, Env, SAGUARD_SOURCE_DIR));
  Outcome Help = run({Helm, "saguard", "--help"}, Env);
  EXPECT_EQ(Help.Exit, 0) << Help.Err;
  EXPECT_NE(Help.Out.find("[NAME] CHART"), std::string::npos) << Help.Out;
  Outcome Scan = run({Helm, "saguard", Velero, "--format", "gcc"}, Env);
  EXPECT_EQ(Scan.Exit, 1) << Scan.Err;
  EXPECT_NE(Scan.Out.find("[SA005]"), std::string::npos) << Scan.Out;
}

TEST(KubectlPlugin, KubectlFindsAndRunsIt) {
  std::string Kubectl = requireTool("kubectl");
  ASSERT_FALSE(Kubectl.empty());
  EnvChanges Env = {{"PATH", std::string(SAGUARD_SOURCE_DIR "/integrations/kubectl:") +
                                 SAGUARD_BIN_DIR + ":/usr/bin:/bin"},
                    {"SAGUARD_BIN", std::nullopt},
                    {"KUBECONFIG", "/nonexistent/kubeconfig"}};
  Outcome Rules = run({Kubectl, "saguard", "rules"}, Env);
  EXPECT_EQ(Rules.Exit, 0) << Rules.Err;
  EXPECT_NE(Rules.Out.find("SA001  default-sa-token-automount"), std::string::npos) << Rules.Out;

  Outcome List = run({Kubectl, "plugin", "list"}, Env);
  EXPECT_NE(List.Out.find("integrations/kubectl/kubectl-saguard"), std::string::npos)
      << List.Out << List.Err;
  EXPECT_EQ(List.Err.find("warning"), std::string::npos) << List.Err; // e.g. not executable

  // kubectl passes every argument through, exit status included.
  Outcome Scan = run({Kubectl, "saguard", "scan", "tests/cli/fixtures/automount.yaml", "--format",
                      "gcc", "--enable", "SA001"},
                     Env);
  EXPECT_EQ(Scan.Exit, 1) << Scan.Err;
  EXPECT_NE(Scan.Out.find("tests/cli/fixtures/automount.yaml:17:5: error:"), std::string::npos)
      << Scan.Out;

  // -n, as kubectl users type it: the namespace of objects that name none.
  ScratchDir Dir("kubectl-plugin");
  std::ofstream(Dir / "pod.yaml") << "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
                                     "spec: {containers: [{name: a, image: b}]}\n";
  Outcome Namespaced = run({Kubectl, "saguard", "scan", Dir / "pod.yaml", "-n", "team-a",
                            "--format", "gcc", "--enable", "SA001"},
                           Env);
  EXPECT_EQ(Namespaced.Exit, 1) << Namespaced.Err;
  EXPECT_NE(Namespaced.Out.find("Pod 'p' in namespace 'team-a'"), std::string::npos)
      << Namespaced.Out;
}
