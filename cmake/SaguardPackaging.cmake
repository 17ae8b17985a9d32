# What `cmake --install` puts where, and the release packages CPack makes from it:
#
#   bin/saguard                        the analyzer (installed by src/cli)
#   bin/kubectl-saguard                the kubectl plugin (kubectl finds kubectl-* on PATH)
#   share/saguard/helm/                the Helm plugin: helm plugin install <prefix>/share/saguard/helm
#   share/doc/saguard/                 README.md, LICENSE, rules/SAxxx.md (the help pages)
#
# `cpack` makes saguard-<version>-linux-amd64.tar.gz (one top folder holding the tree above)
# and saguard_<version>_amd64.deb (the tree under /usr), each with a <file>.sha256 beside it.
# Both carry the stripped binary; `cmake --install --strip` gives the same one.

include(GNUInstallDirs)

install(PROGRAMS integrations/kubectl/kubectl-saguard DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES integrations/helm/plugin.yaml DESTINATION ${CMAKE_INSTALL_DATADIR}/saguard/helm)
install(PROGRAMS integrations/helm/bin/saguard-helm.sh integrations/helm/bin/install.sh
                 integrations/helm/bin/download-release.sh
        DESTINATION ${CMAKE_INSTALL_DATADIR}/saguard/helm/bin)
install(FILES integrations/helm/bin/find-saguard.sh
        DESTINATION ${CMAKE_INSTALL_DATADIR}/saguard/helm/bin)
install(FILES README.md LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/rules/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/rules FILES_MATCHING PATTERN "*.md")

set(CPACK_PACKAGE_NAME saguard)
set(CPACK_PACKAGE_VENDOR "the saguard authors")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "ServiceAccount token and RBAC checks for Kubernetes manifests, Helm charts and Kustomize overlays")
set(CPACK_PACKAGE_HOMEPAGE_URL "https://github.com/saguard/saguard")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_GENERATOR TGZ DEB)
set(CPACK_PACKAGE_CHECKSUM SHA256)
set(CPACK_STRIP_FILES ON)
# The download scripts (integrations/helm/bin/download-release.sh) build this name from a
# version alone: keep the two in step.
set(CPACK_PACKAGE_FILE_NAME saguard-${PROJECT_VERSION}-linux-amd64)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE amd64)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "the saguard authors <saguard@users.noreply.github.com>")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "helm, kubectl")
if(NOT SAGUARD_STATIC)
  # A dynamic binary needs the C library, C++ runtime and terminfo it was built against:
  # dpkg-shlibdeps (dpkg-dev) works out the versions, else Debian 12's are named.
  find_program(SAGUARD_DPKG_SHLIBDEPS dpkg-shlibdeps)
  if(SAGUARD_DPKG_SHLIBDEPS)
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  else()
    set(CPACK_DEBIAN_PACKAGE_DEPENDS "libc6 (>= 2.36), libstdc++6 (>= 12), libtinfo6")
  endif()
endif()

include(CPack)
