#include "saguard/origin/SourceMap.h"

#include "saguard/model/Loader.h"
#include "saguard/model/Origin.h"
#include "saguard/render/DocumentSplitter.h"
#include "saguard/render/Renderer.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

using namespace saguard;
using namespace saguard::model;
using namespace saguard::origin;
namespace stdfs = std::filesystem;

namespace {

/// A temporary directory, removed with its files at the end of the test.
class TempDir {
public:
  TempDir() {
    llvm::SmallString<128> P;
    EXPECT_FALSE(llvm::sys::fs::createUniqueDirectory("saguard-sourcemap", P));
    Root = P.str().str();
  }
  ~TempDir() { stdfs::remove_all(Root); }
  /// Writes Text to Rel below the root, creating directories; returns the full path.
  std::string write(const std::string &Rel, const std::string &Text) const {
    stdfs::path P = stdfs::path(Root) / Rel;
    stdfs::create_directories(P.parent_path());
    std::ofstream(P) << Text;
    return P.string();
  }
  std::string path(const std::string &Rel) const { return (stdfs::path(Root) / Rel).string(); }
  std::string Root;
};

/// Text of 1-based line N of File ("" when there is none).
std::string lineOf(const std::string &File, unsigned N) {
  std::ifstream In(File);
  std::string Line;
  for (unsigned I = 1; std::getline(In, Line); ++I)
    if (I == N)
      return Line;
  return "";
}

/// Splits a rendered stream at `---` lines and loads each document as the driver does.
void loadStream(const std::string &Text, FileId Stream, const std::string &Target,
                std::deque<Object> &Out) {
  LoadOptions Options;
  Options.Target = InternedString::intern(Target);
  Options.KeepUnreadKinds = true; // mapping works for any object, whether rules read it or not
  LoadResult Result;
  std::istringstream In(Text);
  std::string Line;
  DocumentText Doc;
  Doc.Stream = Stream;
  unsigned LineNo = 0;
  auto Flush = [&] {
    if (!Doc.Text.empty())
      loadDocument(Doc, Options, Result);
  };
  while (std::getline(In, Line)) {
    ++LineNo;
    if (Line == "---") {
      Flush();
      Doc = DocumentText();
      Doc.Stream = Stream;
      Doc.FirstLine = LineNo + 1;
      continue;
    }
    if (Doc.Text.empty() && llvm::StringRef(Line).startswith("# Source: "))
      Doc.HelmSource = Line.substr(10);
    Doc.Text += Line + "\n";
  }
  Flush();
  for (const ToolNotification &E : Result.Errors)
    ADD_FAILURE() << "document did not load: " << E.Message;
  for (Object &O : Result.Objects)
    Out.push_back(std::move(O));
}

/// A chart under Dir rendered as Rendered, loaded and registered with a SourceMap as the driver
/// does.
struct RenderedChart {
  FileTable Files;
  std::deque<Object> Objects;
  SourceMap Map{Files};

  RenderedChart(TempDir &Dir, const std::string &Chart, const std::string &Rendered) {
    loadStream(Rendered, Files.intern(Chart + " (helm template output)"), Dir.path(Chart),
               Objects);
    Map.add(SourceTree::helm({Dir.path(Chart), Dir.path(Chart), {}, {}}));
    Map.addObjects(Objects);
  }
};

/// Chart `c` in a folder of its own with the one template templates/Template (and values.yaml
/// when Values is not empty), rendered as Docs: the template's documents as helm writes them,
/// less the `# Source:` line before each.
struct OneTemplateChart {
  OneTemplateChart(const std::string &Template, const std::string &Text, const std::string &Docs,
                   const std::string &Values = "")
      : R(write(Dir, Template, Text, Values), "c", sourced(Template, Docs)) {}

  /// Where Range of the render begins in the chart; a failure and no position when nowhere.
  SourcePos mappedBegin(SourceRange Range) const {
    std::optional<SourceMap::Mapped> M = R.Map.map(Range);
    EXPECT_TRUE(M) << "line " << Range.Begin.Line << " is not mapped";
    return M ? M->Range.Begin : SourcePos{};
  }

  TempDir Dir;
  RenderedChart R;

private:
  static TempDir &write(TempDir &Dir, const std::string &Template, const std::string &Text,
                        const std::string &Values) {
    Dir.write("c/Chart.yaml", "name: c\n");
    if (!Values.empty())
      Dir.write("c/values.yaml", Values);
    Dir.write("c/templates/" + Template, Text);
    return Dir;
  }
  static std::string sourced(const std::string &Template, const std::string &Docs) {
    std::string Header = "---\n# Source: c/templates/" + Template + "\n", Out = Header + Docs;
    for (size_t At = Out.find("\n---\n"); At != std::string::npos;
         At = Out.find("\n---\n", At + Header.size()))
      Out.replace(At + 1, 4, Header);
    return Out;
  }
};


const Object &find(const std::deque<Object> &Objects, llvm::StringRef Kind, llvm::StringRef Name) {
  for (const Object &O : Objects)
    if (O.Ref.Kind == Kind && O.Ref.Name == Name)
      return O;
  ADD_FAILURE() << "no " << Kind.str() << " " << Name.str();
  return Objects.front();
}

/// The notes of M as "file:line message" strings, file names relative to Root.
std::vector<std::string> notes(const SourceMap::Mapped &M, const FileTable &Files,
                               const std::string &Root) {
  std::vector<std::string> Out;
  for (const auto &[Range, Message] : M.Related) {
    std::string P = Files.path(Range.File);
    if (llvm::StringRef(P).startswith(Root + "/"))
      P = P.substr(Root.size() + 1);
    Out.push_back(P + ":" + std::to_string(Range.Begin.Line) + " " + Message);
  }
  return Out;
}

//===----------------------------------------------------------------------===//
// helm
//===----------------------------------------------------------------------===//

const char *HelpersTpl = R"({{- define "web.fullname" -}}
{{- default .Release.Name .Values.fullnameOverride }}
{{- end }}

{{- define "web.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "web.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "web.podSpec" -}}
serviceAccountName: {{ include "web.serviceAccountName" . }}
automountServiceAccountToken: {{ $.Values.pod.automount }}
containers:
  - name: app
    image: nginx
{{- end }}
)";

