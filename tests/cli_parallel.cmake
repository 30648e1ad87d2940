# tests/cli_parallel.cmake: `mpirun -np 2 aezoo train` gives the one-process model (to 1e-12
# relative, compared by COMPARE), for sparse-KL with L-BFGS, denoising with Adam minibatches and a
# deep model; the first process alone prints and writes; a resume on 2 processes continues byte
# for byte; errors are said once and end every process. Run by CTest with AEZOO, MPIEXEC, COMPARE
# (aezoo_parallel_tests), MNIST and WORK_DIR.
include(${CMAKE_CURRENT_LIST_DIR}/run_aezoo.cmake)
require_mnist()
file(REMOVE_RECURSE "${WORK_DIR}")
# on(n expect_ok ARGS...): run() on n processes.
function(on n expect_ok)
  set(AEZOO_LAUNCHER ${MPIEXEC} -n ${n})
  run(${expect_ok} ${ARGN})
  set(last_output "${last_output}" PARENT_SCOPE)
  set(last_code "${last_code}" PARENT_SCOPE)
endfunction()
function(same_model a b what)
  execute_process(COMMAND ${COMPARE} --compare ${a} ${b} 1e-12 RESULT_VARIABLE differ OUTPUT_VARIABLE out)
  if(differ)
    message(FATAL_ERROR "${what}: 2 processes did not give the one-process model: ${out}")
  endif()
  message("${what}: ${out}")
endfunction()

set(data --data mnist:${MNIST} --limit 300 --progress quiet)
foreach(case "sparse-kl|--model sparse-kl --hidden 16 --optimizer lbfgs --iterations 10"
             "denoising|--model denoising --hidden 16 --noise 0.3 --optimizer adam --batch-size 64 --epochs 2"
             "deep|--model deep --hidden 32,8 --activations tanh,linear --optimizer momentum --batch-size 50 --iterations 8")
  string(REPLACE "|" ";" parts "${case}")
  list(GET parts 0 name)
  list(GET parts 1 args)
  separate_arguments(args UNIX_COMMAND "${args}")
  run(TRUE train ${args} ${data} --out ${WORK_DIR}/${name}-1)
  on(2 TRUE train ${args} ${data} --out ${WORK_DIR}/${name}-2)
  string(REGEX MATCHALL "wrote:" said "${last_output}")
  list(LENGTH said times)
  if(NOT times EQUAL 1 OR NOT last_output MATCHES "MPI, 2 processes")
    message(FATAL_ERROR "${name}: the first process alone should report (wrote: ${times} times):\n${last_output}")
  endif()
  same_model(${WORK_DIR}/${name}-1/model.npz ${WORK_DIR}/${name}-2/model.npz ${name})
endforeach()

# A resume on 2 processes continues the 2-process run byte for byte.
set(common train --model denoising --hidden 16 --optimizer adam --batch-size 50 ${data} --seed 5)
on(2 TRUE ${common} --iterations 6 --out ${WORK_DIR}/whole)
on(2 TRUE ${common} --iterations 3 --out ${WORK_DIR}/parts)
on(2 TRUE ${common} --iterations 6 --resume --out ${WORK_DIR}/parts)
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK_DIR}/whole/model.npz ${WORK_DIR}/parts/model.npz
                RESULT_VARIABLE differ)
if(differ)
  message(FATAL_ERROR "model.npz: a 2-process run resumed at step 3 differs from the uninterrupted one")
endif()

# Errors: said once (a collective decision), every process ends, nothing written.
on(2 FALSE train --model sparse-kl --hidden 4 --optimizer adam --batch-size 1 --iterations 2 ${data} --out ${WORK_DIR}/tiny)
string(REGEX MATCHALL "each process needs at least one example" said "${last_output}")
list(LENGTH said times)
if(last_code EQUAL 0 OR NOT times EQUAL 1 OR EXISTS ${WORK_DIR}/tiny/log.csv)
  message(FATAL_ERROR "a batch smaller than the processes was not refused once, clearly:\n${last_output}")
endif()
# A bad option and data one cannot read: said once, by the first process.
foreach(bad "--model sparse-kl --rho 2 --data mnist:${MNIST} --limit 10|rho = 2 is outside"
            "--model sparse-kl --data mnist:${WORK_DIR}/none --limit 10|no train images file")
  string(REPLACE "|" ";" parts "${bad}")
  list(GET parts 0 args)
  list(GET parts 1 expected)
  separate_arguments(args UNIX_COMMAND "${args}")
  on(2 FALSE train ${args} --out ${WORK_DIR}/bad)
  string(REGEX MATCHALL "${expected}" said "${last_output}")
  list(LENGTH said times)
  if(last_code EQUAL 0 OR NOT times EQUAL 1)
    message(FATAL_ERROR "train ${args} on 2 processes was not refused once (${times} times):\n${last_output}")
  endif()
endforeach()
on(2 FALSE encode ${WORK_DIR}/whole/model.npz ${data} --out ${WORK_DIR}/codes.npy)
if(last_code EQUAL 0 OR NOT last_output MATCHES "only 'aezoo train' runs on several processes" OR EXISTS ${WORK_DIR}/codes.npy)
  message(FATAL_ERROR "encode on 2 processes was not refused:\n${last_output}")
endif()
