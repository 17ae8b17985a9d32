# tests/e2e/SarifValidate.cmake - CTest helper: validate SARIF files against the
# OASIS SARIF 2.1.0 schema (and, with GITHUB=ON, GitHub code scanning's rules and
# limits) using ../shared/sarif/validate-sarif.mjs. Optionally runs a command
# first (typically saguard writing the SARIF file).
#
# Run as a script (`cmake -D... -P`); it is not include()d. From a CMakeLists.txt:
#
#   add_test(NAME e2e.sarif.valid
#     COMMAND ${CMAKE_COMMAND}
#       "-DRUN=$<TARGET_FILE:saguard> -f sarif -o ${CMAKE_CURRENT_BINARY_DIR}/out.sarif ${chart}"
#       -DSARIF_FILE=${CMAKE_CURRENT_BINARY_DIR}/out.sarif
#       -DGITHUB=ON
#       -DSHARED_DIR=${SAGUARD_SHARED_DIR}
#       -P ${PROJECT_SOURCE_DIR}/tests/e2e/SarifValidate.cmake)
#
# Variables:
#   SARIF_FILE    required; the file to validate (.sarif or .sarif.gz). Several
#                 files: separate them with `|`.
#   GITHUB        optional (default OFF); also check what GitHub code scanning needs.
#   SHARED_DIR    optional; the shared/ folder (default: <repo>/../shared).
#   RUN           optional; a command line (split like a POSIX shell would, no
#                 globbing or variables) run before validating.
#   RUN_MAX_EXIT  optional (default 1); RUN exit codes 0..RUN_MAX_EXIT pass
#                 (saguard exits 1 when it has findings).
#
# The validator's npm packages (ajv@8, ajv-formats@3, ajv-draft-04@1) are found
# through the SAGUARD_SARIF_TOOLS environment variable (a node_modules folder;
# scripts/test.sh sets it), else <repo>/.sarif-tools/node_modules.
# scripts/install-tools.sh installs them.
cmake_minimum_required(VERSION 3.20)

get_filename_component(_repo "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)

if(NOT SARIF_FILE)
  message(FATAL_ERROR "SarifValidate: pass -DSARIF_FILE=<file>")
endif()
if(NOT SHARED_DIR)
  get_filename_component(SHARED_DIR "${_repo}/../shared" ABSOLUTE)
endif()
set(_validator "${SHARED_DIR}/sarif/validate-sarif.mjs")
if(NOT EXISTS "${_validator}")
  message(FATAL_ERROR "SarifValidate: ${_validator} not found (set -DSHARED_DIR=...)")
endif()

if(DEFINED ENV{SAGUARD_SARIF_TOOLS} AND NOT "$ENV{SAGUARD_SARIF_TOOLS}" STREQUAL "")
  set(_node_path "$ENV{SAGUARD_SARIF_TOOLS}")
else()
  set(_node_path "${_repo}/.sarif-tools/node_modules")
endif()
foreach(_pkg ajv ajv-formats ajv-draft-04)
  if(NOT EXISTS "${_node_path}/${_pkg}/package.json")
    message(FATAL_ERROR "SarifValidate: npm package '${_pkg}' not found in ${_node_path}; "
                        "run scripts/install-tools.sh (or set SAGUARD_SARIF_TOOLS)")
  endif()
endforeach()

find_program(_node NAMES node nodejs)
if(NOT _node)
  message(FATAL_ERROR "SarifValidate: node not found on PATH (run scripts/setup.sh)")
endif()

if(RUN)
  if(NOT DEFINED RUN_MAX_EXIT)
    set(RUN_MAX_EXIT 1)
  endif()
  separate_arguments(_run UNIX_COMMAND "${RUN}")
  execute_process(COMMAND ${_run} RESULT_VARIABLE _rc)
  if(NOT _rc MATCHES "^[0-9]+$" OR _rc GREATER RUN_MAX_EXIT)
    message(FATAL_ERROR "SarifValidate: '${RUN}' failed: ${_rc}")
  endif()
endif()

string(REPLACE "|" ";" _files "${SARIF_FILE}")
set(_args)
if(GITHUB)
  list(APPEND _args --github)
endif()
foreach(_f IN LISTS _files)
  if(NOT EXISTS "${_f}")
    message(FATAL_ERROR "SarifValidate: ${_f} does not exist")
  endif()
endforeach()

execute_process(
  COMMAND ${CMAKE_COMMAND} -E env "NODE_PATH=${_node_path}"
          "${_node}" "${_validator}" ${_args} ${_files}
  RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "SarifValidate: validation failed (validate-sarif.mjs exit ${_rc}) for ${SARIF_FILE}")
endif()