const char *ValuesYaml = R"(fullnameOverride: ""
serviceAccount:
  # Whether to create one
  create: true
  automount: true
  name: ""
pod:
  settings:
    automount: false
  automount: true
)";

const char *ServiceAccountTpl = R"({{- if .Values.serviceAccount.create -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "web.serviceAccountName" . }}
automountServiceAccountToken: {{ .Values.serviceAccount.automount }}
{{- end }}
)";

const char *DeploymentTpl = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "web.fullname" . }}
spec:
  template:
    metadata:
      name: pod
    spec:
      serviceAccountName: {{ include "web.serviceAccountName" . }}
      {{- with .Values.pod.settings }}
      automountServiceAccountToken: {{ .automount }}
      {{- end }}
      containers:
        - name: app
          image: nginx
)";

/// A chart in the style of `helm create`, and what `helm template test` renders from it.
struct HelmFixture {
  TempDir Dir;
  std::string Chart;
  FileTable Files;
  FileId Stream;
  std::deque<Object> Objects;
  std::unique_ptr<SourceMap> Map;

  explicit HelmFixture(std::vector<std::string> ValuesFiles = {},
                       std::vector<std::string> SetKeys = {}) {
    Chart = Dir.write("web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 0.1.0\n");
    Chart = Dir.path("web");
    Dir.write("web/values.yaml", ValuesYaml);
    Dir.write("web/templates/_helpers.tpl", HelpersTpl);
    Dir.write("web/templates/serviceaccount.yaml", ServiceAccountTpl);
    Dir.write("web/templates/deployment.yaml", DeploymentTpl);
    Dir.write("web/templates/pod.yaml", R"(apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}-pod
spec:
  {{- include "web.podSpec" . | nindent 2 }}
)");
    Stream = Files.intern("web (helm template output)");
    loadStream(R"(---
# Source: web/templates/serviceaccount.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: test
automountServiceAccountToken: true
---
# Source: web/templates/pod.yaml
apiVersion: v1
kind: Pod
metadata:
  name: test-pod
spec:
  serviceAccountName: test
  automountServiceAccountToken: true
  containers:
    - name: app
      image: nginx
---
# Source: web/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: test
spec:
  template:
    metadata:
      name: pod
    spec:
      serviceAccountName: test
      automountServiceAccountToken: false
      containers:
        - name: app
          image: nginx
)",
               Stream, Chart, Objects);
    Map = std::make_unique<SourceMap>(Files);
    for (std::string &F : ValuesFiles)
      F = Dir.path(F);
    Map->add(SourceTree::helm({Chart, Chart, ValuesFiles, SetKeys}));
    Map->addObjects(Objects);
  }
  std::string file(const SourceMap::Mapped &M) const {
    return Files.path(M.Range.File).substr(Dir.Root.size() + 1);
  }
};

TEST(SourceMap, HelmKeyLineAndValuesKey) {
  HelmFixture F;
  const Object &SA = find(F.Objects, "ServiceAccount", "test");
  auto M = F.Map->map(SA.Account->AutomountServiceAccountToken.Range);
  ASSERT_TRUE(M);
  EXPECT_EQ(F.file(*M), "web/templates/serviceaccount.yaml");
  EXPECT_EQ(M->Range.Begin, (SourcePos{6, 1}));
  EXPECT_EQ(M->Range.End.Line, 6u);
  EXPECT_EQ(notes(*M, F.Files, F.Dir.Root),
            (std::vector<std::string>{
                "web/values.yaml:5 value serviceAccount.automount in values.yaml",
                "web (helm template output):7 rendered at line 7 of `helm template` output"}));
}

TEST(SourceMap, HelmHelperIncludeGivesItsValues) {
  HelmFixture F;
  const Object &D = find(F.Objects, "Deployment", "test");
  auto M = F.Map->map(D.Pod->ServiceAccountName.Range);
  ASSERT_TRUE(M);
  EXPECT_EQ(F.file(*M), "web/templates/deployment.yaml");
  EXPECT_EQ(M->Range.Begin, (SourcePos{10, 7}));
  std::vector<std::string> N = notes(*M, F.Files, F.Dir.Root);
  ASSERT_EQ(N.size(), 3u);
  EXPECT_EQ(N[0], "web/values.yaml:4 value serviceAccount.create in values.yaml");
  EXPECT_EQ(N[1], "web/values.yaml:6 value serviceAccount.name in values.yaml");
}

