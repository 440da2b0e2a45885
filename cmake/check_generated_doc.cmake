# Fails when a generated document differs from what the program prints.
# Usage: cmake -DFANFLOW=<program> "-DARGS=facts;--reference" -DDOC=<doc> -P check_generated_doc.cmake
execute_process(COMMAND ${FANFLOW} ${ARGS} OUTPUT_VARIABLE generated RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "fanflow ${ARGS} failed (exit ${rc})")
endif()
file(READ ${DOC} current)
if(NOT current STREQUAL generated)
  string(REPLACE ";" " " command "${ARGS}")
  message(FATAL_ERROR "${DOC} is stale: regenerate it with `build/fanflow ${command} > ${DOC}`")
endif()
