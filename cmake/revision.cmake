# Writes revision.cpp with the git revision of the source tree; rewrites it only when it changes.
execute_process(COMMAND git -C ${SOURCE_DIR} describe --always --dirty --abbrev=12
                OUTPUT_VARIABLE revision OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR revision STREQUAL "")
  set(revision "unknown")
endif()
set(text "// Generated at build time: the source revision and version of this build.\n#include \"core/version.hpp\"\nnamespace fanflow {\nconst char* const kVersion = \"${VERSION}\";\nconst char* const kGitRevision = \"${revision}\";\n}\n")
if(EXISTS ${OUTPUT})
  file(READ ${OUTPUT} old)
endif()
if(NOT "${old}" STREQUAL "${text}")
  file(WRITE ${OUTPUT} "${text}")
endif()
