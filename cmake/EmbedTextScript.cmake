# Writes IN as a C++ raw string literal into OUT (run by saguard_embed_text at build time).
file(READ ${IN} Content)
file(WRITE ${OUT} "R\"saguard_embed(${Content})saguard_embed\"\n")
