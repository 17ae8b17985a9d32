# saguard_embed_help(Out Dir): writes Out, one SAGUARD_RULE_HELP(Id, R"(...)") per Dir/SA*.md, so
# the rule help pages are compiled into the binary and stay the single source of the help text.
function(saguard_embed_help Out Dir)
  file(GLOB Pages CONFIGURE_DEPENDS ${Dir}/SA*.md)
  list(SORT Pages)
  add_custom_command(
    OUTPUT ${Out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${Out} "-DPAGES=${Pages}" -P ${PROJECT_SOURCE_DIR}/cmake/EmbedTextScript.cmake
    DEPENDS ${Pages} ${PROJECT_SOURCE_DIR}/cmake/EmbedTextScript.cmake
    VERBATIM)
endfunction()