TEST(SourceMap, HelmWithBlockDotIsTheValuesKey) {
  HelmFixture F;
  const Object &D = find(F.Objects, "Deployment", "test");
  auto M = F.Map->map(D.Pod->AutomountServiceAccountToken.Range);
  ASSERT_TRUE(M);
  EXPECT_EQ(M->Range.Begin, (SourcePos{12, 7}));
  std::vector<std::string> N = notes(*M, F.Files, F.Dir.Root);
  ASSERT_FALSE(N.empty());
  EXPECT_EQ(N[0], "web/values.yaml:9 value pod.settings.automount in values.yaml");
}

TEST(SourceMap, HelmKeyWrittenByIncludedHelper) {
  HelmFixture F;
  const Object &Pod = find(F.Objects, "Pod", "test-pod");
  auto M = F.Map->map(Pod.Pod->AutomountServiceAccountToken.Range);
  ASSERT_TRUE(M);
  EXPECT_EQ(F.file(*M), "web/templates/_helpers.tpl");
  EXPECT_EQ(M->Range.Begin, (SourcePos{15, 1}));
  std::vector<std::string> N = notes(*M, F.Files, F.Dir.Root);
  ASSERT_FALSE(N.empty());
  EXPECT_EQ(N[0], "web/values.yaml:10 value pod.automount in values.yaml");
}

TEST(SourceMap, HelmObjectAndSpecKeys) {
  HelmFixture F;
  const Object &D = find(F.Objects, "Deployment", "test");
  auto First = F.Map->map(D.Range);
  ASSERT_TRUE(First);
  EXPECT_EQ(First->Range.Begin, (SourcePos{1, 1}));
  auto Spec = F.Map->map(D.Pod->SpecKey.Range);
  ASSERT_TRUE(Spec);
  EXPECT_EQ(Spec->Range.Begin, (SourcePos{9, 5})) << "the pod spec, not the Deployment spec";
  // The ServiceAccount document starts after `{{- if ... -}}`.
  auto SA = F.Map->map(find(F.Objects, "ServiceAccount", "test").Range);
  ASSERT_TRUE(SA);
  EXPECT_EQ(SA->Range.Begin, (SourcePos{2, 1}));
}

TEST(SourceMap, HelmValuesFileThatSetsTheKeyWins) {
  TempDir Extra;
  HelmFixture Probe;
  std::string A = Probe.Dir.write("a.yaml", "serviceAccount:\n  automount: false\n");
  std::string B = Probe.Dir.write("b.yaml", "other: 1\n");
  HelmFixture F({}, {"serviceAccount.automount"});
  auto M = F.Map->map(
      find(F.Objects, "ServiceAccount", "test").Account->AutomountServiceAccountToken.Range);
  ASSERT_TRUE(M);
  EXPECT_EQ(notes(*M, F.Files, F.Dir.Root)[0],
            "web/values.yaml:5 value serviceAccount.automount in values.yaml (overridden by "
            "--set)");

  // -f files: the last one that sets the key wins; one that does not set it is skipped.
  SourceMap Map(Probe.Files);
  Map.add(SourceTree::helm({Probe.Chart, Probe.Chart, {A, B}, {}}));
  Map.addObjects(Probe.Objects);
  auto M2 = Map.map(
      find(Probe.Objects, "ServiceAccount", "test").Account->AutomountServiceAccountToken.Range);
  ASSERT_TRUE(M2);
  EXPECT_EQ(notes(*M2, Probe.Files, Probe.Dir.Root)[0],
            "a.yaml:2 value serviceAccount.automount in a.yaml");
}

TEST(SourceMap, HelmUndecidedBranchesNameEachOther) {
  // Two lines could write the key with the same indentation and parents, and both values keys
  // hold the rendered value: the first, with the other named.
  OneTemplateChart C("pod.yaml", R"(# a comment first
{{- if .Values.a }}
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  {{- if .Values.b }}
  automountServiceAccountToken: {{ .Values.a }}
  {{- else }}
  automountServiceAccountToken: {{ .Values.b }}
  {{- end }}
  containers: []
{{- end }}
)",
                     "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n"
                     "  automountServiceAccountToken: true\n  containers: []\n",
                     "a: true\nb: true\n");
  auto M = C.R.Map.map(C.R.Objects[0].Pod->AutomountServiceAccountToken.Range);
  ASSERT_TRUE(M);
  EXPECT_EQ(M->Range.Begin, (SourcePos{9, 3}));
  EXPECT_EQ(notes(*M, C.R.Files, C.Dir.Root),
            (std::vector<std::string>{
                "c/values.yaml:1 value a in values.yaml",
                "c/templates/pod.yaml:11 or written here: another branch of the template can "
                "render it",
                "c (helm template output):8 rendered at line 8 of `helm template` output"}));
}

TEST(SourceMap, HelmBranchWhoseValuesKeyHoldsTheValue) {
  // crossplane's two spellings of one key: the values key is empty, so the other branch wrote it.
  OneTemplateChart C("pod.yaml", R"(apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  {{- if .Values.serviceAccount.name }}
  serviceAccountName: {{ .Values.serviceAccount.name }}
  {{- else }}
  serviceAccountName: {{ template "c.name" . }}
  {{- end }}
)",
                     "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n"
                     "  serviceAccountName: c\n",
                     "serviceAccount:\n  name: \"\"\n");
  auto M = C.R.Map.map(C.R.Objects[0].Pod->ServiceAccountName.Range);
  ASSERT_TRUE(M);
  EXPECT_EQ(M->Range.Begin, (SourcePos{9, 3}));
  EXPECT_EQ(M->Related.size(), 1u) << "one branch is certain: only the rendered position";
}

