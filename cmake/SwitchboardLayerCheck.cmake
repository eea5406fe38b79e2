# Checks that includes inside src/ only point down the layers (test layer_includes):
#   base < index < core < sim < scenario < host
# A file may include headers of its own layer and of the layers below, never above.
# Input (-D): SOURCE_DIR, the repository.
cmake_minimum_required(VERSION 3.22)

set(layers base index core sim scenario host)
set(violations "")
foreach(layer IN LISTS layers)
  list(FIND layers ${layer} rank)
  file(GLOB files ${SOURCE_DIR}/src/${layer}/*.h ${SOURCE_DIR}/src/${layer}/*.cc)
  foreach(file IN LISTS files)
    file(STRINGS ${file} includes REGEX "^#include \"[a-z_]+/")
    foreach(line IN LISTS includes)
      string(REGEX REPLACE "^#include \"([a-z_]+)/.*" "\\1" target "${line}")
      list(FIND layers ${target} target_rank)
      if(target_rank GREATER rank)
        file(RELATIVE_PATH shown ${SOURCE_DIR} ${file})
        string(APPEND violations "  ${shown}: ${line} (${layer} is below ${target})\n")
      endif()
    endforeach()
  endforeach()
endforeach()
if(violations)
  message(FATAL_ERROR "includes that point up the layers of src/:\n${violations}")
endif()
message(STATUS "layer_includes: every include in src/ points down")
