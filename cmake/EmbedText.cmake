# embed_text(OUT_VAR Name File...): makes one header per input holding it as a raw string literal,
# so the rule help pages in docs/rules are compiled into the binary and stay the single source.
function(saguard_embed_text OutDir)
  set(Outputs)
  foreach(File ${ARGN})
    get_filename_component(Stem ${File} NAME_WE)
    set(Out ${OutDir}/${Stem}.inc)
    add_custom_command(
      OUTPUT ${Out}
      COMMAND ${CMAKE_COMMAND} -DIN=${File} -DOUT=${Out} -P ${PROJECT_SOURCE_DIR}/cmake/EmbedTextScript.cmake
      DEPENDS ${File} ${PROJECT_SOURCE_DIR}/cmake/EmbedTextScript.cmake
      VERBATIM)
    list(APPEND Outputs ${Out})
  endforeach()
  set(SAGUARD_EMBEDDED_OUTPUTS ${Outputs} PARENT_SCOPE)
endfunction()