TEST(SourceMap, HelmLiteralValueTellsLinesApart) {
  OneTemplateChart C("pod.yaml", R"(apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  {{- if .Values.b }}
  automountServiceAccountToken: true
  {{- else }}
  automountServiceAccountToken: false
  {{- end }}
  containers: []
)",
                     "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n"
                     "  automountServiceAccountToken: false\n  containers: []\n");
  EXPECT_EQ(C.mappedBegin(C.R.Objects[0].Pod->AutomountServiceAccountToken.Range),
            (SourcePos{9, 3}));
}

TEST(SourceMap, HelmSegmentsByKindAndName) {
  OneTemplateChart C("rbac.yaml", R"(apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ .Release.Name }}-a
automountServiceAccountToken: true
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ .Release.Name }}-b
automountServiceAccountToken: true
)",
                     "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: test-b\n"
                     "automountServiceAccountToken: true\n");
  EXPECT_EQ(C.mappedBegin(C.R.Objects[0].Account->AutomountServiceAccountToken.Range),
            (SourcePos{11, 1}));
}

TEST(SourceMap, HelmEqualNamesTakeTheWrittenOrder) {
  OneTemplateChart C("sa.yaml", R"(# A licence comment: no object starts here.
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "c.name" . }}
  namespace: a
automountServiceAccountToken: true
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "c.name" . }}
  namespace: b
automountServiceAccountToken: true
)",
                     "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: x\n  namespace: a\n"
                     "automountServiceAccountToken: true\n---\napiVersion: v1\nkind: ServiceAccount\n"
                     "metadata:\n  name: x\n  namespace: b\nautomountServiceAccountToken: true\n");
  EXPECT_EQ(C.mappedBegin(C.R.Objects[0].Account->AutomountServiceAccountToken.Range),
            (SourcePos{7, 1}));
  EXPECT_EQ(C.mappedBegin(C.R.Objects[1].Account->AutomountServiceAccountToken.Range),
            (SourcePos{14, 1}));
}

TEST(SourceMap, HelmItemsOfAListDocumentAreTheirOwnObjects) {
  TempDir Dir;
  Dir.write("c/Chart.yaml", "name: c\n");
  Dir.write("c/templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n");
  Dir.write("c/templates/list.yaml", R"(apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ServiceAccount
    metadata:
      name: {{ .Release.Name }}-a
    automountServiceAccountToken: false
  - apiVersion: v1
    kind: ServiceAccount
    metadata:
      name: {{ .Release.Name }}-b
    automountServiceAccountToken: true
)");
  RenderedChart R(Dir, "c",
                  "---\n# Source: c/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\n"
                  "metadata:\n  name: cm\n"
                  "---\n# Source: c/templates/list.yaml\napiVersion: v1\nkind: List\nitems:\n"
                  "  - apiVersion: v1\n    kind: ServiceAccount\n    metadata:\n"
                  "      name: test-a\n    automountServiceAccountToken: false\n"
                  "  - apiVersion: v1\n    kind: ServiceAccount\n    metadata:\n"
                  "      name: test-b\n    automountServiceAccountToken: true\n");
  // Each position is looked up among the rendered objects: the document that holds it, and
  // within a List the item that holds it (the List's own header lines go with its first item).
  // FIXME: keys inside List items are not matched to template lines yet, so these land on the
  // template's first line; assert the exact lines once the template matcher reads List items.
  const Object &CM = find(R.Objects, "ConfigMap", "cm");
  const Object &A = find(R.Objects, "ServiceAccount", "test-a");
  const Object &B = find(R.Objects, "ServiceAccount", "test-b");
  SourceRange Header{A.Range.File, {A.DocumentFirstLine, 1}, {A.DocumentFirstLine, 2}};
  for (SourceRange At : {A.Account->AutomountServiceAccountToken.Range,
                         B.Account->AutomountServiceAccountToken.Range, Header}) {
    auto M = R.Map.map(At);
    ASSERT_TRUE(M) << "line " << At.Begin.Line;
    EXPECT_EQ(R.Files.path(M->Range.File), Dir.path("c/templates/list.yaml"));
  }
  auto M = R.Map.map(CM.Range);
  ASSERT_TRUE(M);
  EXPECT_EQ(R.Files.path(M->Range.File), Dir.path("c/templates/cm.yaml"));
}

