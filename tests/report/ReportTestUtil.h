//===- ReportTestUtil.h - hand-made findings for reporter tests -*- C++ -*-===//
#pragma once

#include "saguard/report/Report.h"

#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace saguard::report::test {

using analysis::Finding;
using analysis::Level;

/// The repository root the fixtures' files lie under (need not exist).
inline const std::string Root = "/repo";

inline constexpr std::string_view SA001Help = R"(# SA001 default-sa-token-automount

**Level:** error

## What

A Pod-bearing object runs as its namespace's `default` ServiceAccount,
and the account's API token is **mounted** into it (see [the docs](https://kubernetes.io/docs)).

A second paragraph that is not part of the description.

## Why

Because.

```yaml
automountServiceAccountToken: false
```
)";

/// A small rule table in the shape of allRules(): ruleIndex is the position.
inline const std::vector<analysis::RuleInfo> &testRules() {
  static const std::vector<analysis::RuleInfo> Rules = {
      {"SA001", "default-sa-token-automount", Level::Error,
       "Pod runs as the default ServiceAccount with its API token mounted", SA001Help, nullptr},
      {"SA004", "default-sa-rbac-binding", Level::Error,
       "A binding grants a role to a default ServiceAccount", "", nullptr},
      {"SA005", "token-grants-dangerous-access", Level::Error,
       "A Pod's token grants dangerous access", "# SA005\n\n## What\n\nDangerous.\n", nullptr},
      {"SA007", "wildcard-rbac-rule", Level::Warning, "A Role rule uses a wildcard", "", nullptr},
      {"SA010", "unknown-service-account", Level::Note, "A Pod's ServiceAccount is not in the set",
       "", nullptr},
  };
  return Rules;
}

/// Findings, errors and files of a small scan of one chart.
struct Fixture {
  std::unique_ptr<FileTable> Files = std::make_unique<FileTable>();
  FileId Deployment = Files->intern(Root + "/charts/web/templates/deployment.yaml");
  FileId Values = Files->intern(Root + "/charts/web/values.yaml");
  FileId Rbac = Files->intern(Root + "/charts/web/templates/rbac.yaml");
  FileId Broken = Files->intern(Root + "/charts/web/templates/broken.yaml");
  ReportData Data;

  Fixture() {
    Data.Files = Files.get();
    Data.Rules = testRules();
    Data.SrcRoot = Root;
    Data.Targets = {Root + "/charts/web"};
    Data.ToolVersion = "0.1.0";
    Data.AutomationId = "saguard/charts-web/";
  }

  static SourceRange range(FileId File, unsigned Line, unsigned Column, unsigned EndColumn) {
    return {File, {Line, Column}, {Line, EndColumn}};
  }

  Finding &add(std::string RuleId, Level L, std::string Kind, std::string Namespace,
               std::string Name, SourceRange Primary, std::string Message) {
    Finding F;
    F.RuleId = std::move(RuleId);
    for (const analysis::RuleInfo &R : testRules())
      if (R.Id == F.RuleId)
        F.RuleName = std::string(R.Name);
    F.Severity = L;
    F.Object = {Kind == "Deployment" ? "apps/v1" : "rbac.authorization.k8s.io/v1", Kind, Namespace,
                Name};
    F.Primary = Primary;
    F.Message = std::move(Message);
    F.KeyPath = "spec.template.spec";
    F.Target = Root + "/charts/web";
    Data.Findings.push_back(std::move(F));
    return Data.Findings.back();
  }

  /// Two errors, one warning, one note and one suppressed finding on four objects, with related
  /// notes, a privilege path, a fix and one input error.
  static Fixture typical() {
    Fixture X;
    Finding &Token =
        X.add("SA001", Level::Error, "Deployment", "shop", "web", range(X.Deployment, 12, 7, 19),
              "deployment 'web' in namespace 'shop' mounts the API token of "
              "ServiceAccount 'default'");
    Token.KeyPath = "spec.template.spec.automountServiceAccountToken";
    Token.Related = {{range(X.Values, 3, 1, 20), "automount comes from serviceAccount.automount"}};
    Token.Fixes = {{"opt out of the token", range(X.Deployment, 12, 7, 7),
                    "automountServiceAccountToken: false\n      "}};

    Finding &Access =
        X.add("SA005", Level::Error, "Deployment", "shop", "web", range(X.Deployment, 20, 9, 30),
              "deployment 'web' can read Secrets [all of them]");
    Access.KeyPath = "spec.template.spec.serviceAccountName";
    Access.Flow = {{range(X.Deployment, 20, 9, 30), "Deployment 'web' runs as 'api'"},
                   {range(X.Rbac, 14, 3, 10), "RoleBinding 'api' binds it to Role 'reader'"},
                   {range(X.Rbac, 5, 3, 20), "Role 'reader'"},
                   {range(X.Rbac, 7, 5, 30), "rule allows get, list on secrets"}};

    X.add("SA007", Level::Warning, "Role", "shop", "reader", range(X.Rbac, 8, 14, 17),
          "role 'reader' in namespace 'shop' allows '*' in verbs")
        .KeyPath = "rules.0.verbs";
    X.add("SA010", Level::Note, "Deployment", "shop", "api", range(X.Deployment, 40, 7, 30),
          "deployment 'api' runs as ServiceAccount 'ghost', which is not in the set");
    Finding &Quiet =
        X.add("SA004", Level::Error, "RoleBinding", "shop", "legacy", range(X.Rbac, 30, 3, 12),
              "rolebinding 'legacy' grants Role 'reader' to ServiceAccount 'default'");
    Quiet.Suppressed = analysis::Suppression{"legacy job, token revoked by admission policy"};

    X.Data.Errors = {{"document 2 is not YAML: mapping values are not allowed here",
                      range(X.Broken, 4, 9, 10), Root + "/charts/web"}};
    return X;
  }
};

/// Writes Data in Format, failing the test when the format is unknown.
inline std::string render(std::string_view Format, const ReportData &Data,
                          ReporterOptions Options = {}) {
  auto R = createReporter(Format, Options);
  if (!R) {
    ADD_FAILURE() << llvm::toString(R.takeError());
    return "";
  }
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  (*R)->write(Data, OS);
  OS.flush();
  return Out;
}

/// The lines of Text, without the final empty one.
inline std::vector<std::string> lines(const std::string &Text) {
  std::vector<std::string> Out;
  std::size_t Start = 0;
  while (Start < Text.size()) {
    std::size_t End = Text.find('\n', Start);
    if (End == std::string::npos)
      End = Text.size();
    Out.push_back(Text.substr(Start, End - Start));
    Start = End + 1;
  }
  return Out;
}

} // namespace saguard::report::test
