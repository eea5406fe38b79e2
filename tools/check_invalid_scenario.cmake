# cmake -DCLI=<switchboard> -DWORK_DIR=<dir> -P check_invalid_scenario.cmake
# Runs `switchboard simulate` on a scenario with an unknown key and checks the contract of
# ../shared/SCENARIO.md: exit status 2, exactly one line on stderr that names the file, nothing
# on stdout.
foreach(var CLI WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "${var} is not set")
  endif()
endforeach()

file(MAKE_DIRECTORY "${WORK_DIR}")
set(scenario "${WORK_DIR}/bad_key.toml")
file(WRITE "${scenario}" [=[
[simulation]
seed = 7
duration = "1h"
cuont = 3

[[queue]]
name = "support"

[[traffic]]
queue = "support"
arrivals = { rate = 60, per = "1h" }
handle = { dist = "exponential", mean = "3m" }

[[agents]]
count = 2
skills = { support = 1 }
]=])

execute_process(COMMAND "${CLI}" simulate "${scenario}" --format json
  RESULT_VARIABLE status
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err)

if(NOT status STREQUAL "2")
  message(FATAL_ERROR "expected exit status 2, got '${status}'; stderr:\n${err}")
endif()
if(NOT out STREQUAL "")
  message(FATAL_ERROR "expected nothing on stdout, got:\n${out}")
endif()
string(REGEX MATCHALL "\n" newlines "${err}")
list(LENGTH newlines lines)
if(NOT lines EQUAL 1 OR NOT err MATCHES "\n$")
  message(FATAL_ERROR "expected exactly one line on stderr, got:\n${err}")
endif()
string(FIND "${err}" "bad_key.toml" at)
if(at EQUAL -1)
  message(FATAL_ERROR "the message does not name the file: ${err}")
endif()
message(STATUS "exit status 2: ${err}")