TEST(SourceMap, HelmSubchartByAliasAndParentValues) {
  TempDir Dir;
  Dir.write("p/Chart.yaml", "name: parent\ndependencies:\n  - name: sub\n    alias: db\n"
                            "  - name: packed\n");
  Dir.write("p/values.yaml", "db:\n  automount: true\n");
  Dir.write("p/charts/sub-dir/Chart.yaml", "name: sub\n");
  Dir.write("p/charts/sub-dir/values.yaml", "automount: false\nname: x\n");
  Dir.write("p/charts/sub-dir/templates/sa.yaml",
            "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {{ .Values.name }}\n"
            "automountServiceAccountToken: {{ .Values.automount }}\n");
  RenderedChart R(Dir, "p",
                  "---\n# Source: parent/charts/db/templates/sa.yaml\napiVersion: v1\nkind: "
                  "ServiceAccount\nmetadata:\n  name: x\nautomountServiceAccountToken: true\n"
                  "---\n# Source: parent/charts/packed/templates/sa.yaml\napiVersion: v1\nkind: "
                  "ServiceAccount\nmetadata:\n  name: y\n");
  auto M = R.Map.map(R.Objects[0].Account->AutomountServiceAccountToken.Range);
  ASSERT_TRUE(M);
  EXPECT_EQ(R.Files.path(M->Range.File), Dir.path("p/charts/sub-dir/templates/sa.yaml"));
  EXPECT_EQ(M->Range.Begin, (SourcePos{5, 1}));
  EXPECT_EQ(notes(*M, R.Files, Dir.Root)[0], "p/values.yaml:2 value db.automount in values.yaml")
      << "the parent's db.automount overrides the subchart's own automount";
  auto Name = R.Map.map(R.Objects[0].Meta.Name.Range);
  ASSERT_TRUE(Name);
  EXPECT_EQ(notes(*Name, R.Files, Dir.Root)[0],
            "p/charts/sub-dir/values.yaml:2 value name in values.yaml");

  // A packaged subchart has no template file: its dependency entry in Chart.yaml.
  auto Packed = R.Map.map(R.Objects[1].Range);
  ASSERT_TRUE(Packed);
  EXPECT_EQ(R.Files.path(Packed->Range.File), Dir.path("p/Chart.yaml"));
  EXPECT_EQ(Packed->Range.Begin, (SourcePos{5, 5}));
}

TEST(SourceMap, HelmRuleEntryByItsLiteralText) {
  OneTemplateChart C("role.yaml", R"(apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: r
rules:
  - apiGroups: [""]
    resources: ["configmaps"]
    verbs: ["get"]
  {{- if .Values.secrets }}
  - apiGroups:
      - ""
    resources:
      - secrets
    verbs: ["get", "list"]
  {{- end }}
  - apiGroups: ["apps"]
    resources: ["deployments"]
    verbs: ["*"]
)",
                     // The `if` left the secrets rule out: the second rule is the template's third.
                     "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n"
                     "  name: r\nrules:\n  - apiGroups: [\"\"]\n    resources: [\"configmaps\"]\n"
                     "    verbs: [\"get\"]\n  - apiGroups: [\"apps\"]\n"
                     "    resources: [\"deployments\"]\n    verbs: [\"*\"]\n");
  const Object &Role = C.R.Objects[0];
  ASSERT_EQ(Role.Role->Rules.size(), 2u);
  EXPECT_EQ(C.mappedBegin(Role.Role->Rules[0].Range), (SourcePos{6, 5}));
  EXPECT_EQ(C.mappedBegin(Role.Role->Rules[1].Range), (SourcePos{16, 5}));
  // A rule's own list: the key inside the entry.
  EXPECT_EQ(C.mappedBegin(Role.Role->Rules[1].Verbs[0].Range), (SourcePos{18, 5}));
}

TEST(SourceMap, HelmRuleEntryFromAValuesList) {
  OneTemplateChart C("role.yaml", R"(apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: r
rules:
  {{- toYaml .Values.rbac.rules | nindent 2 }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: r
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: r
subjects:
  {{- tpl .Values.rbac.subjects . | nindent 2 }}
)",
                     "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: r\n"
                     "rules:\n  - apiGroups: [\"\"]\n    resources: [\"pods\"]\n    verbs: [\"get\"]\n"
                     "  - apiGroups: [\"\"]\n    resources: [\"secrets\"]\n    verbs: [\"get\"]\n---\n"
                     "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n"
                     "  name: r\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n"
                     "  name: r\nsubjects:\n  - kind: Group\n    name: system:authenticated\n",
                     R"(rbac:
  rules:
    - apiGroups: [""]
      resources: ["pods"]
      verbs: ["get"]
    - apiGroups: [""]
      resources: ["secrets"]
      verbs: ["get"]
  subjects: |
    - kind: Group
      name: system:authenticated
)");
  const Object &Role = find(C.R.Objects, "Role", "r");
  auto M = C.R.Map.map(Role.Role->Rules[1].Range);
  ASSERT_TRUE(M);
  EXPECT_EQ(C.R.Files.path(M->Range.File), C.Dir.path("c/values.yaml"));
  EXPECT_EQ(M->Range.Begin, (SourcePos{6, 7}));
  EXPECT_EQ(notes(*M, C.R.Files, C.Dir.Root)[0],
            "c/templates/role.yaml:5 rendered into the template here");
  // A list written as text in a block scalar, rendered with tpl: the entry inside the text.
  const Object &Binding = find(C.R.Objects, "RoleBinding", "r");
  auto S = C.R.Map.map(Binding.Binding->Subjects[0].Range);
  ASSERT_TRUE(S);
  EXPECT_EQ(C.R.Files.path(S->Range.File), C.Dir.path("c/values.yaml"));
  EXPECT_EQ(S->Range.Begin, (SourcePos{10, 7}));
}

