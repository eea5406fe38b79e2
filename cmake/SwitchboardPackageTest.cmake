# Package-config test, run by CTest as `cmake -P` (test package_consumer):
#   1. cmake --install the Switchboard build tree into a fresh prefix under WORK_DIR;
#   2. check that the installed package files hold no path into the source or build tree;
#   3. configure the consumer project (tests/package) with CMAKE_PREFIX_PATH=<prefix> and the
#      same generator and compiler as the main build, build its three consumers (one per target:
#      switchboard::engine, switchboard::sim, switchboard::switchboard) and run them; the
#      engine's must hold no symbol of the simulator or toml++.
#
# Inputs (-D): SWITCHBOARD_BINARY_DIR, SWITCHBOARD_SOURCE_DIR, CONSUMER_SOURCE_DIR, WORK_DIR,
# CONFIG, GENERATOR, GENERATOR_PLATFORM, GENERATOR_TOOLSET, MAKE_PROGRAM, CXX_COMPILER,
# EXPECTED_VERSION, NM (optional: the engine-only consumer is checked for simulator symbols).
cmake_minimum_required(VERSION 3.22)

foreach(var SWITCHBOARD_BINARY_DIR SWITCHBOARD_SOURCE_DIR CONSUMER_SOURCE_DIR WORK_DIR
            GENERATOR CXX_COMPILER EXPECTED_VERSION)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "SwitchboardPackageTest.cmake: -D${var}=... is required")
  endif()
endforeach()
if(NOT CONFIG)
  set(CONFIG Release)
endif()

set(prefix ${WORK_DIR}/prefix)
set(consumer_build ${WORK_DIR}/consumer)

function(run step)
  message(STATUS "package_consumer: ${step}: ${ARGN}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "package_consumer: ${step} failed (${rc})")
  endif()
endfunction()

# A fresh prefix and consumer build every time: nothing stale can make the test pass.
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

run(install ${CMAKE_COMMAND} --install ${SWITCHBOARD_BINARY_DIR} --prefix ${prefix}
    --config ${CONFIG})

file(GLOB_RECURSE package_files ${prefix}/*/cmake/switchboard/*.cmake)
if(NOT package_files)
  message(FATAL_ERROR "package_consumer: no lib*/cmake/switchboard/*.cmake under ${prefix}")
endif()
foreach(file IN LISTS package_files)
  file(READ ${file} content)
  foreach(tree ${SWITCHBOARD_SOURCE_DIR} ${SWITCHBOARD_BINARY_DIR})
    string(FIND "${content}" "${tree}/" pos)
    if(NOT pos EQUAL -1)
      message(FATAL_ERROR "package_consumer: ${file} refers to ${tree}; "
                          "the installed package must be relocatable")
    endif()
  endforeach()
endforeach()
if(NOT EXISTS ${prefix}/include/switchboard/switchboard.h)
  message(FATAL_ERROR "package_consumer: include/switchboard/switchboard.h was not installed")
endif()

set(generator_args -G ${GENERATOR})
if(GENERATOR_PLATFORM)
  list(APPEND generator_args -A ${GENERATOR_PLATFORM})
endif()
if(GENERATOR_TOOLSET)
  list(APPEND generator_args -T ${GENERATOR_TOOLSET})
endif()
if(MAKE_PROGRAM)
  list(APPEND generator_args -DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM})
endif()

run(configure ${CMAKE_COMMAND} -S ${CONSUMER_SOURCE_DIR} -B ${consumer_build} ${generator_args}
    -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
    -DCMAKE_BUILD_TYPE=${CONFIG}
    -DCMAKE_PREFIX_PATH=${prefix}
    # Only the prefix may provide switchboard: no package registries.
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
    -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF
    -DSWITCHBOARD_EXPECTED_VERSION=${EXPECTED_VERSION}
    -DSWITCHBOARD_EXPECTED_PREFIX=${prefix})
run(build ${CMAKE_COMMAND} --build ${consumer_build} --config ${CONFIG})

foreach(consumer switchboard_engine_consumer switchboard_sim_consumer switchboard_consumer)
  unset(consumer_exe)
  find_program(consumer_exe ${consumer}
    PATHS ${consumer_build} ${consumer_build}/${CONFIG} NO_DEFAULT_PATH REQUIRED NO_CACHE)
  execute_process(COMMAND ${consumer_exe} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_VARIABLE err)
  message("${out}${err}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "package_consumer: ${consumer_exe} exited with ${rc}")
  endif()
  if(consumer STREQUAL "switchboard_engine_consumer" AND NM)
    # A host that links only switchboard::engine carries nothing of the simulator or toml++.
    execute_process(COMMAND ${NM} -C ${consumer_exe} OUTPUT_VARIABLE symbols RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "package_consumer: ${NM} ${consumer_exe} failed (${rc})")
    endif()
    foreach(pattern "switchboard::Simulate" "switchboard::ParseScenario" "toml::")
      string(FIND "${symbols}" "${pattern}" pos)
      if(NOT pos EQUAL -1)
        message(FATAL_ERROR "package_consumer: ${consumer} links '${pattern}', which belongs "
                            "to switchboard::sim")
      endif()
    endforeach()
  endif()
endforeach()
message(STATUS "package_consumer: OK")
