# Writes each page of PAGES into OUT as SAGUARD_RULE_HELP(<stem>, <raw string literal>).
set(Content "")
foreach(Page ${PAGES})
  get_filename_component(Stem ${Page} NAME_WE)
  file(READ ${Page} Text)
  string(APPEND Content "SAGUARD_RULE_HELP(${Stem}, R\"saguard_embed(${Text})saguard_embed\")\n")
endforeach()
file(WRITE ${OUT} "${Content}")