TEST(SourceMap, HelmVariableAssignedOnceStandsForItsValue) {
  OneTemplateChart C("sa.yaml", R"({{- $auto := .Values.sa.automount }}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: x
automountServiceAccountToken: {{ $auto }}
)",
                     "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: x\n"
                     "automountServiceAccountToken: true\n",
                     "sa:\n  automount: true\n");
  auto M = C.R.Map.map(C.R.Objects[0].Account->AutomountServiceAccountToken.Range);
  ASSERT_TRUE(M);
  EXPECT_EQ(M->Range.Begin, (SourcePos{6, 1}));
  EXPECT_EQ(notes(*M, C.R.Files, C.Dir.Root)[0],
            "c/values.yaml:2 value sa.automount in values.yaml");
}

TEST(SourceMap, PlainManifestsAreNotMapped) {
  FileTable Files;
  std::deque<Object> Objects;
  loadStream("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: x\n",
             Files.intern("plain.yaml"), "plain.yaml", Objects);
  SourceMap Map(Files);
  Map.addObjects(Objects);
  EXPECT_FALSE(Map.map(Objects[0].Range));
}

//===----------------------------------------------------------------------===//
// kustomize
//===----------------------------------------------------------------------===//

struct KustomizeFixture {
  TempDir Dir;
  FileTable Files;
  std::deque<Object> Objects;
  std::unique_ptr<SourceMap> Map;

  KustomizeFixture() {
    Dir.write("app/base/kustomization.yaml",
              "resources:\n  - deployment.yaml\nconfigMapGenerator:\n  - name: other\n"
              "    literals: [a=b]\n  - name: settings\n    literals: [c=d]\n");
    Dir.write("app/base/deployment.yaml", R"(apiVersion: v1
kind: Service
metadata:
  name: web
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: base
spec:
  template:
    spec:
      serviceAccountName: web
      containers: [{name: app, image: nginx}]
)");
    Dir.write("app/overlays/prod/kustomization.yaml",
              "resources:\n  - ../../base\nnamePrefix: prod-\nnamespace: prod\npatches:\n"
              "  - path: automount.yaml\n  - path: json.yaml\n    target: {kind: Deployment, "
              "name: web}\n");
    Dir.write("app/overlays/prod/automount.yaml",
              "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n"
              "  template:\n    spec:\n      automountServiceAccountToken: true\n");
    Dir.write("app/overlays/prod/json.yaml",
              "- op: replace\n  path: /spec/template/spec/automountServiceAccountToken\n"
              "  value: true\n");
    // What the wrapper build gives: origins relative to the wrapper (here: Dir.Root/wrap).
    loadStream(R"(apiVersion: v1
kind: ConfigMap
metadata:
  annotations:
    config.kubernetes.io/origin: |
      configuredIn: ../app/base/kustomization.yaml
      configuredBy:
        apiVersion: builtin
        kind: ConfigMapGenerator
  name: prod-settings-5g2h7
  namespace: prod
---
apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    config.kubernetes.io/origin: |
      path: ../app/base/deployment.yaml
  name: prod-web
  namespace: prod
spec:
  template:
    spec:
      automountServiceAccountToken: true
      containers:
      - image: nginx
        name: app
      serviceAccountName: web
)",
               Files.intern("app/overlays/prod (kustomize build output)"),
               Dir.path("app/overlays/prod"), Objects);
    Map = std::make_unique<SourceMap>(Files);
    std::string Wrap = Dir.path("wrap");
    Map->add(SourceTree::kustomize(
        {Dir.path("app/overlays/prod"), Dir.path("app/overlays/prod"), [Wrap](std::string_view P) {
           llvm::SmallString<256> Abs(Wrap);
           llvm::sys::path::append(Abs, P);
           llvm::sys::path::remove_dots(Abs, true);
           return Abs.str().str();
         }}));
    Map->addObjects(Objects);
  }
};

TEST(SourceMap, KustomizeKeyInOriginFile) {
  KustomizeFixture F;
  const Object &D = find(F.Objects, "Deployment", "prod-web");
  auto M = F.Map->map(D.Pod->ServiceAccountName.Range);
  ASSERT_TRUE(M);
  EXPECT_EQ(F.Files.path(M->Range.File), F.Dir.path("app/base/deployment.yaml"));
  EXPECT_EQ(M->Range.Begin, (SourcePos{14, 7}));
  EXPECT_TRUE(M->Related.empty()) << "no patch sets serviceAccountName";
}

TEST(SourceMap, KustomizeKeySetByPatches) {
  KustomizeFixture F;
  const Object &D = find(F.Objects, "Deployment", "prod-web");
  auto M = F.Map->map(D.Pod->AutomountServiceAccountToken.Range);
  ASSERT_TRUE(M);
  EXPECT_EQ(F.Files.path(M->Range.File), F.Dir.path("app/base/deployment.yaml"));
  EXPECT_EQ(M->Range.Begin, (SourcePos{6, 1})) << "not in the base: the object's line";
  EXPECT_EQ(notes(*M, F.Files, F.Dir.Root),
            (std::vector<std::string>{"app/overlays/prod/automount.yaml:8 a patch sets "
                                      "spec.template.spec.automountServiceAccountToken here",
                                      "app/overlays/prod/json.yaml:2 a patch sets "
                                      "spec.template.spec.automountServiceAccountToken here"}));
}

TEST(SourceMap, KustomizeChangedValueFallsBackToObjectLine) {
  KustomizeFixture F;
  const Object &D = find(F.Objects, "Deployment", "prod-web");
  auto M = F.Map->map(D.Meta.Namespace.Range);
  ASSERT_TRUE(M);
  EXPECT_EQ(M->Range.Begin, (SourcePos{6, 1})) << "the namespace transformer set 'prod'";
}

