//===- Renderer.h - helm, kustomize and plain manifests as YAML streams -*- C++ -*-===//
//
// Every input becomes a stream of DocumentTexts: a chart through `helm template`, an overlay
// through `kustomize build` (or `kubectl kustomize`), manifest files as they are. Renderers run
// without a shell and with a time limit; their stdout is split while they still run.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "saguard/render/DocumentSplitter.h"
#include "saguard/support/Document.h"
#include "saguard/support/SourcePos.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace saguard::render {

/// What a path on the command line is.
enum class TargetKind { Helm, Kustomize, Manifests };

/// Classifies Path: a directory with Chart.yaml, or a packaged chart (`.tgz`), is Helm; a
/// directory with kustomization.yaml, kustomization.yml or Kustomization is Kustomize;
/// anything else (files, other directories, `-`) is Manifests.
TargetKind detectTarget(llvm::StringRef Path);

/// Settings common to all renderers.
struct RenderOptions {
  /// Time limit of one render; on expiry the renderer's process group is killed.
  std::chrono::milliseconds Timeout{120000};
  /// Time between SIGTERM and SIGKILL on a timeout.
  std::chrono::milliseconds KillGrace{2000};
  /// Changes to the renderer's environment (a value sets, std::nullopt removes).
  std::vector<std::pair<std::string, std::optional<std::string>>> Env;
  /// Sees every chunk of the renderer's output before the splitter does (to keep the render).
  std::function<void(std::string_view Chunk)> OnOutput;
  /// Called when what the renderer wrote so far went to the splitter and reading waits for
  /// more: a consumer that batches documents starts on those it has.
  std::function<void()> OnWait;
};

/// A chart or overlay being rendered, with what is needed to map the output back to files.
struct RenderTarget {
  /// Which tool renders it.
  TargetKind Kind = TargetKind::Manifests;
  /// The chart or overlay as the user named it.
  std::string Path;
  /// Kustomize: the absolute directory that relative `path`/`configuredIn` values of
  /// `config.kubernetes.io/origin` annotations start from (the temporary wrapper); else empty.
  std::string OriginBase;
};

/// A renderer's command line and the words its errors use.
struct RenderCommand {
  /// Program and arguments, run without a shell.
  std::vector<std::string> Argv;
  /// What error messages call the tool: "helm template", "kustomize build", "kubectl kustomize".
  std::string Tool;
  /// The message when the program cannot be found.
  std::string MissingMessage;
};

/// A tool that writes a target's manifests to stdout as a YAML stream.
class Renderer {
public:
  virtual ~Renderer();
  /// The target this renderer builds.
  virtual const RenderTarget &target() const = 0;
  /// The command to run; fails when no suitable program can be chosen.
  virtual llvm::Expected<RenderCommand> command() const = 0;
};

/// How to run `helm template`.
struct HelmOptions {
  /// Chart directory, packaged chart, or chart reference.
  std::string Chart;
  /// Release name; empty lets helm pick its default ("release-name").
  std::string ReleaseName;
  /// Passed as `--namespace`; empty leaves helm's default (HELM_NAMESPACE, else `default`).
  std::string Namespace;
  /// Values files, in the order helm merges them (a later one wins); passed as `--values`.
  std::vector<std::string> ValuesFiles;
  /// `--set`, `--set-string`, `--set-json`, `--set-file` and `--set-literal` flags in order, as
  /// (flag, its `key=value,...` text); passed after the values files.
  std::vector<std::pair<std::string, std::string>> Sets;
  /// Other flags passed to `helm template` verbatim, after those: `--kube-version`, `-s`...
  /// (values files and sets given here reach helm, but no values note names them).
  std::vector<std::string> ExtraArgs;
  /// The helm program; empty means `$HELM_BIN`, else `helm` on PATH.
  std::string HelmBin;
  bool operator==(const HelmOptions &) const = default;
};

/// Renders a chart with `helm template [NAME] CHART [--namespace NS] [flags...]`; every document
/// of the output carries helm's `# Source:` comment (DocumentText::HelmSource).
class HelmRenderer final : public Renderer {
public:
  /// Creates a renderer for the chart in Options.
  explicit HelmRenderer(HelmOptions Options);
  /// The chart, as HelmOptions::Chart names it.
  const RenderTarget &target() const override { return Target; }
  /// `helm template ...` with the helm of HelmOptions::HelmBin, `$HELM_BIN` or PATH.
  llvm::Expected<RenderCommand> command() const override;

private:
  HelmOptions Options;
  RenderTarget Target;
};

/// How to run a kustomize build.
struct KustomizeOptions {
  /// The kustomization directory (overlay) to build.
  std::string Dir;
  /// `kustomize` or `kubectl` program (`--kustomize-bin`); a name starting with `kubectl` runs
  /// `kubectl kustomize`. Empty: `kustomize` on PATH, else `kubectl` on PATH.
  std::string KustomizeBin;
  /// Build through a temporary wrapper kustomization that turns on origin annotations.
  bool OriginAnnotations = true;
  /// Flags passed verbatim after the directory (`--enable-helm`, `--load-restrictor ...`).
  std::vector<std::string> ExtraArgs;
  bool operator==(const KustomizeOptions &) const = default;
};

