# tests/cli_edges.cmake: the command line at the edges of its data (issue 10). aezoo grad reads data
# through the one data path of every subcommand, so uint8 pixels are scaled by 1/255 (item 2);
# labels are whole numbers in range, and a model without a softmax head takes none (item 8); data
# that is not finite, or a first step that is not, ends cleanly (item 6); an output naming a folder
# is refused (item 11). Run by CTest with AEZOO, FIXTURES (tests/data/edges) and WORK_DIR.
file(REMOVE_RECURSE "${WORK_DIR}")
include(${CMAKE_CURRENT_LIST_DIR}/run_aezoo.cmake)
run(TRUE train --model sparse-kl --hidden 3 --iterations 3 --data ${FIXTURES}/x_f64.npy --progress quiet
    --no-checkpoint --out ${WORK_DIR}/run)
run(TRUE grad --params ${WORK_DIR}/run/model.npz --data ${FIXTURES}/x_u8.npy --out ${WORK_DIR}/g_u8.npz)
string(REPLACE "${WORK_DIR}/g_u8.npz" "" from_u8 "${last_output}")
run(TRUE grad --params ${WORK_DIR}/run/model.npz --data ${FIXTURES}/x_f64.npy --out ${WORK_DIR}/g_f64.npz)
string(REPLACE "${WORK_DIR}/g_f64.npz" "" from_f64 "${last_output}")
if(NOT from_u8 STREQUAL from_f64 OR NOT from_f64 MATCHES "loss [0-9]")
  message(FATAL_ERROR "grad on uint8 pixels and on the same pixels /255 differ:\n${from_u8}\n${from_f64}")
endif()
run(FALSE grad --params ${WORK_DIR}/run/model.npz --data ${FIXTURES}/x_f64.npy --labels ${FIXTURES}/labels_fractional.npy
    --out ${WORK_DIR}/g_labels.npz)
if(last_code EQUAL 0 OR NOT last_output MATCHES "has no softmax head")
  message(FATAL_ERROR "--labels for a model without a head was not refused:\n${last_output}")
endif()
# Labels for a model with a head (a version-1 stacked file of 6 inputs, 3 classes): whole numbers
# are used; a fraction or a -1 is refused by position and value, never truncated or wrapped.
set(stacked ${FIXTURES}/../v1/stacked.model.npz)
run(TRUE grad --params ${stacked} --data ${FIXTURES}/x6.npy --labels ${FIXTURES}/labels6_whole.npy --out ${WORK_DIR}/g6.npz)
if(NOT last_output MATCHES "loss [0-9]")
  message(FATAL_ERROR "grad with whole labels gave no loss:\n${last_output}")
endif()
foreach(bad "fraction;label 2 is 1.5, not a whole number in \\[0, 3\\)" "negative;label 2 is -1, not a whole number in \\[0, 3\\)")
  list(GET bad 0 name)
  list(GET bad 1 expected)
  run(FALSE grad --params ${stacked} --data ${FIXTURES}/x6.npy --labels ${FIXTURES}/labels6_${name}.npy --out ${WORK_DIR}/g6.npz)
  if(last_code EQUAL 0 OR NOT last_output MATCHES "${expected}")
    message(FATAL_ERROR "labels with a ${name} were not refused as '${expected}':\n${last_output}")
  endif()
endforeach()

# A data file with a NaN is refused where it is read, naming the entry (issue 10, item 6).
run(FALSE train --model sparse-kl --hidden 3 --iterations 3 --data ${FIXTURES}/x_nan.npy --progress quiet --out ${WORK_DIR}/nan)
if(last_code EQUAL 0 OR NOT last_output MATCHES "x_nan.npy: feature 5 of example 1 is nan: data must be finite")
  message(FATAL_ERROR "data with a NaN was not refused:\n${last_output}")
endif()
# A first step whose loss is not finite (finite data whose squared error overflows) ends as cleanly
# as a later one: the message names the term, nothing is written, and the folder it made is gone.
foreach(optimizer lbfgs adam)
  run(FALSE train --model sparse-kl --hidden 3 --iterations 3 --optimizer ${optimizer} --data ${FIXTURES}/x_huge.npy
      --progress quiet --out ${WORK_DIR}/huge)
  if(NOT last_code EQUAL 1 OR NOT last_output MATCHES "step 1: the loss is not finite: squared_error = inf"
     OR NOT last_output MATCHES "nothing written: no step had a finite loss" OR last_output MATCHES "aezoo: error")
    message(FATAL_ERROR "${optimizer}: a first step with an infinite loss did not end cleanly:\n${last_output}")
  endif()
  if(EXISTS ${WORK_DIR}/huge)
    message(FATAL_ERROR "${optimizer}: a run with no finite step left its --out folder")
  endif()
endforeach()

# An output that names a folder (encode --out .) is refused by name, and nothing is written.
run(FALSE encode ${WORK_DIR}/run/model.npz --data ${FIXTURES}/x_f64.npy --out .)
if(last_code EQUAL 0 OR NOT last_output MATCHES "aezoo: error: \\.: is a folder: give the name of a file to write")
  message(FATAL_ERROR "encode --out . was not refused clearly:\n${last_output}")
endif()