TEST(SourceMap, KustomizeGeneratorEntry) {
  KustomizeFixture F;
  const Object &CM = find(F.Objects, "ConfigMap", "prod-settings-5g2h7");
  auto M = F.Map->map(CM.Range);
  ASSERT_TRUE(M);
  EXPECT_EQ(F.Files.path(M->Range.File), F.Dir.path("app/base/kustomization.yaml"));
  EXPECT_EQ(M->Range.Begin, (SourcePos{6, 5}));
}

TEST(SourceMap, OriginAnnotationKeyIsKustomizes) {
  EXPECT_EQ(OriginAnnotationKey, "config.kubernetes.io/origin");
}

//===----------------------------------------------------------------------===//
// the corpus: every key the model located maps to a line that holds it
//===----------------------------------------------------------------------===//

/// What mapping every located key of a corpus item gave.
struct CorpusStats {
  unsigned Keys = 0, AtKeyLine = 0, AtObjectLine = 0;
};

/// Whether Line can be where an object starts (its apiVersion/kind, or a kustomize/helm
/// fallback: a generator entry, a dependency entry).
bool objectLike(llvm::StringRef Line) {
  Line = Line.ltrim(" -");
  return Line.startswith("apiVersion:") || Line.startswith("kind:") || Line.startswith("name:");
}

class CorpusSourceMap : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    std::string Path = std::string(SAGUARD_SOURCE_DIR) +
                       "/.tools/bin:" + (std::getenv("PATH") ? std::getenv("PATH") : "");
    setenv("PATH", Path.c_str(), 1);
  }

  /// Renders R, maps every located key of every object, and checks where each lands.
  void check(const render::Renderer &R, const std::string &Target, bool Helm) {
    FileTable Files;
    FileId Stream = Files.intern(Target + " (rendered)");
    LoadOptions Options;
    Options.Target = InternedString::intern(Target);
    LoadResult Loaded;
    render::DocumentSplitter Splitter(
        Stream, [&](DocumentText Doc) { loadDocument(Doc, Options, Loaded); });
    if (llvm::Error E = render::render(R, Splitter)) {
      GTEST_SKIP() << "cannot render " << Target << ": " << llvm::toString(std::move(E));
    }
    std::deque<Object> Objects = std::move(Loaded.Objects);
    ASSERT_FALSE(Objects.empty());
    // As the driver maps: the tree read ahead (during the render). Lazy reads each file on
    // first use, and must map every key the same way.
    auto Tree = [&] {
      return Helm ? SourceTree::helm({Target, Target, {}, {}})
                  : SourceTree::kustomize({Target, Target, [&R](std::string_view P) {
                      return render::resolveOriginPath(R.target(), P);
                    }});
    };
    SourceMap Map(Files), Lazy(Files);
    SourceTree Ahead = Tree();
    std::atomic<bool> Never{false};
    Ahead.readAhead(Never);
    Map.add(std::move(Ahead));
    Lazy.add(Tree());
    Map.addObjects(Objects);
    Lazy.addObjects(Objects);
    EXPECT_EQ(Map.stableNames(), Lazy.stableNames()) << Target;
    CorpusStats Stats;
    for (const Object &O : Objects) {
      std::vector<std::pair<SourceRange, std::string>> Keys = {{O.Range, ""}};
      if (O.Pod) {
        Keys.push_back({O.Pod->SpecKey.Range, "spec"});
        Keys.push_back({O.Pod->ServiceAccountName.Range, "serviceAccountName"});
        Keys.push_back({O.Pod->AutomountServiceAccountToken.Range, "automountServiceAccountToken"});
      }
      if (O.Account)
        Keys.push_back(
            {O.Account->AutomountServiceAccountToken.Range, "automountServiceAccountToken"});
      if (O.Secret)
        Keys.push_back({O.Secret->Type.Range, "type"});
      if (O.Binding)
        for (const Subject &S : O.Binding->Subjects)
          Keys.push_back({S.Name.Range, "name"});
      for (const auto &[Range, Key] : Keys) {
        if (!Range.isValid())
          continue;
        std::optional<SourceMap::Mapped> M = Map.map(Range);
        ASSERT_TRUE(M) << O.Ref.qualifiedName();
        std::optional<SourceMap::Mapped> L = Lazy.map(Range);
        ASSERT_TRUE(L) << O.Ref.qualifiedName();
        EXPECT_EQ(M->Range, L->Range) << O.Ref.qualifiedName() << " key '" << Key << "'";
        EXPECT_EQ(notes(*M, Files, Target), notes(*L, Files, Target)) << O.Ref.qualifiedName();
        std::string File = Files.path(M->Range.File);
        ASSERT_TRUE(stdfs::is_regular_file(File)) << File;
        std::string Line = lineOf(File, M->Range.Begin.Line);
        ++Stats.Keys;
        if (!Key.empty() && llvm::StringRef(Line).contains(Key + ":")) {
          ++Stats.AtKeyLine;
          continue;
        }
        ++Stats.AtObjectLine;
        EXPECT_TRUE(objectLike(Line) || M->Range.Begin.Line == 1)
            << O.Ref.qualifiedName() << " key '" << Key << "' -> " << File << ":"
            << M->Range.Begin.Line << ": " << Line;
      }
    }
    std::printf("  %s: %u keys, %u at their key line, %u at the object's line\n", Target.c_str(),
                Stats.Keys, Stats.AtKeyLine, Stats.AtObjectLine);
  }
};