/// Renders an overlay with `kustomize build` or `kubectl kustomize`. With origin annotations on
/// (the default) it builds a temporary wrapper kustomization (`resources: [<relative path to
/// Dir>]`, `buildMetadata: [originAnnotations]`), so every object carries a
/// `config.kubernetes.io/origin` annotation naming its source file without the user's files
/// being touched. The wrapper directory lives as long as the renderer.
class KustomizeRenderer final : public Renderer {
public:
  /// Checks Dir and, with origin annotations on, writes the wrapper kustomization.
  static llvm::Expected<std::unique_ptr<KustomizeRenderer>> create(KustomizeOptions Options);
  /// Removes the wrapper directory.
  ~KustomizeRenderer() override;
  KustomizeRenderer(const KustomizeRenderer &) = delete;
  KustomizeRenderer &operator=(const KustomizeRenderer &) = delete;

  /// The overlay; OriginBase is the wrapper directory (or the overlay when built directly).
  const RenderTarget &target() const override { return Target; }
  /// `kustomize build DIR` or `kubectl kustomize DIR`; fails when neither program is found.
  llvm::Expected<RenderCommand> command() const override;
  /// The temporary wrapper directory, or "" when origin annotations are off.
  const std::string &wrapperDir() const { return WrapperDir; }

private:
  explicit KustomizeRenderer(KustomizeOptions Options);

  KustomizeOptions Options;
  RenderTarget Target;
  std::string WrapperDir;
};

class StartedProcess;

/// A render whose renderer runs already (startRender), so that work which does not feed it (the
/// config file, the chart's own files) overlaps it instead of delaying it. finishRender reads
/// its output; dropped unfinished, the renderer is killed and reaped.
class StartedRender {
public:
  StartedRender();
  ~StartedRender();
  StartedRender(StartedRender &&) noexcept;
  StartedRender &operator=(StartedRender &&) noexcept;
  /// Whether a renderer was asked for (running, or failed to start with the error to report).
  bool started() const { return Asked; }

private:
  friend StartedRender startRender(const Renderer &R, const RenderOptions &Options);
  friend llvm::Error finishRender(StartedRender &Started, DocumentSplitter &Splitter,
                                  const RenderOptions &Options);
  bool Asked = false;
  /// The tool's name for messages (`helm template`).
  std::string Tool;
  std::unique_ptr<StartedProcess> Process;
  /// Why it did not start, when it did not: said by finishRender.
  std::string StartError;
  std::error_code StartErrorCode;
};

/// Starts R's renderer with Options.Env; its output waits until finishRender.
StartedRender startRender(const Renderer &R, const RenderOptions &Options = {});

/// Feeds the output of a started render to Splitter, as render does; Options.Timeout counts from
/// the start, Options.OnOutput sees every chunk.
llvm::Error finishRender(StartedRender &Started, DocumentSplitter &Splitter,
                         const RenderOptions &Options = {});

/// Runs R and feeds its stdout to Splitter while it runs, then finishes the splitter. Errors:
/// the program is missing (RenderCommand::MissingMessage, e.g. "helm not found: install helm 3
/// or set HELM_BIN"), it failed ("helm template failed (exit 1): <stderr>"), was killed, or
/// timed out ("helm template timed out after 120 s"). On an error the splitter is reset, so a
/// half-written last document is not emitted; documents emitted before stay emitted.
llvm::Error render(const Renderer &R, DocumentSplitter &Splitter,
                   const RenderOptions &Options = {});

/// Turns a `path` or `configuredIn` value of an origin annotation (model::parseOriginAnnotation)
/// of Target's output into a normalised path: relative to the current directory when the file
/// is below it, else absolute. Returns the value unchanged when Target has no OriginBase or the
/// value is absolute.
std::string resolveOriginPath(const RenderTarget &Target, std::string_view AnnotationPath);

/// Options of readManifests.
struct ManifestReadOptions {
  /// Cap on one document's size.
  size_t MaxDocumentBytes = DocumentSplitter::DefaultMaxDocumentBytes;
  /// Told about documents dropped for their size. Without it, readManifests reports them in its
  /// returned error instead (after reading everything else).
  std::function<void(FileId File, unsigned FirstLine, size_t Bytes)> OnOversized;
  /// Told about parts of a directory left unread (special files, symlinks out of it,
  /// unreadable folders: see walkTree); without it they pass unsaid.
  std::function<void(const std::string &Warning)> OnWarning;
};

/// Reads manifests from Path: a file, a directory (recursively: `*.yaml`, `*.yml`, `*.json`, in
/// sorted order, as walkTree lists them), or `-` for stdin
/// (stream name `<stdin>`). Each file is its own stream (FileId = Files.intern(path)), read in
/// 64 KiB chunks through a DocumentSplitter. A file that cannot be read gives an error naming
/// it, after the other files were read; all such errors are joined. A device or socket named
/// as Path is refused.
llvm::Error readManifests(llvm::StringRef Path, FileTable &Files,
                          std::function<void(DocumentText)> Sink,
                          const ManifestReadOptions &Options = {});

} // namespace saguard::render
