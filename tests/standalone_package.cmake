# tests/standalone_package.cmake: the path of a user who writes their own variant against an
# installed aezoo. Run by CTest (test standalone_package) as
#   cmake -DAEZOO_BUILD_DIR=... -DSTANDALONE_SOURCE_DIR=... -DWORK_DIR=... [-DGENERATOR=...]
#         [-DCXX_COMPILER=...] [-DBUILD_TYPE=...] -P standalone_package.cmake
# 1. cmake --install AEZOO_BUILD_DIR --prefix WORK_DIR/prefix (what is built already: build first),
# 2. configures STANDALONE_SOURCE_DIR in WORK_DIR/build with CMAKE_PREFIX_PATH=WORK_DIR/prefix,
# 3. builds it and runs the program. Any failing step fails the test. Everything happens under
# WORK_DIR, emptied first, so no other test is disturbed and nothing is left from an older run.
cmake_minimum_required(VERSION 3.18)

foreach(var AEZOO_BUILD_DIR STANDALONE_SOURCE_DIR WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "standalone_package.cmake: -D${var}=... is required")
  endif()
endforeach()
if(NOT BUILD_TYPE)
  set(BUILD_TYPE Release)
endif()

set(prefix ${WORK_DIR}/prefix)
set(build ${WORK_DIR}/build)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

function(step name)
  string(TIMESTAMP start "%s")
  list(JOIN ARGN " " command)
  message(STATUS "== ${name}: ${command}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  string(TIMESTAMP end "%s")
  math(EXPR seconds "${end} - ${start}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "standalone_package: ${name} failed (${rc}) after ${seconds} s")
  endif()
  message(STATUS "== ${name}: ok (${seconds} s)")
endfunction()

step(install ${CMAKE_COMMAND} --install ${AEZOO_BUILD_DIR} --prefix ${prefix} --config ${BUILD_TYPE})

set(configure ${CMAKE_COMMAND} -S ${STANDALONE_SOURCE_DIR} -B ${build}
  -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=${BUILD_TYPE}
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)   # only this prefix's aezoo, never a user-registered one
if(GENERATOR)
  list(APPEND configure -G ${GENERATOR})
endif()
if(CXX_COMPILER)
  list(APPEND configure -DCMAKE_CXX_COMPILER=${CXX_COMPILER})   # the library's compiler (same ABI)
endif()
step(configure ${configure})

# The package must come from this prefix, not from an aezoo installed elsewhere on the machine.
file(STRINGS ${build}/CMakeCache.txt found REGEX "^aezoo_DIR:")
string(REGEX REPLACE "^aezoo_DIR:[A-Z]+=" "" found "${found}")
file(REAL_PATH "${prefix}" real_prefix)
if(EXISTS "${found}")
  file(REAL_PATH "${found}" found)
endif()
string(FIND "${found}" "${real_prefix}/" at)
if(NOT at EQUAL 0)
  message(FATAL_ERROR "standalone_package: aezoo was found in '${found}', not under ${prefix}")
endif()

step(build ${CMAKE_COMMAND} --build ${build} --config ${BUILD_TYPE})

# The program: in the build folder, or in a per-configuration one (multi-configuration generators).
set(program ${build}/my_variant)
if(NOT EXISTS ${program})
  set(program ${build}/${BUILD_TYPE}/my_variant)
endif()
step(run ${program})
# The deep contractive example, built from the installed headers, trains and writes its model file.
get_filename_component(program_dir ${program} DIRECTORY)
step(run_deep_contractive ${program_dir}/deep_contractive ${WORK_DIR})
if(NOT EXISTS ${WORK_DIR}/deep_contractive.npz)
  message(FATAL_ERROR "standalone_package: deep_contractive wrote no model file")
endif()