TEST_F(CorpusSourceMap, HelmCharts) {
  std::string Dir = std::string(SAGUARD_SHARED_DIR) + "/corpus/helm";
  if (!stdfs::is_directory(Dir))
    GTEST_SKIP() << "no corpus at " << Dir;
  std::vector<std::string> Charts;
  for (const auto &E : stdfs::directory_iterator(Dir))
    Charts.push_back(E.path().string());
  std::sort(Charts.begin(), Charts.end());
  for (const std::string &C : Charts) {
    render::HelmOptions O;
    O.Chart = C;
    O.ReleaseName = "test";
    if (llvm::StringRef(C).endswith("external-dns"))
      O.ExtraArgs = {"--set", "policy=sync"};
    check(render::HelmRenderer(O), C, /*Helm=*/true);
  }
}

TEST_F(CorpusSourceMap, KustomizeOverlays) {
  std::string Dir = std::string(SAGUARD_SHARED_DIR) + "/corpus/kustomize/";
  if (!stdfs::is_directory(Dir))
    GTEST_SKIP() << "no corpus at " << Dir;
  for (const char *Overlay :
       {"argo-cd/cluster-install", "argo-workflows/quick-start/base", "microservices-demo",
        "metrics-server/overlays/release", "podinfo/overlays/production", "descheduler/cronjob",
        "kubebuilder-project-v4/default", "kubeflow-profiles/overlays/kubeflow",
        "kustomize-ldap/overlays/production", "kustomize-multibases"}) {
    render::KustomizeOptions O;
    O.Dir = Dir + Overlay;
    auto R = render::KustomizeRenderer::create(O);
    ASSERT_TRUE(bool(R)) << llvm::toString(R.takeError());
    check(**R, O.Dir, /*Helm=*/false);
  }
}

} // namespace

//===----------------------------------------------------------------------===//
// stable names
//===----------------------------------------------------------------------===//

TEST(SourceMap, ObjectsNamedAtRandomGetTheirOrdinalAmongTheirTemplatesKind) {
  TempDir Dir;
  Dir.write("drawn/Chart.yaml", "apiVersion: v2\nname: drawn\nversion: 0.1.0\n");
  Dir.write("drawn/templates/_helpers.tpl",
            "{{- define \"drawn.suffix\" -}}\n{{ uuidv4 }}\n{{- end }}\n");
  Dir.write("drawn/templates/tests.yaml", R"({{- range .Values.tests }}
---
apiVersion: v1
kind: Pod
metadata:
  name: t-{{ randAlphaNum 5 | lower }}
{{- end }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: c-{{ include "drawn.suffix" . }}
)");
  Dir.write("drawn/templates/literal.yaml", R"(apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}-literal
spec:
  containers:
    - name: {{ randAlpha 3 }}
)");
  RenderedChart C(Dir, "drawn", R"(---
# Source: drawn/templates/literal.yaml
apiVersion: v1
kind: Pod
metadata:
  name: test-literal
---
# Source: drawn/templates/tests.yaml
apiVersion: v1
kind: Pod
metadata:
  name: t-ab1cd
---
# Source: drawn/templates/tests.yaml
apiVersion: v1
kind: Pod
metadata:
  name: t-zz9yx
---
# Source: drawn/templates/tests.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: c-0f4b6a52-0a3e-4f0e-9d2e-3c1b7a9e8d11
)");
  std::map<std::string, std::string> Names;
  for (const auto &[Obj, Name] : C.Map.stableNames())
    Names[Obj->Ref.Kind + "/" + Obj->Ref.Name] = Name;
  // A random container name is no object name; the helper's uuidv4 names the ConfigMap.
  EXPECT_EQ(Names, (std::map<std::string, std::string>{
                       {"Pod/t-ab1cd", "#1"},
                       {"Pod/t-zz9yx", "#2"},
                       {"ConfigMap/c-0f4b6a52-0a3e-4f0e-9d2e-3c1b7a9e8d11", "#1"}}));
}

TEST(SourceMap, GeneratedOverlayObjectsAreCalledByTheirGenerator) {
  TempDir Dir;
  Dir.write("app/kustomization.yaml", "configMapGenerator:\n- name: settings\n  literals: [a=b]\n");
  FileTable Files;
  std::deque<Object> Objects;
  loadStream(R"(apiVersion: v1
kind: ConfigMap
metadata:
  name: settings-7k2f9h8m5t
  annotations:
    config.kubernetes.io/origin: |
      configuredIn: kustomization.yaml
      configuredBy:
        apiVersion: builtin
        kind: ConfigMapGenerator
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: written-by-hand
  annotations:
    config.kubernetes.io/origin: |
      path: cm.yaml
)",
             Files.intern("app (kustomize build output)"), Dir.path("app"), Objects);
  SourceMap Map(Files);
  Map.add(SourceTree::kustomize(
      {Dir.path("app"), Dir.path("app"), [](std::string_view P) { return std::string(P); }}));
  Map.addObjects(Objects);
  std::map<std::string, std::string> Names;
  for (const auto &[Obj, Name] : Map.stableNames())
    Names[Obj->Ref.Name] = Name;
  EXPECT_EQ(Names, (std::map<std::string, std::string>{{"settings-7k2f9h8m5t", "settings"}}));
}
