//===- InertKinds.h - documents no rule reads, known from their top-level lines -*- C++ -*-===//
#pragma once

#include "llvm/ADT/StringRef.h"

namespace saguard::model {

/// Whether Text is a built-in kind that can carry no pod template, account, role, binding or
/// Secret (a CustomResourceDefinition, a ConfigMap, a webhook configuration, ...), seen from
/// its root's `apiVersion:` and `kind:` lines without parsing it. Such a document can be
/// skipped unmapped: a CRD's schema is often most of a chart's output.
///
/// Only a plain block mapping at column 0 qualifies, whose top-level lines are all plain keys,
/// with exactly one `apiVersion:` and one `kind:` line holding plain values, and the pair on a
/// list of built-in API groups and kinds: a custom resource (an Argo Rollout, a Knative
/// Service) may hold a pod template, so a kind that merely shares a built-in's name in another
/// group is never skipped, nor is anything a quick look could misread (flow or quoted keys,
/// anchors, tags, merge keys, a quoted value spanning lines, a lone `\r`).
bool isInertDocument(llvm::StringRef Text);

} // namespace saguard::model
