# Fails when docs/parameters.md differs from what `fanflow params --markdown` generates.
execute_process(COMMAND ${FANFLOW} params --markdown OUTPUT_VARIABLE generated RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "fanflow params --markdown failed (exit ${rc})")
endif()
file(READ ${DOC} current)
if(NOT current STREQUAL generated)
  message(FATAL_ERROR "docs/parameters.md is stale: regenerate it with "
                      "`build/fanflow params --markdown > docs/parameters.md`")
endif()
