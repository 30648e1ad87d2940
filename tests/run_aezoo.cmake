# run(expect_ok ARGS...): runs ${AEZOO} ARGS (under ${AEZOO_LAUNCHER}, e.g. mpirun -n 2, when set),
# fails the test when expect_ok and it failed, and leaves its output and exit code in last_output and
# last_code. Included by the CLI script tests.
function(run expect_ok)
  execute_process(COMMAND ${AEZOO_LAUNCHER} ${AEZOO} ${ARGN} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(expect_ok AND NOT code EQUAL 0)
    message(FATAL_ERROR "aezoo ${ARGN} failed (${code}):\n${out}\n${err}")
  endif()
  set(last_output "${out}${err}" PARENT_SCOPE)
  set(last_code "${code}" PARENT_SCOPE)
endfunction()

# require_mnist(): ends the calling script, reported to CTest as skipped (SKIP_REGULAR_EXPRESSION),
# when MNIST is not at ${MNIST}. A macro, so that its return() leaves the caller.
macro(require_mnist)
  if(NOT EXISTS "${MNIST}/train-images-idx3-ubyte.gz")
    message("SKIPPED: MNIST not found at ${MNIST}")
    return()
  endif()
endmacro()
