# tests/grad_data.cmake: aezoo grad reads data through the one data path of every subcommand, so
# uint8 pixels are scaled by 1/255 (issue 10, item 2), and --labels for a model without a softmax
# head is refused (item 8). Run by CTest with AEZOO, FIXTURES (tests/data/edges) and WORK_DIR.
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
